"""The cases module's indicators (mosty/core/indicators.py): cases opened and closed, goals
achieved per domain, support time, referrals and how fast partners answer them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Min, Sum
from django.utils.translation import gettext_lazy as _

from mosty.cases.models import (
    AssessmentScore,
    Case,
    ClosureReason,
    Domain,
    Goal,
    GoalStatus,
    Referral,
    ReferralEvent,
    ReferralStatus,
    SupportKind,
    SupportLog,
)
from mosty.core.indicators import (
    PeopleFound,
    Scope,
    Unit,
    aggregate_indicator,
    average,
    breakdown_labels,
    indicator,
    people_source,
)

breakdown_labels("domain", dict(Domain.choices))
breakdown_labels("kind", dict(SupportKind.choices))
breakdown_labels("outcome", dict(ClosureReason.choices))


def _cases(scope: Scope) -> Any:
    return scope.filter_organisations(Case.objects.all(), "organisation_id")


def _means(groups: Mapping[str, list[float]], by: str | None) -> Any:
    """The average of each group (one decimal; 0 for none): the figure when `by` is None
    (the group keyed ""), else {key: average}."""
    if by is None:
        return average(groups.get("", []))
    return {key: average(values) for key, values in sorted(groups.items())}


def _referrals(scope: Scope) -> Any:
    return scope.filter_organisations(Referral.objects.all(), "from_organisation_id")


# Referrals count by their domain and the month they were sent.
_REFERRAL_BREAKDOWNS = {"domain": "domain", "month": "created_at"}


def _reached(status: str) -> Any:
    def rows(scope: Scope) -> Any:
        """Referrals that reached `status` in the period (by the partner's answer)."""
        answered = scope.filter_period(
            ReferralEvent.objects.filter(status=status), "at", moments=True
        ).values("referral_id")
        return _referrals(scope).filter(pk__in=answered)

    return rows


def referral_days_to_answer(scope: Scope, by: str | None = None) -> Any:
    """Average days from sending a referral to the partner's first answer (accepted or
    declined), over referrals answered in the period; one decimal."""
    first_answers = (
        ReferralEvent.objects.filter(
            status__in=[ReferralStatus.ACCEPTED, ReferralStatus.DECLINED],
            referral__in=_referrals(scope),
        )
        .values("referral_id")
        .annotate(answered=Min("at"))
    )
    answers = {row["referral_id"]: row["answered"] for row in first_answers}
    sent = dict(Referral.objects.filter(pk__in=list(answers)).values_list("pk", "created_at"))
    groups: dict[str, list[float]] = {}
    domains = dict(Referral.objects.filter(pk__in=list(answers)).values_list("pk", "domain"))
    for pk, answered in answers.items():
        if not (scope.starts_at <= answered < scope.ends_before):
            continue
        days = max(0.0, (answered - sent[pk]).total_seconds() / 86400)
        key = "" if by is None else domains.get(pk, "")
        groups.setdefault(key, []).append(days)

    return _means(groups, by)


def assessment_change(scope: Scope, by: str | None = None) -> Any:
    """Average change of the score (1-5) in a domain between a case's first and last
    assessment in the period, over cases assessed at least twice in it; one decimal."""
    rows = (
        scope.filter_period(
            AssessmentScore.objects.filter(assessment__case__in=_cases(scope)),
            "assessment__assessed_on",
        )
        .order_by("assessment__assessed_on", "assessment_id")
        .values_list("assessment__case_id", "domain", "assessment_id", "score")
    )
    first: dict[tuple[int, str], tuple[int, int]] = {}
    last: dict[tuple[int, str], tuple[int, int]] = {}
    for case_id, domain, assessment_id, score in rows:
        first.setdefault((case_id, domain), (assessment_id, score))
        last[(case_id, domain)] = (assessment_id, score)
    groups: dict[str, list[float]] = {}
    for key, (assessment_id, score) in first.items():
        if last[key][0] != assessment_id:
            groups.setdefault("" if by is None else key[1], []).append(last[key][1] - score)

    return _means(groups, by)


def case_people(scope: Scope) -> PeopleFound:
    """Participants with a case open at some time in the period."""
    found = (
        _cases(scope)
        .filter(opened_on__lt=scope.end_exclusive)
        .exclude(closed_at__lt=scope.starts_at)
        .values_list("participant_id", flat=True)
    )
    return PeopleFound(participants=found)


people_source("cases", case_people)

aggregate_indicator(
    "cases.opened",
    name=_("Cases opened"),
    definition=_("Cases whose opening date falls in the period."),
    unit=Unit.RECORDS,
    rows=lambda scope: scope.filter_period(_cases(scope), "opened_on"),
    breakdowns={"month": "opened_on", "organisation": "organisation_id"},
)
aggregate_indicator(
    "cases.closed",
    name=_("Cases closed"),
    definition=_("Cases closed in the period, by the reason they were closed."),
    unit=Unit.RECORDS,
    rows=lambda scope: scope.filter_period(_cases(scope), "closed_at", moments=True),
    breakdowns={
        "month": "closed_at",
        "outcome": "closure_reason",
        "organisation": "organisation_id",
    },
)
aggregate_indicator(
    "cases.goals_achieved",
    name=_("Goals achieved"),
    definition=_("Goals of support plans marked achieved in the period, by domain."),
    unit=Unit.RECORDS,
    rows=lambda scope: scope.records(
        Goal.objects.filter(status=GoalStatus.ACHIEVED),
        organisation="case__organisation_id",
        period="updated_at",
        moments=True,
    ),
    breakdowns={"domain": "domain", "month": "updated_at"},
)
aggregate_indicator(
    "cases.support_minutes",
    name=_("Support time"),
    definition=_(
        "Minutes of psychological, legal, material and other support given in the period."
    ),
    unit=Unit.MINUTES,
    rows=lambda scope: scope.records(
        SupportLog.objects.all(), organisation="case__organisation_id", period="happened_on"
    ),
    breakdowns={"kind": "kind", "month": "happened_on"},
    total=Sum("minutes", default=0),
)
aggregate_indicator(
    "cases.referrals_sent",
    name=_("Referrals sent"),
    definition=_("Referrals sent to partner organisations in the period."),
    unit=Unit.RECORDS,
    rows=lambda scope: scope.filter_period(_referrals(scope), "created_at", moments=True),
    breakdowns=_REFERRAL_BREAKDOWNS,
)
aggregate_indicator(
    "cases.referrals_accepted",
    name=_("Referrals accepted"),
    definition=_("Referrals a partner accepted in the period."),
    unit=Unit.RECORDS,
    rows=_reached(ReferralStatus.ACCEPTED),
    breakdowns=_REFERRAL_BREAKDOWNS,
)
aggregate_indicator(
    "cases.referrals_completed",
    name=_("Referrals completed"),
    definition=_("Referrals a partner marked completed in the period."),
    unit=Unit.RECORDS,
    rows=_reached(ReferralStatus.COMPLETED),
    breakdowns=_REFERRAL_BREAKDOWNS,
)
indicator(
    "cases.referral_days_to_answer",
    name=_("Days to answer a referral"),
    definition=_(
        "Average number of days from sending a referral to the partner's first answer, over "
        "referrals answered in the period."
    ),
    unit=Unit.DAYS,
    breakdowns=("domain",),
    count=referral_days_to_answer,
)
indicator(
    "cases.assessment_change",
    name=_("Change in assessment scores"),
    definition=_(
        "Average change of a domain's score (1 to 5) between a case's first and last "
        "assessment in the period, over cases assessed at least twice in it; a positive "
        "figure is progress."
    ),
    unit=Unit.POINTS,
    breakdowns=("domain",),
    count=assessment_change,
)
