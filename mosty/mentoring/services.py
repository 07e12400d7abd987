"""Writes of the mentoring module: applications, vetting, matches, meetings, check-ins."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mosty.access.audit import audit
from mosty.access.domains.mentoring import matching_scope
from mosty.access.policy import require
from mosty.accounts.models import Membership, Role, User
from mosty.core.models import edit_conflict
from mosty.core.writes import save_changes, save_fields, save_validated
from mosty.mentoring import engine_data, runs
from mosty.mentoring.matching import pair_check
from mosty.mentoring.models import (
    OPEN_MATCH_STATUSES,
    VETTING_NEXT,
    CheckIn,
    Match,
    MatchingRun,
    MatchStatus,
    Meeting,
    Mentor,
    MentoringProfile,
    RunStatus,
    VettingStatus,
    VettingStep,
    matching_scope_key,
)
from mosty.messaging import triggers

APPLICATION_FIELDS = [
    "kind",
    "name",
    "email",
    "phone",
    "language",
    "gender",
    "languages",
    "district",
    "interests",
    "availability",
    "capacity",
    "women_only",
    "families_welcome",
    "no_minors",
    "motivation",
]


def mentor_email_taken(email: str) -> bool:
    """An application by this e-mail that is not rejected already exists."""
    return (
        Mentor.objects.filter(email__iexact=(email or "").strip())
        .exclude(status=VettingStatus.REJECTED)
        .exists()
    )


@transaction.atomic
def mentor_apply(*, organisation, consent: bool, by=None, **data) -> Mentor:
    """A public application (no login). Duplicate e-mails are refused with a field error."""
    require(by or AnonymousUser(), "mentor.apply", organisation)
    if not consent:
        raise ValidationError(
            {"consent": _("Please agree to the processing of your data to apply.")}
        )
    if mentor_email_taken(data.get("email", "")):
        raise ValidationError(
            {
                "email": _(
                    "We already have an application with this e-mail address. The coordinator "
                    "will contact you; there is no need to apply again."
                )
            }
        )
    mentor = Mentor(
        organisation=organisation,
        consent_at=timezone.now(),
        **{k: v for k, v in data.items() if k in APPLICATION_FIELDS},
    )
    save_validated(mentor)
    VettingStep.objects.create(mentor=mentor, step=VettingStatus.APPLIED)
    return mentor


def _mentor_account(mentor: Mentor) -> User:
    user = mentor.user or User.objects.filter(email__iexact=mentor.email).first()
    if user is None:
        user = User(email=mentor.email, first_name=mentor.name[:150], language=mentor.language)
        user.set_unusable_password()
        save_validated(user)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=mentor.organisation, role=Role.MENTOR
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    return user


@transaction.atomic
def mentor_vet(*, mentor: Mentor, step: str, by, note: str = "", login_url: str = "") -> Mentor:
    """Move an application one step on; who and when are recorded. Approval creates the
    mentor's account; approval and rejection mail the applicant in their language."""
    require(by, "mentor.vet", mentor)
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    current = VettingStatus(mentor.status)
    if step == VettingStatus.REJECTED:
        if current in (VettingStatus.REJECTED, VettingStatus.APPROVED):
            raise ValidationError({"step": _("This application is already decided.")})
        if not note.strip():
            raise ValidationError({"note": _("Give the reason for the rejection.")})
    elif step not in VETTING_NEXT[current] or (
        step == VettingStatus.CERTIFICATE_CHECKED and mentor.certificate_checked_at
    ):
        raise ValidationError(
            {"step": _("This step cannot follow “%(status)s”.") % {"status": current.label}}
        )
    changes: dict = {}
    if step == VettingStatus.CERTIFICATE_CHECKED:
        changes["certificate_checked_at"] = timezone.now()
    # Recording the certificate after approval keeps the mentor approved.
    if not (step == VettingStatus.CERTIFICATE_CHECKED and current == VettingStatus.APPROVED):
        changes["status"] = step
    if step == VettingStatus.REJECTED:
        changes["rejection_reason"] = note.strip()
    if step == VettingStatus.APPROVED:
        changes["user"] = _mentor_account(mentor)
    # The row is locked above: no conflict to check, but the version and `updated_by` move.
    mentor.save_changes(version=None, by=by, **changes)
    VettingStep.objects.create(mentor=mentor, step=step, note=note.strip(), decided_by=by)
    if step in (VettingStatus.APPROVED, VettingStatus.REJECTED):
        from mosty.mentoring.tasks import mentor_decision_notify

        pk = mentor.pk
        transaction.on_commit(lambda: mentor_decision_notify.enqueue(pk, login_url))
    return mentor


def _open_count(mentor: Mentor, *, exclude: list[int] | None = None) -> int:
    qs = Match.objects.filter(mentor=mentor, status__in=OPEN_MATCH_STATUSES)
    if exclude:
        qs = qs.exclude(pk__in=exclude)
    return qs.count()


@transaction.atomic
def mentor_update_own(*, mentor: Mentor, by, availability: list, capacity: int) -> Mentor:
    require(by, "mentor.update_own", mentor)
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    held = _open_count(mentor)
    if capacity < held:
        raise ValidationError(
            {
                "capacity": ngettext(
                    "You already support %(count)d person; end a match before lowering this.",
                    "You already support %(count)d people; end a match before lowering this.",
                    held,
                )
                % {"count": held}
            }
        )
    mentor.availability, mentor.capacity = availability, capacity
    mentor.full_clean()
    mentor.save_changes(version=None, by=by, availability=availability, capacity=capacity)
    return mentor


@transaction.atomic
def profile_update(*, participant, by, **data) -> MentoringProfile:
    require(by, "matching.run")
    profile, _created = MentoringProfile.objects.get_or_create(participant=participant)
    fields = [
        f
        for f in ("interests", "availability", "mentor_gender", "mentor_kinds", "with_children")
        if f in data
    ]
    for f in fields:
        setattr(profile, f, data[f])
    profile.full_clean()
    profile.save(update_fields=[*fields, "updated_at"])
    return profile


def _check_pair(participant, mentor: Mentor, *, exclude: list[int] | None = None):
    """Hard constraints for one pair with the mentor's places as they are now."""
    from mosty.people.services import consent_require

    consent_require(participant, "mentoring")
    if mentor.status != VettingStatus.APPROVED:
        raise ValidationError({"mentor": _("Only approved mentors can be matched.")})
    if mentor.organisation_id != participant.owner_id:
        raise ValidationError({"mentor": _("The mentor works with another organisation.")})
    free = mentor.capacity - _open_count(mentor, exclude=exclude)
    p_data = engine_data.participant_data(participant)
    m_data = engine_data.mentor_data(mentor, free=free)
    errors, score, parts = pair_check(
        p_data, m_data, centroids=engine_data.centroids(), weights=engine_data.weights()
    )
    if errors:
        raise ValidationError({"mentor": errors})
    return score, parts


@transaction.atomic
def match_propose(*, participant, mentor: Mentor, by, by_hand: bool = False) -> Match:
    """Propose a pair to the mentor after checking every hard constraint again."""
    require(by, "matching.run")
    require(by, "mentor.vet", mentor)
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    if Match.objects.filter(participant=participant, status__in=OPEN_MATCH_STATUSES).exists():
        raise ValidationError({"participant": _("This person already has a mentor.")})
    score, parts = _check_pair(participant, mentor)
    match = Match(
        organisation_id=mentor.organisation_id,
        mentor=mentor,
        participant=participant,
        score=score,
        explanation=parts,
        by_hand=by_hand,
        proposed_by=by,
    )
    save_validated(match)
    audit(by, "mosty.mentoring.match.proposed", match)
    triggers.match_proposed(match)
    return match


@transaction.atomic
def match_propose_many(*, pairs: list[tuple], by) -> list[Match]:
    """Accept several of the engine's proposals at once: all or none."""
    return [match_propose(participant=p, mentor=m, by=by) for p, m in pairs]


@transaction.atomic
def match_reject_proposal(*, participant, mentor: Mentor, by) -> Match:
    """The coordinator turns down a suggestion: the engine will not suggest the pair again."""
    require(by, "matching.run")
    require(by, "mentor.vet", mentor)
    match = Match.objects.create(
        organisation_id=mentor.organisation_id,
        mentor=mentor,
        participant=participant,
        status=MatchStatus.DECLINED,
        proposed_by=by,
        responded_at=timezone.now(),
    )
    return match


@transaction.atomic
def match_swap(*, first: Match, second: Match, by) -> tuple[Match, Match]:
    """Exchange the mentors of two proposals not yet answered."""
    for match in (first, second):
        require(by, "match.manage", match)
        if match.status != MatchStatus.PROPOSED:
            raise ValidationError(_("Only proposals the mentors have not answered can be swapped."))
    if first.pk == second.pk or first.mentor_id == second.mentor_id:
        raise ValidationError(_("Choose two proposals with different mentors."))
    mentors = {
        m.pk: m
        for m in Mentor.objects.select_for_update().filter(
            pk__in=[first.mentor_id, second.mentor_id]
        )
    }
    ids = [first.pk, second.pk]
    score_a, parts_a = _check_pair(first.participant, mentors[second.mentor_id], exclude=ids)
    score_b, parts_b = _check_pair(second.participant, mentors[first.mentor_id], exclude=ids)
    first_mentor, second_mentor = mentors[second.mentor_id], mentors[first.mentor_id]
    first.save_changes(version=None, mentor=first_mentor, score=score_a, explanation=parts_a)
    second.save_changes(version=None, mentor=second_mentor, score=score_b, explanation=parts_b)
    audit(by, "mosty.mentoring.match.swapped", first, details={"with": second.pk})
    return first, second


@transaction.atomic
def match_respond(*, match: Match, by, accept: bool) -> Match:
    require(by, "match.respond", match)
    match.save_changes(
        version=None,
        status=MatchStatus.ACCEPTED if accept else MatchStatus.DECLINED,
        responded_at=timezone.now(),
    )
    return match


@transaction.atomic
def match_activate(*, match: Match, by, started_on: dt.date | None = None) -> Match:
    require(by, "match.activate", match)
    match.save_changes(
        version=None, status=MatchStatus.ACTIVE, started_on=started_on or timezone.localdate()
    )
    triggers.match_activated(match)
    return match


@transaction.atomic
def match_end(
    *,
    match: Match,
    by,
    reason: str,
    feedback: str = "",
    participant_feedback: str = "",
    version: int | None = None,
):
    """End a match. The mentor gives their feedback; a coordinator may also record the
    participant's. `version` is the one the form showed: when the other side changed the
    match since (ended it too), `EditConflict` and nothing is written."""
    require(by, "match.end", match)
    from mosty.access.policy import can

    changes = {
        "status": MatchStatus.ENDED,
        "end_reason": reason,
        "ended_at": timezone.now(),
        "ended_by": by,
    }
    if feedback or match.mentor.user_id == by.pk:
        changes["mentor_feedback"] = feedback
    if participant_feedback and can(by, "checkin.record", match):
        changes["participant_feedback"] = participant_feedback
    return save_changes(match, changes, version=version, by=by)


# What a meeting's form sets (logging it, or correcting it).
MEETING_FIELDS = ["date", "minutes", "activity", "note"]


def _meeting_date_check(match: Match, date) -> None:
    if match.started_on and date < match.started_on - dt.timedelta(days=31):
        raise ValidationError({"date": _("This date is long before the match started.")})


@transaction.atomic
def meeting_log(*, match: Match, by, date, minutes: int, activity: str, note: str = "") -> Meeting:
    require(by, "meeting.log", match)
    _meeting_date_check(match, date)
    meeting = Meeting(
        match=match, date=date, minutes=minutes, activity=activity, note=note, logged_by=by
    )
    save_validated(meeting)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, by, version: int | None = None, **data) -> Meeting:
    """Correct a logged meeting (`meeting.change`: the mentor who logged it, or a coordinator
    of the match's organisation, while the match runs). `version` is the one the form showed:
    when someone saved the meeting since, `EditConflict` and nothing is written."""
    require(by, "meeting.change", meeting)
    if data.get("date"):
        _meeting_date_check(meeting.match, data["date"])
    return save_fields(meeting, MEETING_FIELDS, data, version=version, by=by)


@transaction.atomic
def meeting_delete(*, meeting: Meeting, by, version: int | None = None) -> None:
    """Delete a meeting logged by mistake (`meeting.change`). `version` is the one the page
    showed: when someone changed the meeting since, `EditConflict` and nothing is deleted."""
    require(by, "meeting.change", meeting)
    current = Meeting.objects.select_for_update().filter(pk=meeting.pk)
    if version is not None:
        current = current.filter(version=version)
    found = current.first()
    if found is None:
        raise edit_conflict()
    found.delete()


@transaction.atomic
def checkin_record(
    *,
    match: Match,
    by,
    date,
    mentor_satisfaction: int,
    participant_satisfaction: int,
    note: str = "",
) -> CheckIn:
    require(by, "checkin.record", match)
    checkin = CheckIn(
        match=match,
        date=date,
        mentor_satisfaction=mentor_satisfaction,
        participant_satisfaction=participant_satisfaction,
        note=note,
        recorded_by=by,
    )
    save_validated(checkin)
    return checkin


def open_counts(mentor_ids) -> dict[int, int]:
    return dict(
        Match.objects.filter(mentor_id__in=mentor_ids)
        .values("mentor_id")
        .annotate(n=Count("pk", filter=Q(status__in=OPEN_MATCH_STATUSES)))
        .values_list("mentor_id", "n")
    )


@transaction.atomic
def matching_recompute(*, by) -> MatchingRun:
    """Queue a new computation of the proposals for the organisations `by` coordinates; a run
    already waiting or computing for them is returned instead of queuing a second one."""
    from mosty.mentoring.tasks import matching_run_compute

    require(by, "matching.run")
    scope = matching_scope(by)
    key = matching_scope_key(scope)
    pending = (
        MatchingRun.objects.select_for_update()
        .filter(scope=key, status__in=(RunStatus.QUEUED, RunStatus.RUNNING))
        .order_by("-pk")
        .first()
    )
    if pending is not None and not runs.is_stale(pending):
        return pending
    if pending is not None:  # its worker died: record that, then start again
        pending.status, pending.finished_at = RunStatus.FAILED, timezone.now()
        pending.save(update_fields=["status", "finished_at", "updated_at"])
    run = MatchingRun(
        organisation_id=scope[0],
        organisation_ids=scope,
        scope=key,
        created_by=by,
        updated_by=by,
    )
    save_validated(run)
    pk = run.pk
    transaction.on_commit(lambda: matching_run_compute.enqueue(pk))
    return run
