"""`mosty bench`: a registry of benchmarks living in `benchmarks/`, printed as ratios.

Each benchmark returns results with a value, the baseline it is compared to (the same work done
the barest way) and their ratio, plus the goal the issue set. Nothing here asserts: speed is
reported, not tested.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings


@dataclass
class BenchResult:
    bench: str
    metric: str
    value: float
    baseline: float
    goal: str
    unit: str = "ms"

    @property
    def ratio(self) -> float:
        return round(self.value / self.baseline, 3) if self.baseline else float("inf")

    def as_json(self) -> str:
        data = asdict(self)
        data["ratio"] = self.ratio
        return json.dumps(
            {k: data[k] for k in ("bench", "metric", "value", "baseline", "ratio", "goal", "unit")}
        )


BENCHMARKS: dict[str, Callable[[], list[BenchResult]]] = {}


def benchmark(name: str):
    def register(fn):
        BENCHMARKS[name] = fn
        return fn

    return register


def discover() -> None:
    root = Path(settings.BASE_DIR)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    import benchmarks

    for module in pkgutil.iter_modules(benchmarks.__path__):
        importlib.import_module(f"benchmarks.{module.name}")


def timed(fn: Callable[[], object], *, repeat: int, warmup: int = 3) -> list[float]:
    """Milliseconds of each of `repeat` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return round(statistics.quantiles(samples, n=20, method="inclusive")[18], 3)
