"""Who may see and change the directory: services are public; housing offers and the
linguist base are for staff; organisations edit only their own entries."""

import rules
from django.db.models import QuerySet
from django.utils import timezone

from mosty.access.policy import POLICY
from mosty.access.roles import holds_role_at, is_admin, orgs_where
from mosty.accounts.models import Role
from mosty.core.collation import by_name

# Roles that may write their organisation's directory entries.
EDITOR_ROLES = (Role.COORDINATOR, Role.CASEWORKER, Role.INSTITUTION_STAFF)
# Roles that work with housing offers (matching to households).
HOUSING_ROLES = (Role.COORDINATOR, Role.CASEWORKER)
# Roles that search the translators and interpreters base.
LINGUIST_ROLES = (Role.COORDINATOR, Role.INSTITUTION_STAFF)


@rules.predicate
def edits_somewhere(user) -> bool:
    return bool(orgs_where(user, *EDITOR_ROLES))


edits_for = holds_role_at("organisation_id", *EDITOR_ROLES)


@rules.predicate
def works_on_housing(user) -> bool:
    return bool(orgs_where(user, *HOUSING_ROLES))


@rules.predicate
def coordinates_somewhere(user) -> bool:
    return bool(orgs_where(user, Role.COORDINATOR))


@rules.predicate
def searches_linguists(user) -> bool:
    return bool(orgs_where(user, *LINGUIST_ROLES))


coordinates_owner = holds_role_at("organisation_id", Role.COORDINATOR)


# Public directory: anyone reads, organisation staff write their own, admins verify and import.
POLICY.add_rule("service.list", rules.always_allow)
POLICY.add_rule("service.view", rules.always_allow)
POLICY.add_rule("service.manage", is_admin | edits_somewhere)
POLICY.add_rule("service.create", is_admin | edits_somewhere)
POLICY.add_rule("service.change", is_admin | edits_for)
POLICY.add_rule("service.verify", is_admin)
POLICY.add_rule("location.change", is_admin | edits_for)
POLICY.add_rule("hsds.export", rules.always_allow)
POLICY.add_rule("hsds.import", is_admin)
POLICY.add_rule("district.view", rules.always_allow)

# Housing: a shared pool; owners edit, coordinators of any organisation reserve for households.
POLICY.add_rule("housing.list", is_admin | works_on_housing)
POLICY.add_rule("housing.view", is_admin | works_on_housing | edits_for)
POLICY.add_rule("housing.create", is_admin | edits_somewhere)
POLICY.add_rule("housing.change", is_admin | edits_for)
POLICY.add_rule("housing.set_status", is_admin | coordinates_somewhere)

# Linguists: searched by coordinators and institution staff, kept by coordinators.
POLICY.add_rule("linguist.list", is_admin | searches_linguists)
POLICY.add_rule("linguist.view", is_admin | searches_linguists)
POLICY.add_rule("linguist.create", is_admin | coordinates_somewhere)
POLICY.add_rule("linguist.change", is_admin | coordinates_owner)


def service_organisations(user) -> QuerySet:
    """The organisations whose services, locations and housing offers `user` may publish."""
    from mosty.organisations.models import Organisation

    qs = Organisation.objects.filter(is_active=True).order_by(*by_name("name"))
    if is_admin(user):
        return qs
    return qs.filter(pk__in=orgs_where(user, *EDITOR_ROLES))


def linguist_owner_organisations(user) -> QuerySet:
    """The organisations for which `user` may list translators and interpreters."""
    from mosty.organisations.models import Organisation

    qs = Organisation.objects.filter(is_active=True).order_by(*by_name("name"))
    if is_admin(user):
        return qs
    return qs.filter(pk__in=orgs_where(user, Role.COORDINATOR))


def hsds_export_services(user) -> QuerySet | None:
    """What an HSDS export holds: everything (None) for an administrator, else the active
    services `user` sees."""
    if is_admin(user):
        return None
    return visible_services(user).filter(status="active")


def visible_services(user) -> QuerySet:
    """Everyone sees active services; staff also see their own organisation's inactive ones."""
    from django.db.models import Q

    from mosty.directory.models import Service, ServiceStatus

    if is_admin(user):
        return Service.objects.all()
    own = orgs_where(user, *EDITOR_ROLES)
    return Service.objects.filter(Q(status=ServiceStatus.ACTIVE) | Q(organisation_id__in=own))


def editable_services(user) -> QuerySet:
    from mosty.directory.models import Service

    if is_admin(user):
        return Service.objects.all()
    return Service.objects.filter(organisation_id__in=orgs_where(user, *EDITOR_ROLES))


def editable_locations(user) -> QuerySet:
    from mosty.directory.models import Location

    if is_admin(user):
        return Location.objects.all()
    return Location.objects.filter(organisation_id__in=orgs_where(user, *EDITOR_ROLES))


def visible_housing_offers(user) -> QuerySet:
    """Not expired. Housing staff see the whole pool; editors see their organisation's own."""
    from django.db.models import Q

    from mosty.directory.models import HousingOffer

    current = HousingOffer.objects.filter(
        Q(available_until__isnull=True) | Q(available_until__gte=timezone.localdate())
    )
    if is_admin(user) or works_on_housing(user):
        return current
    return current.filter(organisation_id__in=orgs_where(user, *EDITOR_ROLES))


def visible_linguists(user) -> QuerySet:
    from mosty.directory.models import Linguist

    if is_admin(user) or searches_linguists(user):
        return Linguist.objects.all()
    return Linguist.objects.none()


def housing_households(user) -> QuerySet:
    """Households a housing worker may match to offers: those of their own organisations."""
    from django.apps import apps

    if not apps.is_installed("mosty.people"):
        return QuerySet().none()
    from mosty.people.models import Household

    if is_admin(user):
        return Household.objects.none()  # admins run the system, they do not see case content
    return Household.objects.filter(owner_id__in=orgs_where(user, *HOUSING_ROLES))
