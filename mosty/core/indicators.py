"""The indicator registry: what the programmes report, defined once by the module that knows it.

A module registers its indicators in `mosty/<app>/indicators.py` (imported at start-up, like
the access domains), so a new module adds indicators without touching the reports app:

    indicator(
        "events.participants",
        name=_lazy("Event participants"),
        definition=_lazy("People who attended at least one session; each counts once."),
        unit=Unit.PEOPLE,
        distinct_people=True,
        breakdowns=("month",),
        count=participants,            # count(scope, by=None) -> number, or {key: number}
    )

`count(scope)` answers the figure for a scope (a period, the organisations it covers or the
whole city, and the events a programme is linked to); `count(scope, by="month")` the same
figure split by one of the indicator's `breakdowns` (a dict from a machine key to the
number; `breakdown_label_map(by, keys)` names the keys for people, `breakdown_label(by, key)`
one of them).

Most indicators count (or total) the rows of one queryset; they are declared with
`aggregate_indicator(code, ..., rows=finds_rows, breakdowns={"month": "starts_at", ...})`,
which names each breakdown once, with the field it groups by.

Modules whose records are about people also register where their people come from
(`people_source`): the people module's distinct-beneficiaries indicator counts everyone once,
whichever modules they appear in.

This module sits in core's foundation: it imports no app. Apps import it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.db import models
from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from mosty.core import formats
from mosty.core.collation import sort_key

Number = int | Decimal


class Unit(models.TextChoices):
    PEOPLE = "people", pgettext_lazy("unit", "people")
    HOURS = "hours", pgettext_lazy("unit", "hours")
    MINUTES = "minutes", pgettext_lazy("unit", "minutes")
    DAYS = "days", pgettext_lazy("unit", "days")
    ORGANISATIONS = "organisations", pgettext_lazy("unit", "organisations")
    RECORDS = "records", pgettext_lazy("unit", "records")
    POINTS = "points", pgettext_lazy("unit", "points")


# A number with its unit in the form the number takes: "1 person", "5 people"; Polish "2 osoby",
# "5 osób". A fraction takes a form of its own in Slavic languages ("2,5 godziny", "2,5 часа")
# that gettext's plural formulas, which see whole numbers, cannot choose: it has its own string.
_COUNTED = {
    Unit.PEOPLE: ngettext_lazy("%(number)s person", "%(number)s people", "count"),
    Unit.HOURS: ngettext_lazy("%(number)s hour", "%(number)s hours", "count"),
    Unit.MINUTES: ngettext_lazy("%(number)s minute", "%(number)s minutes", "count"),
    Unit.DAYS: ngettext_lazy("%(number)s day", "%(number)s days", "count"),
    Unit.ORGANISATIONS: ngettext_lazy(
        "%(number)s organisation", "%(number)s organisations", "count"
    ),
    Unit.POINTS: ngettext_lazy("%(number)s point", "%(number)s points", "count"),
}
_FRACTION = {
    Unit.PEOPLE: pgettext_lazy("a fraction of", "%(number)s people"),
    Unit.HOURS: pgettext_lazy("a fraction of", "%(number)s hours"),
    Unit.MINUTES: pgettext_lazy("a fraction of", "%(number)s minutes"),
    Unit.DAYS: pgettext_lazy("a fraction of", "%(number)s days"),
    Unit.ORGANISATIONS: pgettext_lazy("a fraction of", "%(number)s organisations"),
    Unit.POINTS: pgettext_lazy("a fraction of", "%(number)s points"),
}


def counted(unit: str, value: Number | float | None) -> str:
    """`value` as the reader writes numbers, with `unit` in the form the number takes
    ("1 234,5 godziny"); "" for no value. Whole numbers without decimals, others with one."""
    if value is None or value == "":
        return ""
    whole = float(value).is_integer()
    text = formats.number(value, decimals=0 if whole else 1)
    if unit == Unit.RECORDS:
        # A count of whatever the indicator names ("Cases opened: 12"): no noun fits them all.
        return text
    for_whole, for_fraction = _COUNTED[Unit(unit)], _FRACTION[Unit(unit)]
    if whole:
        return str(for_whole % {"count": abs(int(value)), "number": text})
    # Where the language's own rules (CLDR) treat this fraction like 1, it takes the form of 1
    # (French "1,5 heure"); otherwise the fraction's form ("2,5 heures", "1,5 godziny").
    if formats.like_one(abs(float(value))):
        return str(for_whole % {"count": 1, "number": text})
    return str(for_fraction) % {"number": text}


# Breakdowns every indicator may offer; a module adds its own keys (a domain, a kind of support)
# with `breakdown_labels`.
BREAKDOWNS: dict[str, Any] = {
    "month": _("Month"),
    "organisation": _("Organisation"),
    "district": _("District"),
    "gender": _("Gender"),
    "age_band": _("Age band"),
    "audience": _("Audience"),
    "country": _("Country of origin"),
    "language": _("Language"),
    "domain": _("Domain"),
    "kind": _("Kind"),
    "status": _("Status"),
    "outcome": _("Outcome"),
}


Links = tuple[tuple[str, frozenset[int]], ...]


def make_links(links: Mapping[str, Iterable[int]]) -> Links:
    """`Scope.links` from a mapping of model label to record ids: sorted, hashable, and
    without the labels that link nothing (those count every record of the organisations)."""
    return tuple((label, frozenset(ids)) for label, ids in sorted(links.items()) if frozenset(ids))


@dataclass(frozen=True)
class Scope:
    """What a figure covers: `start`..`end` (both days included), the organisations whose
    records count (None: the whole city) and, for a programme linked to particular records,
    those records only: `events` (None: every event of the organisations) and `links`, the
    records of other modules a programme is linked to, as (model label, ids) pairs
    ("research.survey", "assistance.assistancerequest"; build them with `make_links`). A
    module's indicators ask `linked(label)`: None means no record of that kind is linked, so
    every record of the organisations counts. The scope is hashable and
    `reports.rollups.scope_key` names all of it, so kept figures never mix scopes."""

    start: datetime.date
    end: datetime.date
    organisations: frozenset[int] | None = None
    events: frozenset[int] | None = None
    links: Links = ()

    def linked(self, label: str) -> frozenset[int] | None:
        """The ids of the `label` records the scope is narrowed to, or None (not narrowed)."""
        if label == "events.event":
            return self.events
        for name, ids in self.links:
            if name == label:
                return ids
        return None

    def filter_linked(self, queryset: Any, label: str, field_name: str = "pk") -> Any:
        """`queryset` narrowed through `field_name` to the linked `label` records, if any."""
        ids = self.linked(label)
        return queryset if ids is None else queryset.filter(**{f"{field_name}__in": ids})

    @property
    def end_exclusive(self) -> datetime.date:
        return self.end + datetime.timedelta(days=1)

    def filter_organisations(self, queryset: Any, field_name: str) -> Any:
        """`queryset` narrowed to the scope's organisations through `field_name`."""
        if self.organisations is None:
            return queryset
        return queryset.filter(**{f"{field_name}__in": self.organisations})

    @property
    def starts_at(self) -> datetime.datetime:
        """The first moment of the period, in the installation's time zone."""
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def ends_before(self) -> datetime.datetime:
        """The first moment after the period."""
        return timezone.make_aware(datetime.datetime.combine(self.end_exclusive, datetime.time.min))

    def filter_period(self, queryset: Any, field_name: str, *, moments: bool = False) -> Any:
        """Rows whose `field_name` falls in the period: a date field, or a date-time field
        when `moments` (compared with the period's first and last moments)."""
        low, high = (
            (self.starts_at, self.ends_before) if moments else (self.start, self.end_exclusive)
        )
        return queryset.filter(**{f"{field_name}__gte": low, f"{field_name}__lt": high})

    def records(
        self,
        queryset: Any,
        *,
        organisation: str,
        period: str,
        moments: bool = False,
        linked: tuple[str, str] | None = None,
    ) -> Any:
        """The rows of `queryset` a figure over this scope counts: those of its organisations
        (through the field `organisation`), of the records it is `linked` to (a label and the
        field that reaches them), dated in the period (`period`, see `filter_period`)."""
        found = self.filter_organisations(queryset, organisation)
        if linked is not None:
            found = self.filter_linked(found, *linked)
        return self.filter_period(found, period, moments=moments)


class CountFn(Protocol):
    def __call__(self, scope: Scope, by: str | None = None) -> Any: ...


# `count_all(scope)` -> {None: figure, by: {key: figure}, ...}: the figure and every breakdown
# in one pass, for an indicator whose counting is mostly shared work (finding its distinct
# people) that `count(scope, by)` would redo for each breakdown.
CountAllFn = Callable[[Scope], Mapping[str | None, Any]]


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Any
    definition: Any
    unit: str
    distinct_people: bool
    breakdowns: tuple[str, ...]
    count: CountFn
    module: str = field(default="")
    count_all: CountAllFn | None = None

    @property
    def unit_label(self) -> str:
        return str(Unit(self.unit).label)

    def value(self, scope: Scope) -> Number:
        result = self.count(scope)
        return Decimal(result) if isinstance(result, float) else result

    def split(self, scope: Scope, by: str) -> dict[str, Number]:
        if by not in self.breakdowns:
            raise ValueError(f"{self.code} has no breakdown {by!r}")
        return dict(self.count(scope, by))

    def everything(self, scope: Scope) -> tuple[Number, dict[str, dict[str, Number]]]:
        """The figure and its split by every breakdown it declares: in one pass when the
        module counts them together (`count_all`), else one count each. The same numbers as
        `value` and `split` (tests compare them)."""
        if self.count_all is None:
            return self.value(scope), {by: self.split(scope, by) for by in self.breakdowns}
        found = self.count_all(scope)
        value = found[None]
        return (
            Decimal(value) if isinstance(value, float) else value,
            {by: dict(found[by]) for by in self.breakdowns},
        )


INDICATORS: dict[str, Indicator] = {}


def indicator(
    code: str,
    *,
    name: Any,
    definition: Any,
    unit: str,
    count: CountFn,
    distinct_people: bool = False,
    breakdowns: Iterable[str] = (),
    count_all: CountAllFn | None = None,
) -> Indicator:
    """Register an indicator (from a module's `indicators.py`)."""
    if code in INDICATORS:
        raise ValueError(f"indicator {code!r} is registered twice")
    breakdowns = tuple(breakdowns)
    unknown = [b for b in breakdowns if b not in BREAKDOWNS]
    if unknown:
        raise ValueError(f"indicator {code!r}: unknown breakdowns {unknown}")
    found = Indicator(
        code=code,
        name=name,
        definition=definition,
        unit=unit,
        distinct_people=distinct_people,
        breakdowns=breakdowns,
        count=count,
        module=code.split(".")[0],
        count_all=count_all,
    )
    INDICATORS[code] = found
    return found


def aggregate_indicator(
    code: str,
    *,
    name: Any,
    definition: Any,
    unit: str,
    rows: Callable[[Scope], Any],
    breakdowns: Mapping[str, str] | None = None,
    total: Any = None,
    convert: Callable[[Any], Any] | None = None,
) -> Indicator:
    """Register an indicator whose figure is `aggregate()` over the rows `rows(scope)` finds:
    their count (or `total`, turned into its unit by `convert`), split by the field each of
    its `breakdowns` names (breakdown: field, in the order they are offered)."""
    fields = dict(breakdowns or {})

    def count(scope: Scope, by: str | None = None) -> Any:
        return aggregate(rows(scope), by, fields, total=total, convert=convert)

    return indicator(
        code, name=name, definition=definition, unit=unit, breakdowns=tuple(fields), count=count
    )


def indicator_choices() -> list[tuple[str, str]]:
    """(code, translated name) of every registered indicator, by name."""
    return sorted(
        ((code, str(i.name)) for code, i in INDICATORS.items()), key=lambda c: sort_key(c[1])
    )


# Labels of breakdown keys a module defines (a case domain, a kind of support, a country, an
# organisation), looked up by breakdown name when labels are shown. A source is either a mapping
# from key to translated label (choices; a mapping that answers at display time, like the
# country names in the reader's language), or a function that names many keys at once
# (`keys -> {key: label}` for those it names: the organisation names, read from the database
# in one query for all the keys a page shows). Sources are kept as given, never copied: a copy
# made at import would freeze the labels in the language active then.
LabelSource = Mapping[str, Any] | Callable[[Collection[str]], Mapping[str, Any]]

BREAKDOWN_LABELS: dict[str, list[LabelSource]] = {}


def breakdown_labels(by: str, labels: LabelSource) -> None:
    """Adds `labels` for breakdown `by`; a later module's label wins over an earlier one's."""
    BREAKDOWN_LABELS.setdefault(by, []).insert(0, labels)


def _unlabelled(key: str) -> str:
    return str(key) if key not in ("", "None") else str(_("Not recorded"))


def breakdown_label_map(by: str, keys: Iterable[str]) -> dict[str, str]:
    """The label of each of `keys` of breakdown `by`, asking each source once for all of them
    (a split by 300 organisations reads their names in one query). A month key reads as the
    month, a language code as the language; a key no source names reads as itself, or "Not
    recorded" when empty."""
    wanted = list(dict.fromkeys(keys))
    found: dict[str, str] = {}
    if by == "month":
        found = {
            key: formats.month(datetime.date(int(key[:4]), int(key[5:]), 1))
            for key in wanted
            if len(key) == 7
        }
    elif by == "language":
        found = {key: formats.language_name(key) for key in wanted if key}
    missing = [key for key in wanted if key not in found]
    for source in BREAKDOWN_LABELS.get(by, ()):
        if not missing:
            break
        answered = source if isinstance(source, Mapping) else source(missing)
        for key in missing:
            label = answered.get(key)
            if label is not None:
                found[key] = str(label)
        missing = [key for key in missing if key not in found]
    return {key: found[key] if key in found else _unlabelled(key) for key in wanted}


def breakdown_label(by: str, key: str) -> str:
    """One key's label (`breakdown_label_map`); labelling many, ask for them together."""
    return breakdown_label_map(by, [key])[key]


# People -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeopleFound:
    """Whom a module's records in a scope are about: `participants` (participant ids, as a
    `values_list(..., flat=True)` queryset) and `contacts` (a set of contact keys of people with no participant
    record: see `contact_key`)."""

    participants: Any
    contacts: frozenset[str] = frozenset()


PEOPLE_SOURCES: dict[str, Callable[[Scope], PeopleFound]] = {}


def people_source(name: str, fn: Callable[[Scope], PeopleFound]) -> None:
    """Register where a module's people come from, for the distinct-beneficiaries count."""
    PEOPLE_SOURCES[name] = fn


def contact_key(*, email: str = "", phone_digits: str = "", name_key: str = "") -> str:
    """One person without a participant record, by what they gave: their e-mail address
    (case-folded), else the last nine digits of their phone, else their name's skeletons
    (the intake search's transliteration-tolerant key, `mosty/people/search.py`)."""
    email = (email or "").strip().casefold()
    if email:
        return "e:" + email
    if phone_digits:
        return "p:" + phone_digits
    name_key = " ".join(sorted((name_key or "").split()))
    return "n:" + name_key if name_key else ""


# Period helpers ---------------------------------------------------------------------------


def month_key(day: datetime.date | datetime.datetime | None) -> str:
    """ "2026-03": a breakdown key that sorts by time (machine text, never locale-formatted)."""
    return f"{day.year:04d}-{day.month:02d}" if day is not None else ""


def age_band(birth_year: int | None, on: datetime.date) -> str:
    if not birth_year:
        return ""
    age = on.year - birth_year
    for upper, label in ((17, "0-17"), (25, "18-25"), (35, "26-35"), (50, "36-50"), (64, "51-64")):
        if age <= upper:
            return label
    return "65+"


def hours(minutes: int | None) -> Decimal:
    """Minutes as hours with one decimal (a figure, not a locale-formatted text)."""
    return (Decimal(minutes or 0) / 60).quantize(Decimal("0.1"))


def aggregate(
    queryset: Any,
    by: str | None,
    fields: Mapping[str, str],
    *,
    total: Any = None,
    convert: Callable[[Any], Any] | None = None,
) -> Any:
    """An indicator's figure from a queryset of what it counts: the count of rows (or the
    `total` aggregate) when `by` is None, else a dict from breakdown key to figure, grouped by
    `fields[by]` (a date field for "month"). `convert` turns each raw figure into its unit."""
    value = total if total is not None else Count("pk")
    convert = convert or (lambda raw: raw or 0)
    if by is None:
        return convert(queryset.aggregate(figure=value)["figure"])
    # Aliases no model has as a field (a survey response has a `key`).
    if by == "month":
        rows = queryset.annotate(breakdown_key=TruncMonth(fields["month"])).values("breakdown_key")
        return {
            month_key(row["breakdown_key"]): convert(row["breakdown_value"])
            for row in rows.annotate(breakdown_value=value).order_by("breakdown_key")
        }
    rows = (
        queryset.values(breakdown_key=F(fields[by]))
        .annotate(breakdown_value=value)
        .order_by("breakdown_key")
    )
    return {str(row["breakdown_key"]): convert(row["breakdown_value"]) for row in rows}


def discover() -> None:
    """Import every installed app's `indicators` module (once, at start-up)."""
    autodiscover_modules("indicators")


def average(values: list[float] | list[int]) -> Decimal:
    """The mean of `values` as a figure with one decimal; 0 when there are none."""
    return Decimal(str(round(sum(values) / len(values), 1))) if values else Decimal("0")
