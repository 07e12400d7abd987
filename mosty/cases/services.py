"""Writes on cases: every change goes through here (HackSoft style), audited and atomic."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mosty.access.audit import audit
from mosty.access.domains.cases import case_mentors, case_team_candidates
from mosty.access.policy import require
from mosty.cases.models import (
    TRANSITIONS,
    Assessment,
    AssessmentScore,
    AssigneeKind,
    Case,
    CaseStatus,
    Domain,
    Goal,
    Note,
    NoteVisibility,
    PlanStatus,
    Referral,
    ReferralEvent,
    ReferralStatus,
    SupportLog,
    Task,
    TaskStatus,
)
from mosty.core.writes import save_validated
from mosty.messaging import triggers

# How many days before its due date a task's assignee is reminded.
REMINDER_DAYS = 2


def _consent_require(participant, purpose: str) -> None:
    """The people app's consent gate (a clear ValidationError when consent is missing)."""
    from mosty.people import services as people_services

    people_services.consent_require(participant, purpose=purpose)


def _consent_active(participant, purpose: str):
    from mosty.people import services as people_services

    return people_services.consent_active(participant, purpose)


def _not_in_the_past(field: str, day: datetime.date | None) -> None:
    """A new record's date to come (a review, a target, a due date) cannot be gone already.
    Only on creation: editing a record that already holds a past date still saves."""
    if day is not None and day < timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the past.")}, code="past")


def _team_ids(case: Case) -> set[int]:
    return {case.lead_id, *case.members.values_list("pk", flat=True)}


def _check_team(organisation, lead, members) -> None:
    allowed = set(case_team_candidates(organisation.pk).values_list("pk", flat=True))
    if lead.pk not in allowed:
        raise ValidationError(
            {"lead": _("The lead must be a caseworker or coordinator of the organisation.")}
        )
    if any(m.pk not in allowed for m in members):
        raise ValidationError(
            {"members": _("Team members must be caseworkers or coordinators of the organisation.")}
        )


@transaction.atomic
def case_open(
    *,
    organisation,
    participant,
    lead,
    by,
    members=(),
    review_date: datetime.date | None = None,
) -> Case:
    require(by, "case.create", organisation)
    _consent_require(participant, "case_management")
    _check_team(organisation, lead, members)
    _not_in_the_past("review_date", review_date)
    case = Case(
        organisation=organisation,
        participant=participant,
        lead=lead,
        review_date=review_date,
        opened_on=timezone.localdate(),
        created_by=by,
    )
    save_validated(case)
    case.members.set([m for m in members if m.pk != lead.pk])
    return case


@transaction.atomic
def case_update(
    *, case: Case, by, version: int, lead, members, review_date: datetime.date | None
) -> Case:
    require(by, "case.change", case)
    _check_team(case.organisation, lead, members)
    case.save_changes(version=version, by=by, lead_id=lead.pk, review_date=review_date)
    case.members.set([m for m in members if m.pk != lead.pk])
    return case


@transaction.atomic
def case_change_status(
    *, case: Case, status: str, by, version: int | None = None, closure_reason: str = ""
) -> Case:
    require(by, "case.change_status", case)
    if status not in TRANSITIONS.get(case.status, ()):
        raise ValidationError(
            {
                "status": _("A case cannot move from “%(old)s” to “%(new)s”.")
                % {"old": case.get_status_display(), "new": CaseStatus(status).label}
            },
            code="transition",
        )
    if status == CaseStatus.CLOSED and not closure_reason:
        raise ValidationError({"closure_reason": _("Say why the case is closed.")})
    changes: dict[str, object] = {"status": status}
    if status == CaseStatus.CLOSED:
        changes.update(closure_reason=closure_reason, closed_at=timezone.now())
    elif case.status == CaseStatus.CLOSED:
        changes.update(closure_reason="", closed_at=None)
    old = case.status
    case.save_changes(version=version, by=by, **changes)
    audit(by, "mosty.case.status.changed", case, details={"from": old, "to": status})
    return case


@transaction.atomic
def assessment_record(
    *, case: Case, assessed_on: datetime.date, scores: dict[str, tuple[int, str]], by
) -> Assessment:
    """`scores`: domain -> (score 1-5, comment); all twelve domains are required."""
    require(by, "case.assess", case)
    missing = [d for d in Domain.values if d not in scores]
    if missing:
        raise ValidationError(_("Score every domain."), code="missing")
    for domain, (score, _comment) in scores.items():
        if domain not in Domain.values or not 1 <= int(score) <= 5:
            raise ValidationError({domain: _("Give a score from 1 to 5.")}, code="range")
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The date cannot be in the future.")})
    assessment = Assessment.objects.create(case=case, assessed_on=assessed_on, assessed_by=by)
    AssessmentScore.objects.bulk_create(
        AssessmentScore(assessment=assessment, domain=d, score=int(s), comment=(c or "")[:500])
        for d, (s, c) in scores.items()
    )
    case.save_changes(version=None, by=by)
    return assessment


def _plan_changed(case: Case, version: int | None, by) -> None:
    """Any change to goals or tasks bumps the case version; an approved plan needs approval again."""
    changes = {}
    if case.plan_status in (PlanStatus.APPROVED, PlanStatus.REQUESTED):
        changes["plan_status"] = PlanStatus.DRAFT
    case.save_changes(version=version, by=by, **changes)


@transaction.atomic
def goal_add(
    *,
    case: Case,
    domain: str,
    title: str,
    by,
    target_date: datetime.date | None = None,
    version: int | None = None,
) -> Goal:
    require(by, "case.plan_edit", case)
    _not_in_the_past("target_date", target_date)
    goal = Goal(case=case, domain=domain, title=title, target_date=target_date, created_by=by)
    save_validated(goal)
    _plan_changed(case, version, by)
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, by, version: int, **data) -> Goal:
    require(by, "case.plan_edit", goal.case)
    fields = [k for k in ("domain", "title", "target_date", "status") if k in data]
    for name in fields:
        setattr(goal, name, data[name])
    goal.full_clean()
    goal.save_changes(version=version, by=by, **{name: getattr(goal, name) for name in fields})
    _plan_changed(goal.case, None, by)
    return goal


def _check_assignee(case: Case, kind: str, user, organisation) -> None:
    if kind == AssigneeKind.STAFF:
        if user is None or user.pk not in _team_ids(case):
            raise ValidationError({"assignee_user": _("Choose a member of the case team.")})
    elif kind == AssigneeKind.MENTOR:
        is_mentor = (
            user is not None and case_mentors(case.organisation_id).filter(pk=user.pk).exists()
        )
        if not is_mentor:
            raise ValidationError({"assignee_user": _("Choose a mentor of your organisation.")})
    elif kind == AssigneeKind.PARTNER:
        if organisation is None or not organisation.is_active:
            raise ValidationError({"assignee_organisation": _("Choose a partner organisation.")})
    else:
        raise ValidationError({"assignee_kind": _("Choose who does the task.")})


@transaction.atomic
def task_add(
    *,
    goal: Goal,
    title: str,
    assignee_kind: str,
    by,
    assignee_user=None,
    assignee_organisation=None,
    due_date: datetime.date | None = None,
) -> Task:
    case = goal.case
    require(by, "case.plan_edit", case)
    _check_assignee(case, assignee_kind, assignee_user, assignee_organisation)
    _not_in_the_past("due_date", due_date)
    task = Task(
        goal=goal,
        title=title,
        assignee_kind=assignee_kind,
        assignee_user=assignee_user if assignee_kind != AssigneeKind.PARTNER else None,
        assignee_organisation=(
            assignee_organisation if assignee_kind == AssigneeKind.PARTNER else None
        ),
        due_date=due_date,
        created_by=by,
    )
    save_validated(task)
    _plan_changed(case, None, by)
    if due_date is not None:
        _schedule_reminder(task, due_date)
    triggers.task_assigned(task, by)
    return task


def _schedule_reminder(task: Task, due_date: datetime.date) -> None:
    from mosty.cases.tasks import task_remind

    remind_on = due_date - datetime.timedelta(days=REMINDER_DAYS)
    run_after = timezone.make_aware(datetime.datetime.combine(remind_on, datetime.time(8, 0)))
    task_id = task.pk
    if run_after <= timezone.now():
        transaction.on_commit(lambda: task_remind.enqueue(task_id))
    else:
        transaction.on_commit(lambda: task_remind.using(run_after=run_after).enqueue(task_id))


@transaction.atomic
def task_set_status(*, task: Task, status: str, by) -> Task:
    require(by, "case.plan_edit", task.goal.case)
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    task.status = status
    task.completed_at = timezone.now() if status == TaskStatus.DONE else None
    task.updated_by = by
    task.save(update_fields=["status", "completed_at", "updated_at", "updated_by"])
    task.goal.case.save_changes(version=None, by=by)
    return task


@transaction.atomic
def task_complete(*, task: Task, by) -> Task:
    """Mark a task done: by the case team, or by the mentor it was given to."""
    require(by, "task.complete", task)
    task.status = TaskStatus.DONE
    task.completed_at = timezone.now()
    task.updated_by = by
    task.save(update_fields=["status", "completed_at", "updated_at", "updated_by"])
    task.goal.case.save_changes(version=None, by=by)
    audit(by, "mosty.case.task.completed", task)
    return task


@transaction.atomic
def task_delete(*, task: Task, by) -> None:
    """Delete a task added by mistake, shortly after it was created (later it is cancelled,
    so the plan keeps its history)."""
    require(by, "task.delete", task)
    case = task.goal.case
    audit(by, "mosty.case.task.deleted", task)
    task.delete()
    case.save_changes(version=None, by=by)


@transaction.atomic
def plan_request_approval(*, case: Case, by, version: int | None = None) -> Case:
    require(by, "case.plan_edit", case)
    if not case.goals.exists():
        raise ValidationError(_("Add at least one goal before asking for approval."))
    if case.plan_status == PlanStatus.REQUESTED:
        raise ValidationError(_("Approval has already been requested."))
    case.save_changes(
        version=version,
        by=by,
        plan_status=PlanStatus.REQUESTED,
        plan_comment="",
        plan_requested_by_id=by.pk,
    )
    audit(by, "mosty.case.plan.approval_requested", case)
    triggers.plan_requested(case)
    return case


@transaction.atomic
def plan_decide(
    *, case: Case, approve: bool, by, comment: str = "", version: int | None = None
) -> Case:
    require(by, "case.plan_approve", case)
    if case.plan_status != PlanStatus.REQUESTED:
        raise ValidationError(_("Only a plan waiting for approval can be approved or returned."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say what should change in the plan.")})
    # The policy let the author through only as the organisation's sole coordinator.
    self_approved = approve and case.plan_requested_by_id == by.pk
    case.save_changes(
        version=version,
        by=by,
        plan_status=PlanStatus.APPROVED if approve else PlanStatus.RETURNED,
        plan_comment=comment.strip(),
        plan_decided_by_id=by.pk,
        plan_decided_at=timezone.now(),
        plan_self_approved=self_approved,
    )
    verb = "self_approved" if self_approved else ("approved" if approve else "returned")
    audit(by, f"mosty.case.plan.{verb}", case)
    triggers.plan_decided(case)
    return case


def _referral_event(referral: Referral, by, comment: str = "", organisation=None) -> None:
    ReferralEvent.objects.create(
        referral=referral,
        status=referral.status,
        comment=comment,
        by=by,
        organisation=organisation or referral.to_organisation,
    )


@transaction.atomic
def referral_send(
    *,
    case: Case,
    to_organisation=None,
    to_service=None,
    domain: str,
    shared_fields: list[str],
    message: str,
    by,
) -> Referral:
    """Refer a case to a partner organisation, or to a directory service (then the organisation
    running the service receives it)."""
    require(by, "case.refer", case)
    _consent_require(case.participant, "referral")
    if to_service is not None:
        if to_organisation is not None and to_organisation.pk != to_service.organisation_id:
            raise ValidationError(
                {
                    "to_service": _(
                        "This service is run by another organisation than the one chosen."
                    )
                }
            )
        if to_service.status != "active":
            raise ValidationError({"to_service": _("This service is not active.")})
        to_organisation = to_service.organisation
    if to_organisation is None:
        raise ValidationError(
            {"to_organisation": _("Choose a partner organisation or a service from the directory.")}
        )
    if to_organisation.pk == case.organisation_id:
        raise ValidationError({"to_service": _("This service is run by your own organisation.")})
    if not to_organisation.is_active:
        raise ValidationError({"to_organisation": _("This organisation is not active.")})
    referral = Referral(
        case=case,
        from_organisation_id=case.organisation_id,
        to_organisation=to_organisation,
        to_service=to_service,
        domain=domain,
        shared_fields=sorted(set(shared_fields)),
        message=message,
        sent_by=by,
    )
    save_validated(referral)
    _referral_event(referral, by, organisation=case.organisation)
    audit(
        by,
        "mosty.case.referral.sent",
        referral,
        details={"to": to_organisation.pk, "shared_fields": referral.shared_fields},
    )
    triggers.referral_sent(referral)
    return referral


def _referral_move(referral: Referral, status: str, by, action: str, **changes) -> Referral:
    require(by, action, referral)
    referral.status = status
    for name, value in changes.items():
        setattr(referral, name, value)
    referral.save(update_fields=["status", *changes, "updated_at"])
    comment = next(iter(changes.values()), "")
    org = referral.case.organisation if action == "referral.withdraw" else None
    _referral_event(referral, by, comment=comment, organisation=org)
    audit(by, f"mosty.case.referral.{status}", referral)
    triggers.referral_answered(referral)
    return referral


@transaction.atomic
def referral_accept(*, referral: Referral, by, comment: str = "") -> Referral:
    require(by, "referral.decide", referral)
    if _consent_active(referral.case.participant, "referral") is None:
        raise ValidationError(
            _("The participant has withdrawn their consent to referrals: it cannot be accepted."),
            code="consent_missing",
        )
    return _referral_move(
        referral, ReferralStatus.ACCEPTED, by, "referral.decide", decision_reason=comment
    )


@transaction.atomic
def referral_decline(*, referral: Referral, by, reason: str) -> Referral:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you decline the referral.")})
    return _referral_move(
        referral, ReferralStatus.DECLINED, by, "referral.decide", decision_reason=reason.strip()
    )


@transaction.atomic
def referral_complete(*, referral: Referral, by, outcome: str) -> Referral:
    if not outcome.strip():
        raise ValidationError({"outcome": _("Describe what was done.")})
    return _referral_move(
        referral, ReferralStatus.COMPLETED, by, "referral.complete", outcome=outcome.strip()
    )


@transaction.atomic
def referral_withdraw(*, referral: Referral, by, reason: str = "") -> Referral:
    return _referral_move(
        referral, ReferralStatus.WITHDRAWN, by, "referral.withdraw", decision_reason=reason
    )


@transaction.atomic
def referrals_withdraw_for_consent(*, consent, by) -> int:
    """Withdraw the participant's open referrals (sent, not yet answered) once their `consent`
    to referrals is withdrawn: the partner then neither accepts them nor sees what they share.
    Follows the withdrawal (people.signals), which the people service allowed already: staff
    who see the person record it (`consent.withdraw`), or the person withdraws it in the
    portal (`portal.consent.withdraw`), who may see neither the person's page nor every case's
    team (`referral.withdraw`). It asks no rule of its own: it does only what the missing
    consent demands, whoever withdrew it, and nothing while another consent to referrals is
    active. The number withdrawn."""
    participant = consent.participant
    if _consent_active(participant, "referral") is not None:
        return 0
    reason = _("The participant withdrew their consent to referrals.")
    withdrawn = 0
    for referral in (
        Referral.objects.select_for_update()
        .filter(case__participant=participant, status=ReferralStatus.SENT)
        .select_related("case__organisation")
        .order_by("pk")
    ):
        referral.status = ReferralStatus.WITHDRAWN
        referral.decision_reason = reason
        referral.save(update_fields=["status", "decision_reason", "updated_at"])
        _referral_event(referral, by, comment=reason, organisation=referral.case.organisation)
        audit(by, "mosty.case.referral.withdrawn", referral, details={"because": "consent"})
        withdrawn += 1
    return withdrawn


@transaction.atomic
def note_add(*, case: Case, body: str, by, visibility: str = NoteVisibility.TEAM) -> Note:
    require(by, "case.note_add", case)
    if not body.strip():
        raise ValidationError({"body": _("Write the note.")})
    note = Note(case=case, author=by, body=body.strip(), visibility=visibility)
    save_validated(note)
    case.save_changes(version=None, by=by)
    return note


@transaction.atomic
def support_log_add(
    *, case: Case, kind: str, minutes: int, happened_on: datetime.date, by, summary: str = ""
) -> SupportLog:
    require(by, "case.support_add", case)
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("The date cannot be in the future.")})
    log = SupportLog(
        case=case, kind=kind, minutes=minutes, happened_on=happened_on, summary=summary, by=by
    )
    save_validated(log)
    case.save_changes(version=None, by=by)
    return log
