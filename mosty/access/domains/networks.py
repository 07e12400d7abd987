"""Who may see and run thematic networks.

A network's inner page (members' contacts, meetings, documents) is for its members: people
added individually and staff of member organisations. The public sees public networks' name,
purpose and member organisations. The coordinating organisation's coordinators run it, with
the people who joined it as co-coordinators.
"""

import rules
from django.db.models import Q, QuerySet

from mosty.access.domains.organisations import coordinates
from mosty.access.policy import POLICY
from mosty.access.roles import is_admin, orgs_where
from mosty.accounts.models import Role
from mosty.core.collation import by_name

# Roles through which an organisation's staff take part in its networks.
NETWORK_ROLES = (Role.COORDINATOR, Role.CASEWORKER, Role.INSTITUTION_STAFF, Role.ASSISTANT)


def _member_filter(user) -> Q:
    return Q(members__user=user) | Q(members__organisation_id__in=orgs_where(user, *NETWORK_ROLES))


@rules.predicate
def is_network_member(user, network) -> bool:
    if network is None or not getattr(user, "is_authenticated", False):
        return False
    if network.coordinator_id in orgs_where(user, Role.COORDINATOR):
        return True
    return network.members.filter(
        Q(user=user) | Q(organisation_id__in=orgs_where(user, *NETWORK_ROLES))
    ).exists()


@rules.predicate
def runs_network(user, network) -> bool:
    """Coordinators of the coordinating organisation, and people invited as co-coordinators."""
    if network is None:
        return False
    if network.coordinator_id in orgs_where(user, Role.COORDINATOR):
        return True
    return getattr(user, "is_authenticated", False) and (
        network.members.filter(user=user, role="coordinator").exists()
    )


@rules.predicate
def is_public_network(user, network) -> bool:
    return network is not None and network.is_public


@rules.predicate
def takes_part_somewhere(user) -> bool:
    return bool(orgs_where(user, *NETWORK_ROLES)) or (
        getattr(user, "is_authenticated", False) and user.network_memberships.exists()
    )


POLICY.add_rule("network.public_list", rules.always_allow)
POLICY.add_rule("network.list", is_admin | takes_part_somewhere)
POLICY.add_rule(
    "network.create", is_admin | rules.predicate(lambda u: bool(orgs_where(u, Role.COORDINATOR)))
)
POLICY.add_rule("network.view", is_admin | is_network_member)
POLICY.add_rule("network.view_public", is_public_network | is_admin | is_network_member)
POLICY.add_rule("network.manage", is_admin | runs_network)
# May name this organisation as a new network's coordinator.
POLICY.add_rule("network.coordinate_as", is_admin | coordinates)


def network_coordinator_choices(user) -> QuerySet:
    """Active organisations the user may name as a network's coordinator."""
    from mosty.organisations.models import Organisation

    qs = Organisation.objects.filter(is_active=True).order_by(*by_name("name"))
    return qs if is_admin(user) else qs.filter(pk__in=orgs_where(user, Role.COORDINATOR))


def visible_networks(user) -> QuerySet:
    """Networks whose inner pages the user may open."""
    from mosty.networks.models import Network

    if is_admin(user):
        return Network.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Network.objects.none()
    mine = Network.objects.filter(
        _member_filter(user) | Q(coordinator_id__in=orgs_where(user, Role.COORDINATOR))
    ).values("pk")
    return Network.objects.filter(pk__in=mine)


def public_networks() -> QuerySet:
    from mosty.networks.models import Network

    return Network.objects.filter(is_public=True)
