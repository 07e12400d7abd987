from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from rest_framework.authtoken.models import Token

from mosty.access.domains.accounts import visible_users
from mosty.access.policy import require
from mosty.accounts.models import GRANT_ROLES, Grant, Membership, MembershipGrant, User
from mosty.core.collation import by_name


def _with_memberships(qs: QuerySet[User]) -> QuerySet[User]:
    return qs.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organisation").order_by(
                *by_name("organisation__name"), "role"
            ),
        )
    )


def user_list(*, fetched_by, filters: dict | None = None) -> QuerySet[User]:
    filters = filters or {}
    qs = visible_users(fetched_by)
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(
            Q(email__icontains=term) | Q(first_name__icontains=term) | Q(last_name__icontains=term)
        )
    if filters.get("role"):
        qs = qs.filter(memberships__role=filters["role"], memberships__is_active=True).distinct()
    return _with_memberships(qs.order_by(*by_name("last_name", "first_name"), "email"))


def user_get(*, fetched_by, pk: int) -> User:
    return get_object_or_404(_with_memberships(visible_users(fetched_by)), pk=pk)


def api_token_exists(*, user: User) -> bool:
    return Token.objects.filter(user=user).exists()


def api_token_of(*, user: User) -> Token | None:
    return Token.objects.filter(user=user).first()


def api_token_list(*, fetched_by) -> QuerySet[Token]:
    """Every API token (never its key) for the administrator's overview, oldest first: those
    are the ones that expire next."""
    require(fetched_by, "api_token.list")
    return Token.objects.select_related("user").order_by("created")


def membership_grant_rows(*, fetched_by, person: User) -> list[dict]:
    """The person's active memberships, each with the grants its role can hold and whether
    it holds them (for the administrator's grant page)."""
    require(fetched_by, "grant.list")
    memberships = (
        Membership.objects.filter(user=person, is_active=True)
        .select_related("organisation")
        .prefetch_related("grants")
        .order_by(*by_name("organisation__name"), "role")
    )
    rows = []
    for membership in memberships:
        held = {g.grant for g in membership.grants.all()}
        grants = [
            {"value": grant.value, "label": grant.label, "held": grant.value in held}
            for grant in Grant
            if membership.role in GRANT_ROLES[grant]
        ]
        if grants:
            rows.append({"membership": membership, "grants": grants})
    return rows


def membership_grant_list(*, fetched_by) -> QuerySet[MembershipGrant]:
    """Every grant held through an active membership, for the administrator's overview."""
    require(fetched_by, "grant.list")
    return (
        MembershipGrant.objects.filter(membership__is_active=True)
        .select_related("membership__user", "membership__organisation", "granted_by")
        .order_by("grant", "membership__user__email")
    )
