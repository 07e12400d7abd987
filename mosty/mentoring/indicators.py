"""The mentoring module's indicators (mosty/core/indicators.py): matches running in a period,
how long they last, and the hours mentors and newcomers spend together."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mosty.core.indicators import (
    PeopleFound,
    Scope,
    Unit,
    aggregate_indicator,
    average,
    breakdown_labels,
    hours,
    indicator,
    people_source,
)
from mosty.mentoring.models import Activity, Match, MatchStatus, Meeting

breakdown_labels("kind", dict(Activity.choices))


def _matches_running(scope: Scope) -> Any:
    """Matches that ran at some time in the period: started on or before its last day and not
    ended before its first."""
    found = Match.objects.filter(
        status__in=[MatchStatus.ACTIVE, MatchStatus.ENDED],
        started_on__isnull=False,
        started_on__lt=scope.end_exclusive,
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gte=scope.starts_at))
    return scope.filter_organisations(found, "organisation_id")


def match_duration(scope: Scope, by: str | None = None) -> Any:
    """Average days the matches running in the period have lasted by its last day (to their
    end, for ended matches); one decimal."""
    last_day = min(scope.end, timezone.localdate())
    days = [
        max(0, ((timezone.localdate(ended) if ended else last_day) - started).days)
        for started, ended in _matches_running(scope).values_list("started_on", "ended_at")
    ]
    return average(days)


def match_people(scope: Scope) -> PeopleFound:
    return PeopleFound(
        participants=_matches_running(scope).values_list("participant_id", flat=True)
    )


people_source("mentoring", match_people)

aggregate_indicator(
    "mentoring.matches_active",
    name=_("Mentoring matches running"),
    definition=_(
        "Matches of a mentor and a newcomer that were running at some time in the period."
    ),
    unit=Unit.RECORDS,
    rows=_matches_running,
    breakdowns={"organisation": "organisation_id"},
)
indicator(
    "mentoring.match_duration",
    name=_("Length of mentoring matches"),
    definition=_(
        "Average number of days the matches running in the period have lasted, up to their end "
        "or the end of the period."
    ),
    unit=Unit.DAYS,
    count=match_duration,
)
aggregate_indicator(
    "mentoring.meeting_hours",
    name=_("Mentoring meeting hours"),
    definition=_("Hours of meetings mentors logged in the period."),
    unit=Unit.HOURS,
    rows=lambda scope: scope.records(
        Meeting.objects.all(), organisation="match__organisation_id", period="date"
    ),
    breakdowns={"kind": "activity", "month": "date"},
    total=Sum("minutes"),
    convert=hours,
)
