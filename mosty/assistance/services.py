"""Writes: assistants' profiles and availability, requests, offers, accepting (never two
overlapping assignments for one assistant, also under concurrent accepts), logs, feedback."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mosty.access.audit import audit
from mosty.access.domains.assistance import assistant_organisations, request_organisations
from mosty.access.policy import require
from mosty.assistance.models import (
    Assignment,
    AssignmentLog,
    AssignmentStatus,
    AssistanceRequest,
    AssistantLanguage,
    AssistantProfile,
    AvailabilityException,
    AvailabilitySlot,
    CancelReason,
    Feedback,
    ReleaseReason,
    RequestStatus,
    latest_start_date,
    too_far_ahead,
)
from mosty.assistance.tasks import assistance_mail
from mosty.core.locking import retrying
from mosty.core.writes import save_validated
from mosty.directory.models import Linguist

REQUEST_FIELDS = [
    "language",
    "language_with",
    "mode",
    "duration_minutes",
    "district",
    "place",
    "link",
    "topic",
    "description",
    "urgency",
    "people_needed",
]
# A weekly series never runs longer than this (a school year).
MAX_REPEATS = 45


def _mail(kind: str, base_url: str, **ids: int) -> None:
    transaction.on_commit(lambda: assistance_mail.enqueue(kind=kind, base_url=base_url, **ids))


# --- the assistant's profile and availability ---------------------------------------------


@transaction.atomic
def profile_save(
    *,
    by: Any,
    modes: list[str],
    districts: Iterable[Any],
    is_sworn: bool,
    is_active: bool,
    languages: list[tuple[str, str]],
    version: int | None = None,
) -> AssistantProfile:
    """Create or change the user's own profile (in the first organisation where they are an
    assistant); `languages` is [(code, level)], replacing what was there."""
    require(by, "assistance.profile")
    profile = AssistantProfile.objects.filter(user=by).first()
    if profile is None:
        organisation = assistant_organisations(by).first()
        if organisation is None:
            raise ValidationError(_("You are not an assistant in any organisation."))
        profile = AssistantProfile(user=by, organisation=organisation, created_by=by)
    require(by, "assistance.profile_change", profile)
    if not languages:
        raise ValidationError({"languages": _("Give at least one language.")})
    codes = [code for code, _level in languages]
    if len(set(codes)) != len(codes):
        raise ValidationError({"languages": _("Give each language once.")})
    profile.modes, profile.is_sworn, profile.is_active = list(modes), is_sworn, is_active
    profile.full_clean(exclude=["user", "linguist"])
    if profile.pk is None:
        # An interpreter already in the directory's linguist base (an entry on their account)
        # is the same person: the profile points at the entry.
        profile.linguist = Linguist.objects.filter(user=by, is_active=True).order_by("pk").first()
        profile.updated_by = by
        profile.save()
    else:
        profile.save_changes(
            version=version, by=by, modes=profile.modes, is_sworn=is_sworn, is_active=is_active
        )
    profile.districts.set(list(districts))
    profile.languages.all().delete()
    for code, level in languages:
        item = AssistantLanguage(profile=profile, code=code, level=level)
        item.full_clean(exclude=["profile"])
        item.save()
    return profile


def _own_profile(by: Any) -> AssistantProfile:
    profile = AssistantProfile.objects.filter(user=by).first()
    if profile is None:
        raise ValidationError(_("Fill in your profile first."))
    require(by, "assistance.profile_change", profile)
    return profile


@transaction.atomic
def slot_add(
    *, by: Any, weekday: int, starts: datetime.time, ends: datetime.time
) -> AvailabilitySlot:
    profile = _own_profile(by)
    slot = AvailabilitySlot(profile=profile, weekday=weekday, starts=starts, ends=ends)
    slot.full_clean()
    if profile.slots.filter(weekday=weekday, starts__lt=ends, ends__gt=starts).exists():
        raise ValidationError({"starts": _("This overlaps a time you already gave.")})
    slot.save()
    return slot


@transaction.atomic
def exception_add(
    *, by: Any, date_from: datetime.date, date_to: datetime.date, kind: str
) -> AvailabilityException:
    profile = _own_profile(by)
    if date_to < timezone.localdate():
        # Days gone by change no proposal, and the page lists only days still to come: the
        # assistant would see them "marked" and then nowhere.
        raise ValidationError({"date_to": _("The date cannot be in the past.")})
    item = AvailabilityException(profile=profile, date_from=date_from, date_to=date_to, kind=kind)
    return save_validated(item)


@transaction.atomic
def availability_remove(*, item: AvailabilitySlot | AvailabilityException, by: Any) -> None:
    """Remove one of an assistant's weekly times or days off (`own_availability_get`)."""
    require(by, "assistance.profile_change", item.profile)
    item.delete()


# --- requests -----------------------------------------------------------------------------


@transaction.atomic
def request_create(
    *,
    organisation: Any,
    provider: Any,
    starts_at: datetime.datetime,
    by: Any,
    repeat_until: datetime.date | None = None,
    base_url: str = "",
    **data: Any,
) -> list[AssistanceRequest]:
    """A request (and, with `repeat_until`, the same request every week until that day).
    Returns the requests made, the first one first."""
    require(by, "assistance.request_create")
    probe = AssistanceRequest(organisation=organisation, provider=provider)
    if organisation is None or not _may_request_for(by, organisation):
        raise ValidationError({"organisation": _("You cannot request help for this institution.")})
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a time in the future.")})
    if timezone.localtime(starts_at).date() > latest_start_date():
        raise ValidationError({"starts_at": too_far_ahead()})
    starts = [starts_at]
    if repeat_until is not None:
        if repeat_until < timezone.localtime(starts_at).date():
            raise ValidationError({"repeat_until": _("The last day cannot be before the first.")})
        moment = starts_at
        while True:
            local = timezone.localtime(moment) + datetime.timedelta(days=7)
            # Same wall-clock time every week, across a change of summer time.
            moment = timezone.make_aware(local.replace(tzinfo=None))
            if timezone.localtime(moment).date() > repeat_until:
                break
            starts.append(moment)
            if len(starts) > MAX_REPEATS:
                raise ValidationError(
                    {
                        "repeat_until": ngettext(
                            "A series can have at most %(count)s week.",
                            "A series can have at most %(count)s weeks.",
                            MAX_REPEATS,
                        )
                        % {"count": MAX_REPEATS}
                    }
                )
    made = []
    first = None
    for moment in starts:
        request = AssistanceRequest(
            organisation=probe.organisation,
            provider=probe.provider,
            starts_at=moment,
            series=first,
            created_by=by,
            updated_by=by,
        )
        for name in REQUEST_FIELDS:
            if name in data:
                setattr(request, name, data[name])
        request.schedule()
        save_validated(request)
        first = first or request
        made.append(request)
        audit(by, "mosty.assistance.request.made", request)
    _mail("request", base_url, request_id=made[0].pk)
    return made


def _may_request_for(by: Any, organisation: Any) -> bool:
    return request_organisations(by).filter(pk=organisation.pk).exists()


@transaction.atomic
def request_cancel(
    *, request: AssistanceRequest, by: Any, reason: str = "", base_url: str = ""
) -> None:
    """Cancel a request before it starts, saying why (`CancelReason`); the assistants offered
    it or holding it are told, and so is the person who made it when someone else cancels it
    (the pool's coordinator). After the start it stays as it is, so that the assistant holding
    it can log the hours."""
    require(by, "assistance.request_cancel", request)
    if request.has_started:
        raise ValidationError(
            _("This request has already started, so it can no longer be cancelled.")
        )
    if reason and reason not in CancelReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    now = timezone.now()
    request.save_changes(
        version=None,
        by=by,
        status=RequestStatus.CANCELLED,
        cancelled_at=now,
        cancelled_by=by,
        cancel_reason=reason,
    )
    told = list(
        request.assignments.filter(
            status__in=(AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED)
        ).values_list("pk", flat=True)
    )
    Assignment.objects.filter(pk__in=told).update(status=AssignmentStatus.CANCELLED)
    audit(by, "mosty.assistance.request.cancelled", request)
    for pk in told:
        _mail("cancelled", base_url, assignment_id=pk)
    if request.created_by_id is not None and request.created_by_id != by.pk:
        _mail("withdrawn", base_url, request_id=request.pk)


# --- offers and accepting -----------------------------------------------------------------


@transaction.atomic
def assignment_offer(
    *, request: AssistanceRequest, assistants: list[AssistantProfile], by: Any, base_url: str = ""
) -> list[Assignment]:
    """Offer the request to one or several assistants of its pool (each mailed)."""
    require(by, "assistance.assign", request)
    if not assistants:
        raise ValidationError(_("Choose at least one assistant."))
    made = []
    for profile in assistants:
        if profile.organisation_id != request.provider_id or not profile.is_active:
            raise ValidationError(_("This assistant is not in the pool of this request."))
        assignment = Assignment(
            request=request,
            assistant=profile,
            offered_by=by,
            starts_at=request.starts_at,
            ends_at=request.ends_at,
        )
        try:
            with transaction.atomic():
                assignment.save()
        except IntegrityError:
            continue  # offered before: nothing new to send
        audit(by, "mosty.assistance.assignment.offered", assignment)
        _mail("offer", base_url, assignment_id=assignment.pk)
        made.append(assignment)
    return made


def _overlapping(profile_id: int, assignment: Assignment) -> bool:
    return (
        Assignment.objects.filter(
            assistant_id=profile_id,
            status=AssignmentStatus.ACCEPTED,
            starts_at__lt=assignment.ends_at,
            ends_at__gt=assignment.starts_at,
        )
        .exclude(pk=assignment.pk)
        .exists()
    )


def assignment_accept(*, assignment: Assignment, by: Any, base_url: str = "") -> Assignment:
    """Accept an offer. The assistant's row is locked (`select_for_update`) and the overlap
    checked again under the lock, so two accepts at the same moment can never both give the
    same person two overlapping assignments (SQLite and PostgreSQL alike)."""
    require(by, "assignment.respond", assignment)

    def attempt() -> Assignment:
        AssistantProfile.objects.select_for_update().get(pk=assignment.assistant_id)
        current = Assignment.objects.select_related("request").get(pk=assignment.pk)
        request = AssistanceRequest.objects.select_for_update().get(pk=current.request_id)
        if current.status != AssignmentStatus.OFFERED:
            raise ValidationError(_("This offer is no longer open."))
        if request.status != RequestStatus.OPEN:
            raise ValidationError(_("Someone else has already taken this request."))
        if _overlapping(current.assistant_id, current):
            raise ValidationError(
                _("You already have an assignment at this time: you cannot take both.")
            )
        now = timezone.now()
        current.status, current.responded_at = AssignmentStatus.ACCEPTED, now
        current.save(update_fields=["status", "responded_at", "updated_at"])
        held = request.assignments.filter(status=AssignmentStatus.ACCEPTED).count()
        changes: dict[str, Any] = {}
        if request.answered_at is None:
            changes["answered_at"] = now
        if held >= request.people_needed:
            changes["status"] = RequestStatus.COVERED
            # The other offers are no longer needed.
            request.assignments.filter(status=AssignmentStatus.OFFERED).update(
                status=AssignmentStatus.CANCELLED
            )
        if changes:
            request.save_changes(version=None, **changes)
        audit(by, "mosty.assistance.assignment.accepted", current)
        _mail("accepted", base_url, assignment_id=current.pk)
        assignment.status, assignment.responded_at = current.status, now
        return current

    return retrying(attempt)


@transaction.atomic
def assignment_decline(*, assignment: Assignment, by: Any) -> Assignment:
    """Decline an offer; the coordinator sees the next proposal for the request."""
    require(by, "assignment.respond", assignment)
    current = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if current.status != AssignmentStatus.OFFERED:
        raise ValidationError(_("This offer is no longer open."))
    assignment.status, assignment.responded_at = AssignmentStatus.DECLINED, timezone.now()
    assignment.save(update_fields=["status", "responded_at", "updated_at"])
    audit(by, "mosty.assistance.assignment.declined", assignment)
    return assignment


def assignment_release(
    *, assignment: Assignment, by: Any, reason: str, base_url: str = ""
) -> Assignment:
    """The assistant gives back an assignment they accepted, before it starts, saying why
    (`ReleaseReason`). The request is open again: the offers set aside when it was covered
    are open again too (those assistants were never told they lapsed), and nobody counts as
    having answered it while nobody holds it. The person who made it and the pool's
    coordinators are told. After the start it stays, so that its hours are logged."""
    require(by, "assignment.release", assignment)
    if reason not in ReleaseReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})

    def attempt() -> Assignment:
        # The same order of locks as `assignment_accept`: the assistant, then the request.
        AssistantProfile.objects.select_for_update().get(pk=assignment.assistant_id)
        current = Assignment.objects.get(pk=assignment.pk)
        request = AssistanceRequest.objects.select_for_update().get(pk=current.request_id)
        if current.status != AssignmentStatus.ACCEPTED:
            raise ValidationError(_("You no longer hold this assignment."))
        if current.has_started:
            raise ValidationError(
                _("This assignment has already started, so it can no longer be given back.")
            )
        now = timezone.now()
        current.status, current.released_at = AssignmentStatus.RELEASED, now
        current.release_reason = reason
        current.save(update_fields=["status", "released_at", "release_reason", "updated_at"])
        changes: dict[str, Any] = {}
        if request.status == RequestStatus.COVERED:
            changes["status"] = RequestStatus.OPEN
            request.assignments.filter(status=AssignmentStatus.CANCELLED).update(
                status=AssignmentStatus.OFFERED
            )
        if not request.assignments.filter(status=AssignmentStatus.ACCEPTED).exists():
            changes["answered_at"] = None
        if changes:
            request.save_changes(version=None, **changes)
        audit(by, "mosty.assistance.assignment.released", current, details={"reason": reason})
        _mail("released", base_url, assignment_id=current.pk)
        assignment.status, assignment.released_at = current.status, now
        assignment.release_reason = reason
        return current

    return retrying(attempt)


# --- after the work -----------------------------------------------------------------------


@transaction.atomic
def assignment_log(
    *, assignment: Assignment, by: Any, minutes: int, travel_minutes: int, outcome: str
) -> AssignmentLog:
    """Record what happened (once the assignment has started); the request is done when
    every assistant holding it has logged."""
    require(by, "assignment.log", assignment)
    if assignment.starts_at > timezone.now():
        raise ValidationError(_("You can log an assignment once it has started."))
    log = AssignmentLog.objects.filter(assignment=assignment).first() or AssignmentLog(
        assignment=assignment
    )
    log.minutes, log.travel_minutes, log.outcome = minutes, travel_minutes, outcome
    save_validated(log)
    if assignment.status != AssignmentStatus.DONE:
        assignment.status = AssignmentStatus.DONE
        assignment.save(update_fields=["status", "updated_at"])
    request = assignment.request
    if (
        request.status == RequestStatus.COVERED
        and not request.assignments.filter(status=AssignmentStatus.ACCEPTED).exists()
    ):
        request.save_changes(version=None, status=RequestStatus.DONE)
    audit(by, "mosty.assistance.assignment.logged", assignment)
    return log


@transaction.atomic
def feedback_give(
    *, request: AssistanceRequest, by: Any, rating: int, comment: str = ""
) -> Feedback:
    require(by, "assistance.feedback", request)
    feedback = Feedback.objects.filter(request=request).first() or Feedback(request=request)
    feedback.rating, feedback.comment, feedback.given_by = rating, comment, by
    feedback.full_clean(exclude=["given_by"])
    feedback.save()
    return feedback
