"""Reads of the mentoring module; every one starts from a `visible_*` selector."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from mosty.access.domains.mentoring import (
    _coordinated,
    matchable_participants,
    matching_scope,
    visible_matches,
    visible_matching_runs,
    visible_meetings,
    visible_mentors,
)
from mosty.core.queries import counted
from mosty.mentoring import engine_data
from mosty.mentoring.models import (
    OPEN_MATCH_STATUSES,
    Match,
    MatchingRun,
    MatchProposal,
    MatchStatus,
    Meeting,
    Mentor,
    RunStatus,
    VettingStatus,
)

# A match with no meeting for this long is flagged; a check-in is due every this many days.
QUIET_DAYS = 30
CHECKIN_DAYS = 30


def mentor_list(*, fetched_by, filters: dict | None = None) -> QuerySet[Mentor]:
    filters = filters or {}
    qs = visible_mentors(fetched_by).select_related("district")
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("q"):
        qs = qs.filter(Q(name__icontains=filters["q"]) | Q(email__icontains=filters["q"]))
    # A correlated count (`counted`): the matches of the rows shown, not of every visible
    # mentor (2,000 in a large organisation).
    open_matches = Match.objects.filter(mentor=OuterRef("pk"), status__in=OPEN_MATCH_STATUSES)
    return qs.annotate(open_matches=counted(open_matches, "mentor")).order_by("-created_at", "-pk")


def mentor_get(*, fetched_by, pk: int) -> Mentor:
    return get_object_or_404(
        visible_mentors(fetched_by).select_related("district", "organisation", "user"), pk=pk
    )


def mentor_own(*, user) -> Mentor | None:
    return (
        visible_mentors(user).filter(user=user).select_related("district", "organisation").first()
    )


def _with_activity(qs: QuerySet[Match]) -> QuerySet[Match]:
    return qs.annotate(last_meeting=Max("meetings__date"), last_checkin=Max("checkins__date"))


def match_list(*, fetched_by, filters: dict | None = None) -> QuerySet[Match]:
    filters = filters or {}
    qs = visible_matches(fetched_by).select_related(
        "mentor", "participant", "participant__district"
    )
    status = filters.get("status")
    if status == "open":
        qs = qs.filter(status__in=OPEN_MATCH_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status=MatchStatus.DECLINED)
    return _with_activity(qs).order_by("-proposed_at", "-pk")


def match_get(*, fetched_by, pk: int) -> Match:
    return get_object_or_404(
        _with_activity(
            visible_matches(fetched_by).select_related(
                "mentor", "mentor__user", "participant", "participant__district", "organisation"
            )
        ),
        pk=pk,
    )


def attention_flags(match: Match, *, today: dt.date | None = None) -> dict:
    """Quiet (no meeting for QUIET_DAYS) and check-in overdue, for an active match."""
    today = today or timezone.localdate()
    if match.status != MatchStatus.ACTIVE:
        return {"quiet": False, "checkin_overdue": False, "checkin_due": None}
    started = match.started_on or today
    last_meeting = getattr(match, "last_meeting", None) or started
    last_checkin = getattr(match, "last_checkin", None) or started
    due = last_checkin + dt.timedelta(days=CHECKIN_DAYS)
    return {
        "quiet": (today - last_meeting).days > QUIET_DAYS,
        "checkin_overdue": due < today,
        "checkin_due": due,
    }


def match_attention_list(*, fetched_by) -> list[Match]:
    """Active matches, the ones needing attention first (quiet or check-in overdue)."""
    matches = list(match_list(fetched_by=fetched_by, filters={"status": MatchStatus.ACTIVE}))
    for match in matches:
        match.flags = attention_flags(match)
    matches.sort(
        key=lambda m: (not (m.flags["quiet"] or m.flags["checkin_overdue"]), m.flags["checkin_due"])
    )
    return matches


def meeting_list(*, match: Match) -> QuerySet[Meeting]:
    return match.meetings.select_related("logged_by").order_by("-date", "-pk")


def meeting_get(*, fetched_by, pk: int) -> Meeting:
    """One meeting of a match the user may see (404 otherwise), with its match."""
    return get_object_or_404(
        visible_meetings(fetched_by).select_related("match", "match__mentor", "logged_by"),
        pk=pk,
    )


def meetings_visible(*, fetched_by) -> QuerySet[Meeting]:
    return visible_meetings(fetched_by).select_related("match").order_by("-date", "-pk")


def mentor_tasks(*, match: Match) -> list:
    """Plan tasks given to this mentor for this participant (from the cases module)."""
    if not match.mentor.user_id:
        return []
    try:
        from mosty.cases.models import OPEN_TASK_STATUSES, AssigneeKind, Task
    except ImportError:
        return []
    return list(
        Task.objects.filter(
            assignee_kind=AssigneeKind.MENTOR,
            assignee_user_id=match.mentor.user_id,
            goal__case__participant_id=match.participant_id,
            status__in=OPEN_TASK_STATUSES,
        )
        .select_related("goal__case")
        .order_by("due_date", "pk")[:50]
    )


@dataclass
class MatchingRuns:
    """The newest finished run the user may read, and a newer one waiting or computing."""

    latest: MatchingRun | None
    pending: MatchingRun | None
    failed: MatchingRun | None  # a newer run that failed: the proposals shown are older


def matching_runs(*, fetched_by) -> MatchingRuns:
    """One query: a scope keeps few runs (a finished run removes the older ones)."""
    recent = list(visible_matching_runs(fetched_by).order_by("-pk")[:20])
    latest = next((r for r in recent if r.status == RunStatus.DONE), None)
    newer = [r for r in recent if latest is None or r.pk > latest.pk]
    pending = next((r for r in newer if not r.is_finished), None)
    failed = next((r for r in newer if r.status == RunStatus.FAILED), None)
    return MatchingRuns(latest=latest, pending=pending, failed=failed)


def matching_run_get(*, fetched_by, pk: int) -> MatchingRun:
    return get_object_or_404(visible_matching_runs(fetched_by), pk=pk)


def _stored(run: MatchingRun, fetched_by) -> QuerySet[MatchProposal]:
    """Rows of `run` about people the user may still match and who still wait: a proposal
    confirmed (or a mentor found by hand) since the run drops out at once."""
    scope = matching_scope(fetched_by)
    open_match = Match.objects.filter(
        participant_id=OuterRef("participant_id"), status__in=OPEN_MATCH_STATUSES
    )
    return (
        MatchProposal.objects.filter(
            run=run,
            participant__owner_id__in=scope,
            participant__anonymised_at__isnull=True,
        )
        .exclude(Exists(open_match))
        .order_by("rank")
    )


def matching_proposals(*, fetched_by, run: MatchingRun) -> QuerySet[MatchProposal]:
    """The stored proposals of `run`, best first, without pairs rejected since and with
    mentors still approved."""
    declined = Match.objects.filter(
        participant_id=OuterRef("participant_id"),
        mentor_id=OuterRef("mentor_id"),
        status=MatchStatus.DECLINED,
    )
    return (
        _stored(run, fetched_by)
        .filter(
            mentor__organisation_id__in=matching_scope(fetched_by),
            mentor__status=VettingStatus.APPROVED,
        )
        .exclude(Exists(declined))
        .select_related("participant__district", "mentor")
    )


def matching_unmatched(*, fetched_by, run: MatchingRun) -> QuerySet[MatchProposal]:
    """The people `run` left without a proposal, with the reason as codes."""
    return _stored(run, fetched_by).filter(mentor__isnull=True).select_related("participant")


CANDIDATES_SHOWN = 20


def candidates_for(*, fetched_by, participant) -> tuple[list, str, dict]:
    """The best mentors for one waiting participant, explained, with why there is none."""
    engine = engine_data.engine(
        participants_qs=matchable_participants(fetched_by).filter(pk=participant.pk),
        organisation_ids=_coordinated(fetched_by),
    )
    if not len(engine.P):
        return (
            [],
            _("This person has a mentor or a proposal already, or has not consented to mentoring."),
            {},
        )
    ranked = engine.ranked_for(0, CANDIDATES_SHOWN)
    reason = "" if ranked else engine.why_unmatched(0, 0)
    mentors = (
        Mentor.objects.filter(pk__in=[x.mentor_id for x in ranked])
        .select_related("district")
        .annotate(held=Count("matches", filter=Q(matches__status__in=OPEN_MATCH_STATUSES)))
        .in_bulk()
    )
    return ranked, reason, mentors


def matching_names(*, fetched_by, participant_ids, mentor_ids) -> tuple[dict, dict]:
    """The participants and mentors a page of matching results names (two queries)."""
    from mosty.access.domains.mentoring import visible_mentors

    people = (
        matchable_participants(fetched_by)
        .filter(pk__in=participant_ids)
        .select_related("district")
        .in_bulk()
    )
    mentors = (
        visible_mentors(fetched_by).filter(pk__in=mentor_ids).select_related("district").in_bulk()
    )
    return people, mentors


def proposed_matches(*, fetched_by) -> QuerySet[Match]:
    return (
        visible_matches(fetched_by)
        .filter(status=MatchStatus.PROPOSED)
        .select_related("mentor", "participant")
        .order_by("-proposed_at", "-pk")
    )
