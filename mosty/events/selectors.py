"""Reads, always starting from what the asking user may see."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mosty.access.domains.events import (  # noqa: F401 (re-exported)
    managed_events,
    reported_organisations,
    visible_events,
    visible_registrations,
)
from mosty.core.collation import by_name
from mosty.core.models import figures_key
from mosty.events.models import (
    Attendance,
    Event,
    Registration,
    RegistrationStatus,
    ReportFigure,
    Session,
)

CONFIRMED = RegistrationStatus.CONFIRMED
WAITLISTED = RegistrationStatus.WAITLISTED


def _registrations_with(status: str) -> Subquery:
    """Count of an event's registrations in one status, as a correlated subquery: evaluated
    only for the rows of the page (a join + GROUP BY would count every event first)."""
    return Coalesce(
        Subquery(
            Registration.objects.filter(event=OuterRef("pk"), status=status)
            .order_by()
            .values("event")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _with_details(qs: QuerySet[Event]) -> QuerySet[Event]:
    return (
        qs.select_related("organisation")
        .prefetch_related(
            "translations",
            Prefetch("sessions", queryset=Session.objects.select_related("district")),
        )
        .annotate(
            confirmed=_registrations_with(CONFIRMED),
            waitlisted=_registrations_with(WAITLISTED),
        )
    )


def _filtered(qs: QuerySet[Event], filters: dict) -> QuerySet[Event]:
    if filters.get("date_from"):
        qs = qs.filter(ends_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(starts_at__date__lte=filters["date_to"])
    if filters.get("district"):
        qs = qs.filter(
            Exists(Session.objects.filter(event=OuterRef("pk"), district=filters["district"]))
        )
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    # JSON lists are matched as text so the same query runs on SQLite and PostgreSQL.
    if filters.get("audience"):
        qs = qs.filter(audiences__icontains=f'"{filters["audience"]}"')
    if filters.get("language"):
        qs = qs.filter(languages__icontains=f'"{filters["language"]}"')
    if filters.get("organisation"):
        qs = qs.filter(organisation=filters["organisation"])
    return qs


def event_public_list(*, fetched_by, filters: dict | None = None) -> QuerySet[Event]:
    """The calendar: events the user may see, upcoming by default."""
    filters = filters or {}
    qs = visible_events(fetched_by).filter(starts_at__isnull=False)
    if not filters.get("date_from") and not filters.get("past"):
        qs = qs.filter(ends_at__gte=timezone.now())
    return _with_details(_filtered(qs, filters)).order_by("starts_at", "pk")


def session_month(*, fetched_by, first_day, last_day, filters: dict | None = None, per_day=4):
    """Sessions of visible events in a date range, for the month calendar: the first
    `per_day` of each day, and how many that day has in all (`{day: (sessions, count)}`).

    A large programme has 900 sessions in a month; a grid cell shows a few and links to the
    day's agenda. The range is a time range (not `__date`), so the index on `starts_at` serves.
    """
    events = _filtered(visible_events(fetched_by), filters or {})
    zone = timezone.get_current_timezone()
    start = datetime.combine(first_day, time.min, tzinfo=zone)
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zone)
    in_range = Session.objects.filter(event__in=events, starts_at__gte=start, starts_at__lt=end)
    counts: dict = {}
    shown: list[int] = []
    for pk, starts_at in in_range.order_by("starts_at", "pk").values_list("pk", "starts_at"):
        day = timezone.localdate(starts_at)
        counts[day] = counts.get(day, 0) + 1
        if counts[day] <= per_day:
            shown.append(pk)
    by_day: dict = {day: ([], count) for day, count in counts.items()}
    for session in (
        Session.objects.filter(pk__in=shown)
        .select_related("event", "district")
        .prefetch_related("event__translations")
        .order_by("starts_at", "pk")
    ):
        by_day[timezone.localdate(session.starts_at)][0].append(session)
    return by_day


def event_get(*, fetched_by, pk: int) -> Event:
    return get_object_or_404(_with_details(visible_events(fetched_by)), pk=pk)


def event_for_registrant(*, registration: Registration) -> Event:
    return _with_details(Event.objects.filter(pk=registration.event_id)).get()


def event_managed_list(*, fetched_by, filters: dict | None = None) -> QuerySet[Event]:
    qs = _filtered(managed_events(fetched_by), filters or {})
    return _with_details(qs).order_by(F("starts_at").desc(nulls_last=True), "-pk")


def event_managed_get(*, fetched_by, pk: int) -> Event:
    return get_object_or_404(_with_details(managed_events(fetched_by)), pk=pk)


def registration_list(*, event: Event) -> QuerySet[Registration]:
    """Registrants of one event (caller has checked `event.view_registrations`)."""
    return (
        event.registrations.select_related("user")
        .annotate(
            attended=Count("attendance", filter=Q(attendance__present=True)),
            attended_minutes=Coalesce(
                Sum("attendance__session__minutes", filter=Q(attendance__present=True)), 0
            ),
        )
        .order_by("status", "created_at", "pk")
    )


def phone_only_count(*, event: Event) -> int:
    """Registrants Mosty cannot write to: visitors who gave only a phone number (a text
    message to a number anyone could have typed is not sent). Their organiser calls them."""
    return (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .filter(email="", participant__isnull=True, user__isnull=True)
        .count()
    )


def registration_mine(*, user) -> QuerySet[Registration]:
    sessions = Session.objects.filter(event=OuterRef("event")).values("event")
    return (
        Registration.objects.filter(user=user)
        .select_related("event", "event__organisation")
        .annotate(
            attended=Count("attendance", filter=Q(attendance__present=True)),
            session_count=Subquery(
                sessions.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()
            ),
        )
        .prefetch_related(
            "event__translations",
            Prefetch("event__sessions", queryset=Session.objects.select_related("district")),
        )
        .order_by(F("event__starts_at").desc(nulls_last=True), "-pk")
    )


def registration_mine_list(*, user) -> list[Registration]:
    """The user's registrations, each with `completed` (may download a certificate)."""
    registrations = list(registration_mine(user=user))
    for registration in registrations:
        registration.completed = is_completed(
            status=registration.status,
            attended=registration.attended,
            sessions=registration.session_count or 0,
        )
    return registrations


def registration_active(*, event: Event, user) -> Registration | None:
    """The user's own registration at `event` that is not cancelled, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        event.registrations.filter(user=user).exclude(status=RegistrationStatus.CANCELLED).first()
    )


def registration_get(*, fetched_by, pk: int) -> Registration:
    return get_object_or_404(
        visible_registrations(fetched_by).select_related("event", "event__organisation"), pk=pk
    )


def session_get(*, fetched_by, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.select_related("event", "event__organisation", "district")
        .prefetch_related("event__translations")
        .filter(event__in=managed_events(fetched_by)),
        pk=pk,
    )


def attendance_sheet(*, session: Session) -> list[dict]:
    """Confirmed registrants of the session's event with their tick for this session."""
    present = dict(session.attendance.values_list("registration_id", "present"))
    rows = session.event.registrations.filter(status=CONFIRMED).order_by(*by_name("name"), "pk")
    return [
        {"registration": r, "present": present.get(r.pk, False)}
        for r in rows.only("pk", "name", "institution", "event_id", "status")
    ]


def is_completed(*, status: str, attended: int, sessions: int) -> bool:
    """A confirmed registrant who attended the completion share of the sessions."""
    return status == CONFIRMED and sessions > 0 and attended / sessions >= completion_share()


def mark_completed(registrations, *, sessions: int) -> list:
    """Set `completed` on rows of `registration_list` (annotated with `attended`)."""
    rows = list(registrations)
    for r in rows:
        r.completed = is_completed(status=r.status, attended=r.attended, sessions=sessions)
    return rows


def completed_registrations(*, event: Event) -> list[Registration]:
    """The confirmed registrants of `event` who attended the completion share of its sessions."""
    sessions = event.sessions.count()
    rows = registration_list(event=event).filter(status=CONFIRMED)
    return [r for r in mark_completed(rows, sessions=sessions) if r.completed]


def person_progress(*, registration: Registration) -> dict:
    """Sessions and hours attended by one registrant, and whether they completed the course."""
    sessions = registration.event.sessions.count()
    done = registration.attendance.filter(present=True).aggregate(
        n=Count("pk"), minutes=Coalesce(Sum("session__minutes"), 0)
    )
    share = done["n"] / sessions if sessions else 0
    return {
        "sessions": sessions,
        "attended": done["n"],
        "hours": round(done["minutes"] / 60, 1),
        "share": share,
        "completed": is_completed(
            status=registration.status, attended=done["n"], sessions=sessions
        ),
    }


def event_report(*, events: QuerySet[Event], now: datetime | None = None) -> dict:
    """Figures for a set of events: registrations, attendance rate, hours, persons, institutions
    (the expected attendance counts the sessions started by `now`, default: this moment).

    Everything is aggregated in the database (a handful of queries whatever the size).
    """
    registrations = Registration.objects.filter(event__in=events)
    by_status = dict(registrations.order_by().values_list("status").annotate(n=Count("pk")))
    attendance = Attendance.objects.filter(session__event__in=events)
    marks = attendance.aggregate(
        marks_present=Count("pk", filter=Q(present=True)),
        marks_minutes=Coalesce(Sum("session__minutes", filter=Q(present=True)), 0),
    )
    # Expected attendance: confirmed registrations x past sessions, per event (two grouped
    # queries multiplied here, not a sessions x registrations join).
    confirmed_per_event = dict(
        registrations.filter(status=CONFIRMED)
        .order_by()
        .values_list("event")
        .annotate(n=Count("pk"))
    )
    past_sessions = (
        Session.objects.filter(event__in=events, starts_at__lte=now or timezone.now())
        .order_by()
        .values_list("event")
        .annotate(n=Count("pk"))
    )
    expected = sum(n * confirmed_per_event.get(event_id, 0) for event_id, n in past_sessions)
    attendees = registrations.filter(
        Exists(attendance.filter(registration=OuterRef("pk"), present=True))
    )
    by_audience = dict(attendees.order_by().values_list("audience").annotate(n=Count("pk")))
    institutions = (
        attendees.exclude(institution="")
        .annotate(key=Lower("institution"))
        .values("key")
        .distinct()
        .count()
    )
    return {
        "events": events.count(),
        "confirmed": by_status.get(CONFIRMED, 0),
        "waitlisted": by_status.get(WAITLISTED, 0),
        "cancelled": by_status.get(RegistrationStatus.CANCELLED, 0),
        "present": marks["marks_present"],
        "expected": expected,
        "attendance_rate": round(100 * marks["marks_present"] / expected, 1) if expected else None,
        "hours": round(marks["marks_minutes"] / 60, 1),
        "persons": sum(by_audience.values()),
        "by_audience": by_audience,
        "institutions": institutions,
    }


def event_report_kept(*, fetched_by) -> dict | None:
    """The kept totals of the events `fetched_by` reports on over the whole time (one
    query), or None when they are not kept (the caller counts live). Equal to
    `event_report` at the time of the refresh (a test compares them)."""
    key = figures_key(reported_organisations(fetched_by))
    kept = ReportFigure.objects.filter(key=key).first()
    if kept is None:
        return None
    return {**kept.figures, "kept_at": kept.refreshed_at}


def event_report_totals(*, fetched_by, events: QuerySet[Event], filters: dict) -> dict:
    """The report's totals: over the whole time (the page's default) the kept figures when
    they exist, `kept_at` saying as of when; counted now (`kept_at` None) for a period or
    kind chosen by hand, or when nothing is kept."""
    if not any(filters.values()):
        kept = event_report_kept(fetched_by=fetched_by)
        if kept is not None:
            return kept
    return {**event_report(events=events), "kept_at": None}


def event_report_rows(*, events: QuerySet[Event]) -> QuerySet[Event]:
    """One row per event for the export: counts as correlated subqueries, in one query."""
    present = Attendance.objects.filter(session__event=OuterRef("pk"), present=True).order_by()
    present_count = Subquery(
        present.values("session__event").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )
    present_minutes = Subquery(
        present.values("session__event").annotate(m=Sum("session__minutes")).values("m")[:1],
        output_field=IntegerField(),
    )
    return (
        events.select_related("organisation")
        .prefetch_related("translations")
        .annotate(
            confirmed=_registrations_with(CONFIRMED),
            waitlisted=_registrations_with(WAITLISTED),
            session_count=Coalesce(
                Subquery(
                    Session.objects.filter(event=OuterRef("pk"))
                    .order_by()
                    .values("event")
                    .annotate(n=Count("pk"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            ),
            present_count=Coalesce(present_count, 0),
            present_minutes=Coalesce(present_minutes, 0),
        )
        .order_by("starts_at", "pk")
    )


def completion_share() -> float:
    """Share of sessions attended that completes a course (MOSTY_EVENTS_COMPLETION_PERCENT)."""
    return min(100, getattr(settings, "MOSTY_EVENTS_COMPLETION_PERCENT", 80)) / 100
