"""Writes: publishing events, registering (never over capacity), cancelling, attendance."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend

from mosty.access.audit import audit
from mosty.access.policy import require
from mosty.core.locking import retrying
from mosty.core.writes import create_fields, save_fields, save_validated
from mosty.events.models import (
    EVENT_FIELDS,
    Attendance,
    Event,
    EventTranslation,
    Registration,
    RegistrationStatus,
    Session,
)
from mosty.events.selectors import (  # noqa: F401 - views read completion_share here
    completed_registrations,
    completion_share,
)
from mosty.events.tasks import registration_mail

# The signed links are the views' and the mail task's too; they live in their own module.
from mosty.events.tokens import (  # noqa: F401
    cancel_token,
    feed_token,
    registration_from_token,
    user_from_feed_token,
)
from mosty.messaging import triggers
from mosty.people.search import phone_digits

SESSION_FIELDS = ["starts_at", "ends_at", "district", "place", "online_url"]
REGISTRATION_FIELDS = [
    "name",
    "email",
    "phone",
    "language",
    "audience",
    "institution",
    "accessibility_needs",
]


# --- events -------------------------------------------------------------------------------


def _translations_save(event: Event, translations: list[dict]) -> None:
    for item in translations:
        title = (item.get("title") or "").strip()
        language = item.get("language")
        if not title:
            EventTranslation.objects.filter(event=event, language=language).delete()
            continue
        found = EventTranslation.objects.filter(event=event, language=language).first()
        if found is None:
            found = EventTranslation(event=event, language=language)
        found.title = title
        found.description = item.get("description", "")
        found.status = item.get("status", "published")
        save_validated(found)
    if not event.translations.filter(language=event.source_language).exists():
        raise ValidationError(
            {"title": _("Give the title at least in the event's source language.")}
        )


def _sessions_save(event: Event, sessions: list[dict]) -> None:
    for item in sessions:
        session = item.get("instance") or Session(event=event)
        if item.get("delete"):
            if session.pk:
                session.delete()
            continue
        for field in SESSION_FIELDS:
            if field in item:
                setattr(session, field, item[field])
        session.event = event
        save_validated(session)
    if not event.sessions.exists():
        raise ValidationError(_("An event needs at least one session."))
    event.dates_refresh()


@transaction.atomic
def event_create(
    *, organisation, by, translations: list[dict], sessions: list[dict], **data
) -> Event:
    require(by, "event.change", Event(organisation=organisation))
    event = create_fields(
        Event(organisation=organisation, created_by=by, updated_by=by), EVENT_FIELDS, data
    )
    _translations_save(event, translations)
    _sessions_save(event, sessions)
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    by,
    version: int | None = None,
    translations: list[dict] | None = None,
    sessions: list[dict] | None = None,
    **data,
) -> Event:
    """Change an event. `version` is the one the editor's form showed: if another organiser
    saved since, `EditConflict` and nothing is written (translations and sessions included,
    so the version moves whenever any part of the event changes)."""
    require(by, "event.change", event)
    before = _when_and_where(event)
    save_fields(event, EVENT_FIELDS, data, version=version, by=by)
    if translations is not None:
        _translations_save(event, translations)
    if sessions is not None:
        _sessions_save(event, sessions)
    if "capacity" in data:
        _promote_waitlist(event)
    if not event.cancelled_at and _when_and_where(event) != before:
        triggers.event_changed(event, by=by)
    return event


def _when_and_where(event: Event) -> list[tuple]:
    """What registrants rely on: each session's times and place."""
    return list(
        event.sessions.order_by("pk").values_list(
            "starts_at", "ends_at", "district_id", "place", "online_url"
        )
    )


@transaction.atomic
def event_cancel(*, event: Event, by) -> Event:
    """Call the event off: nobody can register any more, its pages say it is cancelled, and
    every registrant hears it in their language through their channel."""
    require(by, "event.cancel", event)
    locked = _lock_event(event.pk)
    if locked.cancelled_at is not None:
        raise ValidationError(_("This event is already cancelled."))
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["cancelled_at"])
    event.cancelled_at = locked.cancelled_at
    triggers.event_cancelled(event, by=by)
    audit(by, "mosty.event.cancelled", event)
    return event


# --- registration -------------------------------------------------------------------------


def _lock_event(event_id: int) -> Event:
    """Take the event's row lock: PostgreSQL row lock; SQLite's IMMEDIATE BEGIN already holds
    the database write lock, so count-then-insert below is serialised on both."""
    return Event.objects.select_for_update().get(pk=event_id)


def confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _refuse_second_registration(event: Event, registration: Registration, *, by) -> None:
    """Refuse a second place for one person at `event` (confirmed or waiting, not cancelled):
    the same account; the same participant record a caseworker links; without either, the
    same e-mail address (ignoring case) or phone number when staff register someone. The
    error stands beside the field that matched. Called under the event's lock."""
    active = event.registrations.exclude(status=RegistrationStatus.CANCELLED)
    if registration.user_id is not None:
        if active.filter(user_id=registration.user_id).exists():
            raise ValidationError(_("You are already registered for this event."))
        return
    staff = by is not None and getattr(by, "is_authenticated", False)
    said = _("This person is already registered for this event.")
    if registration.participant_id is not None:
        if active.filter(participant_id=registration.participant_id).exists():
            raise ValidationError({"participant_code": said})
        return
    if not staff:
        # A visitor is never told that an address is registered: anyone could type a
        # neighbour's e-mail and learn that they signed up for a support group. Their second
        # registration is not refused but taken as the first (`_visitor_repeat`).
        return
    email = (registration.email or "").strip()
    if email and active.filter(email__iexact=email).exists():
        raise ValidationError({"email": said})
    phone = phone_digits(registration.phone or "")
    if phone and any(
        phone_digits(other) == phone
        for other in active.exclude(phone="").values_list("phone", flat=True)
    ):
        raise ValidationError({"phone": said})


def _visitor_repeat(event: Event, registration: Registration, *, by) -> Registration | None:
    """A visitor's active registration at `event` with the e-mail address of `registration`
    (ignoring case), if there is one: the visitor registering again takes no second place.
    Called under the event's lock."""
    if by is not None and getattr(by, "is_authenticated", False):
        return None
    if registration.user_id is not None or registration.participant_id is not None:
        return None
    email = (registration.email or "").strip()
    if not email:
        return None
    active = event.registrations.exclude(status=RegistrationStatus.CANCELLED)
    return active.filter(email__iexact=email).order_by("pk").first()


def registration_create(
    *,
    event: Event,
    by=None,
    user=None,
    participant=None,
    consent: bool,
    now=None,
    base_url: str = "",
    **data,
) -> Registration:
    """Register someone: confirmed while places remain, else waitlisted.

    `by` is the logged-in user doing it (None for a visitor); `user` the account registered
    (themself, usually). Safe under concurrent sign-ups on SQLite and PostgreSQL.

    A visitor whose e-mail address already holds a place (or a waiting one) at the event gets
    no second one and is not told so: the existing registration is returned unchanged and
    its address is told by mail that it is already registered. The caller shows the visitor
    what it shows after a new registration with an address, never the registration itself.
    """
    now = now or timezone.now()
    # A visitor (by None) may register for what the policy shows them: public events only.
    require(by or AnonymousUser(), "event.register", event)
    if by is not None and getattr(by, "is_authenticated", False) and user is None:
        require(by, "event.register_person", event)
    if participant is not None:
        if by is None:
            raise PermissionDenied("participant.view")
        require(by, "participant.view", participant)
    if not consent:
        raise ValidationError({"consent": _("We need your consent to store your registration.")})
    if not event.registration_is_open(now):
        raise ValidationError(_("Registration for this event is closed."))
    registration = Registration(event=event, user=user, participant=participant, consent_at=now)
    if by is not None and getattr(by, "is_authenticated", False):
        registration.registered_by = by
    for field in REGISTRATION_FIELDS:
        if field in data and data[field] is not None:
            setattr(registration, field, data[field])
    if user is not None:
        registration.name = registration.name or user.get_full_name() or user.email
        registration.email = registration.email or user.email
        if "language" not in data:
            registration.language = user.language
    registration.status = RegistrationStatus.CONFIRMED
    registration.full_clean(exclude=["event", "status"])

    def attempt() -> Registration:
        locked = _lock_event(event.pk)
        _refuse_second_registration(locked, registration, by=by)
        existing = _visitor_repeat(locked, registration, by=by)
        if existing is not None:
            audit(by, "mosty.event.registration.repeated", existing)
            transaction.on_commit(
                lambda: registration_mail.enqueue(
                    registration_id=existing.pk, kind="already", base_url=base_url
                )
            )
            return existing
        full = confirmed_count(locked) >= locked.capacity
        registration.pk = None
        registration.status = (
            RegistrationStatus.WAITLISTED if full else RegistrationStatus.CONFIRMED
        )
        try:
            registration.save(force_insert=True)
        except IntegrityError:
            raise ValidationError(_("You are already registered for this event."))
        audit(by, f"mosty.event.registration.{registration.status}", registration)
        transaction.on_commit(lambda: _notify(registration, "confirmation", base_url))
        return registration

    return retrying(attempt)


def _promote_waitlist(event: Event, base_url: str = "") -> list[Registration]:
    """Fill free places from the waiting list, first come first served. Caller holds the lock."""
    free = event.capacity - confirmed_count(event)
    if free <= 0:
        return []
    promoted = list(
        event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
            "created_at", "pk"
        )[:free]
    )
    now = timezone.now()
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        audit(None, "mosty.event.registration.promoted", registration)
        transaction.on_commit(lambda r=registration: _notify(r, "promoted", base_url))
    return promoted


def registration_cancel(
    *, registration: Registration, by=None, base_url: str = ""
) -> list[Registration]:
    """Cancel; the first on the waiting list takes the freed place. Returns those promoted.

    `by` None means the registrant cancelled through the signed link in their mail.
    """
    if by is not None:
        require(by, "registration.cancel", registration)

    def attempt() -> list[Registration]:
        event = _lock_event(registration.event_id)
        current = Registration.objects.get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED:
            return []
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        registration.status, registration.cancelled_at = current.status, current.cancelled_at
        audit(by, "mosty.event.registration.cancelled", current)
        return _promote_waitlist(event, base_url)

    return retrying(attempt)


@transaction.atomic
def calendar_feed_reset(*, user, by) -> str:
    """A new calendar-feed link for `user`; every earlier one stops working."""
    from mosty.accounts.models import User

    require(by, "calendar_feed.reset", user)
    User.objects.filter(pk=user.pk).update(calendar_key=F("calendar_key") + 1)
    user.refresh_from_db(fields=["calendar_key"])
    audit(by, "mosty.event.calendar_feed.reset", user)
    return feed_token(user)


def _notify(registration: Registration, kind: str, base_url: str = "") -> None:
    """Tell the registrant by mail, or through their record's channel (`registration_mail`);
    a visitor who gave only a phone number reads how it stands on their registration's page."""
    if not registration.email and registration.participant_id is None:
        return
    registration_mail.enqueue(registration_id=registration.pk, kind=kind, base_url=base_url)
    if registration.status == RegistrationStatus.CONFIRMED:
        reminder_schedule(registration, base_url)


def reminder_schedule(registration: Registration, base_url: str = "") -> None:
    """Remind a day before the next session (deferred task; skipped by backends without defer)."""
    upcoming = registration.event.sessions.filter(starts_at__gt=timezone.now()).first()
    if upcoming is None or not default_task_backend.supports_defer:
        return
    run_after = max(timezone.now(), upcoming.starts_at - timedelta(hours=24))
    registration_mail.using(run_after=run_after).enqueue(
        registration_id=registration.pk, kind="reminder", base_url=base_url
    )


# --- attendance ---------------------------------------------------------------------------


def attendance_set(
    *, session: Session, registration: Registration, present: bool, by
) -> Attendance:
    require(by, "event.take_attendance", session.event)
    if registration.event_id != session.event_id:
        raise ValidationError(_("This person is not registered for this event."))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Only confirmed registrations can be marked present."))
    with transaction.atomic():
        record, created = Attendance.objects.get_or_create(
            session=session, registration=registration, defaults={"present": present}
        )
        if not created and record.present != present:
            record.present = present
            record.save(update_fields=["present", "recorded_at"])
    return record


@transaction.atomic
def attendance_save(*, session: Session, present_ids: set[int], by) -> int:
    """Record the whole tick list of a session at once (the no-JavaScript form)."""
    require(by, "event.take_attendance", session.event)
    registrations = list(
        session.event.registrations.filter(status=RegistrationStatus.CONFIRMED).only("pk")
    )
    existing = {a.registration_id: a for a in session.attendance.all()}
    changed = 0
    for registration in registrations:
        present = registration.pk in present_ids
        record = existing.get(registration.pk)
        if record is None:
            if present:
                Attendance.objects.create(session=session, registration=registration, present=True)
                changed += 1
        elif record.present != present:
            record.present = present
            record.save(update_fields=["present", "recorded_at"])
            changed += 1
    return changed


@transaction.atomic
def certificates_send(*, event: Event, by, base_url: str = "") -> int:
    """Send every registrant who completed `event` the link to their certificate, by mail or
    through their record's channel; returns how many go out (the others' certificates are
    downloaded from the list)."""
    require(by, "event.send_certificates", event)
    ids = [r.pk for r in completed_registrations(event=event) if r.email or r.participant_id]
    audit(by, "mosty.event.certificates.sent", event, details={"count": len(ids)})

    def enqueue():
        for pk in ids:
            registration_mail.enqueue(registration_id=pk, kind="certificate", base_url=base_url)

    transaction.on_commit(enqueue)
    return len(ids)
