"""Reports (`mosty bench reports`, on `mosty seed --scale large` or the demo):

- p95 of a programme's page (progress against every target) vs the bare SQL of the same
  figures (programme hours and distinct participants of its linked events);
- the city's figures (every indicator, the admin's dashboard) vs the bare SQL of the headline
  figures;
- the public statistics (distinct consenting people, suppressed tables) vs the bare SQL of the
  distinct count.
"""

from __future__ import annotations

from django.db import connection
from django.test import Client

from mosty.core.benchmarking import BenchResult, benchmark, p95, timed

REPEAT = 10

PROGRAMME_SQL = """
SELECT
  (SELECT COALESCE(SUM(s.minutes), 0) FROM events_session s
     WHERE s.event_id IN (SELECT event_id FROM reports_programme_events WHERE programme_id = %s)
       AND s.starts_at >= %s AND s.starts_at < %s),
  (SELECT COUNT(DISTINCT COALESCE('p' || r.participant_id, 'u' || r.user_id, LOWER(r.email)))
     FROM events_registration r
     WHERE EXISTS (SELECT 1 FROM events_attendance a JOIN events_session s ON s.id = a.session_id
                   WHERE a.registration_id = r.id AND a.present
                     AND s.event_id IN (SELECT event_id FROM reports_programme_events
                                        WHERE programme_id = %s)
                     AND s.starts_at >= %s AND s.starts_at < %s))
"""

CITY_SQL = """
SELECT
  (SELECT COUNT(*) FROM cases_case WHERE opened_on >= %s AND opened_on <= %s),
  (SELECT COALESCE(SUM(minutes), 0) FROM events_session WHERE starts_at >= %s AND starts_at < %s),
  (SELECT COUNT(DISTINCT a.registration_id) FROM events_attendance a
     JOIN events_session s ON s.id = a.session_id
     WHERE a.present AND s.starts_at >= %s AND s.starts_at < %s)
"""


def _sql(query: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        cursor.fetchall()


def _page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


@benchmark("reports")
def reports_benchmark() -> list[BenchResult]:
    from mosty.accounts.models import Membership, Role, User
    from mosty.core.indicators import Scope
    from mosty.reports import selectors
    from mosty.reports.models import Programme

    programme = Programme.objects.order_by("pk").first()
    if programme is None:
        raise SystemExit("No programmes: run `mosty seed` (demo or --scale large) first.")
    results = []
    coordinator = (
        Membership.objects.filter(
            organisation_id=programme.organisation_id, role=Role.COORDINATOR, is_active=True
        )
        .select_related("user")
        .first()
    )
    scope = programme.scope()
    if coordinator is not None:
        client = Client()
        client.force_login(coordinator.user)
        url = f"/pl/reports/programmes/{programme.pk}/"
        page = timed(lambda: _page(client, url), repeat=REPEAT, warmup=1)
        params = [programme.pk, scope.starts_at, scope.ends_before] * 2
        bare = timed(lambda: _sql(PROGRAMME_SQL, params), repeat=REPEAT, warmup=1)
        results.append(
            BenchResult(
                "reports",
                "programme page p95",
                p95(page),
                p95(bare),
                "p95 under 300 ms (issue 17)",
            )
        )
    # Someone who sees the whole city: a superuser, an admin, or a city-office coordinator.
    reader = User.objects.filter(is_superuser=True).first()
    if reader is None:
        membership = (
            Membership.objects.filter(role=Role.ADMIN, is_active=True).first()
            or Membership.objects.filter(
                role=Role.COORDINATOR, is_active=True, organisation__kind="city_office"
            ).first()
        )
        reader = membership.user if membership is not None else None
    start, end = selectors.default_period()
    city = Scope(start=start, end=end)
    if reader is not None:
        figures = timed(
            lambda: selectors.figures(fetched_by=reader, scope=city), repeat=3, warmup=1
        )
        bare_city = timed(
            lambda: _sql(
                CITY_SQL,
                [start, end, city.starts_at, city.ends_before, city.starts_at, city.ends_before],
            ),
            repeat=3,
            warmup=1,
        )
        results.append(
            BenchResult(
                "reports",
                "city figures, every indicator (dashboard table)",
                min(figures),
                min(bare_city),
                "under 300 ms for the page; else pre-aggregated rollups",
            )
        )
    # Uncached: what the first visitor of a period waits for (later ones read the cache).
    public = timed(lambda: selectors._public_statistics(start=start, end=end), repeat=3, warmup=1)
    results.append(
        BenchResult(
            "reports",
            "public statistics (suppressed tables)",
            min(public),
            min(bare_city) if reader is not None else 0.0,
            "under 300 ms for the first visitor; cached 10 min",
        )
    )
    return results
