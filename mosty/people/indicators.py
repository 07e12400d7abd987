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
from typing import Any

from django.utils.translation import gettext_lazy as _

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
    """Breakdown keys of each participant: gender, age band, district name."""
    return {
        pk: {
            "gender": gender or "",
            "age_band": age_band(birth_year, on),
            "district": district or "",
        }
        for pk, gender, birth_year, district in Participant.objects.filter(pk__in=ids).values_list(
            "pk", "gender", "birth_year", "district__name"
        )
    }


def beneficiaries(scope: Scope, by: str | None = None) -> Any:
    ids, contacts = beneficiary_people(scope)
    if by is None:
        return len(ids) + len(contacts)
    counts = Counter(profile[by] for profile in participant_profiles(ids, on=scope.end).values())
    if contacts:
        counts[""] += len(contacts)
    return dict(sorted(counts.items()))


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
    breakdowns=("gender", "age_band", "district"),
    count=beneficiaries,
)
