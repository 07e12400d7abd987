"""Reads on cases; every query starts from what the asking user may see."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mosty.access.domains.cases import (
    case_organisations,
    my_team_cases,
    plans_awaiting_approval,
    visible_cases,
    visible_incoming_referrals,
    visible_notes,
    visible_outgoing_referrals,
    visible_referrals,
    visible_support_logs,
    visible_tasks,
)
from mosty.access.domains.people import visible_participants
from mosty.cases.models import (
    OPEN_TASK_STATUSES,
    Assessment,
    AssessmentScore,
    Case,
    CaseStatus,
    Domain,
    Goal,
    Note,
    PlanStatus,
    Referral,
    ReferralEvent,
    SharedField,
    SupportLog,
    Task,
)
from mosty.core.formats import languages_spoken
from mosty.core.queries import counted
from mosty.organisations.models import Organisation
from mosty.people.models import Participant
from mosty.people.selectors import search_q

# Review dates this many days ahead count as upcoming on the dashboard.
UPCOMING_REVIEW_DAYS = 14


def _overdue_tasks_q(today: datetime.date):
    return Task.objects.filter(
        goal__case=OuterRef("pk"), status__in=OPEN_TASK_STATUSES, due_date__lt=today
    )


def case_list(*, fetched_by, filters: dict | None = None) -> QuerySet[Case]:
    filters = filters or {}
    qs = visible_cases(fetched_by).select_related("participant", "lead", "organisation")
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("awaiting_approval"):
        qs = qs.filter(plan_status=PlanStatus.REQUESTED)
    if filters.get("mine"):
        qs = qs.filter(Q(lead=fetched_by) | Q(members=fetched_by)).distinct()
    q = search_q(filters.get("q") or "")
    if q is not None:
        # The people module's search: names in any script and spelling, phone or code.
        qs = qs.filter(participant__in=Participant.objects.filter(q).values("pk"))
    # A correlated count (`counted`): the tasks of the 25 rows shown, not of every visible
    # case (3,000+ for a large NGO).
    overdue = counted(_overdue_tasks_q(timezone.localdate()), "goal__case")
    return qs.annotate(overdue_count=overdue).order_by("-updated_at", "-pk")


def case_get(*, fetched_by, pk: int) -> Case:
    return get_object_or_404(
        visible_cases(fetched_by).select_related(
            "participant", "lead", "organisation", "plan_decided_by"
        ),
        pk=pk,
    )


def case_organisation_choices(*, fetched_by) -> QuerySet[Organisation]:
    """The organisations `fetched_by` may open cases in."""
    return case_organisations(fetched_by)


def case_participant_find(*, fetched_by, code: str = "", pk=None) -> Participant | None:
    """The participant a new case is for, by code or id, among those `fetched_by` may see."""
    qs = visible_participants(fetched_by)
    if pk is not None:
        return qs.filter(pk=pk).first() if str(pk).isdecimal() else None
    return qs.filter(code__iexact=code.strip()).first() if code.strip() else None


def participant_cases(*, fetched_by, participant: Participant) -> QuerySet[Case]:
    """The participant's cases that `fetched_by` may see, newest first."""
    return (
        visible_cases(fetched_by)
        .filter(participant=participant)
        .select_related("organisation", "lead")
        .order_by("-opened_on", "-pk")
    )


def goal_get(*, fetched_by, pk: int) -> Goal:
    return get_object_or_404(
        Goal.objects.select_related("case", "case__participant"),
        pk=pk,
        case__in=visible_cases(fetched_by).values("pk"),
    )


def task_get(*, fetched_by, pk: int) -> Task:
    return get_object_or_404(
        Task.objects.select_related("goal__case"),
        pk=pk,
        goal__case__in=visible_cases(fetched_by).values("pk"),
    )


def assigned_task_get(*, fetched_by, pk: int) -> Task:
    """A task of a visible case, or one given to `fetched_by` as a mentor."""
    return get_object_or_404(visible_tasks(fetched_by).select_related("goal", "goal__case"), pk=pk)


def case_team(case: Case) -> list:
    return [case.lead, *[m for m in case.members.all() if m.pk != case.lead_id]]


def case_plan(case: Case) -> list[Goal]:
    return list(
        case.goals.prefetch_related(
            Prefetch(
                "tasks",
                queryset=Task.objects.select_related("assignee_user", "assignee_organisation"),
            )
        )
    )


def case_assessments(case: Case) -> list[Assessment]:
    return list(
        case.assessments.select_related("assessed_by").prefetch_related(
            Prefetch("scores", queryset=AssessmentScore.objects.order_by("domain"))
        )
    )


def assessment_progress(assessments: list[Assessment]) -> list[dict]:
    """Per domain: the scores over time, oldest first, for the progress charts."""
    series = {d: [] for d in Domain.values}
    for assessment in sorted(assessments, key=lambda a: (a.assessed_on, a.pk)):
        for score in assessment.scores.all():
            series[score.domain].append((assessment.assessed_on, score.score))
    return [{"domain": d, "label": Domain(d).label, "points": series[d]} for d in Domain.values]


def assessment_table(assessments: list[Assessment]) -> list[dict]:
    """Rows per domain, one cell per assessment (same order as `assessments`)."""
    by_assessment = [{s.domain: s for s in a.scores.all()} for a in assessments]
    return [
        {
            "label": label,
            "cells": [
                {
                    "score": row[d].score if d in row else None,
                    "comment": row[d].comment if d in row else "",
                }
                for row in by_assessment
            ],
        }
        for d, label in Domain.choices
    ]


def note_list(*, case: Case, fetched_by) -> QuerySet[Note]:
    return visible_notes(fetched_by, case).select_related("author")


def support_log_list(*, case: Case, fetched_by) -> QuerySet[SupportLog]:
    """Sessions with `summary_restricted` set where the asking user may not read the summary."""
    return visible_support_logs(fetched_by, case).select_related("by")


def case_referrals(case: Case) -> QuerySet[Referral]:
    return case.referrals.select_related("to_organisation", "sent_by")


def referral_list(*, fetched_by, direction: str = "incoming") -> QuerySet[Referral]:
    if direction == "incoming":
        qs = visible_incoming_referrals(fetched_by)
    else:
        qs = visible_outgoing_referrals(fetched_by)
    return qs.select_related("from_organisation", "to_organisation").order_by("-created_at")


def referral_get(*, fetched_by, pk: int) -> Referral:
    return get_object_or_404(
        visible_referrals(fetched_by).select_related(
            "case",
            "case__participant",
            "case__participant__district",
            "from_organisation",
            "to_organisation",
            "sent_by",
        ),
        pk=pk,
    )


def referral_history(referral: Referral) -> QuerySet[ReferralEvent]:
    return referral.events.select_related("by", "organisation")


def referral_shared_data(referral: Referral) -> list[tuple[str, str]]:
    """(label, value) of exactly the fields the sender chose to share; nothing else."""
    participant = referral.case.participant
    if participant.anonymised_at:
        return []
    values = {
        SharedField.FIRST_NAME: participant.first_name or participant.first_name_original,
        SharedField.LAST_NAME: participant.last_name or participant.last_name_original,
        SharedField.BIRTH_YEAR: participant.birth_year or "",
        # Names and levels in the reader's language, as on the participant's page.
        SharedField.LANGUAGES: ", ".join(languages_spoken(participant.languages)),
        SharedField.POLISH_LEVEL: participant.get_polish_level_display(),
        SharedField.DISTRICT: participant.district.name if participant.district_id else "",
        SharedField.CONTACT: " · ".join(
            x
            for x in (
                participant.phone,
                participant.email,
                participant.get_preferred_channel_display(),
            )
            if x
        ),
    }
    return [
        (SharedField(f).label, str(values[f]) or "—")
        for f in SharedField.values
        if f in (referral.shared_fields or [])
    ]


def cases_on_my_team(user) -> QuerySet[Case]:
    """Cases the user leads or is a member of (see `my_team_cases`)."""
    return my_team_cases(user)


def _reviews_due(cases: QuerySet[Case], today: datetime.date) -> QuerySet[Case]:
    return cases.filter(
        review_date__isnull=False,
        review_date__lte=today + datetime.timedelta(days=UPCOMING_REVIEW_DAYS),
    )


def _overdue_tasks(cases: QuerySet[Case], today: datetime.date) -> QuerySet[Task]:
    return Task.objects.filter(
        goal__case__in=cases.values("pk"), status__in=OPEN_TASK_STATUSES, due_date__lt=today
    )


def _waiting_counts(user) -> dict:
    """What waits for the user's answer: incoming referrals and plans to approve."""
    return {
        "incoming_referrals": visible_incoming_referrals(user).filter(status="sent").count(),
        "plans_to_approve": plans_awaiting_approval(user).count(),
    }


def dashboard(*, fetched_by, limit: int = 10) -> dict:
    """The caseworker's dashboard: my cases, overdue tasks, upcoming reviews, recent changes."""
    today = timezone.localdate()
    mine = cases_on_my_team(fetched_by)
    open_mine = mine.exclude(status=CaseStatus.CLOSED)
    my_cases = list(
        open_mine.select_related("participant")
        .annotate(overdue=Exists(_overdue_tasks_q(today)))
        .order_by("-updated_at", "-pk")[:limit]
    )
    overdue = list(
        _overdue_tasks(open_mine, today)
        .select_related("goal__case__participant", "assignee_user", "assignee_organisation")
        .order_by("due_date", "pk")[:limit]
    )
    reviews = list(
        _reviews_due(open_mine, today)
        .select_related("participant")
        .order_by("review_date", "pk")[:limit]
    )
    recent = list(mine.select_related("participant").order_by("-updated_at", "-pk")[:limit])
    return {
        "my_cases": my_cases,
        "my_case_count": open_mine.count(),
        "overdue_tasks": overdue,
        "reviews": reviews,
        "recent": recent,
        "today": today,
        **_waiting_counts(fetched_by),
    }


def dashboard_counts(*, fetched_by) -> dict:
    """The numbers of the dashboard panel, in four queries (the user's open cases and those
    due for review are one aggregate)."""
    today = timezone.localdate()
    mine = cases_on_my_team(fetched_by).exclude(status=CaseStatus.CLOSED)
    counts = mine.aggregate(
        cases=Count("pk"),
        reviews=Count(
            "pk",
            filter=Q(
                review_date__isnull=False,
                review_date__lte=today + datetime.timedelta(days=UPCOMING_REVIEW_DAYS),
            ),
        ),
    )
    return {
        "my_case_count": counts["cases"],
        "overdue_count": _overdue_tasks(mine, today).count(),
        "review_count": counts["reviews"],
        **_waiting_counts(fetched_by),
    }
