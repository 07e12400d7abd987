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
- the export of a programme's report (issue the snapshot, then write XLSX and PDF; in a
  transaction rolled back), over its whole period (its figures are kept: "stored") and over a
  year of it chosen by hand (the 365 days from the day after it starts: no rollup keeps that
  period, every figure is counted now; before the one-pass counting this took 6.5 s on the
  large seed), against the bare SQL of its headline figures (`PROGRAMME_SQL` over the same
  period): the least any export of those figures must do;
- the city-wide export (issue the city snapshot, then XLSX, CSV and PDF, rolled back) for the
  current calendar year (kept, like every calendar year with records) and for the 365 days up
  to yesterday (chosen by hand: the page hands it to a background task, timed here in line),
  against the bare SQL of the city's headline figures over the same period (`CITY_SQL`);
- the public statistics (distinct consenting people, suppressed tables): a period chosen by
  hand, uncached (what its first visitor waits for); the nightly keeping of this year's in
  every language; and the public page of this year as visitors get it (kept), each against
  the bare SQL of the city's headline figures (`CITY_SQL`; seven times it for the keeping).
"""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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


def _export_programme(programme, user, first, last) -> None:
    """Issue the programme's report for the period and write it as XLSX and PDF; rolled back."""
    from mosty.reports import exports, services

    try:
        with transaction.atomic():
            snapshot = services.report_issue(programme=programme, start=first, end=last, by=user)
            for fmt in ("xlsx", "pdf"):
                exports.snapshot_response(snapshot, fmt=fmt)
            raise _Rollback
    except _Rollback:
        pass


def _export_city(user, first, last) -> None:
    """Issue the city report for the period and write it as XLSX, CSV and PDF; rolled back.
    A period not kept is counted by the background task, run here in line."""
    from mosty.reports import exports, services
    from mosty.reports.tasks import city_report_count

    try:
        with transaction.atomic():
            snapshot = services.city_report_request(start=first, end=last, by=user)
            if snapshot.status != snapshot.Status.READY:  # not kept: what the worker does
                city_report_count.call(snapshot.pk)
                snapshot.refresh_from_db()
            for fmt in ("xlsx", "csv", "pdf"):
                exports.city_response(snapshot, fmt=fmt)
            raise _Rollback
    except _Rollback:
        pass


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
    from mosty.reports import selectors, services
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
    if coordinator is not None:
        whole = (programme.starts_on, programme.ends_on)
        year_start = programme.starts_on + datetime.timedelta(days=1)
        chosen = (year_start, min(programme.ends_on, year_start + datetime.timedelta(days=364)))
        for label, (first, last) in (("stored", whole), ("chosen by hand", chosen)):
            part = programme.scope(first, last)
            params = [programme.pk, part.starts_at, part.ends_before] * 2
            bare = p95(timed(lambda p=params: _sql(PROGRAMME_SQL, p), repeat=5, warmup=1))
            took = timed(
                lambda f=first, la=last: _export_programme(programme, coordinator.user, f, la),
                repeat=2,
                warmup=1,
            )
            days = (last - first).days + 1
            results.append(
                BenchResult(
                    "reports",
                    f"programme report export, {days} days, {label} (issue, XLSX, PDF)",
                    max(took),
                    bare,
                    "under 5 s",
                )
            )
    if reader is not None and hasattr(services, "city_report_request"):
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        periods = (
            ("current year, stored", (start, end)),
            ("365 days chosen by hand", (yesterday - datetime.timedelta(days=364), yesterday)),
        )
        for label, (first, last) in periods:
            part = Scope(start=first, end=last)
            params = [first, last, *[part.starts_at, part.ends_before] * 2]
            bare = p95(timed(lambda p=params: _sql(CITY_SQL, p), repeat=5, warmup=1))
            took = timed(lambda f=first, la=last: _export_city(reader, f, la), repeat=2, warmup=1)
            results.append(
                BenchResult(
                    "reports",
                    f"city report export, {label} (issue, XLSX, CSV, PDF)",
                    max(took),
                    bare,
                    "under 5 s",
                )
            )
    # Uncached: what the first visitor of a period chosen by hand waits for (later ones read
    # the cache for 10 minutes); this year's is kept by the nightly refresh in every language.
    public = timed(lambda: selectors._public_statistics(start=start, end=end), repeat=3, warmup=1)
    results.append(
        BenchResult(
            "reports",
            "public statistics, a period chosen by hand, uncached (one language)",
            min(public),
            bare_city,
            "under 5 s; this year's kept by the nightly refresh",
        )
    )
    keep = timed(selectors.public_statistics_keep, repeat=1)
    results.append(
        BenchResult(
            "reports",
            "public statistics kept for the night, 7 languages (the refresh's cost)",
            min(keep),
            bare_city * len(settings.LANGUAGES),
            "under a minute",
        )
    )
    visitor = Client()
    public_url = reverse("reports:public")
    page = timed(lambda: _page(visitor, public_url), repeat=REPEAT, warmup=2)
    results.append(
        BenchResult(
            "reports",
            "public statistics page p95, this year (kept)",
            p95(page),
            bare_city,
            "p95 under 300 ms",
        )
    )
    return results
