"""Every staff page for the heaviest user of each role: p50, p95 and queries per page.

`mosty seed --scale large` builds the yardstick and its heavy users (`HEAVY_USERS` in
`mosty/core/seeding.py`: the city-office coordinator across 300 organisations, the large NGO's
coordinator and its caseworker leading 150 cases, the 2,000-mentor organisation's coordinator,
the organiser of 500 events, the administrator). The pages are not listed here: the walk takes
every argument-less page of Mosty's URL registry (the one the access matrix checks) and the
first link to every detail page found on them (`page_walk` in `mosty/core/benchmarking.py`), so
a page added later is measured without anyone remembering it.

The baseline of each line is the goal itself (100 ms p95), so a ratio above 1 is a page over
budget; the bare-SQL baseline of each slow page's selection lives in that module's benchmark
(`benchmarks/cases.py`, `benchmarks/directory.py`, …). Planner statistics are refreshed first
(`ANALYZE` / `VACUUM ANALYZE`), and what the requests write (read-audit rows) is rolled back.
"""

from __future__ import annotations

import sys
from typing import TextIO

from django.db import transaction

from mosty.core.benchmarking import BenchResult, analyze, benchmark, page_walk
from mosty.core.process import settle
from mosty.core.seeding import HEAVY_USERS


@benchmark("pages")
def pages(
    repeat: int = 20, users: list[str] | None = None, out: TextIO = sys.stdout
) -> list[BenchResult]:
    from mosty.accounts.models import User

    emails = users or [u.email for u in HEAVY_USERS]
    found = {u.email: u for u in User.objects.filter(email__in=emails)}
    missing = [e for e in emails if e not in found]
    if missing:
        out.write(f"not in this database (run `mosty seed --scale large`): {', '.join(missing)}\n")
    analyze()
    settle()  # as the WSGI entry point does: the bench measures a process as production runs it
    results: list[BenchResult] = []
    for email in emails:
        if email not in found:
            continue
        what = next((u.what for u in HEAVY_USERS if u.email == email), "")
        out.write(f"-- {email}: {what}\n")
        with transaction.atomic():
            results += [t.result() for t in page_walk(found[email], repeat=repeat, out=out)]
            transaction.set_rollback(True)
    over = [r for r in results if r.value > r.baseline]
    out.write(
        f"{len(results)} pages measured, {len(over)} over {results[0].baseline:.0f} ms p95\n"
        if results
        else "no pages measured\n"
    )
    return results
