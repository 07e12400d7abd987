"""Figures kept ahead (issue 17): the pages read a few rows, a background task counts.

What is pre-aggregated: for every scope a page opens by default, every indicator's figure,
whole and split by each breakdown it declares (the monthly charts read the "month" split).
The scopes are the whole city and each programme over its whole period (with its linked
events), always; and for each coordinator who logged in within `ACTIVE_READERS`, their
organisations (their dashboard), the part of them they coordinate (the suppression check) and
the part of each programme's organisations they coordinate; the dashboard's for the current
calendar year and the year before (its comparison), the programme's for its own period.

Why figures per scope and period rather than per organisation and month: several indicators
count **distinct** people or institutions (one person at trainings in March and in May counts
once over the year, and once across two organisations), and some are not sums at all (events
with a session in the period). Monthly counts per organisation cannot be added up into those
figures, and keeping per-month sets of people would keep pseudonymous person keys in a
reporting table. Kept figures per scope are exactly what the live computation answers (a test
compares every indicator), contain numbers only, and are few: a city of a hundred
organisations and fifty programmes keeps a few hundred scopes.

The whole city is also kept for every earlier calendar year with events or cases (up to
`KEPT_YEARS` back), so that a year's city report is always read, never counted.

What is not pre-aggregated: a period or scope a reader chooses by hand (the period form) is
counted live, as before; the page says "counted now" instead of the time of the last refresh.
A report over such a period counts every figure once (`count_now`, with each indicator's
`count_all` where it has one), not once per breakdown.

The refresh runs nightly (`MOSTY_DAILY_TASKS`) and when a coordinator asks ("refresh now",
`services.rollup_refresh_request`), through `tasks.rollups_refresh`.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from mosty.access.domains.reports import own_organisations, report_organisations
from mosty.accounts.models import Membership, Role
from mosty.cases.models import Case
from mosty.core.indicators import INDICATORS, Number, Scope
from mosty.events.models import Session
from mosty.reports.models import Programme, Rollup, RollupRun, RollupScope

# A run still "queued" or "running" after this long is taken for dead (its worker stopped).
STALE_AFTER = datetime.timedelta(hours=2)
# Coordinators' own scopes are kept for those who logged in this recently: a city has thousands
# of organisations, most of whose coordinators seldom open a report (theirs are small scopes,
# counted live in a few milliseconds when they do).
ACTIVE_READERS = datetime.timedelta(days=30)


def default_period() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


def previous(scope: Scope) -> Scope:
    """The period of the same length that ends the day before `scope` starts."""
    length = scope.end - scope.start
    end = scope.start - datetime.timedelta(days=1)
    return replace(scope, start=end - length, end=end)


def _ids(values: frozenset[int] | None) -> str:
    return "*" if values is None else ",".join(str(v) for v in sorted(values))


def scope_key(scope: Scope) -> str:
    """A short name for a scope and period (organisations, linked events and other linked
    records, first and last day)."""
    text = f"{scope.start}|{scope.end}|{_ids(scope.organisations)}|{_ids(scope.events)}"
    if scope.links:
        text += "|" + ";".join(f"{label}={_ids(ids)}" for label, ids in scope.links)
    return hashlib.sha256(text.encode()).hexdigest()


# Reading ------------------------------------------------------------------------------------


def _number(text: str) -> Number:
    return Decimal(text) if "." in text else int(text)


@dataclass
class Kept:
    """The kept figures of one scope: `values[code]`, `splits[(code, by)]` and when."""

    refreshed_at: datetime.datetime
    values: dict[str, Number] = field(default_factory=dict)
    splits: dict[tuple[str, str], dict[str, Number]] = field(default_factory=dict)


def read(scope: Scope) -> Kept | None:
    """The kept figures of `scope` (one query each for the scope and its rows), or None when
    they are not kept: the caller counts live."""
    found = RollupScope.objects.filter(key=scope_key(scope)).first()
    if found is None:
        return None
    kept = Kept(refreshed_at=found.refreshed_at)
    rows = Rollup.objects.filter(scope=found).order_by("pk")
    for code, dimension, key, value in rows.values_list("indicator", "dimension", "key", "value"):
        if dimension:
            kept.splits.setdefault((code, dimension), {})[key] = _number(value)
        else:
            kept.values[code] = _number(value)
    # Breakdowns with no keys at all (nothing counted) are kept as empty splits.
    for code in kept.values:
        if code in INDICATORS:
            for by in INDICATORS[code].breakdowns:
                kept.splits.setdefault((code, by), {})
    return kept


def value_of(code: str, scope: Scope, kept: Kept | None) -> Number:
    """An indicator's figure: kept when it is, else counted now."""
    if kept is not None and code in kept.values:
        return kept.values[code]
    return INDICATORS[code].value(scope)


def split_of(code: str, scope: Scope, by: str, kept: Kept | None) -> dict[str, Number]:
    if kept is not None and (code, by) in kept.splits:
        return dict(kept.splits[(code, by)])
    return INDICATORS[code].split(scope, by)


# Refreshing ---------------------------------------------------------------------------------


def wanted_scopes() -> list[Scope]:
    """Every scope a page opens by default (see the module's docstring), once each."""
    start, end = default_period()
    year = Scope(start=start, end=end)
    found: dict[str, Scope] = {}

    def want(scope: Scope) -> None:
        found.setdefault(scope_key(scope), scope)

    def with_previous(scope: Scope) -> None:
        want(scope)
        want(previous(scope))

    with_previous(year)
    # Every earlier calendar year with records: "a year's city report" is always kept.
    for past in range(first_year(), start.year - 1):
        want(Scope(start=datetime.date(past, 1, 1), end=datetime.date(past, 12, 31)))
    coordinators = (
        Membership.objects.filter(
            role=Role.COORDINATOR,
            is_active=True,
            user__last_login__gte=timezone.now() - ACTIVE_READERS,
        )
        .select_related("user")
        .order_by("user_id")
    )
    readers = {m.user_id: m.user for m in coordinators}
    programmes = list(Programme.objects.prefetch_related(*Programme.SCOPE_PREFETCH).order_by("pk"))
    for user in readers.values():
        organisations = report_organisations(user)
        own = own_organisations(user)
        if organisations is not None:
            with_previous(replace(year, organisations=organisations))
            if own & organisations:
                with_previous(replace(year, organisations=frozenset(own & organisations)))
        for programme in programmes:
            scope = _programme_scope(programme)
            if own & scope.organisations:  # type: ignore[operator]
                want(replace(scope, organisations=frozenset(own & scope.organisations)))  # type: ignore[operator]
    for programme in programmes:
        want(_programme_scope(programme))
    return list(found.values())


# How far back whole calendar years of the city are kept.
KEPT_YEARS = 10


def first_year() -> int:
    """The first calendar year with events or cases (the bulk of every figure), at most
    `KEPT_YEARS` back."""
    this_year = timezone.localdate().year
    found = [
        day.year
        for day in (
            Session.objects.aggregate(first=Min("starts_at"))["first"],
            Case.objects.aggregate(first=Min("opened_on"))["first"],
        )
        if day is not None
    ]
    return max(min(found, default=this_year), this_year - KEPT_YEARS)


def _programme_scope(programme: Programme) -> Scope:
    """`Programme.scope()` from prefetched links (no query per programme)."""
    return programme.scope()


def compute(
    scope: Scope, *, progress: Callable[[int, int], None] | None = None
) -> list[tuple[str, str, str, str]]:
    """(indicator, breakdown, key, value) of every indicator over `scope`; `progress(done,
    total)` after each indicator."""
    rows = []
    for done, (code, indicator) in enumerate(sorted(INDICATORS.items()), start=1):
        if progress is not None:
            progress(done - 1, len(INDICATORS))
        value, splits = indicator.everything(scope)
        rows.append((code, "", "", str(value)))
        for by in indicator.breakdowns:
            for key, part in splits[by].items():
                rows.append((code, by, str(key)[:100], str(part)))
    return rows


def count_now(scope: Scope, *, progress: Callable[[int, int], None] | None = None) -> Kept:
    """The figures of `scope` counted now, in the shape of kept ones (nothing stored): what a
    report over a period no rollup keeps is written from, every figure counted once."""
    kept = Kept(refreshed_at=timezone.now())
    for code, by, key, value in compute(scope, progress=progress):
        if by:
            kept.splits.setdefault((code, by), {})[key] = _number(value)
        else:
            kept.values[code] = _number(value)
    for code in kept.values:
        for by in INDICATORS[code].breakdowns:
            kept.splits.setdefault((code, by), {})
    return kept


def store(scope: Scope, rows: Iterable[tuple[str, str, str, str]]) -> RollupScope:
    """Replace the kept figures of `scope` with `rows` (in one transaction: a reader sees the
    old figures or the new ones, never half)."""
    with transaction.atomic():
        kept, _created = RollupScope.objects.update_or_create(
            key=scope_key(scope),
            defaults={
                "start": scope.start,
                "end": scope.end,
                "organisations": sorted(scope.organisations)
                if scope.organisations is not None
                else None,
                "events": sorted(scope.events) if scope.events is not None else None,
                "refreshed_at": timezone.now(),
            },
        )
        Rollup.objects.filter(scope=kept).delete()
        Rollup.objects.bulk_create(
            [
                Rollup(scope=kept, indicator=code, dimension=by, key=key, value=value)
                for code, by, key, value in rows
            ],
            batch_size=1000,
        )
    return kept


def refresh(run: RollupRun, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute every wanted scope; drop kept scopes no page opens any more. Returns the
    number of scopes kept."""
    started = timezone.now()
    scopes = wanted_scopes()
    RollupRun.objects.filter(pk=run.pk).update(
        status=RollupRun.Status.RUNNING, total=len(scopes), done=0
    )
    for done, scope in enumerate(scopes, start=1):
        store(scope, compute(scope))
        RollupRun.objects.filter(pk=run.pk).update(done=done)
        if progress is not None:
            progress(done, len(scopes))
    RollupScope.objects.filter(refreshed_at__lt=started).delete()
    RollupRun.objects.filter(pk=run.pk).update(
        status=RollupRun.Status.DONE, finished_at=timezone.now()
    )
    return len(scopes)


def pending_run() -> RollupRun | None:
    """A refresh queued or running (and not given up for dead)."""
    return (
        RollupRun.objects.filter(
            status__in=[RollupRun.Status.QUEUED, RollupRun.Status.RUNNING],
            created_at__gte=timezone.now() - STALE_AFTER,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def last_finished_run() -> RollupRun | None:
    return RollupRun.objects.filter(status=RollupRun.Status.DONE).order_by("-finished_at").first()
