"""Who may see, publish and run events, and who sees registrants' personal data.

Public events are open to everyone; internal ones to members of the organiser. Registrants'
names and contacts are visible only to the organiser's coordinators and caseworkers (and to the
registrant themself); public pages show counts only.
"""

import rules
from django.db.models import Q, QuerySet

from mosty.access.policy import POLICY
from mosty.access.roles import (
    has_role,
    holds_role_at,
    is_admin,
    is_authenticated,
    names_the_user,
    orgs_where,
    role_map,
)
from mosty.accounts.models import Role
from mosty.core.collation import by_name
from mosty.events.models import Event, Registration

ORGANISER_ROLES = (Role.COORDINATOR, Role.CASEWORKER)


@rules.predicate
def is_coordinator(user) -> bool:
    return has_role(user, Role.COORDINATOR)


@rules.predicate
def supports_people(user) -> bool:
    return has_role(user, Role.COORDINATOR, Role.CASEWORKER)


@rules.predicate
def event_is_visible(user, event) -> bool:
    return event is not None and (event.is_public or event.organisation_id in role_map(user))


coordinates_event = holds_role_at("organisation_id", Role.COORDINATOR)


organises_event = holds_role_at("organisation_id", *ORGANISER_ROLES)


owns_registration = names_the_user("user_id")


@rules.predicate
def organises_registration(user, registration) -> bool:
    return registration is not None and organises_event(user, registration.event)


is_self = names_the_user("pk")


coordinates_organisation = holds_role_at("pk", Role.COORDINATOR)


def event_organiser_organisations(user) -> QuerySet:
    """The organisations `user` may publish new events for."""
    from mosty.organisations.models import Organisation

    return Organisation.objects.filter(pk__in=orgs_where(user, Role.COORDINATOR)).order_by(
        *by_name("name")
    )


POLICY.add_rule("event.browse", rules.always_allow)
POLICY.add_rule("event.view", event_is_visible)
POLICY.add_rule("event.create", is_coordinator)
POLICY.add_rule("event.manage_list", is_coordinator | supports_people)
POLICY.add_rule("event.change", coordinates_event)
POLICY.add_rule("event.cancel", coordinates_event)
POLICY.add_rule("event.register", event_is_visible)
POLICY.add_rule("event.register_person", event_is_visible & supports_people)
POLICY.add_rule("event.view_registrations", organises_event)
POLICY.add_rule("event.take_attendance", organises_event)
POLICY.add_rule("event.send_certificates", organises_event)
POLICY.add_rule("event.report", is_admin | is_coordinator)
POLICY.add_rule("event.report_organisation", is_admin | coordinates_organisation)
POLICY.add_rule("registration.mine", is_authenticated)
POLICY.add_rule("calendar_feed.reset", is_authenticated & is_self)
POLICY.add_rule("registration.view", owns_registration | organises_registration)
POLICY.add_rule("registration.cancel", owns_registration | organises_registration)
POLICY.add_rule("registration.certificate", owns_registration | organises_registration)


def visible_events(user) -> QuerySet[Event]:
    """Public events for everyone, plus internal events of the user's organisations."""
    orgs = list(role_map(user))
    if orgs:
        return Event.objects.filter(Q(is_public=True) | Q(organisation_id__in=orgs))
    return Event.objects.filter(is_public=True)


def reported_organisations(user) -> list[int] | None:
    """The organisations whose events the user's reports cover: None (all) for the admin,
    else those they coordinate."""
    if is_admin(user):
        return None
    return orgs_where(user, Role.COORDINATOR)


def reported_events(user) -> QuerySet[Event]:
    """The events the user's reports cover: all for the admin, else their coordinated
    organisations' events."""
    organisations = reported_organisations(user)
    if organisations is None:
        return Event.objects.all()
    return Event.objects.filter(organisation_id__in=organisations)


def managed_events(user) -> QuerySet[Event]:
    """Events whose registrants and attendance the user handles (organiser staff)."""
    return Event.objects.filter(organisation_id__in=orgs_where(user, *ORGANISER_ROLES))


def visible_registrations(user) -> QuerySet[Registration]:
    """Registrations at events the user organises, plus the user's own."""
    if not getattr(user, "is_authenticated", False):
        return Registration.objects.none()
    return Registration.objects.filter(
        Q(event__organisation_id__in=orgs_where(user, *ORGANISER_ROLES)) | Q(user=user)
    )
