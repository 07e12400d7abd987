"""Writes of the reports module: programmes, their targets, issued reports and linking an
event registrant to a participant record."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mosty.access.audit import audit
from mosty.access.domains.reports import LINK_OWNER, programme_linkables, programme_organisations
from mosty.access.policy import can, require
from mosty.core.indicators import INDICATORS, Scope
from mosty.core.writes import save_fields, save_validated
from mosty.events.models import Registration
from mosty.people.models import Participant
from mosty.reports import rollups, selectors
from mosty.reports.models import (
    BudgetLine,
    CitySnapshot,
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


def _check_links(by: Any, programme: Programme, data: dict[str, Any]) -> None:
    """Linked bookings, surveys and groups must be records of the organisations taking part
    that `by` coordinates: an error beside the field names what may not be linked."""
    linkable = programme_linkables(by)
    taking_part = {programme.organisation_id} | {
        org.pk for org in data.get("partners", programme.partners.all())
    }
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
    if errors:
        raise ValidationError(errors)


def _set_links(by: Any, programme: Programme, data: dict[str, Any]) -> None:
    """Link the records `data` names, once `_check_links` has let them through."""
    _check_links(by, programme, data)
    for name in PROGRAMME_LINKS:
        if name in data:
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
