"""Events and courses, their sessions, registrations (never over capacity) and attendance."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.core.crypto import EncryptedTextField
from mosty.core.models import (
    KeptFigures,
    OwnedRecord,
    PartLabelled,
    TranslatedRecord,
    TranslationBase,
    district_ref,
    one_per_language,
    optional_ref,
    owned_by,
    staff_ref,
    validate_language_code,
    validate_language_list,
)


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Intercultural workshop")
    COOKING = "cooking", _("Cooking together")
    CULTURAL = "cultural", _("Cultural event")
    FILM = "film", _("Film screening")
    SCHOOL_LESSON = "school_lesson", _("School lesson")
    STAFF_TRAINING = "staff_training", _("Training for institution staff")
    LANGUAGE_COURSE = "language_course", _("Language course")
    ACADEMY = "academy", _("Academy workshop")
    MENTORING_HOURS = "mentoring_hours", _("Mentoring hours")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    SELF_HELP = "self_help", _("Self-help group")


class Audience(models.TextChoices):
    NEWCOMERS = "newcomers", _("Newcomers")
    LOCAL = "local", _("Local community")
    STAFF = "staff", pgettext_lazy("audience", "Institution staff")
    MENTORS = "mentors", _("Mentors")


def validate_audience_list(value) -> None:
    if not isinstance(value, list) or any(v not in Audience.values for v in value):
        raise ValidationError(_("Choose audiences from the list."))


# What an organiser edits of an event: the form's fields and what the services write.
EVENT_FIELDS = [
    "kind",
    "source_language",
    "capacity",
    "registration_opens",
    "registration_closes",
    "audiences",
    "languages",
    "accessibility",
    "is_public",
]


class Event(OwnedRecord, TranslatedRecord):
    """One event or a course (several sessions), published by an organisation. Two organisers
    may edit it at once: the form carries the `version` it showed (`save_changes`). Its title
    and description are read from its translations (`TranslatedRecord`)."""

    organisation = owned_by("events", on_delete=models.CASCADE, verbose_name=_("organiser"))
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    # TranslatedRecord's field without its default: the organiser always says which it is.
    source_language = models.CharField(
        _("source language"), max_length=10, validators=[validate_language_code]
    )
    capacity = models.PositiveIntegerField(_("places"))
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    audiences = models.JSONField(
        _("audience"), default=list, blank=True, validators=[validate_audience_list]
    )
    languages = models.JSONField(
        _("languages of the event"), default=list, blank=True, validators=[validate_language_list]
    )
    accessibility = models.TextField(_("accessibility information"), blank=True)
    is_public = models.BooleanField(
        pgettext_lazy("event", "public"),
        default=True,
        help_text=_("Internal events are seen only by your organisation."),
    )
    # Denormalised from the sessions so calendars filter and sort without a join.
    starts_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    ends_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(
        pgettext_lazy("event", "cancelled"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["is_public", "starts_at"], name="event_public_starts")]

    def clean(self):
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes <= self.registration_opens
        ):
            raise ValidationError(
                {"registration_closes": _("Registration must close after it opens.")}
            )

    @property
    def description(self) -> str:
        return self.text("description")

    @property
    def remaining(self) -> int:
        """Free places; uses the `confirmed` annotation of the selectors when present."""
        confirmed = getattr(self, "confirmed", None)
        if confirmed is None:
            confirmed = self.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        return max(0, self.capacity - confirmed)

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.cancelled_at:
            return False
        if self.registration_opens and now < self.registration_opens:
            return False
        if self.registration_closes and now > self.registration_closes:
            return False
        return not (self.ends_at and now > self.ends_at)

    def dates_refresh(self) -> None:
        span = self.sessions.aggregate(first=models.Min("starts_at"), last=models.Max("ends_at"))
        self.starts_at, self.ends_at = span["first"], span["last"]
        self.save(update_fields=["starts_at", "ends_at"])


class EventTranslation(TranslationBase):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("event translation")
        verbose_name_plural = _("event translations")
        constraints = [one_per_language("event", "event_translation_unique")]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    district = district_ref("event_sessions")
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    # Stored so that reports sum hours in the database (ends - starts, in minutes).
    minutes = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        # The month calendar and the agenda select sessions by time.
        indexes = [models.Index(fields=["starts_at"], name="session_starts")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} · {self.starts_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.starts_at and self.ends_at:
            self.minutes = max(0, int((self.ends_at - self.starts_at).total_seconds() // 60))
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "minutes"}
        super().save(*args, **kwargs)

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})
        if not self.place and not self.online_url:
            raise ValidationError(_("Give a place or an online link."))

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(PartLabelled):
    """A person's place (or waiting-list position) at an event. Personal data: organiser only."""

    audit_whole = ("event", "event")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, db_index=True
    )
    user = optional_ref(settings.AUTH_USER_MODEL, _("account"), "event_registrations")
    registered_by = staff_ref()
    # Set when a caseworker registers a participant they support (their record in `people`).
    participant = optional_ref("people.Participant", _("participant"), "event_registrations")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=10, default="pl", validators=[validate_language_code]
    )
    audience = models.CharField(
        _("I take part as"), max_length=20, choices=Audience.choices, blank=True
    )
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    # Health data (GDPR art. 9): encrypted at rest.
    accessibility_needs = EncryptedTextField(_("accessibility needs"), blank=True)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["event", "status"], name="registration_event_status"),
            # A participant's GDPR export and erasure find their public sign-ups by e-mail
            # (ignoring case) or phone (`events.gdpr._theirs`).
            models.Index(
                Upper("email"),
                condition=models.Q(participant__isnull=True),
                name="registration_public_email",
            ),
            models.Index(
                fields=["phone"],
                condition=models.Q(participant__isnull=True),
                name="registration_public_phone",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(user__isnull=False) & ~models.Q(status="cancelled"),
                name="registration_user_once_per_event",
            ),
            models.CheckConstraint(
                # A participant's registration keeps no contact once they are anonymised.
                condition=~models.Q(email="")
                | ~models.Q(phone="")
                | models.Q(participant__isnull=False),
                name="registration_has_contact",
                violation_error_message=_("Give an e-mail address or a phone number."),
            ),
        ]

    def __str__(self) -> str:
        return f"registration #{self.pk}"


class Attendance(PartLabelled):
    audit_whole = ("registration", "registration")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.BooleanField(_("present"), default=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "registration"], name="attendance_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"attendance #{self.pk}"


class ReportFigure(KeptFigures):
    """The totals of the events report kept ahead (issue 15) for one set of organisations:
    a coordinator's (`key`: a hash of their sorted ids) or the whole installation's (`key`
    "all", what an administrator reports on), over the whole time as the page shows them by
    default. Counted by `tasks.report_figures_refresh` (nightly) so the page reads one row
    instead of counting every registration and attendance mark of hundreds of organisations
    (184,000 marks for the city office's coordinator in the large seed).

    Per set, not per organisation, because the institutions are counted distinct across the
    set. Only sets with `tasks.KEEP_FROM_EVENTS` events or more are kept: a smaller set is
    counted live in a few milliseconds. Numbers, audience codes only, never a person."""

    organisations = models.JSONField(default=list)
    # `figures`: `selectors.event_report` as it stood at `refreshed_at`.

    class Meta:
        verbose_name = _("kept events report figure")
        verbose_name_plural = _("kept events report figures")

    def __str__(self) -> str:
        return f"events report {self.key[:12]}"
