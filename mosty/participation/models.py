"""Civic participation: the city's participatory programmes and their calls (a consultation is
a call that collects opinions), explained in the seven languages, and visitors' e-mail alerts
for new calls and deadlines."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.core.collation import InNames
from mosty.core.crypto import EncryptedTextField
from mosty.core.models import (
    Authored,
    FileOrLink,
    Labelled,
    OwnedRecord,
    Timestamped,
    TranslatedRecord,
    TranslationBase,
    Versioned,
    one_per_language,
    optional_part_of,
    optional_ref,
    owned_by,
    staff_ref,
    validate_language_code,
)


class ProgrammeKind(models.TextChoices):
    CITIZENS_BUDGET = "citizens_budget", _("Citizens' budget")
    MICRO_GRANTS = "micro_grants", _("Micro-grants")
    CONSULTATION = "consultation", _("Public consultations")
    LOCAL_INITIATIVE = "local_initiative", _("Local initiative")


class Programme(OwnedRecord, TranslatedRecord):
    """A participatory programme of the city (the citizens' budget, micro-grants, public
    consultations, local initiatives), published by the city office or an NGO."""

    organisation = owned_by(
        "participation_programmes", on_delete=models.CASCADE, verbose_name=_("published by")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ProgrammeKind.choices)
    foreigners_may_take_part = models.BooleanField(
        _("foreigners may take part"),
        # Off until someone who knows the programme's rules says so: a programme saved
        # without a look at the box must not tell foreigners they may take part.
        default=False,
        help_text=_("Say so only where the rules of the programme allow it."),
    )
    official_url = models.URLField(_("official page"), blank=True)
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Unpublished programmes are seen only by your organisation."),
    )

    class Meta:
        verbose_name = _("participation programme")
        verbose_name_plural = _("participation programmes")
        ordering = ["kind", "pk"]

    @property
    def eligibility(self) -> str:
        return self.text("eligibility")

    @property
    def steps(self) -> str:
        return self.text("steps")


class ProgrammeTranslation(TranslationBase):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what it is"))
    eligibility = models.TextField(_("who may take part"), blank=True)
    steps = models.TextField(_("steps and deadlines"), blank=True)

    class Meta:
        verbose_name = _("programme translation")
        verbose_name_plural = _("programme translations")
        constraints = [one_per_language("programme", "programme_translation_unique")]


class Call(Timestamped, Authored, Versioned, Labelled, TranslatedRecord):
    """One round of a programme with its dates: a call for projects, or (in a consultation
    programme, `collects_opinions`) a consultation whose summary, how to respond and outcome are
    translated and to which newcomers and groups answer through Mosty."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="calls"
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("deadline"))
    official_url = models.URLField(_("official page"), blank=True)
    collects_opinions = models.BooleanField(
        _("collects opinions through Mosty"),
        default=False,
        help_text=_(
            "Newcomers and groups may send their opinion through Mosty; you hand them over."
        ),
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["closes_on", "pk"]
        indexes = [models.Index(fields=["closes_on"], name="call_closes_on")]

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("The deadline cannot come before the opening.")})

    @property
    def how_to_respond(self) -> str:
        return self.text("how_to_respond")

    @property
    def outcome(self) -> str:
        return self.text("outcome")

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.opens_on <= today <= self.closes_on)


class CallTranslation(TranslationBase):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    how_to_respond = models.TextField(_("how to take part"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("call translation")
        verbose_name_plural = _("call translations")
        constraints = [one_per_language("call", "call_translation_unique")]


def _alert_key() -> str:
    return secrets.token_urlsafe(24)


new_alert_key = _alert_key  # the default of `AlertSubscription.key` (named so by migrations)


class AlertSubscription(Timestamped, Labelled):
    """A visitor's e-mail alert for new calls and coming deadlines, in their language. Sent
    only once the address is confirmed (double opt-in); unsubscribing deletes the row."""

    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=10, validators=[validate_language_code])
    # The secret in the unsubscribe link; a new one is drawn on every new subscription.
    key = models.CharField(max_length=64, default=_alert_key, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last alert sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="alert_subscription_email_unique")
        ]


class CallDocument(FileOrLink, Labelled):
    """A document of a call or consultation (the draft consulted, the rules, the report)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents")

    class Meta(FileOrLink.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at", "pk"]


# --- support to take part ---------------------------------------------------------------------


class IdeaKind(models.TextChoices):
    PROJECT = "project", _("Project idea")
    RESPONSE = "response", _("Consultation response")


class IdeaStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("idea", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("idea", "Submitted")
    SELECTED = "selected", pgettext_lazy("idea", "Selected")
    REJECTED = "rejected", pgettext_lazy("idea", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("idea", "Withdrawn")


# Where an idea may go from each status (the result statuses are final).
IDEA_MOVES: dict[str, tuple[str, ...]] = {
    IdeaStatus.DRAFT: (IdeaStatus.SUBMITTED, IdeaStatus.WITHDRAWN),
    IdeaStatus.SUBMITTED: (IdeaStatus.SELECTED, IdeaStatus.REJECTED, IdeaStatus.WITHDRAWN),
}


class Idea(OwnedRecord):
    """A newcomer's project idea or consultation response, prepared with the support of an
    organisation (the "assistantship"): draft → submitted → selected, rejected or withdrawn.
    A response to a consultation is handed to its organiser once submitted, and the organiser
    records the authority's answer here, so the author sees what happened to their voice."""

    organisation = owned_by("participation_ideas", verbose_name=_("supported by"))
    kind = models.CharField(_("kind"), max_length=20, choices=IdeaKind.choices)
    call = models.ForeignKey(
        Call,
        verbose_name=_("call or consultation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ideas",
    )
    participant = optional_part_of("people.Participant", _("participant"), "participation_ideas")
    # A newcomer with their own account who wrote the idea themself.
    author = optional_ref(settings.AUTH_USER_MODEL, _("author"), "participation_ideas")
    supporter = optional_ref(
        settings.AUTH_USER_MODEL, _("mentor or assistant"), "participation_supported_ideas"
    )
    title = models.CharField(_("title"), max_length=200)
    text = EncryptedTextField(_("the idea or opinion"))
    status = models.CharField(
        _("status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.DRAFT
    )
    submitted_at = models.DateTimeField(pgettext_lazy("idea", "submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("result recorded"), null=True, blank=True)
    answer = EncryptedTextField(_("answer of the authority"), blank=True)
    answered_at = models.DateTimeField(
        pgettext_lazy("by the authority", "answered"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="idea_org_status"),
            # The staff list: an organisation's ideas, newest first.
            models.Index(fields=["organisation", "-created_at"], name="idea_org_recent"),
            # A consultation organiser's share: the responses to their calls, not every idea
            # filed under those calls (the call's own index reads the projects too).
            models.Index(fields=["kind", "call"], name="idea_kind_call"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.participant_id is None and self.author_id is None:
            raise ValidationError(_("Say whose idea it is."))
        if self.kind == IdeaKind.RESPONSE and (
            self.call_id is None or not self.call.collects_opinions  # type: ignore[union-attr]
        ):
            raise ValidationError(
                {
                    "call": _(
                        "A consultation response answers a consultation that collects opinions."
                    )
                }
            )

    @property
    def moves(self) -> tuple[str, ...]:
        return IDEA_MOVES.get(self.status, ())


class SupportEntry(Timestamped, Labelled):
    """Time a mentor or assistant spent helping with an idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="support")
    given_by = staff_ref(_("given by"), blank=False)
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    note = EncryptedTextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("support given")
        verbose_name_plural = _("support given")
        ordering = ["-date", "-pk"]


# --- groups that organise themselves ----------------------------------------------------------


class GroupKind(models.TextChoices):
    ADVISORY_TEAM = "advisory_team", _("Advisory team")
    SELF_HELP = "self_help", _("Self-help association")
    COOPERATIVE = "cooperative", _("Cooperative initiative")
    WOMENS_GROUP = "womens_group", _("Women's group")
    DIASPORA = "diaspora", _("Diaspora association")


class Group(OwnedRecord):
    """An immigrant group hosted by an organisation. Its leaders (members with the leader
    role) run it; that gives them no staff rights over anyone's case."""

    organisation = owned_by("participation_groups", verbose_name=_("hosted by"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=GroupKind.choices)
    women_only = models.BooleanField(
        _("women only"), default=False, help_text=_("Meetings and membership are for women.")
    )
    description = models.TextField(_("what the group does"), blank=True)
    is_public = models.BooleanField(
        _("public page"),
        default=False,
        help_text=_("Show the group's name, aim and meetings count to everyone."),
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = [InNames(F("name")), "pk"]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", pgettext_lazy("group role", "Member")


class GroupMember(Timestamped, Versioned, Labelled):
    """A person in a group, with a role and a term: a user with an account, or a participant
    whom the host organisation supports. Versioned: two leaders editing one term conflict."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = optional_part_of(settings.AUTH_USER_MODEL, _("user"), "participation_memberships")
    participant = optional_part_of("people.Participant", _("participant"), "participation_groups")
    role = models.CharField(
        _("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(pgettext_lazy("end date", "until"), null=True, blank=True)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(participant__isnull=False),
                name="group_member_is_someone",
            )
        ]

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The term cannot end before it starts.")})

    def is_active(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or today <= self.ends_on)


class GroupMeeting(Timestamped, Authored, Versioned, Labelled):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    decisions = EncryptedTextField(_("decisions"), blank=True)
    minutes = EncryptedTextField(pgettext_lazy("meeting record", "minutes"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("group meeting", "meeting")
        verbose_name_plural = pgettext_lazy("group meeting", "meetings")
        ordering = ["-date", "-pk"]

    def clean(self) -> None:
        # A record of a meeting that took place (its decisions, its minutes): it is counted
        # as held, so it cannot be dated after today.
        if self.date and self.date > timezone.localdate():
            raise ValidationError(
                {"date": _("A meeting that took place cannot be dated in the future.")}
            )


class GroupDocument(FileOrLink, Labelled):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="documents")

    class Meta(FileOrLink.Meta):
        verbose_name = _("group document")
        verbose_name_plural = _("group documents")
        ordering = ["-created_at", "-pk"]


class MilestoneStep(models.TextChoices):
    FOUNDING_GROUP = "founding_group", _("Founding group")
    TRAINING = "training", _("Training")
    STATUTE = "statute", _("Statute")
    REGISTRATION = "registration", pgettext_lazy("cooperative milestone", "Registration")
    BUSINESS_PLAN = "business_plan", _("Business plan")
    FUNDING = "funding", _("Funding")


class Milestone(Timestamped, Labelled):
    """A step of a cooperative initiative on its way to a social cooperative."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="milestones")
    step = models.CharField(
        pgettext_lazy("cooperative milestone", "step"), max_length=30, choices=MilestoneStep.choices
    )
    due_on = models.DateField(_("planned for"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    support = models.TextField(_("support received"), blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["group", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "step"], name="milestone_step_once_per_group")
        ]


# --- policy consultation by a group -----------------------------------------------------------


class PolicyDocument(Timestamped, Authored, Labelled):
    """A policy draft a group comments on (a voivodship or city strategy), split in sections."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="policy_documents")
    title = models.CharField(_("title"), max_length=200)
    source_url = models.URLField(_("official page"), blank=True)
    # The city's consultation the group's opinion answers, when there is one in Mosty.
    call = optional_ref(Call, _("consultation"), "group_opinions")

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class PolicySection(models.Model):
    document = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="policy_section_unique")
        ]

    def __str__(self) -> str:
        return f"§ {self.number}"


class SectionComment(Timestamped, Labelled):
    section = models.ForeignKey(PolicySection, on_delete=models.CASCADE, related_name="comments")
    author = staff_ref(_("author"), blank=False)
    text = EncryptedTextField(pgettext_lazy("on a policy text", "comment"))

    class Meta:
        verbose_name = pgettext_lazy("on a policy text", "comment")
        verbose_name_plural = pgettext_lazy("on a policy text", "comments")
        ordering = ["created_at", "pk"]


class Response(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("answer to a point", "Accepted")
    PARTLY = "partly", pgettext_lazy("answer to a point", "Partly accepted")
    REJECTED = "rejected", pgettext_lazy("answer to a point", "Rejected")


class OpinionPoint(Timestamped, Labelled):
    """One point of the opinion the group adopted, and the authority's response to it."""

    document = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="points")
    section = optional_ref(PolicySection, _("section"), "points")
    text = models.TextField(_("point of the opinion"))
    response = models.CharField(
        pgettext_lazy("authority's answer to a point", "response"),
        max_length=20,
        choices=Response.choices,
        blank=True,
    )
    reason = models.TextField(_("reason given"), blank=True)
    responded_at = models.DateTimeField(
        pgettext_lazy("by the authority", "answered"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("opinion point")
        verbose_name_plural = _("opinion points")
        ordering = ["pk"]
