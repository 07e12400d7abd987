"""Participant search and import at the seeded scale.

Run `mosty seed --scale large` first (50,000 participants) for the yardstick figures.

- search: the intake search (transliteration-tolerant, through the access policy) for names
  of seeded people, p95, against a bare indexed query (exact pseudonymous code lookup);
- import: 50,000 uploaded rows through the import task (mapping, validation, codes, search
  keys, progress, one transaction) against a bare `bulk_create` of the same 50,000 ready-made
  rows. Storing the upload (the earlier request) is not timed.
  Both run inside a transaction that is rolled back, so the data set is left as it was.
"""

import random
import time

from django.db import transaction
from django.test import Client

from mosty.core.benchmarking import BenchResult, benchmark, p95, timed

REPEAT = 100
IMPORT_ROWS = 50_000


class _Rollback(Exception):
    pass


def _ensure_people():
    from mosty.people.models import Participant

    if not Participant.objects.exists():
        from benchmarks.foundation import _ensure_demo_data
        from mosty.core.seeding import seed_run

        _ensure_demo_data()
        seed_run(scale="demo", only=["people"])


def _busiest_coordinator():
    from django.db.models import Count

    from mosty.accounts.models import Membership, Role
    from mosty.people.models import Participant

    coordinated = Membership.objects.filter(role=Role.COORDINATOR, is_active=True)
    row = (
        Participant.objects.filter(owner_id__in=coordinated.values("organisation_id"))
        .values("owner_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    membership = coordinated.filter(organisation_id=row["owner_id"]).select_related("user").first()
    return membership.user, row["owner_id"], row["n"]


def _search_results() -> list[BenchResult]:
    from mosty.people.models import Participant
    from mosty.people.selectors import participant_list

    user, org_id, count = _busiest_coordinator()
    rng = random.Random(7)
    sample = list(
        Participant.objects.filter(owner_id=org_id).values_list(
            "code", "first_name", "last_name", "last_name_original"
        )[:2000]
    )
    picks = [rng.choice(sample) for _ in range(REPEAT + 3)]
    it = iter(range(10**9))

    def search():
        code, first, last, last_o = picks[next(it) % len(picks)]
        # Alternate spellings: Latin full name, original-script surname.
        query = f"{first} {last}" if rng.random() < 0.5 else (last_o or last)
        list(participant_list(fetched_by=user, filters={"q": query})[:25])
        user.__dict__.pop("_mosty_role_map", None)

    def bare():
        code = picks[next(it) % len(picks)][0]
        list(Participant.objects.filter(code=code).values_list("pk", "code"))

    baseline = p95(timed(bare, repeat=REPEAT))
    value = p95(timed(search, repeat=REPEAT))
    client = Client()
    client.force_login(user)
    page = p95(
        timed(
            lambda: client.get("/pl/participants/intake/", {"q": picks[0][2]}), repeat=REPEAT // 2
        )
    )
    scale = f"{Participant.objects.count():,} participants, {count:,} in the organisation"
    return [
        BenchResult("people", f"participant search p95 ({scale})", value, baseline, goal="< 50 ms"),
        BenchResult("people", "intake search page p95", page, baseline, goal="< 150 ms"),
    ]


def _rows(n: int, districts: list[str]) -> list[list[str]]:
    from mosty.core.seeding import SeedContext
    from mosty.people.seed import ORIGINS, _person

    ctx = SeedContext(scale="large", seed=11)
    rows = []
    for i in range(n):
        country, _c, lang, _langs, _w = ORIGINS[i % 3]
        first, last, first_o, last_o, gender = _person(ctx, country, lang)
        rows.append(
            [
                first,
                last,
                first_o,
                last_o,
                str(1950 + i % 55),
                gender,
                country,
                "uk:native, pl:A2",
                "A2",
                "2023-05-01",
                districts[i % len(districts)] if districts else "",
                f"+48 600 {i % 1000:03d} {i // 1000:03d}",
                f"person{i}@example.net",
                "telegram",
            ]
        )
    return rows


def _import_results() -> list[BenchResult]:
    from mosty.core.models import District
    from mosty.people import imports
    from mosty.people.models import Participant, ParticipantImport

    user, org_id, _count = _busiest_coordinator()
    districts = list(District.objects.values_list("code", flat=True)[:20])
    rows = _rows(IMPORT_ROWS, districts)
    headers = [
        "first_name",
        "last_name",
        "first_name_original",
        "last_name_original",
        "birth_year",
        "gender",
        "country",
        "languages",
        "polish_level",
        "arrival_date",
        "district",
        "phone",
        "email",
        "preferred_channel",
    ]
    district_ids = dict(District.objects.values_list("code", "pk"))

    def bare():
        codes = imports._unique_codes(len(rows), "BEN")
        objs = [
            Participant(
                code=code,
                owner_id=org_id,
                first_name=r[0],
                last_name=r[1],
                first_name_original=r[2],
                last_name_original=r[3],
                birth_year=int(r[4]),
                gender=r[5],
                country_of_origin=r[6],
                languages=[{"code": "uk", "level": "native"}, {"code": "pl", "level": "A2"}],
                polish_level=r[8],
                arrival_date=r[9],
                district_id=district_ids.get(r[10]),
                phone=r[11],
                email=r[12],
                preferred_channel=r[13],
            )
            for code, r in zip(codes, rows, strict=True)
        ]
        Participant.objects.bulk_create(objs, batch_size=imports.BATCH)

    def upload():
        # The upload request (file parsed, rows stored) happens before the import task runs.
        return ParticipantImport.objects.create(
            owner_id=org_id,
            created_by=user,
            filename="bench.csv",
            headers=headers,
            rows=rows,
            total=len(rows),
            mapping=imports.guess_mapping(headers),
        )

    def full(job):
        job = imports.run(job.pk)
        # Rows that repeat a participant of the organisation are skipped, not inserted.
        assert job.created_count + job.skipped_count == len(rows), job.errors[:3]

    def seconds(fn, prepare=None) -> float:
        elapsed = 0.0
        try:
            with transaction.atomic():
                argument = prepare() if prepare else None
                started = time.perf_counter()
                fn(argument) if prepare else fn()
                elapsed = time.perf_counter() - started
                raise _Rollback
        except _Rollback:
            pass
        return elapsed

    bare_rate = len(rows) / seconds(bare)
    import_rate = len(rows) / seconds(full, prepare=upload)
    return [
        BenchResult(
            "people",
            f"import rate of {len(rows):,} rows (rows/s; ratio = share of bare bulk insert)",
            round(import_rate),
            round(bare_rate),
            goal=">= 0.5 of bare bulk insert",
            unit="rows/s",
        )
    ]


@benchmark("people")
def people() -> list[BenchResult]:
    _ensure_people()
    return _search_results() + _import_results()
