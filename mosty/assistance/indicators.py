"""The assistance module's indicators (mosty/core/indicators.py): bookings of interpreters and
assistants carried out, and the hours they worked, counted for the organisation whose pool
provided them."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from mosty.assistance.models import Assignment, AssignmentLog, AssignmentStatus
from mosty.core.indicators import Scope, Unit, aggregate_indicator, hours


def _done(scope: Scope) -> Any:
    """Assignments carried out in the period, by the scope's providing organisations (for a
    programme linked to bookings, those bookings only)."""
    return scope.records(
        Assignment.objects.filter(status=AssignmentStatus.DONE),
        organisation="request__provider_id",
        linked=("assistance.assistancerequest", "request_id"),
        period="starts_at",
        moments=True,
    )


aggregate_indicator(
    "assistance.bookings",
    name=_("Interpreter and assistant bookings"),
    definition=_(
        "Bookings of an interpreter or immigrant assistant carried out in the period, counted "
        "for the organisation whose pool provided them."
    ),
    unit=Unit.RECORDS,
    rows=_done,
    breakdowns={"month": "starts_at", "language": "request__language"},
)
aggregate_indicator(
    "assistance.hours",
    name=_("Interpreting and assistance hours"),
    definition=_(
        "Hours the assistants logged for the bookings carried out in the period, without "
        "travel time."
    ),
    unit=Unit.HOURS,
    rows=lambda scope: AssignmentLog.objects.filter(assignment__in=_done(scope)),
    breakdowns={"month": "assignment__starts_at", "language": "assignment__request__language"},
    total=Sum("minutes"),
    convert=hours,
)
