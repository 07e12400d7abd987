"""Reads of the reports module: programmes through `visible_programmes`, figures through the
indicator registry, narrowed to what the reader may see and suppressed where they count people
of organisations the reader does not coordinate."""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import reduce
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber, Upper
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext

from mosty.access.domains.events import managed_events
from mosty.access.domains.people import visible_participants
from mosty.access.domains.reports import (
    open_invitations,
    own_organisations,
    programme_linkables,
    programme_organisations,
    reader_coordinates_all_of,
    reader_sees_all_of,
    report_organisations,
    visible_city_snapshots,
    visible_programmes,
    visible_snapshots,
)
from mosty.core.collation import by_name, sort_key
from mosty.core.indicators import (
    BREAKDOWNS,
    INDICATORS,
    Indicator,
    Scope,
    breakdown_label_map,
)
from mosty.core.suppression import suppress, suppress_column
from mosty.events.models import Attendance, Registration
from mosty.people.indicators import beneficiary_people, participant_profiles, statistics_consenters
from mosty.people.models import Participant
from mosty.people.search import phone_digits
from mosty.people.selectors import search_q
from mosty.reports import rollups
from mosty.reports.models import (
    BudgetLine,
    CitySnapshot,
    PartnerInvitation,
    Programme,
    ReportSnapshot,
    RollupRun,
    Target,
)
from mosty.reports.rollups import Kept, default_period, previous

__all__ = ["default_period", "previous"]


def min_cell() -> int:
    return int(settings.MOSTY_STATS_MIN_CELL)


@dataclass(frozen=True)
class Figure:
    """One indicator's value for a reader: `value` is None when suppressed."""

    indicator: Indicator
    value: Decimal | int | None

    @property
    def suppressed(self) -> bool:
        return self.value is None


def _shown(indicator: Indicator, value: Any, *, reader: Any, scope: Scope) -> Decimal | int | None:
    """A figure as the reader may see it: a count of people under the threshold is hidden
    when some of the people counted belong to organisations the reader does not coordinate
    (the same count over the reader's own organisations comes out smaller)."""
    if not indicator.distinct_people or not 0 < value < min_cell():
        return value
    if reader_sees_all_of(reader, scope.organisations):
        return value
    own = own_organisations(reader) & (scope.organisations or own_organisations(reader))
    if own:
        own_scope = replace(scope, organisations=frozenset(own))
        if rollups.value_of(indicator.code, own_scope, rollups.read(own_scope)) == value:
            return value
    return None


def figures(
    *, fetched_by: Any, scope: Scope, codes: list[str] | None = None, kept: Kept | None = None
) -> list[Figure]:
    """Every indicator's figure (or those of `codes`) over `scope`, from the kept figures when
    the scope is kept (`kept`, else read here), else counted now."""
    kept = kept if kept is not None else rollups.read(scope)
    found = []
    for code in codes if codes is not None else sorted(INDICATORS):
        indicator = INDICATORS[code]
        value = rollups.value_of(code, scope, kept)
        found.append(Figure(indicator, _shown(indicator, value, reader=fetched_by, scope=scope)))
    return found


def breakdown(
    *, fetched_by: Any, scope: Scope, code: str, by: str, kept: Kept | None = None
) -> list[tuple[str, str, Decimal | int | None]]:
    """(key, label, value) per breakdown key; small counts of people suppressed as above, and
    with them the next smallest so that the total does not give them away."""
    indicator = INDICATORS[code]
    if by not in indicator.breakdowns:
        raise ValueError(f"{code} has no breakdown {by!r}")
    split = rollups.split_of(code, scope, by, kept if kept is not None else rollups.read(scope))
    all_own = reader_sees_all_of(fetched_by, scope.organisations)
    shown: dict[str, Any] = dict(split)
    if indicator.distinct_people and not all_own:
        table = suppress(
            list(split), ["n"], {(k, "n"): int(v) for k, v in split.items()}, min_cell()
        )
        shown = {k: table.shown(("cell", k, "n")) for k in split}
    labels = breakdown_label_map(by, split)
    return [(key, labels[key], shown[key]) for key in split]


@dataclass(frozen=True)
class Freshness:
    """How current the figures on a page are: `kept_at` (None: counted now), and a refresh
    queued or running (`pending`) or the last one finished."""

    kept_at: datetime.datetime | None
    pending: RollupRun | None
    last: RollupRun | None


def freshness(*, kept: Kept | None) -> Freshness:
    return Freshness(
        kept_at=kept.refreshed_at if kept is not None else None,
        pending=rollups.pending_run(),
        last=rollups.last_finished_run(),
    )


def kept_figures(scope: Scope) -> Kept | None:
    """The kept figures of `scope` (read once per page, passed to `figures`/`breakdown`)."""
    return rollups.read(scope)


def reader_scope(*, fetched_by: Any, start: datetime.date, end: datetime.date) -> Scope:
    """The whole city for the admin and the city office; else the reader's organisations."""
    return Scope(start=start, end=end, organisations=report_organisations(fetched_by))


# Programmes -------------------------------------------------------------------------------


def programme_list(
    *, fetched_by: Any, filters: dict[str, Any] | None = None
) -> QuerySet[Programme]:
    return (
        visible_programmes(fetched_by)
        .select_related("organisation")
        .prefetch_related("targets")
        .order_by("-starts_on", *by_name("name"), "pk")
    )


def programme_link_choices(*, fetched_by: Any) -> dict[str, QuerySet]:
    """The records `fetched_by` may link to a programme, per link field."""
    return programme_linkables(fetched_by)


def programme_links(*, programme: Programme) -> dict[str, list[Any]]:
    """The records linked to a programme, per link field, for its page and the API (a
    booking's time, topic and language; a survey's title; a group's name: about no one)."""
    # Sorted here: `programme_get` prefetched them (`Programme.SCOPE_PREFETCH`).
    return {
        "bookings": sorted(programme.bookings.all(), key=lambda b: (b.starts_at, b.pk)),
        "surveys": sorted(programme.surveys.all(), key=lambda s: (sort_key(s.title), s.pk)),
        "groups": sorted(programme.groups.all(), key=lambda g: (sort_key(g.name), g.pk)),
    }


def budget_line_get(*, fetched_by: Any, pk: int) -> BudgetLine:
    return get_object_or_404(
        BudgetLine.objects.filter(programme__in=visible_programmes(fetched_by)).select_related(
            "programme"
        ),
        pk=pk,
    )


def programme_get(*, fetched_by: Any, pk: int) -> Programme:
    """A programme with its links read once (its page builds several scopes from them)."""
    return get_object_or_404(
        visible_programmes(fetched_by)
        .select_related("organisation")
        .prefetch_related(*Programme.SCOPE_PREFETCH),
        pk=pk,
    )


def invitation_list(*, fetched_by: Any) -> QuerySet[PartnerInvitation]:
    """The invitations to take part waiting for an answer from `fetched_by`'s organisations,
    with what the answer needs to know: the programme, its lead and period."""
    return (
        open_invitations(fetched_by)
        .select_related("programme__organisation", "organisation")
        .order_by("-created_at", "pk")
    )


def invitation_get(*, fetched_by: Any, pk: int) -> PartnerInvitation:
    return get_object_or_404(invitation_list(fetched_by=fetched_by), pk=pk)


def programme_invitations(*, programme: Programme) -> list[PartnerInvitation]:
    """The organisations asked that have not joined: waiting, or declined."""
    return list(
        programme.partner_invitations.select_related("organisation").order_by(
            *by_name("organisation__name"), "pk"
        )
    )


def target_get(*, fetched_by: Any, pk: int) -> Target:
    return get_object_or_404(
        Target.objects.filter(programme__in=visible_programmes(fetched_by)).select_related(
            "programme"
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class Progress:
    target: Target
    figure: Figure

    @property
    def share(self) -> float | None:
        """The figure as a share of the target (None when suppressed)."""
        if self.figure.value is None:
            return None
        return float(self.figure.value) / float(self.target.value)

    @property
    def bar_percent(self) -> int:
        """0–100, for the width of the bar (the share itself may pass 100 %)."""
        share = self.share or 0.0
        return max(0, min(100, round(share * 100)))


def programme_progress(
    *,
    fetched_by: Any,
    programme: Programme,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    kept: Kept | None = None,
) -> list[Progress]:
    targets = [t for t in programme.targets.all() if t.indicator in INDICATORS]
    scope = programme.scope(start, end)
    found = figures(
        fetched_by=fetched_by, scope=scope, codes=[t.indicator for t in targets], kept=kept
    )
    return [Progress(target, figure) for target, figure in zip(targets, found, strict=True)]


def snapshot_list(*, fetched_by: Any, programme: Programme) -> QuerySet[ReportSnapshot]:
    return visible_snapshots(fetched_by).filter(programme=programme).order_by("-issued_at", "-pk")


def snapshot_get(*, fetched_by: Any, pk: int) -> ReportSnapshot:
    return get_object_or_404(visible_snapshots(fetched_by).select_related("programme"), pk=pk)


# Reconciliation ----------------------------------------------------------------------------
# People at events without a participant record are counted by their contact
# (`mosty.core.indicators.contact_key`); a coordinator links them to a participant here, and
# from then on they count as that participant.


# Up to this many events, the reader's events are named in the query (see below).
EVENTS_NAMED = 5_000


def unlinked_registrations(*, fetched_by: Any) -> QuerySet[Registration]:
    """Registrations with neither a participant record nor an account, at events of the
    reader's organisations, of people who came at least once (those the figures count),
    newest first.

    The two databases are best served differently (measured on the large seed):
    - PostgreSQL gets the reader's events named in the query (one more query of ids): from a
      list it can measure, it finds those events' registrations by the event index and sorts
      only them (the organiser of 500 events: 28 ms; walking the city's registrations newest
      first until a page of theirs turned up took 144 ms, theirs being older than most). A
      reader of more than `EVENTS_NAMED` events is walked as on SQLite.
    - SQLite walks the registrations newest first with the events as an EXISTS and stops at
      the page's end (the coordinator of 300 organisations: 6 ms, against 44 ms for the named
      events, whose every registration it checks for attendance before sorting); "no
      participant, no account" is one expression there, because SQLite takes
      `participant_id IS NULL` for a selective index lookup while most registrations have
      none. PostgreSQL estimates the plain columns right (an expression would hide them from
      its statistics), so it keeps them."""
    present = Attendance.objects.filter(registration=OuterRef("pk"), present=True)
    events = managed_events(fetched_by).filter(
        organisation_id__in=programme_organisations(fetched_by).values("pk")
    )
    walked = Registration.objects.filter(Exists(events.filter(pk=OuterRef("event_id"))))
    rows: QuerySet[Registration]
    if connection.vendor == "sqlite":
        rows = walked.alias(_linked=Coalesce("participant_id", "user_id")).filter(
            _linked__isnull=True
        )
    else:
        ids = list(events.order_by().values_list("pk", flat=True)[: EVENTS_NAMED + 1])
        named = Registration.objects.filter(event_id__in=ids)
        rows = (named if len(ids) <= EVENTS_NAMED else walked).filter(
            participant__isnull=True, user__isnull=True
        )
    return (
        rows.filter(Exists(present))
        .select_related("event")
        .prefetch_related("event__translations")
        .order_by("-created_at", "-pk")
    )


def unlinked_registration_get(*, fetched_by: Any, pk: int) -> Registration:
    return get_object_or_404(unlinked_registrations(fetched_by=fetched_by), pk=pk)


def participant_for_link(*, fetched_by: Any, pk: int) -> Participant:
    return get_object_or_404(visible_participants(fetched_by), pk=pk, anonymised_at__isnull=True)


# How many participants the reconcile page offers for one registrant.
CANDIDATES_SHOWN = 10


def _candidate_conditions(registration: Registration) -> tuple[str, list[Q]]:
    """Participants who may be this registrant: the same e-mail address (returned apart) or
    phone number, or a name that the intake search matches (any script, any spelling)."""
    conditions: list[Q] = []
    digits = phone_digits(registration.phone)
    if len(digits) >= 6:
        conditions.append(Q(search_key__contains=" #" + digits))
    name_q = search_q(registration.name)
    if name_q is not None:
        conditions.append(name_q)
    return registration.email, conditions


def _candidate_q(email: str, conditions: list[Q]) -> Q | None:
    """The one registrant's conditions as one filter; None: nothing to go by."""
    every = [Q(email__iexact=email), *conditions] if email else conditions
    return reduce(operator.or_, every) if every else None


def _any_candidate_q(emails: set[str], conditions: list[Q]) -> Q:
    """Every registrant's conditions OR-ed, cheaply for a scan: the addresses as one IN (the
    same match as `email__iexact`, ignoring case on both sides), each distinct search once."""
    every = list(dict.fromkeys(conditions))
    if emails:
        every.append(Q(_email_upper__in=[Upper(Value(e)) for e in sorted(emails)]))
    return reduce(operator.or_, every)


def registration_candidates(
    *, fetched_by: Any, registrations: Iterable[Registration]
) -> dict[int, list[Participant]]:
    """For each registration (by pk), the participants the reader may see who may be its
    person (`_candidate_q`), the first `CANDIDATES_SHOWN` by name.

    One query for a whole page of registrants: a single pass over the reader's participants
    with every registrant's conditions OR-ed, each row flagged with the registrants it
    matches and ranked among each one's matches (a window per registrant), so no more than
    `CANDIDATES_SHOWN` rows come back for any registrant however common the name."""
    parts = {r.pk: _candidate_conditions(r) for r in registrations}
    conditions = [
        (pk, q) for pk, (email, more) in parts.items() if (q := _candidate_q(email, more))
    ]
    found: dict[int, list[Participant]] = {pk: [] for pk, _q in conditions}
    if not conditions:
        return found
    any_candidate = _any_candidate_q(
        {email for email, _more in parts.values() if email},
        [q for _email, more in parts.values() for q in more],
    )
    by_person = [*by_name("last_name", "first_name"), F("pk").asc()]
    flags = {
        f"_match_{i}": Case(When(q, then=Value(True)), default=Value(False))
        for i, (_pk, q) in enumerate(conditions)
    }
    ranks = {
        f"_rank_{i}": Window(RowNumber(), partition_by=[F(f"_match_{i}")], order_by=by_person)
        for i in range(len(conditions))
    }
    shown = reduce(
        operator.or_,
        (
            Q(**{f"_match_{i}": True, f"_rank_{i}__lte": CANDIDATES_SHOWN})
            for i in range(len(conditions))
        ),
    )
    rows = (
        visible_participants(fetched_by)
        .alias(_email_upper=Upper("email"))
        .filter(any_candidate, anonymised_at__isnull=True)
        .annotate(**flags)
        .annotate(**ranks)
        .filter(shown)
        .select_related("owner")
        .order_by(*by_person)
    )
    for participant in rows:
        for i, (pk, _q) in enumerate(conditions):
            if getattr(participant, f"_match_{i}") and getattr(participant, f"_rank_{i}") <= (
                CANDIDATES_SHOWN
            ):
                found[pk].append(participant)
    return found


# Public statistics --------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedTable:
    """A table of counts of people as published: None where suppressed."""

    title: str
    row_heading: str
    rows: list[tuple[str, list[int | None], int | None]]  # label, cells, row total
    columns: list[str]
    column_totals: list[int | None]
    total: int | None


def _published_together(
    parts: list[tuple[str, str, str]], col_by: str, profiles: list[dict[str, str]]
) -> list[PublishedTable]:
    """Tables (title, row heading, row breakdown) counting the same people by different rows
    under the same columns, suppressed as one (`suppress` with a block per table): they share
    the column totals and the grand total, which the reader sees side by side."""
    cells: dict[tuple[tuple[int, str], str], int] = {}
    for profile in profiles:
        for i, (_title, _heading, row_by) in enumerate(parts):
            key = ((i, profile[row_by]), profile[col_by])
            cells[key] = cells.get(key, 0) + 1
    blocks = [sorted({r for r, _c in cells if r[0] == i}) for i in range(len(parts))]
    cols = sorted({c for _r, c in cells})
    table = suppress([r for block in blocks for r in block], cols, cells, min_cell(), blocks=blocks)
    col_labels = breakdown_label_map(col_by, cols)
    tables = []
    for (title, row_heading, row_by), block in zip(parts, blocks, strict=True):
        labels = breakdown_label_map(row_by, [r[1] for r in block])
        tables.append(
            PublishedTable(
                title=title,
                row_heading=row_heading,
                rows=[
                    (
                        labels[r[1]],
                        [table.shown(("cell", r, c)) for c in cols],
                        table.shown(("row", r)),
                    )
                    for r in block
                ],
                columns=[col_labels[c] for c in cols],
                column_totals=[table.shown(("col", c)) for c in cols],
                total=table.shown(("all",)),
            )
        )
    return tables


PUBLIC_FIGURES = (
    "events.programme_hours",
    "events.sessions_held",
    "events.events_held",
    "directory.services",
)


# Visitors share one computation per period and language for this long (seconds).
PUBLIC_CACHE_SECONDS = 600
# The default period (this year) is counted by the nightly refresh and kept until the next.
PUBLIC_KEPT_SECONDS = 26 * 3600


def _public_key(start: datetime.date, end: datetime.date) -> str:
    return f"mosty:public-statistics:{start}:{end}:{get_language()}:{min_cell()}"


def public_statistics(*, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The city's headline figures for everyone: people only from those who consented to
    statistics, in tables with small-cell suppression; the rest are counts of sessions,
    hours and services, which are about no one. This year's are kept by the nightly refresh
    (`public_statistics_keep`: the first visitor does not wait seconds for them on a large
    city); another period is counted when asked and cached briefly: anyone may ask, often."""
    key = _public_key(start, end)
    found = cache.get(key)
    if found is None:
        found = _public_statistics(start=start, end=end)
        cache.set(key, found, PUBLIC_CACHE_SECONDS)
    return {
        **found,
        "figures": [Figure(INDICATORS[code], value) for code, value in found["figures"]],
    }


def _public_statistics(*, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    scope = Scope(start=start, end=end)
    ids, _contacts = beneficiary_people(scope)
    consenting = statistics_consenters(ids)
    profiles = list(participant_profiles(consenting, on=end).values())
    tables = _published_together(
        [
            (
                gettext("People supported, by district and gender"),
                str(BREAKDOWNS["district"]),
                "district",
            ),
            (
                gettext("People supported, by age and gender"),
                str(BREAKDOWNS["age_band"]),
                "age_band",
            ),
            (
                gettext("People supported, by country of origin and gender"),
                str(BREAKDOWNS["country"]),
                "country",
            ),
        ],
        "gender",
        profiles,
    )
    # The headline is the tables' grand total (one for all three), shown where they show it.
    people = tables[0].total
    return {
        "start": start,
        "end": end,
        "kept_at": None,
        "people": people,
        "min_cell": min_cell(),
        "figures": [(code, INDICATORS[code].value(scope)) for code in PUBLIC_FIGURES],
        "tables": tables,
    }


def public_statistics_keep() -> int:
    """Count this year's public statistics in every language and keep them until the next
    nightly refresh (run after the rollups by `reports.tasks.rollups_refresh`). Returns how
    many languages were kept."""
    start, end = default_period()
    now = timezone.now()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found = {**_public_statistics(start=start, end=end), "kept_at": now}
            cache.set(_public_key(start, end), found, PUBLIC_KEPT_SECONDS)
    return len(settings.LANGUAGES)


# The city report as a file ---------------------------------------------------------------
# A file leaves the system: its counts of people are suppressed as on the public page wherever
# they count people of organisations the reader does not coordinate, whoever reads the city.


def _published_value(indicator: Indicator, value: Any, *, reader: Any, scope: Scope) -> Any:
    if not indicator.distinct_people or not 0 < value < min_cell():
        return value
    if reader_coordinates_all_of(reader, scope.organisations):
        return value
    own = own_organisations(reader)
    if own:
        own_scope = replace(scope, organisations=frozenset(own))
        if rollups.value_of(indicator.code, own_scope, rollups.read(own_scope)) == value:
            return value  # every person counted is one of the reader's own organisations'
    return None


def _published_split(
    indicator: Indicator, split: dict[str, Any], *, reader: Any, scope: Scope
) -> dict[str, Any]:
    if not indicator.distinct_people or reader_coordinates_all_of(reader, scope.organisations):
        return dict(split)
    # The same protection as `suppress` gives the one-column table, in closed form: a
    # breakdown by country of the whole city has a hundred keys (`suppress` took minutes).
    return suppress_column(split, min_cell())


def _json_number(value: Any) -> Any:
    """A figure for JSON: exact decimals as text, whole numbers as numbers."""
    if value is None or isinstance(value, int):
        return value
    return str(value)


def city_report_figures(
    *, fetched_by: Any, scope: Scope, progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """The figures of a city report (`CitySnapshot.figures`): every indicator over `scope`
    with every breakdown, small counts of people suppressed (None). Read from the kept
    figures when the scope is kept, else counted now (`progress(done, total)` as it goes)."""
    kept = rollups.read(scope) or rollups.count_now(scope, progress=progress)
    return {
        "min_cell": min_cell(),
        "counted_at": kept.refreshed_at.isoformat(),
        "indicators": published_indicators(fetched_by=fetched_by, scope=scope, kept=kept),
    }


def published_indicators(*, fetched_by: Any, scope: Scope, kept: Kept) -> dict[str, Any]:
    """`published_figures` as kept in an issued report's JSON (exact decimals as text)."""
    return {
        code: {
            "value": _json_number(data["value"]),
            "breakdowns": {
                name: [[key, _json_number(value)] for key, value in pairs]
                for name, pairs in data["breakdowns"].items()
            },
        }
        for code, data in published_figures(fetched_by=fetched_by, scope=scope, kept=kept).items()
    }


def published_figures(*, fetched_by: Any, scope: Scope, kept: Kept) -> dict[str, Any]:
    """Every indicator over `scope` with every breakdown, as a file that leaves the system
    gives them (the city report, a programme's report for its donor): `{code: {"value": v,
    "breakdowns": {by: [(key, v), ...]}}}` with small counts of people suppressed (None)."""
    found: dict[str, Any] = {}
    for code in sorted(INDICATORS):
        indicator = INDICATORS[code]
        value = rollups.value_of(code, scope, kept)
        found[code] = {
            "value": _published_value(indicator, value, reader=fetched_by, scope=scope),
            "breakdowns": {
                by: list(
                    _published_split(
                        indicator,
                        rollups.split_of(code, scope, by, kept),
                        reader=fetched_by,
                        scope=scope,
                    ).items()
                )
                for by in indicator.breakdowns
            },
        }
    return found


def city_snapshot_list(*, fetched_by: Any) -> QuerySet[CitySnapshot]:
    return visible_city_snapshots(fetched_by).order_by("-issued_at", "-pk")


def city_snapshot_get(*, fetched_by: Any, pk: int) -> CitySnapshot:
    """An issued city report that is ready (one still being counted: 404)."""
    return get_object_or_404(
        visible_city_snapshots(fetched_by).filter(status=CitySnapshot.Status.READY), pk=pk
    )
