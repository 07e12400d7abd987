"""The public directory at the seeded scale (`mosty seed --scale large`: 20,000 services).

- filtered public search (category + language + district + free) and the map data endpoint,
  both through the whole server stack, against a bare ORM query over the same rows;
- HSDS import of the whole directory (validated, upserted by HSDS id) against a bare
  `bulk_create` of the same services, locations, links, languages and opening-hour rows.
  Both run in a transaction that is rolled back.
"""

import time

from django.db import transaction
from django.test import Client

from mosty.core.benchmarking import BenchResult, benchmark, p95, timed

REPEAT = 50


class _Rollback(Exception):
    pass


def _ensure_data():
    from django.conf import settings

    from mosty.core.citypack import city_init
    from mosty.core.models import City
    from mosty.core.seeding import seed_run
    from mosty.directory.models import Service

    if City.current() is None:
        city_init(path=settings.DEMO_PACK)
    if not Service.objects.exists():
        seed_run(scale="demo", only=["organisations", "directory"])


def _filters() -> dict:
    # The most common category, language and district, so the search returns real pages.
    from django.db.models import Count

    from mosty.directory.models import ServiceCategory, ServiceLanguage

    category = (
        ServiceCategory.objects.values("category__code").annotate(n=Count("id")).order_by("-n")
    ).first()["category__code"]
    language = (
        ServiceLanguage.objects.exclude(code="pl")
        .values("code")
        .annotate(n=Count("id"))
        .order_by("-n")
    ).first()["code"]
    from mosty.directory.models import Location

    district = (
        Location.objects.exclude(district=None)
        .values("district__code")
        .annotate(n=Count("id"))
        .order_by("-n")
    ).first()["district__code"]
    return {"category": category, "language": language, "district": district, "free": "on"}


def _prefixed(tables: dict) -> dict:
    """The same dataset under new HSDS ids, so the import creates every row."""
    out = {}
    for name, rows in tables.items():
        out[name] = []
        for row in rows:
            copy = dict(row)
            for key, value in row.items():
                if (key == "id" or key.endswith("_id") or key == "link_id") and value:
                    copy[key] = f"b{value}"
            out[name].append(copy)
    return out


def _bare_insert(tables: dict, org) -> None:
    """The same number of service, location, link, language and opening-hour rows, inserted
    with plain bulk_create (no validation, no lookups, no upsert)."""
    import datetime

    from mosty.directory.models import (
        Location,
        Schedule,
        Service,
        ServiceAtLocation,
        ServiceLanguage,
    )

    n = len(tables["services"])
    services = Service.objects.bulk_create(
        [Service(hsds_id=f"bare-{i}", organisation=org, name=f"S {i}") for i in range(n)],
        batch_size=1000,
    )
    locations = Location.objects.bulk_create(
        [
            Location(hsds_id=f"bare-loc-{i}", organisation=org, name=f"L {i}")
            for i in range(len(tables["locations"]))
        ],
        batch_size=1000,
    )
    ServiceAtLocation.objects.bulk_create(
        [
            ServiceAtLocation(hsds_id=f"bare-sal-{i}", service=s, location=loc)
            for i, (s, loc) in enumerate(zip(services, locations, strict=False))
        ],
        batch_size=1000,
    )
    ServiceLanguage.objects.bulk_create(
        [
            ServiceLanguage(
                hsds_id=f"bare-lang-{i}", service=services[i % n], code="x" + str(i // n)
            )
            for i in range(len(tables["languages"]))
        ],
        batch_size=1000,
    )
    Schedule.objects.bulk_create(
        [
            Schedule(
                hsds_id=f"bare-sch-{i}",
                service=services[i % n],
                weekday=1 + i % 7,
                opens_at=datetime.time(9),
                closes_at=datetime.time(17),
            )
            for i in range(len(tables["schedules"]))
        ],
        batch_size=1000,
    )


@benchmark("directory")
def directory() -> list[BenchResult]:
    from mosty.directory import hsds
    from mosty.directory.models import Location, Service
    from mosty.organisations.models import Organisation

    _ensure_data()
    services_total = Service.objects.count()
    filters = _filters()
    client = Client()
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    results = []

    def bare_search():
        list(
            Service.objects.filter(status="active", is_free=True)
            .order_by("name", "pk")
            .values_list("pk", "name")[:25]
        )

    baseline = p95(timed(bare_search, repeat=REPEAT))
    value = p95(timed(lambda: client.get(f"/pl/directory/?{query}"), repeat=REPEAT))
    results.append(
        BenchResult(
            "directory",
            f"filtered public search p95 ({services_total:,} services)",
            value,
            baseline,
            goal="<= 300 ms at 20,000 services",
        )
    )

    def bare_map():
        list(
            Location.objects.filter(latitude__isnull=False).values_list("latitude", "longitude")[
                :5000
            ]
        )

    baseline = p95(timed(bare_map, repeat=REPEAT))
    value = p95(
        timed(
            lambda: client.get(f"/pl/directory/map/data.json?language={filters['language']}"),
            repeat=REPEAT,
        )
    )
    results.append(
        BenchResult(
            "directory",
            "map data endpoint p95",
            value,
            baseline,
            goal="<= 500 ms, <= 5,000 markers",
        )
    )

    tables = _prefixed(hsds.export_tables())
    count = len(tables["services"])
    started = time.perf_counter()
    try:
        with transaction.atomic():
            hsds.hsds_import(tables=tables, by=None, source="bench")
            raise _Rollback
    except _Rollback:
        pass
    import_seconds = time.perf_counter() - started
    org = Organisation.objects.order_by("pk").first()
    started = time.perf_counter()
    try:
        with transaction.atomic():
            _bare_insert(tables, org)
            raise _Rollback
    except _Rollback:
        pass
    bare_seconds = time.perf_counter() - started
    results.append(
        BenchResult(
            "directory",
            f"HSDS import rate ({count:,} services with all their rows)",
            round(count / import_seconds, 1),
            round(count / bare_seconds, 1),
            goal="whole city directory imports in under a minute",
            unit="services/s",
        )
    )
    return results
