"""Writes of the reports module: programmes, their targets, issued reports and linking an
event registrant to a participant record."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mosty.access.audit import audit
from mosty.access.domains.messaging import organisation_staff
from mosty.access.domains.reports import (
    LINK_OWNER,
    own_organisations,
    programme_linkables,
    programme_organisations,
)
from mosty.access.policy import can, require
from mosty.accounts.models import Role
from mosty.core.indicators import INDICATORS, Scope
from mosty.core.writes import save_fields, save_validated
from mosty.events.models import Registration
from mosty.messaging.outbox import notify
from mosty.people.models import Participant
from mosty.reports import rollups, selectors
from mosty.reports.models import (
    BudgetLine,
    CitySnapshot,
    InvitationState,
    PartnerInvitation,
    Programme,
    ReportSnapshot,
    RollupRun,
    Target,
)
from mosty.reports.tasks import city_report_count, rollups_refresh

PROGRAMME_FIELDS = [
    "organisation",
    "name",
    "donor",
    "starts_on",
    "ends_on",
    "language",
    "count_network_members",
]
PROGRAMME_LINKS = ["partners", "events", "networks", "bookings", "surveys", "groups"]


def _check_lead(by: Any, organisation: Any) -> None:
    if not programme_organisations(by).filter(pk=organisation.pk).exists():
        raise ValidationError(
            {"organisation": _("You can only lead programmes for organisations you coordinate.")}
        )


def _taking_part(by: Any, programme: Programme, data: dict[str, Any]) -> set[int]:
    """The organisations that will take part once `data` is saved: the lead, the partners
    still named and those `by` coordinates (they join at once). One only asked is not yet."""
    lead = data["organisation"].pk if "organisation" in data else programme.organisation_id
    if "partners" not in data:
        return {lead, *programme.organisation_ids()} if programme.pk else {lead}
    named = {org.pk for org in data["partners"]}
    current = set(programme.organisation_ids()) if programme.pk else set()
    return {lead} | (named & (current | own_organisations(by)))


def _check_links(by: Any, programme: Programme, data: dict[str, Any]) -> None:
    """Linked bookings, surveys and groups must be records of the organisations taking part
    that `by` coordinates, and networks whose members are counted must be coordinated by an
    organisation taking part or asked to: an error beside the field names what may not be
    linked."""
    linkable = programme_linkables(by)
    taking_part = _taking_part(by, programme, data)
    errors = {}
    for name, owner in LINK_OWNER.items():
        chosen = list(data.get(name) or [])
        allowed = set(
            linkable[name].filter(pk__in=[r.pk for r in chosen]).values_list("pk", flat=True)
        )
        if any(r.pk not in allowed or getattr(r, owner) not in taking_part for r in chosen):
            errors[name] = _(
                "Link only records of the organisations taking part in the programme that you "
                "coordinate."
            )
    counting = data.get("count_network_members", programme.count_network_members)
    networks = data["networks"] if "networks" in data else programme.networks.all()
    named = {org.pk for org in data.get("partners", [])} | taking_part
    if counting and any(network.coordinator_id not in named for network in networks):
        errors["networks"] = _(
            "Members are counted only for networks coordinated by an organisation taking part "
            "in the programme. Add the coordinating organisation as a partner, or do not count "
            "the members."
        )
    if errors:
        raise ValidationError(errors)


def _set_partners(by: Any, programme: Programme, named: Any) -> None:
    """The partners `by` names: one they coordinate joins at once; any other is asked, and
    joins when one of its coordinators accepts (`partner_accept`). A partner no longer named
    leaves, and an invitation no longer named is withdrawn."""
    wanted = {org.pk for org in named} - {programme.organisation_id}
    current = {org.pk for org in programme.partners.all()}
    invitations = {i.organisation_id: i for i in programme.partner_invitations.all()}
    programme.partners.remove(*(current - wanted))
    withdrawn = [
        i.pk
        for org, i in invitations.items()
        if org not in wanted and i.state == InvitationState.PENDING
    ]
    PartnerInvitation.objects.filter(pk__in=withdrawn).delete()
    joining = (wanted - current) & own_organisations(by)
    programme.partners.add(*joining)
    PartnerInvitation.objects.filter(programme=programme, organisation_id__in=joining).delete()
    for org in sorted(wanted - current - joining):
        invitation = invitations.get(org)
        if invitation is not None and invitation.state == InvitationState.PENDING:
            continue
        invitation = invitation or PartnerInvitation(programme=programme, organisation_id=org)
        invitation.state = InvitationState.PENDING
        invitation.invited_by, invitation.answered_by, invitation.answered_at = by, None, None
        invitation.save()
        audit(by, "mosty.report.partner.invited", invitation)
        notify(
            organisation_staff(org, Role.COORDINATOR),
            "programme_invitation",
            {"organisation": programme.organisation.name, "programme": programme.name},
            url=reverse("reports:programme_list"),
        )


def _set_links(by: Any, programme: Programme, data: dict[str, Any]) -> None:
    """Link the records `data` names, once `_check_links` has let them through (partners
    through `_set_partners`: they are asked, not added)."""
    _check_links(by, programme, data)
    if "partners" in data:
        _set_partners(by, programme, data["partners"])
    for name in PROGRAMME_LINKS:
        if name in data and name != "partners":
            getattr(programme, name).set(data[name])


@transaction.atomic
def programme_create(*, by: Any, **data: Any) -> Programme:
    require(by, "programme.create")
    _check_lead(by, data["organisation"])
    programme = Programme(
        **{k: v for k, v in data.items() if k in PROGRAMME_FIELDS}, created_by=by, updated_by=by
    )
    save_validated(programme)
    _set_links(by, programme, data)
    return programme


@transaction.atomic
def programme_update(
    *, programme: Programme, by: Any, version: int | None = None, **data: Any
) -> Programme:
    require(by, "programme.change", programme)
    if "organisation" in data and data["organisation"].pk != programme.organisation_id:
        _check_lead(by, data["organisation"])
    save_fields(programme, PROGRAMME_FIELDS, data, version=version, by=by)
    _set_links(by, programme, data)
    return programme


def _tell_lead(invitation: PartnerInvitation, code: str) -> None:
    programme = invitation.programme
    notify(
        organisation_staff(programme.organisation_id, Role.COORDINATOR),
        code,
        {"organisation": invitation.organisation.name, "programme": programme.name},
        url=reverse("reports:programme_detail", args=[programme.pk]),
    )


@transaction.atomic
def partner_accept(*, invitation: PartnerInvitation, by: Any) -> Programme:
    """The organisation asked takes part: it is counted in the figures and sees them."""
    require(by, "programme.answer", invitation)
    programme = invitation.programme
    programme.partners.add(invitation.organisation)
    audit(by, "mosty.report.partner.accepted", invitation)
    _tell_lead(invitation, "programme_invitation_accepted")
    invitation.delete()
    return programme


@transaction.atomic
def partner_decline(*, invitation: PartnerInvitation, by: Any) -> PartnerInvitation:
    """The organisation asked does not take part; the lead sees the answer."""
    require(by, "programme.answer", invitation)
    invitation.state = InvitationState.DECLINED
    invitation.answered_by, invitation.answered_at = by, timezone.now()
    invitation.save(update_fields=["state", "answered_by", "answered_at", "updated_at"])
    audit(by, "mosty.report.partner.declined", invitation)
    _tell_lead(invitation, "programme_invitation_declined")
    return invitation


@transaction.atomic
def programme_leave(*, programme: Programme, by: Any) -> Programme:
    """The partner organisations `by` coordinates leave the programme: from now on its
    figures no longer count their records, and they no longer see it."""
    require(by, "programme.leave", programme)
    own = own_organisations(by)
    leaving = [org for org in programme.partners.all() if org.pk in own]
    programme.partners.remove(*leaving)
    for org in leaving:
        notify(
            organisation_staff(programme.organisation_id, Role.COORDINATOR),
            "programme_partner_left",
            {"organisation": org.name, "programme": programme.name},
            url=reverse("reports:programme_detail", args=[programme.pk]),
        )
    return programme


@transaction.atomic
def target_set(
    *, programme: Programme, indicator: str, value: Decimal, note: str = "", by: Any
) -> Target:
    """Add the programme's target for `indicator`, or change the one it has."""
    require(by, "programme.change", programme)
    target = Target.objects.filter(programme=programme, indicator=indicator).first() or Target(
        programme=programme, indicator=indicator
    )
    target.value = value
    target.note = note
    return save_validated(target)


@transaction.atomic
def target_delete(*, target: Target, by: Any) -> None:
    require(by, "programme.change", target.programme)
    target.delete()


@transaction.atomic
def budget_line_add(
    *,
    programme: Programme,
    name: str,
    amount: Decimal,
    currency: str,
    note: str = "",
    by: Any,
) -> BudgetLine:
    """Add a line to the programme's budget."""
    require(by, "programme.change", programme)
    line = BudgetLine(programme=programme, name=name, amount=amount, currency=currency, note=note)
    return save_validated(line)


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, by: Any) -> None:
    require(by, "programme.change", line.programme)
    line.delete()


@transaction.atomic
def report_issue(
    *, programme: Programme, start: datetime.date, end: datetime.date, by: Any
) -> ReportSnapshot:
    """Compute the programme's figures for the period and keep them: the report can be given
    again, the same, after participants' data is erased. The report is a file for the
    programme's donor, so its counts of people are suppressed as any file that leaves the
    system (`selectors.published_figures`): the admin's on-screen view shows small counts of
    other organisations' people, the donor's file does not."""
    require(by, "programme.export", programme)
    if end < start:
        raise ValidationError({"end": _("The end of the period must not be before its start.")})
    scope = programme.scope(start, end)
    kept = selectors.kept_figures(scope)
    # A period no rollup keeps: every figure counted now, once (not once per breakdown).
    counted = kept if kept is not None else rollups.count_now(scope)
    figures = selectors.published_indicators(fetched_by=by, scope=scope, kept=counted)
    snapshot = ReportSnapshot(
        programme=programme,
        period_start=scope.start,
        period_end=scope.end,
        figures={
            "min_cell": selectors.min_cell(),
            # When the figures were counted: the kept figures' refresh, else now.
            "counted_at": (kept.refreshed_at if kept is not None else timezone.now()).isoformat(),
            "targets": {t.indicator: str(t.value) for t in programme.targets.all()},
            # The budget as it stood when the report was issued (raw decimals as text).
            "budget": [
                [line.name, str(line.amount), line.currency, line.note]
                for line in programme.budget_lines.order_by("pk")
            ],
            "indicators": figures,
        },
        issued_by=by,
    )
    save_validated(snapshot)
    audit(by, "mosty.report.snapshot.issued", snapshot)
    return snapshot


@transaction.atomic
def registration_link(*, registration: Registration, participant: Participant, by: Any) -> None:
    """Say that an event registrant is this participant: from now on the figures count them
    once, as the participant."""
    require(by, "report.reconcile")
    if not can(by, "participant.view", participant):
        raise PermissionDenied("participant.view")
    registration = selectors.unlinked_registration_get(fetched_by=by, pk=registration.pk)
    registration.participant = participant
    registration.save(update_fields=["participant"])
    audit(by, "mosty.report.registration.linked", registration)


def rollup_refresh_request(*, by: Any) -> RollupRun:
    """Queue a refresh of the kept figures ("refresh now"); while one is queued or running,
    that one is answered instead of a second."""
    require(by, "report.refresh")
    with transaction.atomic():
        pending = rollups.pending_run()
        if pending is not None:
            return pending
        run = RollupRun.objects.create(requested_by=by)
        audit(by, "mosty.report.rollup.requested", run)
        transaction.on_commit(lambda: rollups_refresh.enqueue(run.pk))
    return run


def city_report_request(*, start: datetime.date, end: datetime.date, by: Any) -> CitySnapshot:
    """Issue the whole city's report for the period, every indicator with its breakdowns,
    suppressed as a file that leaves the system must be (`selectors.published_figures`), and keep
    it: the report can be given again, the same, after participants' data is erased.

    When the period's figures are kept (a calendar year), the report is ready at once;
    otherwise counting the whole city takes long, so a background task counts it
    (`tasks.city_report_count`) and the snapshot says how far it got."""
    require(by, "report.city_export")
    if end < start:
        raise ValidationError({"end": _("The end of the period must not be before its start.")})
    scope = Scope(start=start, end=end)
    with transaction.atomic():
        if rollups.read(scope) is not None:
            snapshot = CitySnapshot(
                period_start=start,
                period_end=end,
                figures=selectors.city_report_figures(fetched_by=by, scope=scope),
                issued_by=by,
            )
            save_validated(snapshot)
            audit(by, "mosty.report.city.issued", snapshot)
            return snapshot
        snapshot = CitySnapshot.objects.create(
            period_start=start,
            period_end=end,
            issued_by=by,
            status=CitySnapshot.Status.COUNTING,
            total=len(INDICATORS),
        )
        audit(by, "mosty.report.city.requested", snapshot)
        transaction.on_commit(lambda: city_report_count.enqueue(snapshot.pk))
    return snapshot
