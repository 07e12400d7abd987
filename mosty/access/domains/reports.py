"""Who sees which figures (issue 17: impact reporting that exposes no one).

- The admin and coordinators of a city office see the whole city's figures and every
  programme.
- A coordinator sees their organisation's figures, and those of the organisations in the
  networks their organisation coordinates; they see the programmes their organisation leads or
  takes part in, and change those it leads.
- A lead names partners; an organisation named becomes a partner (counted, and seeing the
  programme) only when one of its coordinators accepts (`programme.answer`), and leaves it
  when one of them wants (`programme.leave`).
- Figures that count people of organisations the reader does not coordinate are suppressed
  below `MOSTY_STATS_MIN_CELL` (`reader_sees_all_of`), like the public statistics, which
  everyone may read.
"""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet

from mosty.access.policy import POLICY
from mosty.access.roles import has_role, holds_role_at, is_admin, orgs_where, remembered
from mosty.accounts.models import Role
from mosty.assistance.models import AssistanceRequest
from mosty.core.collation import by_name
from mosty.networks.models import NetworkMembership
from mosty.organisations.models import Organisation, OrganisationKind
from mosty.participation.models import Group
from mosty.reports.models import (
    CitySnapshot,
    InvitationState,
    PartnerInvitation,
    Programme,
    ReportSnapshot,
)
from mosty.research.models import Survey


def _city_office_coordinator(user) -> bool:
    coordinated = orgs_where(user, Role.COORDINATOR)
    return (
        bool(coordinated)
        and Organisation.objects.filter(
            pk__in=coordinated, kind=OrganisationKind.CITY_OFFICE
        ).exists()
    )


@rules.predicate
def sees_city(user) -> bool:
    """The admin, or a coordinator at the city office: the whole city's figures."""
    return remembered(
        user, "_mosty_sees_city", lambda: bool(is_admin(user) or _city_office_coordinator(user))
    )


@rules.predicate
def is_coordinator(user) -> bool:
    return has_role(user, Role.COORDINATOR)


@rules.predicate
def takes_part(user, programme) -> bool:
    return programme is not None and bool(
        set(orgs_where(user, Role.COORDINATOR)) & set(programme.organisation_ids())
    )


leads = holds_role_at("organisation_id", Role.COORDINATOR)
# An invitation to take part is answered by a coordinator of the organisation asked.
answers_for = holds_role_at("organisation_id", Role.COORDINATOR)


@rules.predicate
def coordinates_partner(user, programme) -> bool:
    """A coordinator of a partner organisation, who may take it out of the programme."""
    return programme is not None and bool(
        set(orgs_where(user, Role.COORDINATOR)) & {org.pk for org in programme.partners.all()}
    )


POLICY.add_rule("report.view", sees_city | is_coordinator)
POLICY.add_rule("report.reconcile", is_coordinator)
# "Refresh now" of the kept figures: whoever reads reports (one refresh at a time is queued).
POLICY.add_rule("report.refresh", sees_city | is_coordinator)
POLICY.add_rule("programme.list", sees_city | is_coordinator)
POLICY.add_rule("programme.create", is_coordinator)
POLICY.add_rule("programme.view", sees_city | takes_part)
POLICY.add_rule("programme.change", leads)
POLICY.add_rule("programme.export", sees_city | takes_part)
POLICY.add_rule("programme.answer", answers_for)
POLICY.add_rule("programme.leave", coordinates_partner)
POLICY.add_rule("statistics.public", rules.always_allow)
# The city report as a file (XLSX, CSV, PDF) and the city reports issued before: whoever sees
# the whole city's figures.
POLICY.add_rule("report.city_export", sees_city)


def report_organisations(user) -> frozenset[int] | None:
    """The organisations whose figures `user` sees: None for the whole city, else the ones
    they coordinate and the members of the networks those coordinate."""
    if sees_city(user):
        return None
    coordinated = set(orgs_where(user, Role.COORDINATOR))
    members = NetworkMembership.objects.filter(
        network__coordinator_id__in=coordinated, organisation__isnull=False
    ).values_list("organisation_id", flat=True)
    return frozenset(coordinated | set(members))


def reader_sees_all_of(user, organisations: frozenset[int] | None) -> bool:
    """Whether every person counted in a figure over `organisations` belongs to an
    organisation `user` coordinates (or they see the city): if not, small figures are
    suppressed for them."""
    if sees_city(user):
        return True
    if organisations is None:
        return False
    return organisations <= set(orgs_where(user, Role.COORDINATOR))


def reader_coordinates_all_of(user, organisations: frozenset[int] | None) -> bool:
    """Whether every person counted over `organisations` belongs to an organisation `user`
    coordinates (never for the whole city). A report that leaves the system (the city
    export) is suppressed like the public statistics unless this holds: seeing the whole
    city on screen does not make other organisations' people the reader's own."""
    if organisations is None:
        return False
    return organisations <= set(orgs_where(user, Role.COORDINATOR))


def own_organisations(user) -> frozenset[int]:
    """The organisations whose people `user` may count exactly: those they coordinate."""
    return frozenset(orgs_where(user, Role.COORDINATOR))


def programme_organisations(user) -> QuerySet[Organisation]:
    """The organisations `user` may lead a new programme for."""
    return Organisation.objects.filter(pk__in=orgs_where(user, Role.COORDINATOR)).order_by(
        *by_name("name")
    )


def programme_linkables(user) -> dict[str, QuerySet]:
    """What `user` may link to a programme they lead, per link field: the bookings their
    organisations' pools provide, their surveys and the groups they host, only those of the
    organisations they coordinate (never another organisation's records)."""
    coordinated = orgs_where(user, Role.COORDINATOR)
    return {
        "bookings": AssistanceRequest.objects.filter(provider_id__in=coordinated).order_by(
            "-starts_at", "-pk"
        ),
        "surveys": Survey.objects.filter(organisation_id__in=coordinated).order_by(
            *by_name("title"), "pk"
        ),
        "groups": Group.objects.filter(organisation_id__in=coordinated).order_by(
            *by_name("name"), "pk"
        ),
    }


# The organisation a linked record belongs to, per link field (checked against the
# programme's organisations when a programme is saved).
LINK_OWNER = {"bookings": "provider_id", "surveys": "organisation_id", "groups": "organisation_id"}


def visible_programmes(user) -> QuerySet[Programme]:
    if sees_city(user):
        return Programme.objects.all()
    coordinated = orgs_where(user, Role.COORDINATOR)
    return Programme.objects.filter(
        Q(organisation_id__in=coordinated) | Q(partners__in=coordinated)
    ).distinct()


def open_invitations(user) -> QuerySet[PartnerInvitation]:
    """The invitations to take part that wait for an answer from an organisation `user`
    coordinates."""
    return PartnerInvitation.objects.filter(
        organisation_id__in=orgs_where(user, Role.COORDINATOR), state=InvitationState.PENDING
    )


def visible_snapshots(user) -> QuerySet[ReportSnapshot]:
    return ReportSnapshot.objects.filter(programme__in=visible_programmes(user))


def visible_city_snapshots(user) -> QuerySet[CitySnapshot]:
    if sees_city(user):
        return CitySnapshot.objects.all()
    return CitySnapshot.objects.none()
