"""`mosty bench`: a registry of benchmarks living in `benchmarks/`, printed as ratios.

Each benchmark returns results with a value, the baseline it is compared to (the same work done
the barest way) and their ratio, plus the goal the issue set. Nothing here asserts: speed is
reported, not tested.
"""

from __future__ import annotations

import importlib
import json
import logging
import pkgutil
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings


@dataclass
class BenchResult:
    bench: str
    metric: str
    value: float
    baseline: float
    goal: str
    unit: str = "ms"
    # A page walk (`mosty bench pages`) adds the median, the queries of one request and the URL.
    p50: float | None = None
    queries: int | None = None
    path: str = ""

    @property
    def ratio(self) -> float:
        return round(self.value / self.baseline, 3) if self.baseline else float("inf")

    def as_json(self) -> str:
        data = asdict(self)
        data["ratio"] = self.ratio
        keys = ["bench", "metric", "value", "baseline", "ratio", "goal", "unit"]
        if self.p50 is not None:
            keys += ["p50", "queries", "path"]
        return json.dumps({k: data[k] for k in keys})


BENCHMARKS: dict[str, Callable[..., list[BenchResult]]] = {}


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


def timed_pair(
    fn: Callable[[object], object],
    baseline: Callable[[object], object],
    inputs: list,
    *,
    repeat: int,
    warmup: int = 3,
) -> tuple[list[float], list[float]]:
    """Milliseconds of `fn(x)` and `baseline(x)`, called in turn on the same input, cycling
    through `inputs`: whatever else the machine does at a moment slows both sides alike, so
    their ratio holds on a busy machine better than two runs one after the other."""
    for i in range(warmup):
        fn(inputs[i % len(inputs)])
        baseline(inputs[i % len(inputs)])
    ours, bare = [], []
    for i in range(repeat):
        x = inputs[i % len(inputs)]
        started = time.perf_counter()
        fn(x)
        middle = time.perf_counter()
        baseline(x)
        ours.append((middle - started) * 1000)
        bare.append((time.perf_counter() - middle) * 1000)
    return ours, bare


def p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return round(statistics.quantiles(samples, n=20, method="inclusive")[18], 3)


# --- `mosty bench pages`: every page a heavy user can open, found without a list to keep ------

PAGE_GOAL_MS = 100.0
# GET routes a walk must not follow: they end the session or only change a preference.
SKIPPED_NAMES = frozenset({"account_logout", "set_language"})
SKIPPED_NAMESPACES = frozenset({"api", "hsds", "admin"})


@dataclass
class PageTiming:
    user: str
    name: str
    path: str
    samples: list[float]
    queries: int
    status: int

    def result(self) -> BenchResult:
        return BenchResult(
            "pages",
            f"{self.user.split('@')[0]} {self.name}",
            p95(self.samples),
            PAGE_GOAL_MS,
            goal=f"p95 < {PAGE_GOAL_MS:.0f} ms",
            p50=round(statistics.median(self.samples), 3),
            queries=self.queries,
            path=self.path,
        )


def page_names() -> tuple[list[str], set[str]]:
    """(URL names that reverse without arguments, URL names that need some), for Mosty's own
    pages in the URL registry (the one the access matrix walks), API and admin excluded."""
    from django.urls import URLPattern, URLResolver, get_resolver

    plain: list[str] = []
    with_args: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or ""
                if ns in SKIPPED_NAMESPACES:
                    continue
                walk(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                module = getattr(entry.callback, "__module__", "") or ""
                name = f"{namespace}{entry.name}"
                if not module.startswith("mosty.") or name in SKIPPED_NAMES:
                    continue
                if entry.pattern.regex.groups:
                    with_args.add(name)
                elif name not in plain:
                    plain.append(name)

    walk(get_resolver().url_patterns, "")
    return plain, with_args


def _links(html: str) -> list[str]:
    return [m for m in re.findall(r'href="(/[^"#?]*)', html) if not m.startswith("/static/")]


def page_walk(
    user: Any, *, repeat: int, warmup: int = 2, out: TextIO | None = None
) -> list[PageTiming]:
    """Every page `user` may open: each argument-less Mosty page, then the first link to each
    page that needs an argument (a detail) found on those pages and the details they link
    to, so a page added later is measured without anyone listing it. Only HTML pages that
    answer 200 count; the caller rolls back what the requests write (audit rows)."""
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    plain, with_args = page_names()
    client = Client()
    client.force_login(user)
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    todo: list[tuple[str, str]] = []
    with translation.override(language):
        for name in plain:
            try:
                todo.append((name, reverse(name)))
            except NoReverseMatch:
                continue
    seen = {name for name, _path in todo}
    timings: list[PageTiming] = []
    # Pages the user may not open answer 403 on purpose; their warnings would bury the table.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        _walk(client, todo, seen, with_args, timings, user.email, repeat, warmup, out)
    finally:
        request_log.setLevel(level)
    return timings


def _walk(
    client: Any,
    todo: list[tuple[str, str]],
    seen: set[str],
    with_args: set[str],
    timings: list[PageTiming],
    email: str,
    repeat: int,
    warmup: int,
    out: TextIO | None,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import Resolver404, resolve

    while todo:
        name, path = todo.pop(0)
        # The request's own `reset_queries` empties the log the context counts from.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        count = len(queries)  # now: the next request empties the log it reads from
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode(errors="replace")
        for link in _links(html):
            try:
                match = resolve(link)
            except Resolver404:
                continue
            if match.view_name in with_args and match.view_name not in seen:
                seen.add(match.view_name)
                todo.append((match.view_name, link))
        samples = timed(partial(client.get, path), repeat=repeat, warmup=warmup)
        timing = PageTiming(email, name, path, samples, count, 200)
        timings.append(timing)
        if out is not None:
            out.write(format_result(timing.result()) + "\n")
            out.flush()


def analyze() -> None:
    """Fresh planner statistics (autovacuum is off on the test server, and rolled-back bulk
    work leaves dead rows behind that slow PostgreSQL scans down)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        # VACUUM cannot run inside a transaction (a test, or a caller's atomic block): there,
        # fresh statistics from ANALYZE are what can be had.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def format_result(result: BenchResult) -> str:
    if result.p50 is not None:
        flag = "  OVER" if result.value > result.baseline else ""
        return (
            f"{result.metric:<52} p50 {result.p50:>8.1f} p95 {result.value:>8.1f} {result.unit}"
            f"  queries {result.queries:>3}  {result.path}{flag}"
        )
    return (
        f"{result.bench:<12} {result.metric:<40} {result.value:>10.2f} {result.unit:<4}"
        f" baseline {result.baseline:>10.2f}  ratio {result.ratio:>7.2f}  goal {result.goal}"
    )
