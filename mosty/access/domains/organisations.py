"""Who may see and manage organisations and their members."""

import rules
from django.db.models import QuerySet

from mosty.access.policy import POLICY
from mosty.access.roles import holds_role_at, is_admin, is_member, role_map
from mosty.accounts.models import Role
from mosty.organisations.models import Organisation


@rules.predicate
def belongs_to(user, organisation) -> bool:
    return organisation is not None and organisation.pk in role_map(user)


coordinates = holds_role_at("pk", Role.COORDINATOR)


POLICY.add_rule("organisation.list", is_admin | is_member)
POLICY.add_rule("organisation.create", is_admin)
POLICY.add_rule("organisation.view", is_admin | belongs_to)
POLICY.add_rule("organisation.change", is_admin | coordinates)
POLICY.add_rule("organisation.manage_members", is_admin | coordinates)


def visible_organisations(user) -> QuerySet[Organisation]:
    if is_admin(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=list(role_map(user)))
