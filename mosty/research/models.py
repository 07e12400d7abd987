"""Surveys (XLSForm definitions, versions, responses) and focus groups.

A survey belongs to an organisation; its questions come from an XLSForm, stored as the JSON
pyxform reads it into (`FormVersion.definition`). Uploading the form again makes a new version:
each response keeps the version it was answered in, so earlier answers stay readable.
Responses are anonymous: a personal link is a random token, not a person.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.core.crypto import EncryptedTextField
from mosty.core.models import Labelled, OwnedRecord, Timestamped, optional_ref, owned_by, staff_ref
from mosty.research.engine import Form


class Audience(models.TextChoices):
    MIGRANTS = "migrants", _("Migrants")
    INSTITUTIONS = "institutions", _("Institutions and organisations")
    RESIDENTS = "residents", _("Residents")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("survey", "Draft")
    OPEN = "open", pgettext_lazy("survey", "Open")
    CLOSED = "closed", pgettext_lazy("survey", "Closed")


def new_token() -> str:
    return secrets.token_urlsafe(24)


TITLE_LENGTH = 200


def language_key(language: dict[str, str]) -> str:
    """How a survey's texts name a language of its form: its code, else its name in the form."""
    return language.get("code") or language.get("key") or ""


class Survey(OwnedRecord):
    organisation = owned_by("surveys", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    consent_text = models.TextField(
        _("consent text"),
        blank=True,
        help_text=_("Shown before the first question; answering means agreeing to it."),
    )
    anonymous_link = models.BooleanField(
        _("open link"),
        default=True,
        help_text=_("Anyone with the address may answer; otherwise only personal links work."),
    )
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    response_cap = models.PositiveIntegerField(_("response cap"), null=True, blank=True)
    # The title and the consent text respondents read in the form's languages, as the survey's
    # editor wrote them: {"uk": "...", "ar": "..."} by the form language's code (its name in
    # the form where it has no code). A language without one reads the form's own title and
    # `consent_text` (`text_in`).
    title_translations = models.JSONField(_("title in other languages"), default=dict, blank=True)
    consent_text_translations = models.JSONField(
        _("consent text in other languages"), default=dict, blank=True
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return f"survey {self.slug}"

    def current_version(self) -> FormVersion | None:
        return self.versions.order_by("-number").first()

    def is_closed(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.status != SurveyStatus.OPEN or bool(self.closes_at and self.closes_at <= now)

    def text_in(self, field: str, language: str) -> str:
        """The survey's `title` or `consent_text` as written for `language` (a form
        language's code, or its name where it has none); "" where none was written."""
        written = getattr(self, f"{field}_translations") or {}
        text = written.get(language) if isinstance(written, dict) else None
        return text if isinstance(text, str) else ""

    def respondent_texts(self, form: Any, language: dict[str, str]) -> dict[str, str]:
        """The title and consent text in the respondent's form `language`: what the editor
        wrote for that language, else the form's own title (then the survey's) and the
        consent text as written."""
        key = language_key(language)
        return {
            "title": self.text_in("title", key) or form.own_title or self.title,
            "consent_text": self.text_in("consent_text", key) or self.consent_text,
        }

    def clean(self) -> None:
        for field, limit in (("title", TITLE_LENGTH), ("consent_text", None)):
            written = getattr(self, f"{field}_translations")
            if not isinstance(written, dict) or any(
                not isinstance(key, str)
                or not isinstance(text, str)
                or (limit is not None and len(text) > limit)
                for key, text in written.items()
            ):
                raise ValidationError(
                    {f"{field}_translations": _("Give a text for each language of the form.")}
                )

    @property
    def status_shown(self) -> str:
        """The status respondents meet: an open survey past its closing date is closed."""
        if self.status == SurveyStatus.OPEN and self.is_closed():
            return str(SurveyStatus.CLOSED.label)
        return str(self.get_status_display())


class FormVersion(Timestamped, Labelled):
    """One upload of the survey's XLSForm: pyxform's JSON of it, the languages it offers and
    what Mosty cannot do with it (`unsupported`: a survey cannot open while it is not empty)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("form definition"))
    languages = models.JSONField(_("languages"), default=list)
    unsupported = models.JSONField(_("what will not work"), default=list, blank=True)
    ignored = models.JSONField(_("what is ignored"), default=list, blank=True)
    filename = models.CharField(_("file"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="form_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"

    def form(self) -> Form:
        """The answering engine of this version (built once per instance)."""
        cached: Form | None = getattr(self, "_form", None)
        if cached is None:
            cached = self._form = Form(self.definition, self.languages)
        return cached


class Invitation(Timestamped, Labelled):
    """A personal link: a random token that answers the survey once. It names no one; the
    organisation may keep its own list of who got which code (`label`)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    label = models.CharField(_("label"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")
        ordering = ["pk"]


class ResponseMode(models.TextChoices):
    SELF = "self", _("Self-completed")
    INTERVIEW = "interview", _("Entered by an interviewer")


class Response(Timestamped, Labelled):
    """The answers of one respondent, saved page by page. `key` lets the same browser come
    back to an unfinished response after a dropped connection."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="responses")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    language = models.CharField(_("language"), max_length=60, blank=True)
    mode = models.CharField(
        _("mode"), max_length=10, choices=ResponseMode.choices, default=ResponseMode.SELF
    )
    entered_by = staff_ref()
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    page = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["pk"]
        indexes = [models.Index(fields=["survey", "submitted_at"], name="response_survey_done")]


class FocusGroup(OwnedRecord):
    """A focus group or research meeting: who took part is counted per category, never
    named; the notes are encrypted."""

    organisation = owned_by("focus_groups", on_delete=models.CASCADE)
    survey = optional_ref(Survey, _("survey"), "focus_groups")
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    facilitator = models.CharField(_("facilitator"), max_length=120)
    participants = models.JSONField(_("participants per category"), default=dict, blank=True)
    consent_obtained = models.BooleanField(_("consent obtained"), default=False)
    notes = EncryptedTextField(_("notes"), blank=True)
    findings = models.JSONField(_("findings"), default=list, blank=True)

    class Meta:
        verbose_name = _("focus group")
        verbose_name_plural = _("focus groups")
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # A record of a focus group that was held: counted as held, so not after today.
        if self.held_on and self.held_on > timezone.localdate():
            raise ValidationError(
                {"held_on": _("A focus group that was held cannot be dated in the future.")}
            )
        counts = self.participants if isinstance(self.participants, dict) else None
        if counts is None or any(
            not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in counts.values()
        ):
            raise ValidationError(
                {"participants": _("Give a whole number of participants for each category.")}
            )

    @property
    def participant_total(self) -> int:
        return sum(self.participants.values()) if isinstance(self.participants, dict) else 0
