"""Community patronage: mentors (residents, families, groups), their vetting, and matches with
participants that live for months: meetings, monthly check-ins, an end with feedback."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.core.collation import InNames
from mosty.core.crypto import EncryptedTextField
from mosty.core.models import (
    Authored,
    Labelled,
    OwnedRecord,
    Timestamped,
    Versioned,
    district_ref,
    figures_key,
    optional_part_of,
    optional_ref,
    owned_by,
    staff_ref,
    validate_language_code,
)


class MentorKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    FAMILY = "family", _("Family")
    GROUP = "group", _("Group")


class MentorGender(models.TextChoices):
    FEMALE = "female", _("Woman")
    MALE = "male", _("Man")
    OTHER = "other", _("Other / non-binary")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class LanguageLevel(models.TextChoices):
    """Spoken level, as people say it (same codes as `people.LanguageLevel` where they meet)."""

    NATIVE = "native", _("Native")
    FLUENT = "C1", _("Fluent")
    CONVERSATIONAL = "B1", _("Conversational")
    BASIC = "A2", _("Basic")


# Strength of a level for scoring: the weaker side of a shared language decides.
LEVEL_STRENGTH = {"native": 4, "C2": 4, "C1": 3, "B2": 3, "B1": 2, "A2": 1, "A1": 1}

# Languages a mentor may say they speak: the seven Mosty ships and others common among
# newcomers in Polish cities.
MENTOR_LANGUAGES = [
    "pl", "uk", "ru", "en", "ar", "fa", "fr", "be", "ka", "de", "es", "tr", "ti", "so", "ps",
]  # fmt: skip


class Interest(models.TextChoices):
    FOOTBALL = "football", _("football")
    SPORTS = "sports", _("sports")
    COOKING = "cooking", _("cooking")
    MUSIC = "music", _("music")
    ART = "art", _("art")
    READING = "reading", _("reading")
    HIKING = "hiking", _("walks and hiking")
    CYCLING = "cycling", _("cycling")
    BOARD_GAMES = "board_games", _("board games")
    CRAFTS = "crafts", _("crafts")
    GARDENING = "gardening", _("gardening")
    TECHNOLOGY = "technology", _("computers and technology")
    CINEMA = "cinema", _("cinema and theatre")
    DANCE = "dance", _("dance")
    LANGUAGES = "languages", _("learning languages")
    CHILDREN = "children", _("activities with children")


DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
PARTS = ["morning", "afternoon", "evening"]


class Slot(models.TextChoices):
    """A weekly availability slot: day × part of the day."""

    MON_MORNING = "mon-morning", _("Monday mornings")
    MON_AFTERNOON = "mon-afternoon", _("Monday afternoons")
    MON_EVENING = "mon-evening", _("Monday evenings")
    TUE_MORNING = "tue-morning", _("Tuesday mornings")
    TUE_AFTERNOON = "tue-afternoon", _("Tuesday afternoons")
    TUE_EVENING = "tue-evening", _("Tuesday evenings")
    WED_MORNING = "wed-morning", _("Wednesday mornings")
    WED_AFTERNOON = "wed-afternoon", _("Wednesday afternoons")
    WED_EVENING = "wed-evening", _("Wednesday evenings")
    THU_MORNING = "thu-morning", _("Thursday mornings")
    THU_AFTERNOON = "thu-afternoon", _("Thursday afternoons")
    THU_EVENING = "thu-evening", _("Thursday evenings")
    FRI_MORNING = "fri-morning", _("Friday mornings")
    FRI_AFTERNOON = "fri-afternoon", _("Friday afternoons")
    FRI_EVENING = "fri-evening", _("Friday evenings")
    SAT_MORNING = "sat-morning", _("Saturday mornings")
    SAT_AFTERNOON = "sat-afternoon", _("Saturday afternoons")
    SAT_EVENING = "sat-evening", _("Saturday evenings")
    SUN_MORNING = "sun-morning", _("Sunday mornings")
    SUN_AFTERNOON = "sun-afternoon", _("Sunday afternoons")
    SUN_EVENING = "sun-evening", _("Sunday evenings")


def validate_languages_with_levels(value) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Languages must be a list."), code="languages")
    for item in value:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("code"), str)
            or not 2 <= len(item["code"]) <= 3
            or item.get("level") not in LEVEL_STRENGTH
        ):
            raise ValidationError(
                _("Each language needs a two- or three-letter code and a level."),
                code="languages",
            )


def _validate_choices(values, choices, message):
    if not isinstance(values, list) or any(v not in choices for v in values):
        raise ValidationError(message, code="invalid")


def validate_interests(value) -> None:
    _validate_choices(value, set(Interest.values), _("Choose interests from the list."))


def validate_slots(value) -> None:
    _validate_choices(value, set(Slot.values), _("Choose times from the list."))


def validate_kinds(value) -> None:
    _validate_choices(value, set(MentorKind.values), _("Choose kinds of mentor from the list."))


class VettingStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    INTERVIEWED = "interviewed", _("Interviewed")
    REFERENCES_CHECKED = "references_checked", _("References checked")
    CERTIFICATE_CHECKED = "certificate_checked", _("Criminal-record certificate checked")
    TRAINED = "trained", _("Trained")
    APPROVED = "approved", pgettext_lazy("vetting", "Approved")
    REJECTED = "rejected", pgettext_lazy("vetting", "Rejected")


# The vetting path: which steps may follow each status. The criminal-record certificate may be
# skipped (the mentor is then never matched where minors are involved) or recorded later.
VETTING_NEXT = {
    VettingStatus.APPLIED: [VettingStatus.INTERVIEWED],
    VettingStatus.INTERVIEWED: [VettingStatus.REFERENCES_CHECKED],
    VettingStatus.REFERENCES_CHECKED: [VettingStatus.CERTIFICATE_CHECKED, VettingStatus.TRAINED],
    VettingStatus.CERTIFICATE_CHECKED: [VettingStatus.TRAINED],
    VettingStatus.TRAINED: [VettingStatus.APPROVED, VettingStatus.CERTIFICATE_CHECKED],
    VettingStatus.APPROVED: [VettingStatus.CERTIFICATE_CHECKED],
    VettingStatus.REJECTED: [],
}


class Mentor(OwnedRecord):
    """A resident, family or group who supports newcomers through one organisation's programme."""

    organisation = owned_by("mentors", on_delete=models.PROTECT)
    user = optional_ref(settings.AUTH_USER_MODEL, _("account"), "mentor_profiles")
    kind = models.CharField(
        _("who applies"), max_length=20, choices=MentorKind.choices, default=MentorKind.INDIVIDUAL
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language for messages"), max_length=10, default="pl", validators=[validate_language_code]
    )
    gender = models.CharField(_("gender"), max_length=20, choices=MentorGender.choices, blank=True)
    languages = models.JSONField(
        _("languages spoken"), default=list, validators=[validate_languages_with_levels]
    )
    district = district_ref("mentors")
    interests = models.JSONField(
        _("interests"), default=list, blank=True, validators=[validate_interests]
    )
    availability = models.JSONField(
        _("weekly availability"), default=list, blank=True, validators=[validate_slots]
    )
    capacity = models.PositiveSmallIntegerField(
        _("how many newcomers at a time"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    women_only = models.BooleanField(_("supports women only"), default=False)
    families_welcome = models.BooleanField(_("families with children welcome"), default=True)
    no_minors = models.BooleanField(_("does not support minors"), default=False)
    motivation = models.TextField(_("motivation"), blank=True)
    consent_at = models.DateTimeField(_("consent to data processing given"))
    status = models.CharField(
        _("vetting status"),
        max_length=30,
        choices=VettingStatus.choices,
        default=VettingStatus.APPLIED,
        db_index=True,
    )
    certificate_checked_at = models.DateTimeField(
        _("criminal-record certificate checked"), null=True, blank=True
    )
    rejection_reason = EncryptedTextField(_("reason for rejection"), blank=True)
    # For a mentor the record's creation is the application.
    created_at = models.DateTimeField(_("applied"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = [InNames(F("name")), "pk"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="mentor_org_status"),
            models.Index(fields=["email"], name="mentor_email"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def language_codes(self) -> list[str]:
        return [item["code"] for item in self.languages]

    @property
    def can_support_minors(self) -> bool:
        return self.certificate_checked_at is not None and not self.no_minors


class VettingStep(models.Model):
    """One step of a mentor's vetting: who decided, when, with what note."""

    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="vetting_steps")
    step = models.CharField(_("step"), max_length=30, choices=VettingStatus.choices)
    # May record what the criminal-record certificate showed: encrypted at rest.
    note = EncryptedTextField(_("note"), blank=True)
    decided_by = staff_ref(_("decided by"))
    decided_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("vetting step")
        verbose_name_plural = _("vetting steps")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.mentor_id} · {self.step}"

    @property
    def audit_label(self) -> str:
        return f"mentor #{self.mentor_id} vetting step #{self.pk}"


class MentoringProfile(Labelled):
    """What a participant wishes from a mentor: interests, times, stated preferences."""

    audit_noun = "mentoring wishes"

    participant = models.OneToOneField(
        "people.Participant", on_delete=models.CASCADE, related_name="mentoring_profile"
    )
    interests = models.JSONField(
        _("interests"), default=list, blank=True, validators=[validate_interests]
    )
    availability = models.JSONField(
        _("weekly availability"), default=list, blank=True, validators=[validate_slots]
    )
    mentor_gender = models.CharField(
        _("preferred gender of the mentor"),
        max_length=20,
        blank=True,
        choices=[(MentorGender.FEMALE, _("Woman")), (MentorGender.MALE, _("Man"))],
    )
    mentor_kinds = models.JSONField(
        _("kinds of mentor accepted"), default=list, blank=True, validators=[validate_kinds]
    )
    with_children = models.BooleanField(_("children will take part"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentoring wishes")
        verbose_name_plural = _("mentoring wishes")

    def __str__(self) -> str:
        return f"{self.participant_id}"


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed to the mentor")
    ACCEPTED = "accepted", _("Accepted by the mentor")
    ACTIVE = "active", pgettext_lazy("match status", "Active")
    ENDED = "ended", pgettext_lazy("match status", "Ended")
    DECLINED = "declined", pgettext_lazy("match status", "Declined")


# Statuses in which a match holds a place with the mentor and keeps the participant matched.
OPEN_MATCH_STATUSES = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.ACTIVE)


class EndReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("Goals reached, the newcomer is independent")
    MOVED = "moved", _("One side moved away")
    NO_TIME = "no_time", _("The mentor has no more time")
    NOT_A_FIT = "not_a_fit", _("It did not work out")
    PARTICIPANT_WITHDREW = "participant_withdrew", _("The participant withdrew")
    SAFEGUARDING = "safeguarding", _("Safeguarding concern")
    OTHER = "other", _("Other")


class Match(Versioned, Labelled):
    """A mentor and a participant. Not a whole `OwnedRecord`: `proposed_by`/`proposed_at` are
    its creation, and it changes through actions (respond, activate, end), each a guarded
    `save_changes` so that a mentor's answer and a coordinator's step cannot cross."""

    organisation = owned_by("mentor_matches", on_delete=models.PROTECT)
    mentor = models.ForeignKey(
        Mentor, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="matches"
    )
    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="mentor_matches",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    score = models.FloatField(_("score"), default=0)
    # Structured reasons (language codes, distance, interests, slots) rendered in the reader's
    # language by `mosty.mentoring.matching.explain`.
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    by_hand = models.BooleanField(_("matched by hand"), default=False)
    proposed_by = staff_ref(_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    responded_at = models.DateTimeField(_("mentor responded"), null=True, blank=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = staff_ref(_("ended by"))
    end_reason = models.CharField(
        _("reason for ending"), max_length=30, choices=EndReason.choices, blank=True
    )
    mentor_feedback = EncryptedTextField(_("mentor's feedback"), blank=True)
    participant_feedback = EncryptedTextField(_("participant's feedback"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(status__in=["proposed", "accepted", "active"]),
                name="match_one_open_per_participant",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="match_org_status")]

    def __str__(self) -> str:
        return f"{self.mentor_id} · {self.participant_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MATCH_STATUSES


class Activity(models.TextChoices):
    LANGUAGE = "language", _("Language practice")
    OFFICE = "office", _("Visit to an office")
    CULTURE = "culture", _("Cultural outing")
    COOKING = "cooking", _("Cooking together")
    OTHER = "other", _("Other")


class MatchEntry(Labelled):
    """What is written down about a running match on a given day (a meeting, a check-in),
    newest first, with an encrypted note. Subclasses declare `match` with their reverse name."""

    match: models.ForeignKey
    match_id: int
    date = models.DateField(_("date"))
    note = EncryptedTextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.match_id} · {self.date}"


class Meeting(Versioned, MatchEntry):
    """A meeting logged for a match. Corrected or deleted by the mentor who logged it or a
    coordinator (`meeting.change`), so it carries a `version`: a stale form writes nothing."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="meetings")
    minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"), validators=[MinValueValidator(5), MaxValueValidator(1440)]
    )
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    logged_by = staff_ref(blank=False)

    class Meta(MatchEntry.Meta):
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["match", "-date"], name="meeting_match_date")]

    def clean(self):
        if self.date and self.date > timezone.localdate() + dt.timedelta(days=1):
            raise ValidationError({"date": _("A meeting cannot be logged in the future.")})


SATISFACTION = [(i, str(i)) for i in range(1, 6)]


class CheckIn(MatchEntry):
    """The monthly conversation with both sides: how satisfied each one is."""

    audit_noun = "check-in"

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="checkins")
    mentor_satisfaction = models.PositiveSmallIntegerField(
        _("mentor's satisfaction (1–5)"), choices=SATISFACTION
    )
    participant_satisfaction = models.PositiveSmallIntegerField(
        _("participant's satisfaction (1–5)"), choices=SATISFACTION
    )
    recorded_by = staff_ref(blank=False)

    class Meta(MatchEntry.Meta):
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [models.Index(fields=["match", "-date"], name="checkin_match_date")]


class MatchingSettings(models.Model):
    """Scoring weights loaded from the city pack's `matching` section (one row)."""

    weights = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matching settings")
        verbose_name_plural = _("matching settings")

    def __str__(self) -> str:
        return "matching settings"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Computing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def matching_scope_key(organisation_ids) -> str:
    """The digest of a set of organisations that finds the matching runs computed for it (the
    same digest as kept figures use, `figures_key`)."""
    return figures_key(organisation_ids)


class MatchingRun(Timestamped, Authored, Labelled):
    """One computation of matching proposals, by the background task, for the organisations
    one coordinator runs matching for (`scope`: the same set of organisations shares its
    runs). The matching page reads the newest finished run instead of solving on each view."""

    organisation = owned_by("matching_runs", on_delete=models.CASCADE)
    # Every organisation the run covers (the coordinator's), and a digest of them to find the
    # runs of the same set with one indexed lookup.
    organisation_ids = models.JSONField(default=list)
    scope = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # Touched by the worker at every step; a run whose heartbeat is old lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    total_score = models.FloatField(_("total score"), default=0)
    proposal_count = models.PositiveIntegerField(default=0)
    unmatched_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["scope", "status", "-finished_at"], name="matchrun_scope")]

    def __str__(self) -> str:
        return f"matching run #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class MatchProposal(Labelled):
    """A proposal of a run (a participant and a mentor), or a participant the run left without
    one (`mentor` empty) with the reason. `parts` holds codes and numbers only (language codes,
    distance, interests, slots; or the reason's kind), rendered in the reader's language."""

    audit_noun = "matching proposal"

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    mentor = optional_part_of(Mentor, _("mentor"), "+")
    # Best proposals first, then the people without one, in the order the engine gave.
    rank = models.PositiveIntegerField()
    score = models.FloatField(_("score"), default=0)
    parts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("matching proposal")
        verbose_name_plural = _("matching proposals")
        ordering = ["run", "rank"]
        indexes = [models.Index(fields=["run", "rank"], name="matchproposal_run_rank")]

    def __str__(self) -> str:
        return f"{self.participant_id} · {self.mentor_id}"
