"""Distinct beneficiaries across modules (mosty/core/indicators.py).

A newcomer with a case, a mentor and three trainings is one beneficiary. Every module whose
records are about people registers a `people_source`; this indicator takes the union:

- people with a participant record count once by that record, whichever modules list them;
- people without one (a registration for an event made without linking a participant) count
  once per contact: e-mail address, else phone number, else the transliteration-tolerant key of
  their name (`contact_key`), and not at all when that contact is a counted participant's own
  e-mail address or phone (they are the same person). The reports module lists them so that a
  coordinator links them to participants.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from mosty.core.indicators import (
    PEOPLE_SOURCES,
    Scope,
    Unit,
    age_band,
    breakdown_labels,
    contact_key,
    indicator,
)
from mosty.people.models import ConsentPurpose, Gender, Participant
from mosty.people.search import phone_digits

breakdown_labels("gender", dict(Gender.choices))


class _CountryNames(Mapping[str, str]):
    """Country names in the reader's language, looked up when a label is shown."""

    def __getitem__(self, code: str) -> str:
        name = countries.name(code) if code else ""
        if not name:
            raise KeyError(code)
        return str(name)

    def __iter__(self) -> Iterator[str]:
        return iter(code for code, _name in countries)

    def __len__(self) -> int:
        return len(countries)


breakdown_labels("country", _CountryNames())


def first_language(languages: Any) -> str:
    """The first language a participant listed (their main one), as a breakdown key."""
    for item in languages or []:
        if isinstance(item, dict) and item.get("code"):
            return str(item["code"])
    return ""


def beneficiary_people(scope: Scope) -> tuple[set[int], set[str]]:
    """(participant ids, contact keys of people without a record) in the scope."""
    ids: set[int] = set()
    contacts: set[str] = set()
    for source in PEOPLE_SOURCES.values():
        found = source(scope)
        ids.update(pk for pk in found.participants if pk is not None)
        contacts.update(key for key in found.contacts if key)
    if contacts and ids:
        known: set[str] = set()
        for email, phone in Participant.objects.filter(pk__in=ids).values_list("email", "phone"):
            if email:
                known.add(contact_key(email=email))
            if phone_digits(phone):
                known.add(contact_key(phone_digits=phone_digits(phone)))
        contacts -= known
    return ids, contacts


def statistics_consenters(ids: set[int]) -> set[int]:
    """Those of `ids` who consented to statistics and have not withdrawn it (nor been
    anonymised)."""
    return set(
        Participant.objects.filter(
            pk__in=ids,
            anonymised_at__isnull=True,
            consents__purpose=ConsentPurpose.STATISTICS,
            consents__withdrawn_at__isnull=True,
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def participant_profiles(ids: set[int], *, on: Any) -> dict[int, dict[str, str]]:
    """Breakdown keys of each participant: gender, age band, district name, country of origin
    and first language."""
    return {
        pk: {
            "gender": gender or "",
            "age_band": age_band(birth_year, on),
            "district": district or "",
            "country": str(country or ""),
            "language": first_language(languages),
        }
        for pk, gender, birth_year, district, country, languages in Participant.objects.filter(
            pk__in=ids
        ).values_list(
            "pk", "gender", "birth_year", "district__name", "country_of_origin", "languages"
        )
    }


_BREAKDOWNS = ("gender", "age_band", "district", "country", "language")


def _split(profiles: list[dict[str, str]], contacts: set[str], by: str) -> dict[str, int]:
    counts = Counter(profile[by] for profile in profiles)
    if contacts:
        counts[""] += len(contacts)
    return dict(sorted(counts.items()))


def beneficiaries(scope: Scope, by: str | None = None) -> Any:
    ids, contacts = beneficiary_people(scope)
    if by is None:
        return len(ids) + len(contacts)
    return _split(list(participant_profiles(ids, on=scope.end).values()), contacts, by)


def beneficiaries_all(scope: Scope) -> dict[str | None, Any]:
    """The figure and every breakdown, finding the people and their profiles once (a report
    over a period no rollup keeps counts them once, not six times)."""
    ids, contacts = beneficiary_people(scope)
    profiles = list(participant_profiles(ids, on=scope.end).values())
    return {None: len(ids) + len(contacts)} | {
        by: _split(profiles, contacts, by) for by in _BREAKDOWNS
    }


indicator(
    "people.beneficiaries",
    name=_("Direct beneficiaries"),
    definition=_(
        "People reached by a case, a mentoring match or an event in the period, each counted "
        "once across all of them; people without a participant record count once per e-mail "
        "address, phone number or name."
    ),
    unit=Unit.PEOPLE,
    distinct_people=True,
    breakdowns=_BREAKDOWNS,
    count=beneficiaries,
    count_all=beneficiaries_all,
)
