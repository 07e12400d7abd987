"""Reads of the participation module, each starting from a `visible_*` selector."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, Model, OuterRef, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mosty.access.domains.participation import (
    academy_counts_exact,
    consultation_responses,
    idea_supporter_candidates,
    managed_programmes,
    public_groups,
    visible_academy_courses,
    visible_call_documents,
    visible_calls,
    visible_groups,
    visible_idea_parts,
    visible_ideas,
    visible_programmes,
    writes_for_others,
)
from mosty.access.domains.people import visible_participants
from mosty.core.collation import by_name
from mosty.events.models import Event, Registration, RegistrationStatus
from mosty.participation.models import (
    Call,
    CallDocument,
    CallTranslation,
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


# The public lists' flags and what each keeps.
_FLAGS = {
    "foreigners": Q(foreigners_may_take_part=True),
    "consultations": Q(collects_opinions=True),
}


def _filtered(rows: QuerySet[Any], filters: Any, kind: str, flag: str) -> QuerySet[Any]:
    """A public list filtered by the programme's kind (at `kind`) and its one flag."""
    filters = filters or {}
    if filters.get("kind"):
        rows = rows.filter(**{kind: filters["kind"]})
    if filters.get(flag):
        rows = rows.filter(_FLAGS[flag])
    return rows


def programme_list(
    *, fetched_by: Any, filters: dict[str, Any] | None = None
) -> QuerySet[Programme]:
    rows = _filtered(visible_programmes(fetched_by), filters, "kind", "foreigners")
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
    today = today or timezone.localdate()
    rows = visible_calls(fetched_by).filter(closes_on__gte=today)
    rows = _filtered(rows, filters, "programme__kind", "consultations")
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


class PartedRows:
    """A list that a paginator pages, made of disjoint parts (`visible_idea_parts`): counted
    and sorted part by part, each on its own index, in one statement each, and only one
    page's rows fetched with their joins. One OR of the visibility rules uses no single index:
    the coordinator of a busy organisation waited for a sort of all its ideas on every page.

    Each part reads its own newest `stop` keys (an index scan, stopped early on the first
    pages) and the statement merges them; the query count is the same on every page."""

    order = ("-created_at", "-pk")

    def __init__(self, parts: list[QuerySet[Any]], rows: QuerySet[Any]) -> None:
        self.parts, self.rows = parts, rows

    @staticmethod
    def _union(parts: list[QuerySet[Any]], wrap: str) -> tuple[list[str], list[Any]]:
        """Each part's SQL in `wrap`, with the parameters in order; a part that can match
        nothing (a user with no organisation: `IN ()`) is left out."""
        sql: list[str] = []
        params: list[Any] = []
        for n, part in enumerate(parts):
            try:
                part_sql, part_params = part.query.sql_with_params()
            except EmptyResultSet:
                continue
            sql.append(wrap.format(sql=part_sql, n=n))
            params.extend(part_params)
        return sql, params

    def count(self) -> int:
        parts = [p.order_by().values("pk") for p in self.parts]
        sql, params = self._union(parts, "(SELECT COUNT(*) FROM ({sql}) AS part{n})")
        if not sql:
            return 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + " + ".join(sql), params)
            return int(cursor.fetchone()[0])

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: Any) -> Any:
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        start, stop = item.start or 0, item.stop
        if stop is None or stop <= start:
            return []
        parts = [p.order_by(*self.order).values_list("pk", "created_at")[:stop] for p in self.parts]
        sql, params = self._union(parts, "SELECT * FROM ({sql}) AS part{n}")
        if not sql:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT keys.* FROM (" + " UNION ALL ".join(sql) + ") AS keys "
                "ORDER BY 2 DESC, 1 DESC LIMIT %s OFFSET %s",
                [*params, stop - start, start],
            )
            ids = [row[0] for row in cursor.fetchall()]
        found = {row.pk: row for row in self.rows.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]


IDEA_LIST_COLUMNS = (
    *("kind", "status", "title", "created_at", "organisation", "call", "participant"),
    *("supporter", "submitted_at", "decided_at", "answered_at", "participant__code"),
    *("supporter__first_name", "supporter__last_name", "call__source_language"),
)


def idea_list(*, fetched_by: Any, filters: dict[str, Any] | None = None) -> PartedRows:
    """The ideas the user may see, newest first, paged by `PartedRows`."""
    filters = filters or {}
    wanted = {k: filters[k] for k in ("status", "kind") if filters.get(k)}
    parts = [part.filter(**wanted) for part in visible_idea_parts(fetched_by)]
    # The list (page and API) shows no texts, so the encrypted ones stay in the database, and
    # of the related records only what a row names: the participant's code, the supporter's
    # name, the call's title in the reader's language.
    rows = (
        Idea.objects.only(*IDEA_LIST_COLUMNS)
        .select_related("participant", "supporter", "call")
        .prefetch_related(
            Prefetch(
                "call__translations",
                queryset=CallTranslation.objects.only("call_id", "language", "title"),
            )
        )
    )
    return PartedRows(parts, rows)


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


def idea_form_choices(*, fetched_by: Any, organisation: Any) -> dict[str, Any]:
    """What the idea form offers (the page's and the API's): the participants the organisation
    supports when the user writes for others (staff), else none (a participant's own idea);
    the calls the user sees."""
    participants = (
        participant_choices(fetched_by=fetched_by, organisation=organisation)
        if writes_for_others(fetched_by, organisation)
        else None
    )
    return {"participants": participants, "calls": call_list(fetched_by=fetched_by)}


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
        .order_by(*by_name("name"), "pk")
    )


def group_get(*, fetched_by: Any, pk: int) -> Group:
    return get_object_or_404(visible_groups(fetched_by).select_related("organisation"), pk=pk)


def group_public_list() -> QuerySet[Group]:
    return public_groups().order_by(*by_name("name"), "pk")


def group_public_get(*, pk: int) -> Group:
    held = Q(meetings__date__lte=timezone.localdate())
    rows = public_groups().annotate(meeting_count=Count("meetings", filter=held, distinct=True))
    return get_object_or_404(rows.select_related("organisation"), pk=pk)


def group_members(*, group: Group) -> QuerySet[GroupMember]:
    return group.members.select_related("user", "participant")


def group_meetings(*, group: Group) -> QuerySet[GroupMeeting]:
    return group.meetings.all()


def group_meetings_before(*, meeting: GroupMeeting) -> int:
    """How many of its group's meetings `group_meetings` lists before `meeting` (the newest
    first)."""
    return (
        group_meetings(group=meeting.group)
        .filter(Q(date__gt=meeting.date) | Q(date=meeting.date, pk__gt=meeting.pk))
        .count()
    )


def group_documents(*, group: Group) -> QuerySet[GroupDocument]:
    return group.documents.all()


def group_milestones(*, group: Group) -> list[tuple[str, Any, Milestone | None]]:
    """Every step of a cooperative's path, with what is recorded for it (or None)."""
    found = {m.step: m for m in group.milestones.all()}
    return [(value, label, found.get(value)) for value, label in MilestoneStep.choices]


def _group_part_get(model: type[Model], fetched_by: Any, pk: int, *related: str) -> Any:
    """A member, meeting or document of a group the caller sees (404 otherwise)."""
    rows = model._default_manager.filter(group__in=visible_groups(fetched_by))
    return get_object_or_404(rows.select_related("group", *related), pk=pk)


def group_document_get(*, fetched_by: Any, pk: int) -> GroupDocument:
    document: GroupDocument = _group_part_get(GroupDocument, fetched_by, pk)
    return document


def group_member_get(*, fetched_by: Any, pk: int) -> GroupMember:
    member: GroupMember = _group_part_get(GroupMember, fetched_by, pk, "user", "participant")
    return member


def group_meeting_get(*, fetched_by: Any, pk: int) -> GroupMeeting:
    meeting: GroupMeeting = _group_part_get(GroupMeeting, fetched_by, pk)
    return meeting


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


# --- the Participatory Migrant Academy ---------------------------------------------------------


def academy_course_get(*, fetched_by: Any, pk: int) -> Event:
    rows = visible_academy_courses(fetched_by).select_related("organisation")
    return get_object_or_404(rows.prefetch_related("translations"), pk=pk)


def _went_on(rows: QuerySet[Any], person: str, account: str) -> Q:
    """A registration whose participant record or account appears in `rows`."""
    return Q(Exists(rows.filter(**{person: OuterRef("participant")}))) | Q(
        Exists(rows.filter(**{account: OuterRef("user")}))
    )


def academy_outcomes(*, course: Event, exact: bool) -> dict[str, int | None]:
    """Of an academy course's confirmed participants known to Mosty (a participant record or
    an account; a visitor's bare address links to nothing), how many afterwards (from the
    course's start) submitted a project idea, had one selected, sent an opinion to a
    consultation, joined a group. One query. With `exact` False, counts between 1 and
    MOSTY_STATS_MIN_CELL - 1 are None (suppressed)."""
    since = course.starts_at or course.created_at
    sent = Idea.objects.exclude(status=IdeaStatus.DRAFT).filter(submitted_at__gte=since)
    projects = sent.filter(kind=IdeaKind.PROJECT)
    counts = Registration.objects.filter(
        event=course, status=RegistrationStatus.CONFIRMED
    ).aggregate(
        participants=Count("pk", filter=Q(participant__isnull=False) | Q(user__isnull=False)),
        ideas=Count("pk", filter=_went_on(projects, "participant", "author")),
        selected=Count(
            "pk",
            filter=_went_on(projects.filter(status=IdeaStatus.SELECTED), "participant", "author"),
        ),
        opinions=Count(
            "pk", filter=_went_on(sent.filter(kind=IdeaKind.RESPONSE), "participant", "author")
        ),
        groups=Count(
            "pk",
            filter=_went_on(
                GroupMember.objects.filter(created_at__gte=since), "participant", "user"
            ),
        ),
    )
    if exact:
        return counts
    least = int(settings.MOSTY_STATS_MIN_CELL)
    return {k: (v if v == 0 or v >= least else None) for k, v in counts.items()}


ACADEMY_ROWS = [
    ("participants", _("Participants known to Mosty")),
    ("ideas", _("Submitted a project idea")),
    ("selected", _("Had a project idea selected")),
    ("opinions", _("Sent an opinion to a consultation")),
    ("groups", _("Joined a group")),
]


def academy_outcome_rows(*, fetched_by: Any, course: Event) -> dict[str, Any]:
    """The outcomes of a course as labelled rows, exact for its organiser's staff (the page in
    participation and its section on the course's page)."""
    outcomes = academy_outcomes(course=course, exact=academy_counts_exact(fetched_by, course))
    return {
        "course": course,
        "rows": [(label, outcomes[key]) for key, label in ACADEMY_ROWS],
        "min_cell": settings.MOSTY_STATS_MIN_CELL,
    }
