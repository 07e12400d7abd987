"""Who may see and manage users, memberships and the audit log."""

import rules
from django.db.models import Q, QuerySet

from mosty.access.policy import POLICY
from mosty.access.roles import (
    has_role,
    holds_role_at,
    is_admin,
    is_authenticated,
    is_member,
    orgs_granted,
    orgs_where,
    role_map,
    superuser_or,
)
from mosty.accounts.models import GRANT_ROLES, STAFF_ROLES, Grant, Membership, Role, User


@rules.predicate
def is_self(user, other) -> bool:
    return other is not None and user.pk == other.pk


@rules.predicate
def coordinates_one_of_their_orgs(user, other) -> bool:
    if other is None:
        return False
    org_ids = orgs_where(user, Role.COORDINATOR)
    return (
        bool(org_ids)
        and Membership.objects.filter(user=other, organisation_id__in=org_ids).exists()
    )


coordinates_membership_org = holds_role_at("organisation_id", Role.COORDINATOR)


@rules.predicate
def is_data_controller(user) -> bool:
    """A superuser, or an administrator whose admin membership holds the audit-log grant."""
    return superuser_or(user, lambda: orgs_granted(user, Grant.VIEW_AUDIT_LOG))


@rules.predicate
def grant_fits_membership(user, target) -> bool:
    """`target` is (membership, grant): the grant exists for the membership's role."""
    if target is None:
        return False
    membership, grant = target
    return membership.role in GRANT_ROLES.get(grant, frozenset())


POLICY.add_rule("dashboard.view", is_authenticated)
POLICY.add_rule("user.list", is_admin)
POLICY.add_rule("user.create", is_admin)
POLICY.add_rule("user.view", is_admin | is_self | coordinates_one_of_their_orgs)
POLICY.add_rule("user.change", is_admin)
POLICY.add_rule("membership.change", is_admin | coordinates_membership_org)
POLICY.add_rule("membership.grant_admin", is_admin)
POLICY.add_rule("membership.grant", is_admin & grant_fits_membership)
POLICY.add_rule("grant.list", is_admin)
POLICY.add_rule("api_token.manage", is_member)
POLICY.add_rule("api_token.list", is_admin)
POLICY.add_rule("api_token.revoke", is_self | is_admin)
POLICY.add_rule("audit.view", is_admin & is_data_controller)


def must_enrol_mfa(user) -> bool:
    """Staff (admin, coordinator, caseworker, or a superuser) without an MFA authenticator: when
    MFA is required they may do nothing until they enrol, through a session or a token."""
    from allauth.mfa.utils import is_mfa_enabled

    if not getattr(user, "is_authenticated", False):
        return False
    return (user.is_superuser or has_role(user, *STAFF_ROLES)) and not is_mfa_enabled(user)


def own_memberships(user) -> QuerySet[Membership]:
    """The user's active memberships in active organisations (their dashboard lists them)."""
    return Membership.objects.filter(
        user=user, is_active=True, organisation_id__in=list(role_map(user))
    )


def visible_users(user) -> QuerySet[User]:
    if is_admin(user):
        return User.objects.all()
    org_ids = orgs_where(user, Role.COORDINATOR)
    return User.objects.filter(
        Q(pk=user.pk) | Q(memberships__organisation_id__in=org_ids)
    ).distinct()
