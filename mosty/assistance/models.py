"""Institution assistance: interpreters and immigrant assistants, their availability, the
requests institutions make, the assignments that answer them, what happened and feedback.

No model here points at a participant: a request describes a situation (a school meeting,
an office visit), never the person helped, and its description is checked for personal data.
"""

from __future__ import annotations

import datetime
import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.core.crypto import EncryptedTextField
from mosty.core.models import (
    District,
    KeptFigures,
    Labelled,
    OwnedRecord,
    PartLabelled,
    Timestamped,
    district_ref,
    optional_ref,
    owned_by,
    staff_ref,
)
from mosty.directory.models import validate_iso_language


class Mode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video")
    WRITTEN = "written", _("Written translation")


class Level(models.TextChoices):
    NATIVE = "native", pgettext_lazy("language level", "native")
    FLUENT = "fluent", _("fluent (C1-C2)")
    GOOD = "good", _("good (B1-B2)")
    BASIC = "basic", _("basic (A1-A2)")


# How much each level counts when proposals are ranked.
LEVEL_WEIGHT = {Level.NATIVE: 4, Level.FLUENT: 3, Level.GOOD: 2, Level.BASIC: 1}


class Topic(models.TextChoices):
    SCHOOL = "school", _("School and education")
    SOCIAL = "social", _("Social assistance")
    HEALTH = "health", _("Health care")
    OFFICE = "office", _("City office and documents")
    POLICE = "police", _("Police and safety")
    HOUSING = "housing", _("Housing")
    WORK = "work", _("Work")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


# How soon a request counts as answered in time (an assistant accepted), from when it was made;
# never later than its start.
ANSWER_WITHIN = {Urgency.NORMAL: timedelta(hours=48), Urgency.URGENT: timedelta(hours=4)}


# How far ahead a request can be made: a school year and then some. Also keeps every derived
# moment (the end, a weekly series) far from the calendar's end (year 9999).
BOOK_AHEAD = timedelta(days=2 * 366)


def latest_start_date() -> datetime.date:
    """The last day a new request can start on."""
    return timezone.localdate() + BOOK_AHEAD


def too_far_ahead() -> str:
    """The refusal of a start after `latest_start_date()`, naming that day."""
    return _("Choose a day no later than %(date)s.") % {
        "date": date_format(latest_start_date(), "SHORT_DATE_FORMAT")
    }


# The longest video-meeting link a request keeps.
LINK_MAX = 2000


class RequestStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("assistance request", "Open")
    COVERED = "covered", pgettext_lazy("assistance request", "Assistant confirmed")
    DONE = "done", pgettext_lazy("assistance request", "Done")
    CANCELLED = "cancelled", pgettext_lazy("assistance request", "Cancelled")


# What a request still open shows once its time has passed with nobody holding it.
NOBODY_FOUND = pgettext_lazy("assistance request", "No assistant was found")


class CancelReason(models.TextChoices):
    """Why a request was cancelled: a choice, not free text, so it never holds personal data."""

    NOT_NEEDED = "not_needed", _("Help is no longer needed")
    MOVED = "moved", _("The appointment was moved or called off")
    NO_ASSISTANT = "no_assistant", _("No assistant is available at this time")
    OTHER = "other", _("Another reason")


class AssignmentStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    DONE = "done", _("Done")
    # Accepted, then given back by the assistant before it started (`assignment_release`).
    RELEASED = "released", _("Given back")


class ReleaseReason(models.TextChoices):
    """Why an assistant gives back an assignment they accepted: a choice, not free text, so
    it never holds personal data (as `CancelReason`)."""

    ILLNESS = "illness", _("I am ill")
    CLASH = "clash", _("Something else came up at this time")
    TRAVEL = "travel", _("I cannot get there")
    OTHER = "other", _("Another reason")


class Outcome(models.TextChoices):
    COMPLETED = "completed", _("Took place as planned")
    SHORTER = "shorter", _("Took place, shorter than planned")
    NO_SHOW = "no_show", _("The person did not come")
    CANCELLED_ON_SITE = "cancelled_on_site", _("Cancelled on the spot")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ExceptionKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    UNAVAILABLE = "unavailable", _("Unavailable")


# Obvious personal data in a request's description: e-mail addresses, numbers shaped like a
# PESEL (11 digits) and phone numbers.
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PESEL_RE = re.compile(r"(?<!\d)\d{11}(?!\d)")
# A run of digits joined by spaces, hyphens or brackets, optionally after + or 00. Dots, slashes
# and colons join no phone number here: they join dates (04.12.2026), times (10:00) and document
# numbers (2026/12/18/0001), which are ordinary text in a description.
PHONE_RE = re.compile(r"(?<![\w./:\\-])(\+|00)?(\(?\d[\d ()\-]*\d)(?![\w/]|[.:,\-]\d)")
PHONE_GROUPS_RE = re.compile(r"[ ()\-]+")
# The first two digits of Polish nine-digit numbers: landline area codes (58 Gdańsk), mobile
# ranges, 70x and 80x. A landline is flagged like a mobile (it may be someone's home). Room
# ranges and other runs of nine digits starting otherwise (101-102-103) are not phone numbers.
PL_PREFIXES = frozenset(
    "12 13 14 15 16 17 18 22 23 24 25 29 32 33 34 41 42 43 44 45 46 48 50 51 52 53 54 55 56 "
    "57 58 59 60 61 62 63 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86 "
    "87 88 89 91 94 95".split()
)


def _national_number(digits: str) -> bool:
    """A Polish number (nine digits, or eleven with 48 in front), or a foreign one written
    with its trunk 0 (067 123 45 67, ten digits)."""
    return (
        (len(digits) == 9 and digits[:2] in PL_PREFIXES)
        or (len(digits) == 10 and digits[0] == "0")
        or (len(digits) == 11 and digits[:2] == "48")
    )


def looks_like_phone(text: str) -> bool:
    """A phone number in `text`: with + or 00, 8 to 15 digits; without, a national number
    within the run (a room number before it does not hide it: "sala 12 511 222 333")."""
    for match in PHONE_RE.finditer(text):
        groups = [g for g in PHONE_GROUPS_RE.split(match.group(2)) if g]
        if match.group(1) and 8 <= sum(len(g) for g in groups) <= 15:
            return True
        for first in range(len(groups)):
            digits = ""
            for group in groups[first:]:
                digits += group
                if len(digits) > 11:
                    break
                if _national_number(digits):
                    return True
    return False


def validate_no_personal_data(value: str) -> None:
    """Refuse text that holds an e-mail address, a PESEL-like or a phone number."""
    text = value or ""
    if EMAIL_RE.search(text):
        raise ValidationError(
            _("Remove the e-mail address: describe the situation, not the person."),
            code="personal_data",
        )
    if PESEL_RE.search(text):
        raise ValidationError(
            _("Remove the identity number: describe the situation, not the person."),
            code="personal_data",
        )
    if looks_like_phone(text):
        raise ValidationError(
            _("Remove the phone number: describe the situation, not the person."),
            code="personal_data",
        )


def validate_modes(value: Any) -> None:
    if not isinstance(value, list) or any(v not in Mode.values for v in value):
        raise ValidationError(_("Choose ways of working from the list."))


class AssistantProfile(OwnedRecord):
    """An interpreter's or assistant's profile in an organisation's pool (the organisation
    whose coordinators assign them)."""

    organisation = owned_by("assistant_profiles", on_delete=models.CASCADE)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.CASCADE,
        related_name="assistant_profile",
    )
    linguist = optional_ref(
        "directory.Linguist", _("entry in the linguist base"), "assistant_profiles"
    )
    modes = models.JSONField(
        _("ways of working"), default=list, blank=True, validators=[validate_modes]
    )
    districts = models.ManyToManyField(
        District, verbose_name=_("districts I travel to"), blank=True, related_name="+"
    )
    is_sworn = models.BooleanField(_("sworn translator"), default=False)
    is_active = models.BooleanField(_("taking requests"), default=True)

    audit_noun = "assistant"

    class Meta:
        verbose_name = _("assistant")
        verbose_name_plural = _("assistants")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.user)


class AssistantLanguage(PartLabelled):
    audit_noun = "assistant language"
    audit_whole = ("assistant", "profile")

    profile = models.ForeignKey(
        AssistantProfile, on_delete=models.CASCADE, related_name="languages"
    )
    code = models.CharField(_("language"), max_length=3, validators=[validate_iso_language])
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)

    class Meta:
        verbose_name = _("assistant's language")
        verbose_name_plural = _("assistant's languages")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "code"], name="assistant_language_once")
        ]
        indexes = [models.Index(fields=["code", "profile"], name="assistant_language_code")]

    def __str__(self) -> str:
        return f"{self.code} · {self.level}"


class AvailabilitySlot(PartLabelled):
    """A weekly window the assistant can usually take requests in."""

    audit_noun = "availability slot"
    audit_whole = ("assistant", "profile")

    profile = models.ForeignKey(AssistantProfile, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        ordering = ["weekday", "starts", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")), name="slot_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.starts}-{self.ends}"

    def clean(self) -> None:
        if self.starts and self.ends and self.ends <= self.starts:
            raise ValidationError({"ends": _("The end must be after the start.")})


class AvailabilityException(PartLabelled):
    """Days the assistant cannot take requests whatever their weekly slots say."""

    audit_noun = "unavailability"
    audit_whole = ("assistant", "profile")

    profile = models.ForeignKey(
        AssistantProfile, on_delete=models.CASCADE, related_name="exceptions"
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("until"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=ExceptionKind.choices, default=ExceptionKind.HOLIDAY
    )

    class Meta:
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailability")
        ordering = ["date_from", "pk"]

    def __str__(self) -> str:
        return f"{self.date_from}-{self.date_to}"

    def clean(self) -> None:
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValidationError({"date_to": _("The last day cannot be before the first.")})


class AssistanceRequest(OwnedRecord):
    """An institution's request for an interpreter or assistant at one time."""

    organisation = owned_by(
        "assistance_requests", on_delete=models.CASCADE, verbose_name=_("institution")
    )
    provider = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("assistance from"),
        on_delete=models.PROTECT,
        related_name="assistance_provided",
    )
    language = models.CharField(
        _("language needed"), max_length=3, validators=[validate_iso_language]
    )
    language_with = models.CharField(
        _("to and from"), max_length=3, default="pl", validators=[validate_iso_language]
    )
    mode = models.CharField(_("how"), max_length=20, choices=Mode.choices)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(15), MaxValueValidator(8 * 60)]
    )
    ends_at = models.DateTimeField(_("ends"), editable=False)
    district = district_ref("+")
    place = models.CharField(_("place"), max_length=300, blank=True)
    # Video-meeting invitations run long (a Microsoft Teams link is about 250 characters).
    link = models.URLField(_("link (video)"), max_length=LINK_MAX, blank=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    description = models.TextField(
        _("what it is about"),
        max_length=1000,
        blank=True,
        validators=[validate_no_personal_data],
        help_text=_(
            "Describe the situation without personal data: no names, phone numbers, e-mail "
            "addresses or identity numbers."
        ),
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    people_needed = models.PositiveSmallIntegerField(
        _("assistants needed"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    series = optional_ref("self", _("first of the series"), "repeats")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.OPEN,
        db_index=True,
    )
    answer_by = models.DateTimeField(_("answer by"), editable=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    cancelled_by = staff_ref(_("cancelled by"))
    cancel_reason = models.CharField(
        _("why it was cancelled"), max_length=20, choices=CancelReason.choices, blank=True
    )

    audit_noun = "assistance request"

    class Meta:
        verbose_name = _("assistance request")
        verbose_name_plural = _("assistance requests")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["provider", "status", "starts_at"], name="assist_req_open"),
            models.Index(fields=["organisation", "starts_at"], name="assist_req_org"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    def schedule(self) -> None:
        """Derive the end and the answer deadline from the start, duration and urgency."""
        if self.starts_at and self.duration_minutes:
            self.ends_at = self.starts_at + timedelta(minutes=self.duration_minutes)
        if self.starts_at and not self.answer_by:
            made = self.created_at or timezone.now()
            within = ANSWER_WITHIN.get(Urgency(self.urgency), ANSWER_WITHIN[Urgency.NORMAL])
            self.answer_by = min(made + within, self.starts_at)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.mode == Mode.ON_SITE and not self.place:
            errors["place"] = _("Give the place for help on site.")
        if self.mode == Mode.VIDEO and not self.link and not self.place:
            errors["link"] = _("Give the video link (or say in the place field how to join).")
        if self.language and self.language == self.language_with:
            errors["language_with"] = _("Choose two different languages.")
        if errors:
            raise ValidationError(errors)

    @property
    def hours(self) -> float:
        return round(self.duration_minutes / 60, 2)

    @property
    def has_started(self) -> bool:
        """Once started, a request is no longer cancelled: what happened is what the assistant
        logs (the log's outcomes say when nobody came or it was called off on the spot)."""
        return self.starts_at <= timezone.now()

    @property
    def found_nobody(self) -> bool:
        """Still open when its time came, and nobody holding it (`accepted_count`, annotated
        by the selectors: unknown, it is not claimed)."""
        return (
            self.status == RequestStatus.OPEN
            and self.has_started
            and not getattr(self, "accepted_count", 1)
        )

    @property
    def shown_status(self) -> str:
        """The status as the institution reads it: "open" is no longer true of a request
        whose time has passed without an assistant."""
        return "nobody" if self.found_nobody else self.status

    @property
    def shown_status_label(self) -> str:
        return str(NOBODY_FOUND) if self.found_nobody else str(self.get_status_display())


class Assignment(Timestamped, PartLabelled):
    """One assistant offered (and then holding) one request. The same assistant never holds
    two accepted assignments that overlap in time (`assignment_accept` locks and checks)."""

    audit_whole = ("request", "request")

    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.CASCADE, related_name="assignments"
    )
    assistant = models.ForeignKey(
        AssistantProfile, on_delete=models.CASCADE, related_name="assignments"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.OFFERED,
    )
    offered_by = staff_ref()
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    released_at = models.DateTimeField(_("given back"), null=True, blank=True, editable=False)
    release_reason = models.CharField(
        _("why it was given back"), max_length=20, choices=ReleaseReason.choices, blank=True
    )
    # Copied from the request so that the overlap check and schedules need no join.
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "assistant"], name="assignment_once_per_request"
            )
        ]
        indexes = [
            models.Index(fields=["assistant", "status", "starts_at"], name="assignment_schedule")
        ]

    def __str__(self) -> str:
        return f"assignment #{self.pk}"

    @property
    def has_started(self) -> bool:
        """Once started, an assignment is no longer given back: its hours are logged (the
        log's outcomes say when it did not take place)."""
        return self.starts_at <= timezone.now()


class AssignmentLog(Timestamped, PartLabelled):
    """What happened: time worked and travelled, and how it went. No free text on purpose."""

    audit_noun = "assistance log"
    audit_whole = ("assignment", "assignment")

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="log")
    minutes = models.PositiveIntegerField(
        _("minutes worked"), validators=[MaxValueValidator(16 * 60)]
    )
    travel_minutes = models.PositiveIntegerField(
        _("travel time (minutes)"), default=0, validators=[MaxValueValidator(8 * 60)]
    )
    outcome = models.CharField(_("how it went"), max_length=20, choices=Outcome.choices)

    class Meta:
        verbose_name = _("assistance log")
        verbose_name_plural = _("assistance logs")

    def __str__(self) -> str:
        return f"log #{self.pk}"


class Feedback(Timestamped, PartLabelled):
    """The institution's feedback once a request was done."""

    audit_whole = ("request", "request")

    request = models.OneToOneField(
        AssistanceRequest, on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # About the assistant's work: someone's personal data, so encrypted at rest.
    comment = EncryptedTextField(_("comment"), blank=True)
    given_by = staff_ref(blank=False)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"feedback #{self.pk}"


class ServiceLevelFigure(KeptFigures):
    """The service level kept ahead (issue 15) for one set of pools, the organisations a
    coordinator coordinates (`key`: a hash of their sorted ids), as the page shows it over
    the whole time: counted by `tasks.service_level_refresh` (nightly) so the page reads one
    row instead of counting tens of thousands of requests on every view.

    Why per set of pools, not per pool and institution: institutions served are counted
    distinct across a coordinator's pools, and in the large seed pool, institution and
    language rows were nearly as many as the requests (41,814 for 52,000). A city has a few
    pools and a few coordinators of them, so the sets are few. Numbers about organisations
    and languages (and the institutions' names), never a person."""

    pools = models.JSONField(default=list)
    # `figures`: `selectors.service_level_live` as it stood at `refreshed_at`, language names
    # left out (they are said in the reader's language).

    class Meta:
        verbose_name = _("kept service-level figure")
        verbose_name_plural = _("kept service-level figures")

    def __str__(self) -> str:
        return f"service level {self.key[:12]}"


class HoursFigure(KeptFigures, Labelled):
    """The hours report kept ahead (issue 15) for one set of pools, as the page shows it over
    the whole time: per assistant (profile ids with their assignments, minutes and travel
    minutes; names are read when shown) and per institution (name, requests, minutes, travel
    minutes). `key` is a coordinator's set of pools (`core.models.figures_key`) or "all" (the
    administrator's report). Counted by `tasks.hours_figures_refresh` (nightly) so the page
    reads one row instead of summing the logs of every booking (50,000 in the large seed).

    Per set of pools, not per pool, because an institution's requests are counted distinct
    across the set. Numbers about assistants a coordinator already sees, recounted nightly:
    a profile erased meanwhile is no longer shown (names come from the live profile)."""

    audit_noun = "kept hours"

    pools = models.JSONField(default=list)
    # `figures`: {"assistant": [[profile id, assignments, minutes, travel], ...] in no
    # particular order, "institution": [[name, requests, minutes, travel], ...] in the live
    # report's order}.

    class Meta:
        verbose_name = _("kept hours figure")
        verbose_name_plural = _("kept hours figures")

    def __str__(self) -> str:
        return f"hours {self.key[:12]}"
