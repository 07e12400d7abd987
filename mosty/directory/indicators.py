"""The directory's indicator (mosty/core/indicators.py): services on offer, per district."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from mosty.core.collation import by_name
from mosty.core.indicators import Scope, Unit, indicator
from mosty.directory.models import ServiceAtLocation, ServiceStatus


def services(scope: Scope, by: str | None = None) -> Any:
    """Active services listed by the last day of the period; per district, a service counts
    once in every district where it has a location."""
    found = scope.filter_organisations(
        ServiceAtLocation.objects.filter(
            service__status=ServiceStatus.ACTIVE, service__created_at__lt=scope.ends_before
        ),
        "service__organisation_id",
    )
    if by is None:
        return found.values("service_id").distinct().count()
    rows = (
        found.values("location__district__name")
        .annotate(value=Count("service_id", distinct=True))
        .order_by(*by_name("location__district__name"))
    )
    return {str(row["location__district__name"] or ""): row["value"] for row in rows}


indicator(
    "directory.services",
    name=_("Services in the directory"),
    definition=_(
        "Active services with a location listed by the end of the period; per district, a "
        "service counts in every district where it has a location."
    ),
    unit=Unit.RECORDS,
    breakdowns=("district",),
    count=services,
)
