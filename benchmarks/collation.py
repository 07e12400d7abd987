"""Names in the city's alphabet (`by_name()`, mosty/core/collation.py) against a plain
`order_by("name")`, over 3,000 organisations (the large city's number), on the configured
database.

On SQLite `by_name()` orders by `mosty_names_key(name)`: Python computes each row's key once,
then SQLite sorts the bytes. The collation itself (`COLLATE "mosty_names"`, what `Collate()`
writes) calls Python for every comparison of two rows instead, measured too as the reason
for the key. Each metric is timed in turn with its baseline on the same rows:
- the whole list of names, the key cache warm (the names were sorted before, as on a server
  showing the same lists again) and cold (every key computed again);
- the first page of 50 (what a list page asks for).
The rows are created in a transaction that is rolled back.
"""

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Collate

from mosty.core.benchmarking import BenchResult, benchmark, p95, timed_pair
from mosty.core.collation import NAMES, by_name, sort_key

ORGANISATIONS = 3_000
REPEAT = 30
PAGE = 50


class _Rollback(Exception):
    pass


def _names(count: int) -> list[str]:
    from faker import Faker

    names = []
    for locale, share in [("pl_PL", 0.8), ("uk_UA", 0.1), ("de_DE", 0.05), ("fr_FR", 0.05)]:
        fake = Faker(locale)
        fake.seed_instance(42)
        names += [fake.company() for _ in range(int(count * share))]
    return [f"{name} {i}" for i, name in enumerate(names)]


def _create(names: list[str]) -> int:
    """Creates the organisations; the largest key before them."""
    from django.db.models import Max

    from mosty.organisations.models import Organisation

    before = Organisation.objects.aggregate(last=Max("pk"))["last"] or 0
    Organisation.objects.bulk_create(
        [Organisation(name=name, slug=f"bench-collation-{i}") for i, name in enumerate(names)],
        batch_size=500,
    )
    return before


def _measure(after: int) -> list[BenchResult]:
    from mosty.organisations.models import Organisation

    rows = Organisation.objects.filter(pk__gt=after)

    def listed(ordering: list, limit: int | None) -> list:
        names = rows.order_by(*ordering).values_list("pk", "name")
        return list(names[:limit] if limit else names)

    def plain(limit: int | None) -> list:
        return listed(["name"], limit)

    def ours(limit: int | None) -> list:
        return listed(by_name("name"), limit)

    def collated(limit: int | None) -> list:
        return listed([Collate(F("name"), NAMES).asc()], limit)

    def cold(limit: int | None) -> list:
        sort_key.cache_clear()
        return ours(limit)

    results = []
    for metric, fn, limit, goal in [
        ("3,000 names, key cache warm", ours, None, "<= 2x plain order_by"),
        ("3,000 names, key cache cold", cold, None, "< 100 ms"),
        ("first page of 50", ours, PAGE, "< 20 ms (a page's budget: 100 ms)"),
        ("3,000 names, COLLATE (Python per comparison)", collated, None, "(why the key)"),
    ]:
        value, baseline = timed_pair(fn, plain, [limit], repeat=REPEAT)
        results.append(BenchResult("collation", metric, p95(value), p95(baseline), goal=goal))
    return results


@benchmark("collation")
def collation() -> list[BenchResult]:
    results: list[BenchResult] = []
    try:
        with transaction.atomic():
            results = _measure(_create(_names(ORGANISATIONS)))
            raise _Rollback
    except _Rollback:
        pass
    return results
