"""Cases: a participant's journey with one organisation — team, assessments, plan, referrals,
notes and support sessions (docs/architecture.md, the modules)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.core.crypto import EncryptedTextField
from mosty.core.models import (
    Authored,
    Labelled,
    OwnedRecord,
    Timestamped,
    Versioned,
    optional_ref,
    owned_by,
    staff_ref,
)


class CaseRecord(Labelled):
    """The audit label of a record of a case: its kind in English and its id. Never the text
    itself: the audit log is append-only and outlives erasure, and an English noun keeps the
    log the same whichever language the page was in (each sets `audit_noun`)."""

    class Meta:
        abstract = True


class Domain(models.TextChoices):
    """The twelve self-sufficiency domains (self-sufficiency-matrix style)."""

    HOUSING = "housing", _("Housing")
    INCOME = "income", _("Income")
    WORK = "work", _("Work")
    POLISH = "polish", _("Polish language")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    WELLBEING = "wellbeing", _("Psychological wellbeing")
    LEGAL = "legal", _("Documents and legal status")
    SOCIAL_NETWORK = "social_network", _("Social network")
    DAILY_LIFE = "daily_life", _("Daily life")
    SCHOOLING = "schooling", _("Children's schooling")
    COMMUNITY = "community", _("Community participation")


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("Intake")
    ACTIVE = "active", pgettext_lazy("case", "Active")
    ON_HOLD = "on_hold", _("On hold")
    CLOSED = "closed", _("Closed")


# Allowed status changes; a closed case can be reopened.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.INTAKE: frozenset({CaseStatus.ACTIVE, CaseStatus.CLOSED}),
    CaseStatus.ACTIVE: frozenset({CaseStatus.ON_HOLD, CaseStatus.CLOSED}),
    CaseStatus.ON_HOLD: frozenset({CaseStatus.ACTIVE, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.ACTIVE}),
}


class ClosureReason(models.TextChoices):
    GOALS_ACHIEVED = "goals_achieved", _("Goals achieved")
    MOVED_AWAY = "moved_away", _("Moved to another city or country")
    REFERRED = "referred", _("Continued by another organisation")
    NO_CONTACT = "no_contact", _("No contact")
    PARTICIPANT_REQUEST = "participant_request", _("At the participant's request")
    OTHER = "other", _("Other")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REQUESTED = "requested", _("Approval requested")
    APPROVED = "approved", pgettext_lazy("plan", "Approved")
    RETURNED = "returned", _("Returned with comment")


class Case(OwnedRecord, CaseRecord):
    audit_noun = "case"
    organisation = owned_by("cases")
    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead caseworker"),
        on_delete=models.PROTECT,
        related_name="led_cases",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team members"),
        related_name="case_teams",
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.INTAKE
    )
    closure_reason = models.CharField(
        _("closure reason"), max_length=30, choices=ClosureReason.choices, blank=True
    )
    opened_on = models.DateField(_("opened on"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    review_date = models.DateField(_("next review"), null=True, blank=True)
    plan_status = models.CharField(
        _("plan status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    plan_comment = EncryptedTextField(_("coordinator's comment"), blank=True)
    plan_decided_by = staff_ref()
    plan_decided_at = models.DateTimeField(null=True, blank=True)
    # Four eyes: who asked for approval may not approve, unless they are the organisation's only
    # coordinator; such an approval is recorded as self-approved.
    plan_requested_by = staff_ref()
    plan_self_approved = models.BooleanField(_("approved by the plan's author"), default=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["lead", "status"]),
            models.Index(fields=["review_date"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    def clean(self):
        if self.status == CaseStatus.CLOSED and not self.closure_reason:
            raise ValidationError(
                {"closure_reason": _("Say why the case is closed.")}, code="closure_reason"
            )


class Assessment(CaseRecord):
    audit_noun = "assessment"
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("date"))
    assessed_by = staff_ref()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} · {self.assessed_on}"

    def ordered_scores(self) -> list:
        """Scores in the canonical order of the domains (uses the prefetched rows)."""
        order = {d: i for i, d in enumerate(Domain.values)}
        return sorted(self.scores.all(), key=lambda s: order.get(s.domain, 99))


class AssessmentScore(CaseRecord):
    audit_noun = "assessment score"
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    domain = models.CharField(_("domain"), max_length=30, choices=Domain.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    comment = EncryptedTextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("assessment score")
        verbose_name_plural = _("assessment scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="score_once_per_domain"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="score_between_1_and_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.score}"


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class Goal(Timestamped, Authored, Versioned, CaseRecord):
    audit_noun = "goal"
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("domain"), max_length=30, choices=Domain.choices)
    title = models.CharField(_("goal"), max_length=300)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["target_date", "pk"]

    def __str__(self) -> str:
        return self.title


class TaskStatus(models.TextChoices):
    TODO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_TASK_STATUSES = (TaskStatus.TODO, TaskStatus.IN_PROGRESS)


class AssigneeKind(models.TextChoices):
    STAFF = "staff", _("Team member")
    MENTOR = "mentor", _("Mentor")
    PARTNER = "partner", _("Partner organisation")


class Task(Timestamped, Authored, CaseRecord):
    audit_noun = "task"
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=300)
    assignee_kind = models.CharField(
        _("assigned to"), max_length=20, choices=AssigneeKind.choices, default=AssigneeKind.STAFF
    )
    assignee_user = optional_ref(settings.AUTH_USER_MODEL, _("person"), "case_tasks")
    assignee_organisation = optional_ref(
        "organisations.Organisation", _("partner organisation"), "case_tasks"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.TODO
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_date", "pk"]
        # Per-case questions ("has this case overdue tasks?") start from the goal; the daily
        # reminder sweep from the due date.
        indexes = [
            models.Index(fields=["goal", "status", "due_date"], name="task_goal_status_due"),
            models.Index(fields=["due_date"], name="task_due_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.assignee_kind == AssigneeKind.PARTNER and not self.assignee_organisation_id:
            raise ValidationError(
                {"assignee_organisation": _("Choose the partner organisation.")}, code="required"
            )
        if self.assignee_kind != AssigneeKind.PARTNER and not self.assignee_user_id:
            raise ValidationError({"assignee_user": _("Choose a person.")}, code="required")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SharedField(models.TextChoices):
    """What of the participant a referral may show the partner (nothing else ever leaves)."""

    FIRST_NAME = "first_name", _("First name")
    LAST_NAME = "last_name", _("Last name")
    BIRTH_YEAR = "birth_year", _("Birth year")
    LANGUAGES = "languages", _("Languages")
    POLISH_LEVEL = "polish_level", _("Polish level")
    DISTRICT = "district", _("District")
    CONTACT = "contact", _("Contact")


class Referral(Timestamped, CaseRecord):
    audit_noun = "referral"
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="referrals_sent",
    )
    to_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    to_service = optional_ref("directory.Service", _("service in the directory"), "referrals")
    domain = models.CharField(_("domain"), max_length=30, choices=Domain.choices)
    shared_fields = models.JSONField(_("shared with the partner"), default=list, blank=True)
    message = EncryptedTextField(
        _("request to the partner"),
        help_text=_("What you ask the partner to do. Do not write personal details here."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    decision_reason = EncryptedTextField(_("reason"), blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    sent_by = staff_ref()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["to_organisation", "status"])]

    def __str__(self) -> str:
        return f"referral #{self.pk}"

    def clean(self):
        unknown = set(self.shared_fields or []) - set(SharedField.values)
        if unknown:
            raise ValidationError({"shared_fields": _("Unknown field.")}, code="invalid")
        if self.to_organisation_id and self.to_organisation_id == self.from_organisation_id:
            raise ValidationError(
                {"to_organisation": _("Refer to another organisation.")}, code="invalid"
            )


class ReferralEvent(CaseRecord):
    """The referral's history, seen by sender and partner alike."""

    audit_noun = "referral event"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices)
    comment = EncryptedTextField(_("comment"), blank=True)
    by = staff_ref()
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral} · {self.status}"


class NoteVisibility(models.TextChoices):
    TEAM = "team", _("Case team")
    RESTRICTED = "restricted", _("Restricted (psychological or legal)")


class Note(CaseRecord):
    audit_noun = "note"
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = staff_ref()
    visibility = models.CharField(
        _("visible to"), max_length=20, choices=NoteVisibility.choices, default=NoteVisibility.TEAM
    )
    body = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["case", "-created_at"])]

    def __str__(self) -> str:
        return f"note #{self.pk}"


class SupportKind(models.TextChoices):
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    LEGAL = "legal", _("Legal advice")
    MATERIAL = "material", _("Material aid")
    OTHER = "other", _("Other")


class SupportLog(CaseRecord):
    audit_noun = "support session"
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_logs")
    kind = models.CharField(_("kind of support"), max_length=20, choices=SupportKind.choices)
    happened_on = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("minutes"))
    summary = EncryptedTextField(_("summary"), blank=True)
    by = staff_ref()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support session")
        verbose_name_plural = _("support sessions")
        ordering = ["-happened_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(minutes__gte=1), name="support_minutes_min")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.minutes}"

    @property
    def author_id(self) -> int | None:
        # Psychological and legal summaries follow the restricted-note rule, which asks for the
        # author (`mosty.access.domains.cases.sees_restricted`).
        return self.by_id
