"""Participants (people with refugee and migration experience), their households and consents.

Names and contacts are personal data; `legal_status` is *sensitive* (docs/access-policy.md): it is shown
only to users who pass `participant.view_sensitive`. The audit log names a participant only by
their pseudonymous code (`audit_label`).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from mosty.core.models import (
    Authored,
    Labelled,
    OwnedRecord,
    Timestamped,
    district_ref,
    optional_part_of,
    optional_ref,
    owned_by,
    staff_ref,
)
from mosty.people.search import build_search_key

# Unambiguous characters for pseudonymous codes (no 0/O, 1/I/L, U/V confusion).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"


def _check_char(body: str) -> str:
    total = sum((i + 1) * CODE_ALPHABET.index(c) for i, c in enumerate(body))
    return CODE_ALPHABET[total % len(CODE_ALPHABET)]


def code_prefix() -> str:
    """Prefix of pseudonymous codes: MOSTY_PARTICIPANT_CODE_PREFIX, else the city's short name."""
    prefix = getattr(settings, "MOSTY_PARTICIPANT_CODE_PREFIX", "")
    if not prefix:
        from mosty.core.models import City

        city = City.current()
        prefix = city.slug[:3] if city else "MST"
    return prefix.upper()


def generate_code(prefix: str = "") -> str:
    """A fresh pseudonymous code such as ``GDA-7K3Q-9`` (prefix, four random chars, check char)."""
    prefix = (prefix or code_prefix())[:3]
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(5))
    return f"{prefix.upper()}-{body[:4]}-{body[4]}{_check_char(body)}"


def code_is_well_formed(code: str) -> bool:
    parts = code.upper().split("-")
    if len(parts) != 3 or len(parts[1]) != 4 or len(parts[2]) != 2:
        return False
    body = parts[1] + parts[2][0]
    return all(c in CODE_ALPHABET for c in body) and _check_char(body) == parts[2][1]


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other / non-binary")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class LanguageLevel(models.TextChoices):
    NATIVE = "native", _("Native")
    C2 = "C2", "C2"
    C1 = "C1", "C1"
    B2 = "B2", "B2"
    B1 = "B1", "B1"
    A2 = "A2", "A2"
    A1 = "A1", "A1"


class PolishLevel(models.TextChoices):
    NONE = "none", _("None yet")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    NATIVE = "native", _("Native")


class LegalStatus(models.TextChoices):
    """Residence-status category (Polish law), a sensitive field."""

    TEMPORARY_PROTECTION = "temporary_protection", _("Temporary protection (UKR status)")
    REFUGEE = "refugee", _("Refugee status")
    SUBSIDIARY = "subsidiary_protection", _("Subsidiary protection")
    HUMANITARIAN = "humanitarian", _("Humanitarian stay")
    TOLERATED = "tolerated", _("Tolerated stay")
    ASYLUM_SEEKER = "asylum_seeker", _("Applying for international protection")
    TEMPORARY_RESIDENCE = "temporary_residence", _("Temporary residence permit")
    PERMANENT_RESIDENCE = "permanent_residence", _("Permanent residence or EU long-term resident")
    EU_CITIZEN = "eu_citizen", _("EU citizen or family member")
    VISA = "visa", _("Visa or visa-free stay")
    NO_STATUS = "no_status", _("No regular status")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    SIGNAL = "signal", "Signal"
    VIBER = "viber", "Viber"
    IN_PERSON = "in_person", _("In person")


def validate_country_code(value) -> None:
    """An ISO 3166 country code that exists ("UK" does not: the United Kingdom is GB)."""
    from django_countries import countries

    value = str(value or "")
    if value and value not in countries:
        raise ValidationError(
            _("Choose a country from the list (ISO code, for example UA)."), code="country"
        )


def validate_languages_with_levels(value) -> None:
    """A list of {"code": ISO 639 code, "level": LanguageLevel}."""
    if not isinstance(value, list):
        raise ValidationError(_("Languages must be a list."), code="languages")
    levels = set(LanguageLevel.values)
    for item in value:
        code, level = (
            (item.get("code"), item.get("level")) if isinstance(item, dict) else (None, None)
        )
        if (
            not isinstance(code, str)
            or not 2 <= len(code) <= 3
            or not code.isalpha()
            or not isinstance(level, str)
            or level not in levels
        ):
            raise ValidationError(
                _("Each language needs a two- or three-letter code and a level."),
                code="languages",
            )


class Household(Timestamped, Authored, Labelled):
    """People who live together; members may be registered participants or only named."""

    owner = owned_by("households")
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.label or f"#{self.pk}"


class Participant(OwnedRecord):
    code = models.CharField(_("pseudonymous code"), max_length=20, unique=True, editable=False)
    first_name = models.CharField(_("first name (Latin script)"), max_length=150, blank=True)
    last_name = models.CharField(_("last name (Latin script)"), max_length=150, blank=True)
    first_name_original = models.CharField(
        _("first name (original script)"), max_length=150, blank=True
    )
    last_name_original = models.CharField(
        _("last name (original script)"), max_length=150, blank=True
    )
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    country_of_origin = CountryField(_("country of origin"), blank=True)
    citizenship = CountryField(_("citizenship"), blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, validators=[validate_languages_with_levels]
    )
    polish_level = models.CharField(
        _("Polish level (CEFR)"), max_length=10, choices=PolishLevel.choices, blank=True
    )
    legal_status = models.CharField(
        _("legal status"), max_length=30, choices=LegalStatus.choices, blank=True
    )
    arrival_date = models.DateField(_("arrival in Poland"), null=True, blank=True)
    district = district_ref("participants")
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=20, choices=Channel.choices, blank=True
    )
    household = optional_ref(Household, _("household"), "participants")
    owner = owned_by("participants", verbose_name=_("registered by organisation"))
    search_key = models.CharField(max_length=500, blank=True, db_index=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    # Fields that need `participant.view_sensitive` to read (docs/access-policy.md).
    SENSITIVE_FIELDS = ("legal_status",)
    # What a registration or edit form may set, in the order the forms show it; the record as
    # the detail page and the API read it is the code and these, less the sensitive ones.
    EDITABLE_FIELDS = (
        "first_name",
        "last_name",
        "first_name_original",
        "last_name_original",
        "birth_year",
        "gender",
        "country_of_origin",
        "citizenship",
        "languages",
        "polish_level",
        "legal_status",
        "arrival_date",
        "district",
        "phone",
        "email",
        "preferred_channel",
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="participant_owner_recent"),
            models.Index(fields=["birth_year"], name="participant_birth_year"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = generate_code()
        self.search_key = self.compute_search_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_key" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_key"]
        super().save(*args, **kwargs)

    @classmethod
    def for_bulk_create(cls, *, at, **fields) -> Participant:
        """A participant for `bulk_create`, which skips `save()`: the search key and the
        timestamps are set here instead (imports and seeding)."""
        participant = cls(created_at=at, updated_at=at, **fields)
        participant.search_key = participant.compute_search_key()
        return participant

    @property
    def audit_label(self) -> str:
        # Never names in the audit log.
        return self.code

    @property
    def display_name(self) -> str:
        if self.anonymised_at:
            return self.code
        latin = f"{self.first_name} {self.last_name}".strip()
        return latin or f"{self.first_name_original} {self.last_name_original}".strip() or self.code

    @property
    def original_name(self) -> str:
        return f"{self.first_name_original} {self.last_name_original}".strip()

    def compute_search_key(self) -> str:
        return build_search_key(
            self.first_name,
            self.last_name,
            self.first_name_original,
            self.last_name_original,
            phone=self.phone,
        )


class HouseholdMember(models.Model):
    """A person in a household: a registered participant, or only a first name and birth year
    (a child, a relative who is not a participant)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    participant = optional_part_of(Participant, _("participant"), "household_memberships")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=200, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    relationship = models.CharField(_("relationship"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "participant"], name="household_participant_unique"
            )
        ]

    def __str__(self) -> str:
        return self.participant.code if self.participant_id else self.name

    @property
    def audit_label(self) -> str:
        return f"household #{self.household_id} member #{self.pk}"


class ConsentPurpose(models.TextChoices):
    CASE_MANAGEMENT = "case_management", _("Case management")
    REFERRAL = "referral", _("Referral to other organisations")
    MENTORING = "mentoring", _("Mentoring")
    PUBLICITY = "publicity", _("Photos and stories in publicity")
    STATISTICS = "statistics", _("Statistics and reporting")
    PORTAL = "portal", _("Own account in the participant portal")
    MESSAGES = "messages", _("Messages by text message or chat app")


# The channels a person may agree to be contacted on (consent `messages`, one per channel).
CONTACT_CHANNELS = ("email", "sms", "whatsapp", "signal", "telegram", "viber")


def contact_channel_choices() -> list[tuple[str, Any]]:
    return [(value, label) for value, label in Channel.choices if value in CONTACT_CHANNELS]


class LegalBasis(models.TextChoices):
    """GDPR art. 6(1) and 9(2) bases."""

    CONSENT = "consent", _("Consent (art. 6(1)(a) and 9(2)(a) GDPR)")
    CONTRACT = "contract", _("Contract (art. 6(1)(b) GDPR)")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation (art. 6(1)(c) GDPR)")
    VITAL_INTERESTS = "vital_interests", _("Vital interests (art. 6(1)(d) GDPR)")
    PUBLIC_TASK = "public_task", _("Public task (art. 6(1)(e) GDPR)")
    LEGITIMATE_INTERESTS = "legitimate_interests", _("Legitimate interests (art. 6(1)(f) GDPR)")


class ConsentTemplate(Timestamped, Authored, Labelled):
    """An organisation's information text for one consent purpose in one language, offered
    when a consent is recorded (no personal data: the same text for everyone)."""

    organisation = owned_by("consent_templates", on_delete=models.CASCADE)
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    language = models.CharField(_("language of the text"), max_length=10)
    text = models.TextField(_("text"), max_length=5000)

    class Meta:
        verbose_name = _("consent text template")
        verbose_name_plural = _("consent text templates")
        ordering = ["purpose", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "purpose", "language"], name="consent_template_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} · {self.purpose} · {self.language}"


class Consent(models.Model):
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    # For `messages`: the one channel this consent is for (each channel is agreed separately).
    channel = models.CharField(
        _("channel"), max_length=20, choices=contact_channel_choices, blank=True
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=30, choices=LegalBasis.choices, default=LegalBasis.CONSENT
    )
    text_shown = models.TextField(_("text shown to the participant"))
    language = models.CharField(_("language of the text"), max_length=10, blank=True)
    given_at = models.DateTimeField(_("given"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    recorded_by = staff_ref(_("recorded by"))
    withdrawn_recorded_by = staff_ref(_("withdrawal recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)
    # Not stored: what recording or withdrawing it changed elsewhere, in sentences for whoever
    # did it (set by the consent services from the answers to people.signals).
    effects: list[str]

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at", "-pk"]
        indexes = [
            models.Index(fields=["participant", "purpose"], name="consent_participant_purpose")
        ]

    def __str__(self) -> str:
        return f"{self.participant.code} · {self.get_purpose_display()}"

    def clean(self):
        if self.purpose == ConsentPurpose.MESSAGES and not self.channel:
            raise ValidationError({"channel": _("Choose the channel the person agreed to.")})
        if self.purpose != ConsentPurpose.MESSAGES and self.channel:
            raise ValidationError({"channel": _("A channel belongs only to consent to messages.")})

    @property
    def audit_label(self) -> str:
        return f"{self.participant.code} · {self.purpose}" + (
            f" · {self.channel}" if self.channel else ""
        )

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    HAS_ERRORS = "has_errors", _("Stopped: rows with errors")
    DONE = "done", pgettext_lazy("import", "Done")
    FAILED = "failed", _("Failed")


class DuplicateChoice(models.TextChoices):
    """What an import does with a row that looks like a person already known."""

    SKIP = "skip", _("Skip the row")
    MERGE = "merge", _("Merge: fill in what is missing")
    CREATE = "create", _("Import anyway as a new person")


class ParticipantImport(Timestamped, Authored, Labelled):
    """One upload of a CSV/XLSX list of participants, mapped, validated and imported."""

    audit_noun = "import"

    owner = owned_by("participant_imports", on_delete=models.CASCADE)
    filename = models.CharField(_("file"), max_length=255)
    headers = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, blank=True)
    valid_only = models.BooleanField(_("import valid rows only"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    # Rows that look like a participant already known (or an earlier row of the file): the
    # choice for each row by its index ({"12": "merge"}); rows without one are skipped.
    duplicate_choices = models.JSONField(default=dict, blank=True)
    skipped_count = models.PositiveIntegerField(default=0)
    merged_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    # Touched by the worker while it runs the import; a running import whose heartbeat is
    # old lost its worker (mosty.people.imports.participant_import_fail_stale).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("participant import")
        verbose_name_plural = _("participant imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.HAS_ERRORS, ImportStatus.FAILED}
