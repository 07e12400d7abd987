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


def batched(iterable, size: int):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
