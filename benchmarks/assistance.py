"""Institution assistance at scale (run on `mosty seed --scale large`: 1,000 assistants in ten
pools, 50,000 past and 2,000 open requests).

- proposals for an open request of the busiest pool (`proposals_for`: languages, ways of
  working, weekly availability, days away, overlapping bookings, district, hours this month)
  vs the bare SQL of the same selection;
- the coordinator's open-request list page vs the bare SQL of the same 25 rows, and its
  number of queries on the first and the last page (the same, or the list does not scale).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mosty.core.benchmarking import BenchResult, benchmark, p95, timed

REPEAT = 30

# The same selection as `selectors.proposals_for`: the pool's active assistants who speak both
# languages, were not asked yet and hold no overlapping accepted assignment; with their level,
# whether a weekly slot covers the time, whether they are away that day, whether they travel
# to the district, and their hours this month.
PROPOSALS_SQL = """
SELECT p.id, u.first_name, u.last_name, p.modes, p.is_sworn, l.level,
  EXISTS (SELECT 1 FROM assistance_availabilityslot s WHERE s.profile_id = p.id
          AND s.weekday = %(weekday)s AND s.starts <= %(start)s AND s.ends >= %(end)s),
  EXISTS (SELECT 1 FROM assistance_availabilityexception x WHERE x.profile_id = p.id
          AND x.date_from <= %(day)s AND x.date_to >= %(day)s),
  EXISTS (SELECT 1 FROM assistance_assistantprofile_districts d
          WHERE d.assistantprofile_id = p.id AND d.district_id = %(district)s),
  (SELECT COALESCE(SUM(r.duration_minutes), 0) FROM assistance_assignment a
   JOIN assistance_assistancerequest r ON r.id = a.request_id
   WHERE a.assistant_id = p.id AND a.status IN ('accepted', 'done')
   AND a.starts_at >= %(month_start)s AND a.starts_at < %(month_end)s)
FROM assistance_assistantprofile p
JOIN accounts_user u ON u.id = p.user_id
JOIN assistance_assistantlanguage l ON l.profile_id = p.id AND l.code = %(language)s
WHERE p.organisation_id = %(pool)s AND p.is_active
  AND EXISTS (SELECT 1 FROM assistance_assistantlanguage w
              WHERE w.profile_id = p.id AND w.code = %(language_with)s)
  AND NOT EXISTS (SELECT 1 FROM assistance_assignment a WHERE a.assistant_id = p.id
                  AND a.request_id = %(request)s)
  AND NOT EXISTS (SELECT 1 FROM assistance_assignment a WHERE a.assistant_id = p.id
                  AND a.status = 'accepted' AND a.starts_at < %(ends)s AND a.ends_at > %(starts)s)
"""

OPEN_SQL = """
SELECT r.id, r.language, r.language_with, r.mode, r.starts_at, r.ends_at, r.topic, r.urgency,
  r.answer_by, o.name, d.name,
  (SELECT COUNT(*) FROM assistance_assignment a WHERE a.request_id = r.id
   AND a.status IN ('accepted', 'done')),
  (SELECT COUNT(*) FROM assistance_assignment a WHERE a.request_id = r.id
   AND a.status = 'offered')
FROM assistance_assistancerequest r
JOIN organisations_organisation o ON o.id = r.organisation_id
LEFT JOIN core_district d ON d.id = r.district_id
WHERE r.provider_id IN (%(pools)s) AND r.status = 'open' AND r.starts_at >= %(now)s
ORDER BY r.starts_at, r.id
LIMIT 25
"""


def _sql(query: str, params: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        cursor.fetchall()


def _page(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries.captured_queries)


@benchmark("assistance")
def assistance_benchmark() -> list[BenchResult]:
    from mosty.accounts.models import Membership, Role
    from mosty.assistance.models import AssistanceRequest
    from mosty.assistance.selectors import month_bounds, proposals_for

    now = timezone.now()
    busiest = (
        AssistanceRequest.objects.filter(status="open", starts_at__gte=now)
        .values("provider_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        raise SystemExit("No open assistance requests: run `mosty seed --scale large` first.")
    pool = busiest["provider_id"]
    request = (
        AssistanceRequest.objects.filter(
            provider_id=pool, status="open", starts_at__gte=now, language="uk"
        )
        .order_by("starts_at")
        .first()
    ) or AssistanceRequest.objects.filter(provider_id=pool, status="open").first()
    assert request is not None
    results = []

    local = timezone.localtime(request.starts_at)
    month_start, month_end = month_bounds(request.starts_at)
    params = {
        "pool": pool,
        "request": request.pk,
        "language": request.language,
        "language_with": request.language_with,
        "weekday": local.weekday(),
        "start": local.time().isoformat() if connection.vendor == "sqlite" else local.time(),
        "end": timezone.localtime(request.ends_at).time().isoformat()
        if connection.vendor == "sqlite"
        else timezone.localtime(request.ends_at).time(),
        "day": local.date(),
        "district": request.district_id or 0,
        "month_start": month_start,
        "month_end": month_end,
        "starts": request.starts_at,
        "ends": request.ends_at,
    }
    proposals = timed(lambda: proposals_for(request=request), repeat=REPEAT)
    bare = timed(lambda: _sql(PROPOSALS_SQL, params), repeat=REPEAT)
    results.append(
        BenchResult(
            "assistance",
            f"proposals for an open request p95 (pool of {request.provider.assistant_profiles.count()})",
            p95(proposals),
            p95(bare),
            "p95 under 100 ms",
        )
    )

    membership = (
        Membership.objects.filter(organisation_id=pool, role=Role.COORDINATOR, is_active=True)
        .select_related("user")
        .first()
    )
    if membership is not None:
        coordinator = Client()
        coordinator.force_login(membership.user)
        url = "/pl/assistance/coordinate/"
        page = timed(lambda: _page(coordinator, url), repeat=REPEAT)
        pools = [
            m
            for m in Membership.objects.filter(
                user=membership.user, role=Role.COORDINATOR, is_active=True
            ).values_list("organisation_id", flat=True)
        ]
        query = OPEN_SQL.replace("%(pools)s", ", ".join(str(int(p)) for p in pools))
        page_sql = timed(lambda: _sql(query, {"now": now}), repeat=REPEAT)
        first = _page(coordinator, url)
        total = AssistanceRequest.objects.filter(
            provider_id__in=pools, status="open", starts_at__gte=now
        ).count()
        last = _page(coordinator, f"{url}?page={max(1, -(-total // 25))}")
        assert first == last, f"open-request list: {first} queries on page 1, {last} on the last"
        results.append(
            BenchResult(
                "assistance",
                f"coordinator's open-request list p95 ({total} open, {first} queries a page)",
                p95(page),
                p95(page_sql),
                "p95 under 100 ms; constant queries",
            )
        )
    return results
