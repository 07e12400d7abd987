from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from mosty.access.domains.organisations import visible_organisations  # noqa: F401 (re-exported)
from mosty.accounts.models import Membership
from mosty.core.collation import by_name
from mosty.organisations.models import Organisation


def organisation_list(*, fetched_by, filters: dict | None = None) -> QuerySet[Organisation]:
    filters = filters or {}
    qs = visible_organisations(fetched_by).select_related("district")
    if filters.get("q"):
        qs = qs.filter(Q(name__icontains=filters["q"]) | Q(email__icontains=filters["q"]))
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    return qs.annotate(
        member_count=Count("memberships", filter=Q(memberships__is_active=True))
    ).order_by(*by_name("name"))


def organisation_get(*, fetched_by, pk: int) -> Organisation:
    return get_object_or_404(visible_organisations(fetched_by).select_related("district"), pk=pk)


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", *by_name("user__last_name"), "user__email", "role")
    )


def membership_get(*, fetched_by, pk: int) -> Membership:
    """A membership of an organisation the user may see (404 otherwise)."""
    return get_object_or_404(
        Membership.objects.select_related("organisation", "user"),
        pk=pk,
        organisation__in=visible_organisations(fetched_by),
    )
