"""Events at scale (run on `mosty seed --scale large`: 5,000 events, 1,000,000 attendance rows).

- p95 of the public calendar page vs the bare SQL that fetches the same 25 upcoming events;
- p95 of the organiser's attendance page (50 registrants) vs the bare SQL of its tick list;
- the period report over all attendance rows vs the same figures in hand-written SQL.
"""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.utils import timezone

from mosty.core.benchmarking import BenchResult, benchmark, p95, timed

REPEAT = 30

REPORT_SQL = """
SELECT
  (SELECT COUNT(*) FROM events_registration WHERE status = 'confirmed'),
  (SELECT COUNT(*) FROM events_registration WHERE status = 'waitlisted'),
  SUM(CASE WHEN a.present THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.present THEN s.minutes ELSE 0 END),
  COUNT(DISTINCT CASE WHEN a.present THEN a.registration_id END),
  COUNT(DISTINCT CASE WHEN a.present AND r.institution <> '' THEN LOWER(r.institution) END)
FROM events_attendance a
JOIN events_session s ON s.id = a.session_id
JOIN events_registration r ON r.id = a.registration_id
"""

CALENDAR_SQL = """
SELECT e.id, t.title, e.starts_at, e.capacity,
  (SELECT COUNT(*) FROM events_registration r WHERE r.event_id = e.id AND r.status = 'confirmed')
FROM events_event e
LEFT JOIN events_eventtranslation t ON t.event_id = e.id AND t.language = 'pl'
WHERE e.is_public AND e.ends_at >= %s
ORDER BY e.starts_at, e.id
LIMIT 25
"""

SHEET_SQL = """
SELECT r.id, r.name, r.institution, a.present
FROM events_registration r
LEFT JOIN events_attendance a ON a.registration_id = r.id AND a.session_id = %s
WHERE r.event_id = %s AND r.status = 'confirmed'
ORDER BY r.name, r.id
"""


def _sql(query: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        cursor.fetchall()


def _page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


@benchmark("events")
def events_benchmark() -> list[BenchResult]:
    from mosty.accounts.models import Membership, Role
    from mosty.events.models import Event, Session
    from mosty.events.selectors import event_report

    if not Event.objects.exists():
        raise SystemExit("No events: run `mosty seed --scale large` (or demo) first.")
    results = []
    anonymous = Client()
    now = timezone.now()
    calendar = timed(lambda: _page(anonymous, "/pl/events/"), repeat=REPEAT)
    calendar_sql = timed(lambda: _sql(CALENDAR_SQL, [now]), repeat=REPEAT)
    results.append(
        BenchResult(
            "events",
            "public calendar p95",
            p95(calendar),
            p95(calendar_sql),
            "p95 under 300 ms; constant queries",
        )
    )

    session = (
        Session.objects.filter(event__registrations__status="confirmed")
        .select_related("event")
        .order_by("-starts_at")
        .first()
    )
    membership = (
        Membership.objects.filter(
            organisation_id=session.event.organisation_id, role=Role.COORDINATOR, is_active=True
        )
        .select_related("user")
        .first()
    )
    if membership is not None:
        organiser = Client()
        organiser.force_login(membership.user)
        url = f"/pl/events/manage/sessions/{session.pk}/attendance/"
        sheet = timed(lambda: _page(organiser, url), repeat=REPEAT)
        sheet_sql = timed(lambda: _sql(SHEET_SQL, [session.pk, session.event_id]), repeat=REPEAT)
        results.append(
            BenchResult(
                "events",
                "organiser attendance page p95",
                p95(sheet),
                p95(sheet_sql),
                "p95 under 300 ms on a slow phone link: small page",
            )
        )

    everything = Event.objects.all()
    report = timed(lambda: event_report(events=everything), repeat=3, warmup=1)
    bare = timed(lambda: _sql(REPORT_SQL), repeat=3, warmup=1)
    results.append(
        BenchResult(
            "events",
            "period report, all attendance rows",
            min(report),
            min(bare),
            "within 2x of the bare SQL aggregate",
        )
    )
    return results
