"""Who holds which role where, read once per request and cached on the user object."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import rules

from mosty.accounts.models import Grant, Membership, MembershipGrant, Role


def remembered(user, cache_name: str, compute: Callable[[], Any], anonymous: Any = False) -> Any:
    """What `compute()` answers about a signed-in user, asked once per request: the answer is
    kept on the user object under `cache_name` (`forget_roles` drops the role and grant maps);
    `anonymous` for a visitor who is not signed in."""
    if not getattr(user, "is_authenticated", False):
        return anonymous
    cached = getattr(user, cache_name, None)
    if cached is None:
        cached = compute()
        setattr(user, cache_name, cached)
    return cached


def _per_organisation(rows: Iterable[tuple[int, str]]) -> dict[int, frozenset[str]]:
    """(organisation id, role or grant) rows as organisation id -> what is held there."""
    found: dict[int, set[str]] = defaultdict(set)
    for org_id, held in rows:
        found[org_id].add(held)
    return {org_id: frozenset(held) for org_id, held in found.items()}


def role_map(user) -> dict[int, frozenset[str]]:
    """organisation id -> roles the user holds there (active memberships only)."""
    return remembered(
        user,
        "_mosty_role_map",
        lambda: _per_organisation(
            Membership.objects.filter(
                user=user, is_active=True, organisation__is_active=True
            ).values_list("organisation_id", "role")
        ),
        anonymous={},
    )


def in_visible(user, cache_name: str, visible: Callable[[], Any], pk: int) -> bool:
    """Whether record `pk` is among `visible()` (a queryset of what the user may see), asked
    of the database once per record and request: the answers are cached on the user object
    under `cache_name`, like the role map."""
    cache = getattr(user, cache_name, None)
    if cache is None:
        cache = {}
        setattr(user, cache_name, cache)
    if pk not in cache:
        cache[pk] = visible().filter(pk=pk).exists()
    return cache[pk]


def grant_map(user) -> dict[int, frozenset[str]]:
    """organisation id -> grants the user holds there through an active membership.

    Read only when a rule asks (one query, cached on the user for the request), so pages that
    never touch sensitive data or the audit log pay nothing."""
    return remembered(
        user,
        "_mosty_grant_map",
        lambda: _per_organisation(
            MembershipGrant.objects.filter(
                membership__user=user,
                membership__is_active=True,
                membership__organisation__is_active=True,
            ).values_list("membership__organisation_id", "grant")
        ),
        anonymous={},
    )


def orgs_granted(user, grant: Grant) -> list[int]:
    return [org_id for org_id, held in grant_map(user).items() if grant in held]


def forget_roles(user) -> None:
    for attr in ("_mosty_role_map", "_mosty_grant_map"):
        if hasattr(user, attr):
            delattr(user, attr)


def roles_of(user) -> frozenset[str]:
    return frozenset(r for roles in role_map(user).values() for r in roles)


def orgs_where(user, *roles: str) -> list[int]:
    wanted = set(roles)
    return [org_id for org_id, held in role_map(user).items() if held & wanted]


def staff_orgs(user) -> tuple[list[int], list[int]] | None:
    """The organisations `user` coordinates and those they are a caseworker in, where the
    scopes of participants and cases start; None when neither (or not signed in)."""
    if not getattr(user, "is_authenticated", False):
        return None
    coordinated = orgs_where(user, Role.COORDINATOR)
    casework = orgs_where(user, Role.CASEWORKER)
    if not coordinated and not casework:
        return None
    return coordinated, casework


def has_role(user, *roles: str, organisation_id: int | None = None) -> bool:
    if organisation_id is None:
        return bool(roles_of(user) & set(roles))
    return bool(role_map(user).get(organisation_id, frozenset()) & set(roles))


@rules.predicate
def is_authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def holds_role_at(field: str, *roles: str) -> Any:
    """A predicate on (user, record): the record is given and the organisation its `field`
    names (an organisation's own `pk`, a record's `organisation_id`...) is one where the user
    holds one of `roles`."""

    def check(user, record) -> bool:
        return record is not None and getattr(record, field) in orgs_where(user, *roles)

    return rules.predicate(check, name=f"holds_role_at({field})")


def names_the_user(field: str) -> Any:
    """A predicate on (user, record): the record is given and its `field` (its account: who
    registered, translates, supports...) is the signed-in user."""

    def check(user, record) -> bool:
        return (
            record is not None
            and bool(getattr(user, "is_authenticated", False))
            and getattr(record, field) == user.pk
        )

    return rules.predicate(check, name=f"names_the_user({field})")


@rules.predicate
def is_admin(user) -> bool:
    """Installation operator: a superuser or anyone holding the admin role somewhere."""
    return superuser_or(user, lambda: has_role(user, Role.ADMIN))


def superuser_or(user, holds: Callable[[], Any]) -> bool:
    """A signed-in superuser, or a signed-in user for whom `holds()` (a role or grant they
    hold) is true: a superuser passes every such rule without asking."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or holds())


@rules.predicate
def is_member(user) -> bool:
    return bool(role_map(user))
