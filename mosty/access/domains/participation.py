"""Who may see and run participation programmes, calls and consultations.

Published programmes and their calls are public; an unpublished one is seen by members of the
organisation that prepares it. Coordinators of that organisation publish and edit them.
"""

import rules
from django.db.models import Q, QuerySet

from mosty.access.policy import POLICY
from mosty.access.roles import has_role, orgs_where, role_map
from mosty.accounts.models import Role
from mosty.participation.models import Call, Programme


@rules.predicate
def is_coordinator(user) -> bool:
    return has_role(user, Role.COORDINATOR)


@rules.predicate
def programme_is_visible(user, programme) -> bool:
    return programme is not None and (
        programme.is_published or programme.organisation_id in role_map(user)
    )


@rules.predicate
def coordinates_programme(user, programme) -> bool:
    return programme is not None and programme.organisation_id in orgs_where(user, Role.COORDINATOR)


@rules.predicate
def call_is_visible(user, call) -> bool:
    return call is not None and programme_is_visible(user, call.programme)


@rules.predicate
def coordinates_call(user, call) -> bool:
    return call is not None and coordinates_programme(user, call.programme)


def programme_organisations(user) -> QuerySet:
    """The organisations `user` may publish participation programmes for."""
    from mosty.organisations.models import Organisation

    return Organisation.objects.filter(pk__in=orgs_where(user, Role.COORDINATOR)).order_by("name")


POLICY.add_rule("programme.browse", rules.always_allow)
POLICY.add_rule("programme.view", programme_is_visible)
POLICY.add_rule("programme.manage_list", is_coordinator)
POLICY.add_rule("programme.create", is_coordinator)
POLICY.add_rule("programme.change", coordinates_programme)
POLICY.add_rule("call.view", call_is_visible)
POLICY.add_rule("call.change", coordinates_call)
POLICY.add_rule("alert.subscribe", rules.always_allow)


def visible_programmes(user) -> QuerySet[Programme]:
    """Published programmes for everyone, plus unpublished ones of the user's organisations."""
    orgs = list(role_map(user))
    if orgs:
        return Programme.objects.filter(Q(is_published=True) | Q(organisation_id__in=orgs))
    return Programme.objects.filter(is_published=True)


def managed_programmes(user) -> QuerySet[Programme]:
    return Programme.objects.filter(organisation_id__in=orgs_where(user, Role.COORDINATOR))


def visible_calls(user) -> QuerySet[Call]:
    return Call.objects.filter(programme__in=visible_programmes(user))
