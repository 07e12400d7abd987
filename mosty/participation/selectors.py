"""Reads of the participation module, each starting from a `visible_*` selector."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mosty.access.domains.participation import (
    consultation_responses,
    idea_supporter_candidates,
    managed_programmes,
    public_groups,
    visible_call_documents,
    visible_calls,
    visible_groups,
    visible_ideas,
    visible_programmes,
)
from mosty.access.domains.people import visible_participants
from mosty.participation.models import (
    Call,
    CallDocument,
    Group,
    GroupDocument,
    GroupMeeting,
    GroupMember,
    Idea,
    IdeaKind,
    IdeaStatus,
    Milestone,
    MilestoneStep,
    OpinionPoint,
    PolicyDocument,
    PolicySection,
    Programme,
    Response,
    SectionComment,
    SupportEntry,
)


def _with_texts(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    return programmes.select_related("organisation").prefetch_related("translations")


def _calls_with_texts(calls: QuerySet[Call]) -> QuerySet[Call]:
    return calls.select_related("programme", "programme__organisation").prefetch_related(
        "translations", "programme__translations"
    )


def programme_list(
    *, fetched_by: Any, filters: dict[str, Any] | None = None
) -> QuerySet[Programme]:
    filters = filters or {}
    rows = visible_programmes(fetched_by)
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("foreigners"):
        rows = rows.filter(foreigners_may_take_part=True)
    return _with_texts(rows).order_by("kind", "pk")


def programme_get(*, fetched_by: Any, pk: int) -> Programme:
    return get_object_or_404(_with_texts(visible_programmes(fetched_by)), pk=pk)


def programme_calls(*, programme: Programme) -> QuerySet[Call]:
    """The calls of a programme the caller could already see, newest deadline first."""
    return _calls_with_texts(programme.calls.all()).order_by("-closes_on", "pk")


def programme_managed_list(*, fetched_by: Any) -> QuerySet[Programme]:
    return _with_texts(managed_programmes(fetched_by)).order_by("kind", "pk")


def programme_managed_get(*, fetched_by: Any, pk: int) -> Programme:
    return get_object_or_404(_with_texts(managed_programmes(fetched_by)), pk=pk)


def call_list(
    *, fetched_by: Any, filters: dict[str, Any] | None = None, today: datetime.date | None = None
) -> QuerySet[Call]:
    """Calls open now or opening later (the public calendar), by deadline."""
    filters = filters or {}
    today = today or timezone.localdate()
    rows = visible_calls(fetched_by).filter(closes_on__gte=today)
    if filters.get("kind"):
        rows = rows.filter(programme__kind=filters["kind"])
    if filters.get("consultations"):
        rows = rows.filter(collects_opinions=True)
    return _calls_with_texts(rows).order_by("closes_on", "pk")


def call_get(*, fetched_by: Any, pk: int) -> Call:
    return get_object_or_404(_calls_with_texts(visible_calls(fetched_by)), pk=pk)


def call_managed_get(*, fetched_by: Any, pk: int) -> Call:
    rows = Call.objects.filter(programme__in=managed_programmes(fetched_by))
    return get_object_or_404(_calls_with_texts(rows), pk=pk)


# What alerts tell a visitor: only what is published, whoever asks.


def calls_published_since(since: datetime.datetime) -> list[Call]:
    rows = visible_calls(AnonymousUser()).filter(
        created_at__gt=since, closes_on__gte=timezone.localdate()
    )
    return list(_calls_with_texts(rows).order_by("closes_on", "pk"))


def calls_closing_on(day: datetime.date) -> list[Call]:
    rows = visible_calls(AnonymousUser()).filter(closes_on=day)
    return list(_calls_with_texts(rows).order_by("pk"))


# --- consultations and ideas --------------------------------------------------------------


def call_documents(*, call: Call) -> QuerySet[CallDocument]:
    return call.documents.all()


def call_document_get(*, fetched_by: Any, pk: int) -> CallDocument:
    return get_object_or_404(visible_call_documents(fetched_by), pk=pk)


def call_voice(*, call: Call) -> dict[str, int]:
    """What happened to the voices sent through Mosty: counts only, for the public page."""
    rows = Idea.objects.filter(call=call, kind=IdeaKind.RESPONSE).exclude(status=IdeaStatus.DRAFT)
    return rows.aggregate(
        submitted=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False))
    )


def call_group_opinions(*, call: Call) -> QuerySet[PolicyDocument]:
    """Public groups' opinions on a consultation (their results pages are public)."""
    return PolicyDocument.objects.filter(call=call, group__in=public_groups()).select_related(
        "group"
    )


def idea_list(*, fetched_by: Any, filters: dict[str, Any] | None = None) -> QuerySet[Idea]:
    filters = filters or {}
    rows = visible_ideas(fetched_by)
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    return rows.select_related(
        "participant", "supporter", "author", "organisation", "call"
    ).prefetch_related("call__translations")


def idea_get(*, fetched_by: Any, pk: int) -> Idea:
    rows = visible_ideas(fetched_by).select_related(
        "participant", "supporter", "author", "organisation", "call", "call__programme"
    )
    return get_object_or_404(rows.prefetch_related("call__translations"), pk=pk)


def idea_support(*, idea: Idea) -> QuerySet[SupportEntry]:
    return idea.support.select_related("given_by")


def idea_support_hours(*, idea: Idea) -> Decimal:
    return idea.support.aggregate(total=Sum("hours"))["total"] or Decimal("0")


def response_list(*, fetched_by: Any, call: Call) -> QuerySet[Idea]:
    """The organiser's view of a consultation's submitted responses, oldest first."""
    return consultation_responses(fetched_by, call).order_by("submitted_at", "pk")


def consultation_calls(*, fetched_by: Any) -> QuerySet[Call]:
    """Open consultations a newcomer may answer."""
    return call_list(fetched_by=fetched_by, filters={"consultations": True})


def participant_choices(*, fetched_by: Any, organisation: Any) -> QuerySet[Any]:
    return visible_participants(fetched_by).filter(owner=organisation).order_by("code")


def supporter_choices(*, organisation: Any) -> QuerySet[Any]:
    return idea_supporter_candidates(organisation)


# --- figures (for the impact registry, issue 17) -------------------------------------------


def participation_figures(*, ideas: QuerySet[Idea]) -> dict[str, Any]:
    """Migrants taking part, ideas submitted and selected, opinions submitted and answered,
    support hours, over the ideas given (a `visible_ideas` set, filtered as the caller needs)."""
    not_draft = ~Q(status=IdeaStatus.DRAFT)
    figures = ideas.aggregate(
        people=Count("participant", distinct=True, filter=not_draft),
        authors=Count("author", distinct=True, filter=not_draft & Q(participant__isnull=True)),
        ideas_submitted=Count("pk", filter=not_draft & Q(kind=IdeaKind.PROJECT)),
        ideas_selected=Count("pk", filter=Q(kind=IdeaKind.PROJECT, status=IdeaStatus.SELECTED)),
        opinions_submitted=Count("pk", filter=not_draft & Q(kind=IdeaKind.RESPONSE)),
        opinions_answered=Count("pk", filter=Q(kind=IdeaKind.RESPONSE, answered_at__isnull=False)),
    )
    figures["support_hours"] = SupportEntry.objects.filter(idea__in=ideas).aggregate(
        total=Sum("hours")
    )["total"] or Decimal("0")
    return figures


# --- groups ---------------------------------------------------------------------------------


def group_list(*, fetched_by: Any) -> QuerySet[Group]:
    return (
        visible_groups(fetched_by)
        .select_related("organisation")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name", "pk")
    )


def group_get(*, fetched_by: Any, pk: int) -> Group:
    return get_object_or_404(visible_groups(fetched_by).select_related("organisation"), pk=pk)


def group_public_list() -> QuerySet[Group]:
    return public_groups().order_by("name", "pk")


def group_public_get(*, pk: int) -> Group:
    rows = public_groups().annotate(meeting_count=Count("meetings", distinct=True))
    return get_object_or_404(rows.select_related("organisation"), pk=pk)


def group_members(*, group: Group) -> QuerySet[GroupMember]:
    return group.members.select_related("user", "participant")


def group_meetings(*, group: Group) -> QuerySet[GroupMeeting]:
    return group.meetings.all()


def group_documents(*, group: Group) -> QuerySet[GroupDocument]:
    return group.documents.all()


def group_milestones(*, group: Group) -> list[tuple[str, Any, Milestone | None]]:
    """Every step of a cooperative's path, with what is recorded for it (or None)."""
    found = {m.step: m for m in group.milestones.all()}
    return [(value, label, found.get(value)) for value, label in MilestoneStep.choices]


def group_document_get(*, fetched_by: Any, pk: int) -> GroupDocument:
    rows = GroupDocument.objects.filter(group__in=visible_groups(fetched_by))
    return get_object_or_404(rows.select_related("group"), pk=pk)


def policy_document_get(*, fetched_by: Any, pk: int) -> PolicyDocument:
    rows = PolicyDocument.objects.filter(group__in=visible_groups(fetched_by))
    return get_object_or_404(rows.select_related("group"), pk=pk)


def policy_document_public_get(*, pk: int) -> PolicyDocument:
    rows = PolicyDocument.objects.filter(group__in=public_groups())
    return get_object_or_404(rows.select_related("group"), pk=pk)


def policy_sections(*, document: PolicyDocument, with_comments: bool) -> QuerySet[PolicySection]:
    rows = document.sections.all()
    if with_comments:
        rows = rows.prefetch_related(
            Prefetch("comments", queryset=SectionComment.objects.select_related("author"))
        )
    return rows


def opinion_points(*, document: PolicyDocument) -> QuerySet[OpinionPoint]:
    return document.points.select_related("section")


def opinion_accountability(*, document: PolicyDocument) -> dict[str, int]:
    """How many points the authority accepted, partly accepted, rejected, or left unanswered."""
    rows = document.points.all()
    return rows.aggregate(
        total=Count("pk"),
        accepted=Count("pk", filter=Q(response=Response.ACCEPTED)),
        partly=Count("pk", filter=Q(response=Response.PARTLY)),
        rejected=Count("pk", filter=Q(response=Response.REJECTED)),
        waiting=Count("pk", filter=Q(response="")),
    )


def group_figures(*, groups: QuerySet[Group]) -> dict[str, int]:
    """Groups, members with an active term and meetings held (for issue 17's registry)."""
    today = timezone.localdate()
    active = Q(members__starts_on__lte=today) & (
        Q(members__ends_on__isnull=True) | Q(members__ends_on__gte=today)
    )
    figures = groups.aggregate(
        groups=Count("pk", distinct=True),
        members=Count("members", filter=active, distinct=True),
    )
    figures["meetings"] = GroupMeeting.objects.filter(group__in=groups, date__lte=today).count()
    return figures
