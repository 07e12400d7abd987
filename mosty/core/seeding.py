"""Synthetic data: a registry each module adds its part to (`mosty/<app>/seed.py`).

Deterministic (a fixed random seed), multilingual names from Faker's locales, and progress
printed as it goes, because `--scale large` (docs/architecture.md, Scale) takes a while.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from django.core.management.base import CommandError
from django.utils.module_loading import autodiscover_modules

SCALES = ("demo", "large")
# Faker locales for the languages of people in the programme and of the city.
NAME_LOCALES = {
    "pl": "pl_PL",
    "uk": "uk_UA",
    "ru": "ru_RU",
    "ar": "ar_AA",
    "fa": "fa_IR",
    "fr": "fr_FR",
    "en": "en_GB",
}
DEMO_PASSWORD = "mosty-demo-2026"  # noqa: S105 - printed on purpose: it is the demo's login

# The shape of a real city at `--scale large` (docs/architecture.md, Scale): a few organisations
# much larger than the rest, and the people whose pages carry the most rows. The seeders build
# them under these fixed slugs and e-mails so `mosty bench pages` finds them again.
HEAVY_ORGANISATIONS = {
    "ngo": "seed-heavy-ngo",  # 10,000 participants, 3,000 open cases
    "mentoring": "seed-heavy-mentoring",  # 2,000 mentors
    "events": "seed-heavy-events",  # 500 events
    "city": "seed-heavy-city-office",  # its coordinator is also one in 299 other organisations
}
HEAVY_NGO_CASEWORKERS = 20  # each leads 150 of the NGO's 3,000 open cases
HEAVY_CITY_ORGANISATIONS = 300


def ngo_caseworker_emails() -> list[str]:
    """The large NGO's caseworkers; the first is the heavy one the bench logs in as."""
    return ["ngo.caseworker@seed.mosty.local"] + [
        f"ngo.caseworker{n}@seed.mosty.local" for n in range(2, HEAVY_NGO_CASEWORKERS + 1)
    ]


@dataclass(frozen=True)
class HeavyUser:
    role: str
    email: str
    what: str


HEAVY_USERS = (
    HeavyUser(
        "coordinator",
        "city.coordinator@seed.mosty.local",
        "coordinator in 300 organisations (the city office, the large NGO and 298 others)",
    ),
    HeavyUser(
        "coordinator",
        "ngo.coordinator@seed.mosty.local",
        "coordinator of the NGO with 10,000 participants and 3,000 open cases",
    ),
    HeavyUser("caseworker", "ngo.caseworker@seed.mosty.local", "leads 150 open cases"),
    HeavyUser(
        "coordinator",
        "mentoring.coordinator@seed.mosty.local",
        "coordinator of the organisation with 2,000 mentors",
    ),
    HeavyUser("coordinator", "events.organiser@seed.mosty.local", "organiser of 500 events"),
    HeavyUser("admin", "admin@demo.mosty.local", "the installation's administrator"),
)


@dataclass
class SeedContext:
    scale: str
    seed: int = 2026
    out: TextIO = sys.stdout
    rng: random.Random = field(init=False)
    _fakers: dict = field(default_factory=dict)
    shared: dict = field(default_factory=dict)

    def __post_init__(self):
        self.rng = random.Random(self.seed)

    def size(self, *, demo: int, large: int) -> int:
        return large if self.scale == "large" else demo

    def faker(self, language: str = "pl"):
        try:
            from faker import Faker
        except ImportError as exc:  # a production install leaves the demo extra out
            raise CommandError(
                "Synthetic data needs the demo extra: pip install 'mosty[demo]'"
            ) from exc

        if language not in self._fakers:
            fake = Faker(NAME_LOCALES.get(language, "pl_PL"))
            fake.seed_instance(self.seed + len(self._fakers))
            self._fakers[language] = fake
        return self._fakers[language]

    def progress(self, label: str, done: int, total: int) -> None:
        if total >= 1000 or done == total:
            self.out.write(f"  {label}: {done:,}/{total:,}\n")
            self.out.flush()


@dataclass
class Seeder:
    name: str
    order: int
    run: Callable[[SeedContext], str | None]


SEEDERS: dict[str, Seeder] = {}


def seeder(name: str, *, order: int):
    def register(fn):
        SEEDERS[name] = Seeder(name, order, fn)
        return fn

    return register


def scaled_seeder(name: str, *, order: int, demo, large):
    """Register the common seeder: the demo set, then at the large scale the bulk set as well,
    the summary naming both. Returns the seeder, for tests to call it directly."""

    def run(ctx: SeedContext) -> str:
        summary = demo(ctx)
        if ctx.scale == "large":
            summary += "; " + large(ctx)
        return summary

    run.__name__ = run.__qualname__ = f"seed_{name}"
    return seeder(name, order=order)(run)


def seed_run(*, scale: str, out=sys.stdout, only: list[str] | None = None) -> None:
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}")
    autodiscover_modules("seed")
    ctx = SeedContext(scale=scale, out=out)
    for item in sorted(SEEDERS.values(), key=lambda s: s.order):
        if only and item.name not in only:
            continue
        started = time.perf_counter()
        out.write(f"seed {item.name} ({scale})\n")
        summary = item.run(ctx)
        out.write(
            f"  done in {time.perf_counter() - started:.1f} s{': ' + summary if summary else ''}\n"
        )
    if scale == "large":
        out.write(f"heavy users (password {DEMO_PASSWORD}):\n")
        for user in HEAVY_USERS:
            out.write(f"  {user.role:<12} {user.email:<42} {user.what}\n")


def batched(iterable, size: int):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
