"""Reports (`mosty bench reports`), on `mosty seed --scale large` (the events seed writes
1,000,000 attendance rows with `bulk_create`: 5,000 events x 4 sessions x 50 registrants;
the people seed 50,000 participants) or on the demo.

The pages read figures kept ahead by `reports.tasks.rollups_refresh` (`mosty/reports/rollups.py`);
the bench refreshes them first when none are kept and reports how long that took (the nightly
job's cost, not a page's).

- programme page p95 (progress against every target, the monthly chart) against the bare SQL
  of the same headline figures (programme hours and distinct participants of its linked events,
  `PROGRAMME_SQL`);
- city report page p95 (the admin's dashboard: every indicator this year and last year, two
  monthly charts) against the bare SQL of its headline figures (cases opened, programme hours,
  distinct attendees, `CITY_SQL`);
- the all-events report page p95 (`events:report`, every event for the admin: the events
  module's own page, which counts live) against the bare SQL of its totals (`EVENTS_SQL`);
- the export of a programme's report over its whole period (a year or more: issue the
  snapshot, then write XLSX and PDF; in a transaction rolled back) against the bare SQL of its
  headline figures. A period chosen by hand is counted live: over a year of the events seed
  (280,000 attendance rows) that export took 6.5 s on a loaded machine;
- the public statistics (distinct consenting people, suppressed tables), uncached.
"""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.test import Client

from mosty.core.benchmarking import BenchResult, benchmark, p95, timed

REPEAT = 20

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

EVENTS_SQL = """
SELECT
  (SELECT COUNT(*) FROM events_event),
  (SELECT COUNT(*) FROM events_registration WHERE status = 'confirmed'),
  (SELECT COUNT(*) FROM events_attendance WHERE present),
  (SELECT COALESCE(SUM(s.minutes), 0) FROM events_attendance a
     JOIN events_session s ON s.id = a.session_id WHERE a.present)
"""


class _Rollback(Exception):
    pass


def _sql(query: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        cursor.fetchall()


def _page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def _city_reader():
    """Someone who sees the whole city: a superuser, an admin, or a city-office coordinator."""
    from mosty.accounts.models import Membership, Role, User

    reader = User.objects.filter(is_superuser=True).first()
    if reader is not None:
        return reader
    membership = (
        Membership.objects.filter(role=Role.ADMIN, is_active=True).first()
        or Membership.objects.filter(
            role=Role.COORDINATOR, is_active=True, organisation__kind="city_office"
        ).first()
    )
    return membership.user if membership is not None else None


def _ensure_kept() -> list[BenchResult]:
    """Refresh the kept figures when none are kept; the time it took is a result."""
    from mosty.reports.models import RollupScope
    from mosty.reports.tasks import rollups_refresh

    if RollupScope.objects.exists():
        return []
    started = time.perf_counter()
    scopes = rollups_refresh.call()
    seconds = time.perf_counter() - started
    return [
        BenchResult(
            "reports",
            f"nightly refresh of the kept figures ({scopes} scopes)",
            round(seconds, 1),
            0.0,
            "background job; no goal",
            unit="s",
        )
    ]


@benchmark("reports")
def reports_benchmark() -> list[BenchResult]:
    from mosty.accounts.models import Membership, Role
    from mosty.core.indicators import Scope
    from mosty.reports import exports, selectors, services
    from mosty.reports.models import Programme

    programme = Programme.objects.order_by("pk").first()
    if programme is None:
        raise SystemExit("No programmes: run `mosty seed` (demo or --scale large) first.")
    results = _ensure_kept()
    coordinator = (
        Membership.objects.filter(
            organisation_id=programme.organisation_id, role=Role.COORDINATOR, is_active=True
        )
        .select_related("user")
        .first()
    )
    scope = programme.scope()
    programme_params = [programme.pk, scope.starts_at, scope.ends_before] * 2
    bare_programme = p95(
        timed(lambda: _sql(PROGRAMME_SQL, programme_params), repeat=REPEAT, warmup=1)
    )
    if coordinator is not None:
        client = Client()
        client.force_login(coordinator.user)
        url = f"/pl/reports/programmes/{programme.pk}/"
        page = timed(lambda: _page(client, url), repeat=REPEAT, warmup=1)
        results.append(
            BenchResult(
                "reports", "programme page p95", p95(page), bare_programme, "p95 under 300 ms"
            )
        )
    reader = _city_reader()
    start, end = selectors.default_period()
    city = Scope(start=start, end=end)
    city_params = [start, end, city.starts_at, city.ends_before, city.starts_at, city.ends_before]
    bare_city = p95(timed(lambda: _sql(CITY_SQL, city_params), repeat=REPEAT, warmup=1))
    if reader is not None:
        admin = Client()
        admin.force_login(reader)
        dashboard = timed(lambda: _page(admin, "/pl/reports/"), repeat=REPEAT, warmup=1)
        results.append(
            BenchResult(
                "reports", "city report page p95", p95(dashboard), bare_city, "p95 under 300 ms"
            )
        )
        events_page = timed(lambda: _page(admin, "/pl/events/manage/report/"), repeat=5, warmup=1)
        bare_events = p95(timed(lambda: _sql(EVENTS_SQL, []), repeat=5, warmup=1))
        results.append(
            BenchResult(
                "reports",
                "all-events report page p95 (events module, counted live)",
                p95(events_page),
                bare_events,
                "p95 under 300 ms",
            )
        )
    # A report over the programme's whole period (a year or more; its figures are kept):
    # issued, then written as XLSX and PDF, rolled back.
    if coordinator is not None:

        def export() -> None:
            try:
                with transaction.atomic():
                    snapshot = services.report_issue(
                        programme=programme,
                        start=programme.starts_on,
                        end=programme.ends_on,
                        by=coordinator.user,
                    )
                    for fmt in ("xlsx", "pdf"):
                        exports.snapshot_response(snapshot, fmt=fmt)
                    raise _Rollback
            except _Rollback:
                pass

        took = timed(export, repeat=3, warmup=1)
        days = (programme.ends_on - programme.starts_on).days + 1
        results.append(
            BenchResult(
                "reports",
                f"export of the programme's report over {days} days (issue, XLSX and PDF)",
                max(took),
                bare_programme,
                "under 5 s",
            )
        )
    # Uncached: what the first visitor of a period waits for (later ones read the cache).
    public = timed(lambda: selectors._public_statistics(start=start, end=end), repeat=3, warmup=1)
    results.append(
        BenchResult(
            "reports",
            "public statistics (suppressed tables), uncached",
            min(public),
            bare_city,
            "under 300 ms for the first visitor; cached 10 min",
        )
    )
    return results
