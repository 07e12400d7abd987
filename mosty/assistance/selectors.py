"""Reads: requests, offers and schedules, ranked proposals, hours and the service level.

Every read starts from a `visible_*` queryset of the access policy. The counting the impact
registry will want (requests, hours by language and institution, institutions served, share
answered in time) lives in `assistance_figures`, so it can be registered there later.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from mosty.access.domains.assistance import (
    certifiable_profiles,
    coordinated_pools,
    coordinated_requests,
    reported_pools,
    reported_profiles,
    visible_assignments,
    visible_profiles,
    visible_requests,
)
from mosty.access.policy import can
from mosty.accounts.models import Membership, Role
from mosty.assistance.models import (
    LEVEL_WEIGHT,
    Assignment,
    AssignmentLog,
    AssignmentStatus,
    AssistanceRequest,
    AssistantLanguage,
    AssistantProfile,
    AvailabilityException,
    AvailabilitySlot,
    HoursFigure,
    Level,
    Mode,
    RequestStatus,
    ServiceLevelFigure,
)
from mosty.core.collation import by_name
from mosty.core.formats import language_name, number
from mosty.core.models import figures_key

HELD = (AssignmentStatus.ACCEPTED, AssignmentStatus.DONE)
ACTIVE_REQUEST = (RequestStatus.OPEN, RequestStatus.COVERED)


# --- requests -----------------------------------------------------------------------------


def _assignment_count(*statuses: str) -> Coalesce:
    """How many of a request's assignments have one of `statuses`, as a subquery: the list's
    COUNT(*) for pagination then leaves it out, and no GROUP BY joins every assignment."""
    counted = (
        Assignment.objects.filter(request=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("request")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _request_rows(qs: QuerySet[AssistanceRequest]) -> QuerySet[AssistanceRequest]:
    return qs.select_related("organisation", "provider", "district").annotate(
        accepted_count=_assignment_count(*HELD),
        offered_count=_assignment_count(AssignmentStatus.OFFERED),
    )


def request_list(*, fetched_by: Any, filters: dict[str, Any]) -> QuerySet[AssistanceRequest]:
    """The requests of the institutions the user works for (newest start first)."""
    qs = visible_requests(fetched_by).filter(
        organisation__memberships__user=fetched_by,
        organisation__memberships__role="institution_staff",
        organisation__memberships__is_active=True,
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return _request_rows(qs).order_by("-starts_at", "-pk")


def request_upcoming(*, fetched_by: Any) -> QuerySet[AssistanceRequest]:
    """The next requests of the user's institutions that are not cancelled, soonest first."""
    return (
        request_list(fetched_by=fetched_by, filters={})
        .filter(ends_at__gte=timezone.now())
        .exclude(status=RequestStatus.CANCELLED)
        .order_by("starts_at", "pk")
    )


def request_visible_list(
    *, fetched_by: Any, filters: dict[str, Any]
) -> QuerySet[AssistanceRequest]:
    """Every request the user may see (the API's list), newest start first."""
    qs = visible_requests(fetched_by)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return qs.select_related("organisation", "district").order_by("-starts_at", "-pk")


def request_open_list(*, fetched_by: Any, filters: dict[str, Any]) -> QuerySet[AssistanceRequest]:
    """Open requests to the pools the user coordinates, soonest first (the coordinator's
    work list); `filters`: `language`, `urgent`."""
    qs = coordinated_requests(fetched_by).filter(
        status=RequestStatus.OPEN, starts_at__gte=timezone.now()
    )
    if filters.get("language"):
        qs = qs.filter(language=filters["language"])
    if filters.get("urgent"):
        qs = qs.filter(urgency="urgent")
    return _request_rows(qs).order_by("starts_at", "pk")


def request_get(*, fetched_by: Any, pk: int) -> AssistanceRequest:
    found = _request_rows(visible_requests(fetched_by).filter(pk=pk)).first()
    if found is None:
        raise Http404
    return found


def request_assignments(*, request: AssistanceRequest) -> list[Assignment]:
    return list(
        request.assignments.select_related("assistant__user", "log").order_by("created_at", "pk")
    )


def request_assignments_for(*, fetched_by: Any, request: AssistanceRequest) -> list[Assignment]:
    """The assignments of a request the user may see: all of them for the requesting
    institution and the pool's coordinators, only their own for an assistant."""
    rows = request_assignments(request=request)
    if can(fetched_by, "assistance.request_assignments", request):
        return rows
    return [a for a in rows if a.assistant.user_id == fetched_by.pk]


def request_cancelled_by_side(request: AssistanceRequest) -> Any:
    """The organisation on whose side a cancelled request was cancelled: the institution when
    one of its staff did it, else the pool that provides the help (its coordinator, or the
    administrator acting for it); None while it is not cancelled or the account is gone."""
    if request.cancelled_by_id is None:
        return None
    staff = Membership.objects.filter(
        user_id=request.cancelled_by_id,
        organisation_id=request.organisation_id,
        role=Role.INSTITUTION_STAFF,
        is_active=True,
    )
    return request.organisation if staff.exists() else request.provider


# --- assistants ---------------------------------------------------------------------------


def profile_of(user: Any) -> AssistantProfile | None:
    """The user's own assistant profile, if they made one."""
    return (
        visible_profiles(user)
        .filter(user=user)
        .prefetch_related("languages", "districts", "slots", "exceptions")
        .first()
    )


def own_profiles(user: Any) -> QuerySet[AssistantProfile]:
    return visible_profiles(user).filter(user=user)


def own_availability_get(
    model: type[AvailabilitySlot] | type[AvailabilityException], *, fetched_by: Any, pk: int
) -> Any:
    """One of the user's own weekly slots or unavailable days; 404 for anyone else's."""
    found = model.objects.filter(pk=pk, profile__in=own_profiles(fetched_by)).first()
    if found is None:
        raise Http404
    return found


def profile_get(*, fetched_by: Any, pk: int) -> AssistantProfile:
    found = (
        visible_profiles(fetched_by).select_related("user", "organisation").filter(pk=pk).first()
    )
    if found is None:
        raise Http404
    return found


def offer_list(*, fetched_by: Any) -> QuerySet[Assignment]:
    """Offers waiting for the user's answer, soonest first."""
    return (
        visible_assignments(fetched_by)
        .filter(
            assistant__user=fetched_by,
            status=AssignmentStatus.OFFERED,
            starts_at__gte=timezone.now(),
        )
        .select_related("request__organisation", "request__district")
        .order_by("starts_at", "pk")
    )


def schedule_list(*, fetched_by: Any, past: bool = False) -> QuerySet[Assignment]:
    """The user's accepted assignments: coming ones soonest first, or past ones newest first."""
    qs = (
        visible_assignments(fetched_by)
        .filter(assistant__user=fetched_by, status__in=HELD)
        .select_related("request__organisation", "request__district", "log")
    )
    now = timezone.now()
    if past:
        return qs.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
    return qs.filter(ends_at__gte=now).order_by("starts_at", "pk")


def held_on_days(
    *, fetched_by: Any, date_from: datetime.date, date_to: datetime.date
) -> QuerySet[Assignment]:
    """The user's accepted assignments that meet the days from `date_from` to `date_to`
    (local days, both included), soonest first."""
    start = timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min)
    )
    return (
        visible_assignments(fetched_by)
        .filter(
            assistant__user=fetched_by,
            status=AssignmentStatus.ACCEPTED,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .order_by("starts_at", "pk")
    )


def feed_assignments(*, user: Any) -> QuerySet[Assignment]:
    """What the user's calendar feed holds: held assignments from 90 days back on."""
    since = timezone.now() - datetime.timedelta(days=90)
    return (
        visible_assignments(user)
        .filter(assistant__user=user, status__in=HELD, ends_at__gte=since)
        .select_related("request__organisation", "request__district")
        .order_by("starts_at", "pk")
    )


def assignment_list(*, fetched_by: Any, filters: dict[str, Any]) -> QuerySet[Assignment]:
    qs = visible_assignments(fetched_by)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("upcoming"):
        qs = qs.filter(ends_at__gte=timezone.now())
    return qs.order_by("starts_at", "pk")


def assignment_get(*, fetched_by: Any, pk: int) -> Assignment:
    found = (
        visible_assignments(fetched_by)
        .select_related("request__organisation", "request__district", "assistant__user")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def hours_by_month(*, fetched_by: Any) -> list[dict[str, Any]]:
    """The user's logged hours per month (worked and travel), newest month first."""
    rows = (
        AssignmentLog.objects.filter(
            assignment__in=visible_assignments(fetched_by).filter(assistant__user=fetched_by)
        )
        .annotate(month=TruncMonth("assignment__starts_at"))
        .values("month")
        .annotate(
            count=Count("pk"),
            minutes=Coalesce(Sum("minutes"), 0),
            travel=Coalesce(Sum("travel_minutes"), 0),
        )
        .order_by("-month")
    )
    return [
        {
            "month": row["month"],
            "count": row["count"],
            "hours": round(row["minutes"] / 60, 1),
            "travel_hours": round(row["travel"] / 60, 1),
        }
        for row in rows
    ]


# --- proposals ----------------------------------------------------------------------------


@dataclass
class Proposal:
    """An assistant proposed for a request, with the reasons in words."""

    profile: AssistantProfile
    score: float
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    hours_this_month: float = 0.0


def month_bounds(moment: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    local = timezone.localtime(moment)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end


def candidate_ids(request: AssistanceRequest) -> list[int]:
    """Active assistants of the request's pool who speak both languages and were not asked
    yet, and who hold no accepted assignment overlapping it (the database does the filtering)."""
    speakers = AssistantLanguage.objects.filter(code=request.language).values("profile_id")
    qs = AssistantProfile.objects.filter(
        organisation_id=request.provider_id, is_active=True, pk__in=speakers
    )
    if request.language_with:
        qs = qs.filter(
            pk__in=AssistantLanguage.objects.filter(code=request.language_with).values("profile_id")
        )
    asked = Assignment.objects.filter(request=request).values("assistant_id")
    busy = Assignment.objects.filter(
        status=AssignmentStatus.ACCEPTED,
        starts_at__lt=request.ends_at,
        ends_at__gt=request.starts_at,
    ).values("assistant_id")
    return list(qs.exclude(pk__in=asked).exclude(pk__in=busy).values_list("pk", flat=True))


def proposals_for(*, request: AssistanceRequest, limit: int = 10) -> list[Proposal]:
    """Assistants ranked for `request`: language level, way of working, weekly availability,
    district, and fairness of load (fewer hours this month ranks higher). A constant number
    of queries whatever the pool's size."""
    ids = candidate_ids(request)
    if not ids:
        return []
    profiles = {p.pk: p for p in AssistantProfile.objects.filter(pk__in=ids).select_related("user")}
    levels: dict[int, dict[str, str]] = defaultdict(dict)
    for pid, code, level in AssistantLanguage.objects.filter(
        profile_id__in=ids, code__in=[request.language, request.language_with]
    ).values_list("profile_id", "code", "level"):
        levels[pid][code] = level
    local = timezone.localtime(request.starts_at)
    local_end = timezone.localtime(request.ends_at)
    in_slot = set(
        AvailabilitySlot.objects.filter(
            profile_id__in=ids,
            weekday=local.weekday(),
            starts__lte=local.time(),
            ends__gte=local_end.time() if local_end.date() == local.date() else datetime.time.max,
        ).values_list("profile_id", flat=True)
    )
    away = set(
        AvailabilityException.objects.filter(
            profile_id__in=ids, date_from__lte=local.date(), date_to__gte=local.date()
        ).values_list("profile_id", flat=True)
    )
    in_district = set()
    if request.district_id:
        in_district = set(
            AssistantProfile.districts.through.objects.filter(
                assistantprofile_id__in=ids, district_id=request.district_id
            ).values_list("assistantprofile_id", flat=True)
        )
    start, end = month_bounds(request.starts_at)
    loads = dict(
        Assignment.objects.filter(
            assistant_id__in=ids, status__in=HELD, starts_at__gte=start, starts_at__lt=end
        )
        .values("assistant_id")
        .annotate(minutes=Sum(F("request__duration_minutes")))
        .values_list("assistant_id", "minutes")
    )
    language = language_name(request.language)
    proposals = []
    for pid, profile in profiles.items():
        if request.mode not in (profile.modes or []) or pid in away:
            continue
        level = levels[pid].get(request.language, "")
        weight = LEVEL_WEIGHT.get(Level(level), 0) if level else 0
        hours = round((loads.get(pid) or 0) / 60, 1)
        proposal = Proposal(profile=profile, score=weight * 10.0, hours_this_month=hours)
        proposal.reasons.append(
            _("Speaks %(language)s: %(level)s.")
            % {"language": language, "level": Level(level).label if level else "?"}
        )
        proposal.reasons.append(_("Works this way: %(mode)s.") % {"mode": Mode(request.mode).label})
        if pid in in_slot:
            proposal.score += 30
            proposal.reasons.append(_("Available at this time every week."))
        else:
            proposal.warnings.append(_("Outside their weekly availability: ask first."))
        if request.mode == Mode.ON_SITE and request.district_id:
            if pid in in_district:
                proposal.score += 15
                proposal.reasons.append(_("Travels to this district."))
            else:
                proposal.warnings.append(_("Does not usually travel to this district."))
        if profile.is_sworn and request.mode == Mode.WRITTEN:
            proposal.score += 5
            proposal.reasons.append(_("Sworn translator."))
        # Fairness: every hour already worked this month costs two points.
        proposal.score -= min(hours * 2, 40)
        proposal.reasons.append(
            _("Hours this month: %(hours)s.") % {"hours": number(hours, decimals=1)}
            if hours
            else _("No hours yet this month.")
        )
        proposals.append(proposal)
    proposals.sort(key=lambda p: (-p.score, p.hours_this_month, p.profile.pk))
    return proposals[:limit]


# --- figures ------------------------------------------------------------------------------


def requests_in_period(
    qs: QuerySet[AssistanceRequest],
    date_from: datetime.date | None,
    date_to: datetime.date | None,
) -> QuerySet[AssistanceRequest]:
    if date_from:
        qs = qs.filter(starts_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(starts_at__date__lte=date_to)
    return qs


def assistance_figures(requests: QuerySet[AssistanceRequest]) -> dict[str, Any]:
    """Figures over `requests` (not cancelled): how many, hours logged by language and by
    institution, institutions served, the share answered in time."""
    live = requests.exclude(status=RequestStatus.CANCELLED)
    totals = live.aggregate(
        count=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        in_time=Count("pk", filter=Q(answered_at__lte=F("answer_by"))),
        institutions=Count("organisation", distinct=True),
    )
    logs = AssignmentLog.objects.filter(assignment__request__in=live)
    by_language = list(
        logs.values(code=F("assignment__request__language"))
        .annotate(minutes=Sum("minutes"))
        .order_by("-minutes", "code")
    )
    by_institution = list(
        logs.values(
            name=F("assignment__request__organisation__name"),
            org=F("assignment__request__organisation_id"),
        )
        .annotate(minutes=Sum("minutes"))
        .order_by("-minutes", *by_name("name"))
    )
    count = totals["count"]
    return {
        "requests": count,
        "answered": totals["answered"],
        "answered_in_time": totals["in_time"],
        "share_in_time": totals["in_time"] / count if count else None,
        "institutions_served": totals["institutions"],
        "hours_by_language": [
            {"code": r["code"], "hours": round((r["minutes"] or 0) / 60, 1)} for r in by_language
        ],
        "hours_by_institution": [
            {"name": r["name"], "hours": round((r["minutes"] or 0) / 60, 1)} for r in by_institution
        ],
    }


def service_level(
    *, fetched_by: Any, date_from: datetime.date | None, date_to: datetime.date | None
) -> dict[str, Any]:
    """The coordinator's service level: answered in time, and requests nobody took, by
    language (where to recruit). Over the whole time (the page's default) it reads the kept
    figures of the user's pools (`service_level_kept`, one row) when they exist; `kept_at`
    says as of when (None: counted now, as for a period chosen by hand)."""
    if date_from is None and date_to is None:
        kept = service_level_kept(fetched_by=fetched_by)
        if kept is not None:
            return kept
    requests = requests_in_period(coordinated_requests(fetched_by), date_from, date_to)
    return service_level_of(requests, now=timezone.now())


def service_level_of(
    requests: QuerySet[AssistanceRequest], *, now: datetime.datetime
) -> dict[str, Any]:
    """The service level counted now over `requests` (unanswered: started before `now`)."""
    figures = assistance_figures(requests)
    unanswered = list(
        requests.filter(answered_at__isnull=True, starts_at__lt=now)
        .exclude(status=RequestStatus.CANCELLED)
        .values("language")
        .annotate(count=Count("pk"))
        .order_by("-count", "language")
    )
    figures["unanswered_by_language"] = [
        {"code": row["language"], "name": language_name(row["language"]), "count": row["count"]}
        for row in unanswered
    ]
    figures["kept_at"] = None
    return figures


def service_level_kept(*, fetched_by: Any) -> dict[str, Any] | None:
    """The kept service level of the pools `fetched_by` coordinates (one query), or None
    when it is not kept (the caller counts live). Equal to the live count at the time of the
    refresh (a test compares them)."""
    kept = ServiceLevelFigure.objects.filter(key=figures_key(coordinated_pools(fetched_by))).first()
    if kept is None:
        return None
    figures = dict(kept.figures)
    figures["unanswered_by_language"] = [
        {**row, "name": language_name(row["code"])} for row in figures["unanswered_by_language"]
    ]
    figures["kept_at"] = kept.refreshed_at
    return figures


def _hours_by_assistant(
    profiles: QuerySet[AssistantProfile],
    date_from: datetime.date | None,
    date_to: datetime.date | None,
) -> QuerySet[AssistantProfile]:
    period = Q(assignments__log__isnull=False)
    if date_from:
        period &= Q(assignments__starts_at__date__gte=date_from)
    if date_to:
        period &= Q(assignments__starts_at__date__lte=date_to)
    return (
        profiles.select_related("user", "organisation")
        .annotate(
            assignment_count=Count("assignments", filter=period),
            minutes=Coalesce(Sum("assignments__log__minutes", filter=period), 0),
            travel=Coalesce(Sum("assignments__log__travel_minutes", filter=period), 0),
        )
        .filter(assignment_count__gt=0)
        .order_by(*by_name("user__last_name", "user__first_name"), "pk")
    )


def hours_by_assistant(
    *, fetched_by: Any, date_from: datetime.date | None, date_to: datetime.date | None
) -> QuerySet[AssistantProfile]:
    """Assistants of the pools the user reports on, with their logged minutes in the period."""
    return _hours_by_assistant(reported_profiles(fetched_by), date_from, date_to)


def _hours_by_institution(
    profiles: QuerySet[AssistantProfile],
    date_from: datetime.date | None,
    date_to: datetime.date | None,
) -> list[dict[str, Any]]:
    logs = AssignmentLog.objects.filter(assignment__assistant__in=profiles)
    if date_from:
        logs = logs.filter(assignment__starts_at__date__gte=date_from)
    if date_to:
        logs = logs.filter(assignment__starts_at__date__lte=date_to)
    rows: Any = (
        logs.values(name=F("assignment__request__organisation__name"))
        .annotate(
            requests=Count("assignment__request", distinct=True),
            minutes=Sum("minutes"),
            travel=Sum("travel_minutes"),
        )
        .order_by(*by_name("name"))
    )
    return list(rows)


def hours_by_institution(
    *, fetched_by: Any, date_from: datetime.date | None, date_to: datetime.date | None
) -> list[dict[str, Any]]:
    """Per institution served by the user's pools: requests done and hours logged."""
    return _hours_by_institution(reported_profiles(fetched_by), date_from, date_to)


def hours_figures_of(profiles: QuerySet[AssistantProfile]) -> dict[str, Any]:
    """The hours report of `profiles` over the whole time, as `HoursFigure.figures` keeps it
    (numbers and institutions' names only)."""
    counted: Any = _hours_by_assistant(profiles, None, None)
    assistants = counted.values_list("pk", "assignment_count", "minutes", "travel")
    return {
        "assistant": [list(row) for row in assistants],
        "institution": [
            [row["name"], row["requests"], row["minutes"], row["travel"]]
            for row in _hours_by_institution(profiles, None, None)
        ],
    }


def hours_kept(*, fetched_by: Any) -> HoursFigure | None:
    """The kept hours report of the pools `fetched_by` reports on (one query), or None when
    it is not kept (the caller counts live). Equal to the live report at the time of the
    refresh (a test compares them)."""
    return HoursFigure.objects.filter(key=figures_key(reported_pools(fetched_by))).first()


def certifiable_among(*, fetched_by: Any, ids: list[int]) -> set[int]:
    """Of the assistant profiles `ids`, those whose certificate `fetched_by` may issue (the
    hours report links only those)."""
    if not ids:
        return set()
    return set(certifiable_profiles(fetched_by).filter(pk__in=ids).values_list("pk", flat=True))


def hours_report_kept(
    *,
    fetched_by: Any,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    download: bool,
) -> HoursFigure | None:
    """The kept figures the hours report reads: over the whole time, on screen (as of their
    refresh). None, so the report counts now, for a period chosen by hand, for every download
    (the files are used for invoices) and when nothing is kept yet."""
    if date_from or date_to or download:
        return None
    return hours_kept(fetched_by=fetched_by)


def hours_assistants(*, fetched_by: Any) -> Any:
    """Who the assistants of the user's pools are, for the rows of a kept hours report: id,
    name, e-mail address and organisation, in the live report's order (values, not models:
    a city office's pools hold a thousand)."""
    return (
        reported_profiles(fetched_by)
        .order_by(*by_name("user__last_name", "user__first_name"), "pk")
        .values_list(
            "pk", "user__first_name", "user__last_name", "user__email", "organisation__name"
        )
    )


def certificate_hours(
    *, profile: AssistantProfile, date_from: datetime.date, date_to: datetime.date
) -> dict[str, Any]:
    """What a volunteer-hours certificate states: assignments, hours, languages."""
    logs = AssignmentLog.objects.filter(
        assignment__assistant=profile,
        assignment__starts_at__date__gte=date_from,
        assignment__starts_at__date__lte=date_to,
    )
    totals = logs.aggregate(
        count=Count("pk"),
        minutes=Coalesce(Sum("minutes"), 0),
        institutions=Count("assignment__request__organisation", distinct=True),
    )
    languages = sorted(set(logs.values_list("assignment__request__language", flat=True).distinct()))
    return {
        "count": totals["count"],
        "hours": round(totals["minutes"] / 60, 1),
        "institutions": totals["institutions"],
        "languages": languages,
    }
