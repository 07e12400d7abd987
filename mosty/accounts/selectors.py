from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from rest_framework.authtoken.models import Token

from mosty.access.domains.accounts import visible_users
from mosty.accounts.models import Membership, User


def _with_memberships(qs: QuerySet[User]) -> QuerySet[User]:
    return qs.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organisation").order_by(
                "organisation__name", "role"
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
    return _with_memberships(qs.order_by("last_name", "first_name", "email"))


def user_get(*, fetched_by, pk: int) -> User:
    return get_object_or_404(_with_memberships(visible_users(fetched_by)), pk=pk)


def api_token_exists(*, user: User) -> bool:
    return Token.objects.filter(user=user).exists()
