"""Programmes (funded projects) with targets per indicator, and issued reports.

A programme's figures come from the indicator registry (`mosty/core/indicators.py`) over its
scope: its period, the organisations taking part (the lead and the partners) and, when events
are linked to it, those events only. An issued report keeps the figures it showed
(`ReportSnapshot`), so the same report can be given again after people's data was erased.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from mosty.core.indicators import INDICATORS, Scope, make_links
from mosty.core.models import (
    Labelled,
    OwnedRecord,
    Timestamped,
    owned_by,
    staff_ref,
    validate_language_code,
)

# The days a report or a programme may cover: from 2000 to the end of the tenth year ahead.
# Outside them a period is a typing slip (year 0001, 9999): counting it would step over the
# calendar's ends (the period before it, a day's first moment in UTC) and fail.
REPORT_FIRST_DAY = datetime.date(2000, 1, 1)
REPORT_YEARS_AHEAD = 10


def report_last_day() -> datetime.date:
    """The last day a report or a programme may cover."""
    return datetime.date(timezone.localdate().year + REPORT_YEARS_AHEAD, 12, 31)


def report_day_error(day: datetime.date | None) -> str | None:
    """Why `day` cannot begin or end a report's period or a programme (None: it can)."""
    if day is None:
        return None
    if day < REPORT_FIRST_DAY:
        return gettext("Choose a day no earlier than %(date)s.") % {
            "date": date_format(REPORT_FIRST_DAY, "SHORT_DATE_FORMAT")
        }
    if day > report_last_day():
        return gettext("Choose a day no later than %(date)s.") % {
            "date": date_format(report_last_day(), "SHORT_DATE_FORMAT")
        }
    return None


def _funded(model: str, verbose_name: Any, help_text: Any) -> Any:
    """A programme's link to records of another module it funds (optional, many)."""
    return models.ManyToManyField(
        model,
        verbose_name=verbose_name,
        blank=True,
        related_name="report_programmes",
        help_text=help_text,
    )


class Programme(OwnedRecord):
    """A funded project: who pays, when it runs, who takes part, what it promised."""

    organisation = owned_by(
        "programmes", on_delete=models.PROTECT, verbose_name=_("lead organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    donor = models.CharField(_("donor"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    language = models.CharField(
        _("language of reports"),
        max_length=10,
        default="pl",
        validators=[validate_language_code],
    )
    partners = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="partner_programmes",
        help_text=_(
            "An organisation you do not coordinate is asked first: its records are counted, "
            "and it sees the programme, once one of its coordinators accepts."
        ),
    )
    events = models.ManyToManyField(
        "events.Event",
        verbose_name=_("events and courses"),
        blank=True,
        related_name="programmes",
        help_text=_("Leave empty to count every event of the organisations taking part."),
    )
    networks = models.ManyToManyField(
        "networks.Network",
        verbose_name=_("networks"),
        blank=True,
        related_name="programmes",
    )
    count_network_members = models.BooleanField(
        _("count the networks' member organisations"),
        default=False,
        help_text=_(
            "The figures then also count the records of the member organisations of the "
            "linked networks that an organisation taking part coordinates (the members do not "
            "see or change the programme)."
        ),
    )
    # Records of other modules the programme funds: when some of a kind are linked, that
    # kind's figures count those only (`Scope.links`). Cases and mentoring matches are not
    # linked one by one: they are people's records, counted for the organisations taking part.
    bookings = _funded(
        "assistance.AssistanceRequest",
        _("interpreter and assistant bookings"),
        _("Leave empty to count every booking of the organisations taking part."),
    )
    surveys = _funded(
        "research.Survey",
        _("surveys"),
        _("Leave empty to count every survey of the organisations taking part."),
    )
    groups = _funded(
        "participation.Group",
        _("immigrant groups"),
        _("Leave empty to count every group of the organisations taking part."),
    )

    # The links that narrow a scope: field name -> model label (`Scope.links`).
    SCOPE_LINKS = {
        "bookings": "assistance.assistancerequest",
        "surveys": "research.survey",
        "groups": "participation.group",
    }
    # What `scope()` reads: prefetch it to build many programmes' scopes without a query each.
    SCOPE_PREFETCH = ("partners", "events", "networks__members", *SCOPE_LINKS)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {
            name: error
            for name in ("starts_on", "ends_on")
            if (error := report_day_error(getattr(self, name)))
        }
        if errors:
            raise ValidationError(errors)
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A programme must end on or after its start.")})

    def organisation_ids(self) -> frozenset[int]:
        """The organisations taking part: the lead and the partners (who see the programme).
        A partner is one that accepted (`PartnerInvitation`): naming an organisation does not
        let the lead read its records."""
        return frozenset({self.organisation_id, *(org.pk for org in self.partners.all())})

    def counted_organisation_ids(self) -> frozenset[int]:
        """The organisations whose records the figures count: those taking part and, when
        `count_network_members`, the member organisations of the linked networks that an
        organisation taking part coordinates (whose figures its coordinators see already,
        `report_organisations`); another network's members are never counted."""
        found = set(self.organisation_ids())
        taking_part = frozenset(found)
        if self.count_network_members:
            for network in self.networks.all():
                if network.coordinator_id not in taking_part:
                    continue
                found |= {m.organisation_id for m in network.members.all() if m.organisation_id}
        return frozenset(found)

    def scope(self, start: datetime.date | None = None, end: datetime.date | None = None) -> Scope:
        """The programme's scope, over its whole period or the part of it asked for (reads
        the links through `.all()`, so prefetching `SCOPE_PREFETCH` saves the queries)."""
        linked = frozenset(event.pk for event in self.events.all())
        return Scope(
            start=max(start, self.starts_on) if start else self.starts_on,
            end=min(end, self.ends_on) if end else self.ends_on,
            organisations=self.counted_organisation_ids(),
            events=linked or None,
            links=make_links(
                {
                    label: [record.pk for record in getattr(self, name).all()]
                    for name, label in self.SCOPE_LINKS.items()
                }
            ),
        )


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    DECLINED = "declined", _("Declined")


class PartnerInvitation(Timestamped, Labelled):
    """An organisation the lead asked to take part in a programme. It becomes a partner
    (counted in the figures, and seeing them) only when one of its coordinators accepts; the
    row goes then, and the audit log keeps who accepted. A declined invitation stays, so the
    lead sees the answer, until the lead asks again."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="partner_invitations"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="programme_invitations",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=InvitationState.choices, default=InvitationState.PENDING
    )
    invited_by = staff_ref(_("invited by"))
    answered_by = staff_ref(_("answered by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner invitation")
        verbose_name_plural = _("partner invitations")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="partner_invitation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.organisation}"


def validate_indicator_code(value: str) -> None:
    if value not in INDICATORS:
        raise ValidationError(_("Choose an indicator from the list."), code="indicator")


class Target(Timestamped, Labelled):
    """What a programme promised for one indicator over its whole period ("160 h")."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(
        _("indicator"), max_length=60, validators=[validate_indicator_code]
    )
    value = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    note = models.CharField(
        _("wording in the grant agreement"),
        max_length=300,
        blank=True,
        help_text=_("For example: 116 persons trained from 80 institutions."),
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "indicator"], name="target_one_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.value}"

    @property
    def definition(self) -> Any:
        return INDICATORS[self.indicator] if self.indicator in INDICATORS else None


def default_currency() -> str:
    return str(getattr(settings, "MOSTY_CURRENCY", "PLN"))


class BudgetLine(Timestamped, Labelled):
    """One line of a programme's budget ("Workshops: 24 000 PLN"): amounts about the
    project, never about a person."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_lines")
    name = models.CharField(_("budget line"), max_length=200)
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default=default_currency,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Enter a three-letter currency code."))],
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.amount} {self.currency}"


class IssuedReport(Labelled):
    """The figures of a report as issued for a period: numbers only, never about one person,
    so they stay when participants' data is erased and the same report can be given again."""

    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    figures = models.JSONField(_("figures"), default=dict)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issued_by = staff_ref(_("issued by"), blank=False)

    class Meta:
        abstract = True
        ordering = ["-issued_at", "-pk"]


class ReportSnapshot(IssuedReport):
    """A programme report as issued."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="snapshots")

    class Meta(IssuedReport.Meta):
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")


# Rollups -----------------------------------------------------------------------------------
# Figures computed ahead by a background task (`mosty/reports/rollups.py`), so the pages read
# a few rows instead of counting a million attendance marks.


class RollupScope(models.Model):
    """One scope and period whose figures are kept: `key` names the organisations, the linked
    events and the period (`rollups.scope_key`); `refreshed_at` says when its rows were
    computed (shown on the pages)."""

    key = models.CharField(max_length=64, unique=True)
    start = models.DateField()
    end = models.DateField()
    organisations = models.JSONField(null=True, blank=True)
    events = models.JSONField(null=True, blank=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("kept figures")
        verbose_name_plural = _("kept figures")

    def __str__(self) -> str:
        return f"{self.start}..{self.end}"


class Rollup(models.Model):
    """One kept figure: an indicator's value over a `RollupScope`, whole (`dimension` "") or
    for one key of one breakdown ("month" "2026-03", "audience" "staff"). Numbers about
    groups, never a person."""

    scope = models.ForeignKey(RollupScope, on_delete=models.CASCADE, related_name="rows")
    indicator = models.CharField(max_length=60)
    dimension = models.CharField(max_length=30, blank=True)
    key = models.CharField(max_length=100, blank=True)
    # The figure as the indicator gave it ("15", "160.5"), read back unchanged.
    value = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("kept figure")
        verbose_name_plural = _("kept figures")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.dimension}={self.key}: {self.value}"


class RollupRun(Timestamped):
    """A refresh of the kept figures: queued (by a coordinator's "refresh now" or the daily
    jobs), running (`done` of `total` scopes), finished or failed."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("refresh", "queued")
        RUNNING = "running", pgettext_lazy("refresh", "running")
        DONE = "done", pgettext_lazy("refresh", "finished")
        FAILED = "failed", pgettext_lazy("refresh", "failed")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = staff_ref(blank=False)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("refresh of the figures")
        verbose_name_plural = _("refreshes of the figures")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.status} {self.done}/{self.total}"


class CitySnapshot(IssuedReport):
    """The city report as issued (issue 17: "the admin or city office the whole city"): every
    indicator over the whole city for a period, with its breakdowns, counts of people under
    the threshold already suppressed."""

    audit_noun = "city report"

    class Status(models.TextChoices):
        COUNTING = "counting", pgettext_lazy("city report", "being counted")
        READY = "ready", pgettext_lazy("city report", "ready")
        FAILED = "failed", pgettext_lazy("city report", "failed")

    # A period no rollup keeps is counted by a background task (`tasks.city_report_count`):
    # `done` of `total` indicators, shown on the dashboard until the report is ready.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READY)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)

    class Meta(IssuedReport.Meta):
        verbose_name = _("issued city report")
        verbose_name_plural = _("issued city reports")

    def __str__(self) -> str:
        return f"{self.period_start}..{self.period_end}"
