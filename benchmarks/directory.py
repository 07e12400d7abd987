"""The public directory at the seeded scale (`mosty seed --scale large`: 20,000 services).

- public search through the whole server stack (category + language + district + free, then
  the same with a word typed, which PostgreSQL serves from the trigram indexes) against the
  same selection as plain ORM joins: the same filters and text, the page of 25 and the count;
- the map data endpoint through the whole stack against a bare query of the same markers;
- HSDS import of a city directory of 20,000 services (the directory's export, copied under
  new ids up to that size; validated, matched by source, upserted, every row kept whole)
  against the barest way to write the same rows: `bulk_create` into the same tables, with an
  HsdsRecord per row and nothing checked or matched (`_bare_insert`). A rate: the ratio is
  import rate / bare rate, so 0.5 means the import takes twice the bare time. Both run in a
  transaction that is rolled back.
"""

import time

from django.db import transaction
from django.db.models import Q
from django.test import Client

from mosty.access.audit import summarised
from mosty.core.benchmarking import BenchResult, benchmark, p95, timed, timed_pair

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


def _search_word() -> str:
    """A word people would type: the commonest long first word of active services' names."""
    from collections import Counter

    from mosty.directory.models import Service

    names = Service.objects.filter(status="active").values_list("name", flat=True)[:2000]
    words = Counter(w for name in names for w in name.split()[:1] if len(w) >= 4)
    return words.most_common(1)[0][0] if words else "porad"


HSDS_SERVICES = 20_000  # the large city's directory


def _copy(tables: dict, n: int) -> dict:
    """Copy `n` of the dataset under new HSDS ids (and organisation names, as another city's
    organisations would have), so the import creates every row. The taxonomy is shared: a
    city's directory has tens of categories, not one set per copy."""
    shared = {"taxonomies", "taxonomy_terms"}
    out = {}
    for name, rows in tables.items():
        if name in shared:
            out[name] = [dict(row) for row in rows] if n == 0 else []
            continue
        out[name] = []
        for row in rows:
            copy = dict(row)
            for key, value in row.items():
                if (key == "id" or key.endswith("_id")) and value and key != "taxonomy_term_id":
                    copy[key] = f"b{n}-{value}"
            if name == "organizations":
                copy["name"] = f"{row['name']} {n}"
            out[name].append(copy)
    return out


def _large_tables(tables: dict) -> dict:
    """The directory's HSDS tables copied until they hold HSDS_SERVICES services or more."""
    out: dict[str, list] = {name: [] for name in tables}
    n = 0
    while len(out["services"]) < HSDS_SERVICES:
        for name, rows in _copy(tables, n).items():
            out[name] += rows
        n += 1
    return out


def _bare_insert(tables: dict) -> None:
    """The rows the import writes, inserted the barest way: bulk_create of the organisations
    (with their HSDS ids), categories, locations, services, service-at-location links,
    phones, opening hours, languages and service categories, and one HsdsRecord per row of
    the file (the import keeps every row whole); no validation, no id matching, no upsert.
    Audited as the import is: one summary, no event per row (`summarised`)."""
    with summarised():
        _bare_rows(tables)


def _bare_rows(tables: dict) -> None:
    import datetime

    from django.utils import timezone

    from mosty.directory.models import (
        Category,
        HsdsOrganisation,
        HsdsRecord,
        Location,
        Phone,
        Schedule,
        Service,
        ServiceAtLocation,
        ServiceCategory,
        ServiceLanguage,
    )
    from mosty.organisations.models import Organisation

    def rows(name):
        return tables.get(name, [])

    batch = 1000
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(slug=f"bare-{i}", name=r["name"])
            for i, r in enumerate(rows("organizations"))
        ],
        batch_size=batch,
    )
    HsdsOrganisation.objects.bulk_create(
        [HsdsOrganisation(organisation=o, hsds_id=f"bare-{i}") for i, o in enumerate(orgs)],
        batch_size=batch,
    )
    cats = Category.objects.bulk_create(
        [
            Category(hsds_id=f"bare-{i}", code=f"bare-{i}", name=r["name"])
            for i, r in enumerate(rows("taxonomy_terms"))
        ],
        batch_size=batch,
    )
    org = orgs[0]
    locations = Location.objects.bulk_create(
        [
            Location(hsds_id=f"bare-{i}", organisation=org, name=f"L {i}")
            for i in range(len(rows("locations")))
        ],
        batch_size=batch,
    )
    services = Service.objects.bulk_create(
        [
            Service(hsds_id=f"bare-{i}", organisation=org, name=r["name"])
            for i, r in enumerate(rows("services"))
        ],
        batch_size=batch,
    )
    n = len(services)
    ServiceAtLocation.objects.bulk_create(
        [
            ServiceAtLocation(
                hsds_id=f"bare-{i}", service=services[i % n], location=locations[i % len(locations)]
            )
            for i in range(len(rows("service_at_location")))
        ],
        batch_size=batch,
    )
    Phone.objects.bulk_create(
        [
            Phone(hsds_id=f"bare-{i}", service=services[i % n], number="1")
            for i in range(len(rows("phones")))
        ],
        batch_size=batch,
    )
    Schedule.objects.bulk_create(
        [
            Schedule(
                hsds_id=f"bare-{i}",
                service=services[i % n],
                weekday=1 + i % 7,
                opens_at=datetime.time(9),
                closes_at=datetime.time(17),
            )
            for i in range(len(rows("schedules")))
        ],
        batch_size=batch,
    )
    ServiceLanguage.objects.bulk_create(
        [
            ServiceLanguage(hsds_id=f"bare-{i}", service=services[i % n], code=f"x{i // n}")
            for i in range(len(rows("languages")))
        ],
        batch_size=batch,
    )
    if cats:
        ServiceCategory.objects.bulk_create(
            [
                ServiceCategory(
                    hsds_id=f"bare-{i}",
                    service=services[i % n],
                    category=cats[(i // n) % len(cats)],
                )
                for i in range(len(rows("attributes")))
                if i // n < len(cats)
            ],
            batch_size=batch,
        )
    now = timezone.now()
    HsdsRecord.objects.bulk_create(
        [
            HsdsRecord(
                source="bare",
                table=name,
                external_id=str(r.get("id")),
                hsds_id=str(r.get("id")),
                data=r,
                imported_at=now,
            )
            for name, table in tables.items()
            for r in table
        ],
        batch_size=batch,
    )


def _seconds_rolled_back(fn) -> float:
    started = time.perf_counter()
    try:
        with transaction.atomic():
            fn()
            raise _Rollback
    except _Rollback:
        pass
    return time.perf_counter() - started


@benchmark("directory")
def directory() -> list[BenchResult]:
    from mosty.directory import hsds
    from mosty.directory.models import Location, Service

    _ensure_data()
    services_total = Service.objects.count()
    filters = _filters()
    client = Client()
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    results = []

    def bare_search(text: str) -> None:
        # The same selection as the page: the same filters and text, its page and its count,
        # written as the plain joins anyone would write (no policy, no semi-joins).
        rows = Service.objects.filter(
            status="active",
            is_free=True,
            servicecategory__category__code=filters["category"],
            languages__code=filters["language"],
            serviceatlocation__location__district__code=filters["district"],
        )
        if text:
            rows = rows.filter(
                Q(name__icontains=text)
                | Q(description__icontains=text)
                | Q(organisation__name__icontains=text)
                | Q(translations__name__icontains=text)
            )
        rows = rows.distinct()
        list(rows.order_by("name", "pk").values_list("pk", "name")[:25])
        rows.count()

    for label, text in (("filtered", ""), ("filtered text", _search_word())):
        value, baseline = (
            p95(samples)
            for samples in timed_pair(
                lambda text: client.get(f"/pl/directory/?{query}&q={text}"),
                bare_search,
                [text],
                repeat=REPEAT,
            )
        )
        results.append(
            BenchResult(
                "directory",
                f"{label} public search p95 ({services_total:,} services"
                + (f', "{text}")' if text else ")"),
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

    tables = _large_tables(hsds.export_tables())
    count = len(tables["services"])
    import_seconds = _seconds_rolled_back(
        lambda: hsds.hsds_import(tables=tables, by=None, source="bench")
    )
    bare_seconds = _seconds_rolled_back(lambda: _bare_insert(tables))
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
