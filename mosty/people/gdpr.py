"""GDPR art. 15/17/20 for participants: one registry every app adds its data to.

An app holding data about a participant registers a section, usually in its AppConfig.ready()
or its `nav.py` (both are imported at start-up):

    from mosty.people import gdpr

    gdpr.register(
        "cases",
        label=_("Cases"),
        export=lambda participant: [...],     # JSON-serialisable data held on them
        erase=lambda participant: None,       # remove names, free text; keep aggregates
        closed_since=cases_closed_since,      # optional, for the retention rule (see below)
    )

`closed_since(participant_ids: QuerySet) -> dict[int, datetime | None]` tells, for each
participant, since when the app has no open business with them (e.g. the date their last case
closed), or None while it still has (an open case). Retention anonymises a participant once every
registered `closed_since` says "closed" and the latest such date is older than
MOSTY_RETENTION_DAYS. With no `closed_since` registered nothing is anonymised automatically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mosty.access.audit import audit


@dataclass(frozen=True)
class Section:
    key: str
    label: object
    export: Callable
    erase: Callable | None = None
    closed_since: Callable | None = None


SECTIONS: dict[str, Section] = {}


def register(key, *, label, export, erase=None, closed_since=None) -> None:
    SECTIONS[key] = Section(key, label, export, erase, closed_since)


def _date(value):
    return value.isoformat() if value else None


def participant_core(participant) -> dict:
    return {
        "code": participant.code,
        "first_name": participant.first_name,
        "last_name": participant.last_name,
        "first_name_original": participant.first_name_original,
        "last_name_original": participant.last_name_original,
        "birth_year": participant.birth_year,
        "gender": participant.gender,
        "country_of_origin": participant.country_of_origin.code or "",
        "citizenship": participant.citizenship.code or "",
        "languages": participant.languages,
        "polish_level": participant.polish_level,
        "legal_status": participant.legal_status,
        "arrival_date": _date(participant.arrival_date),
        "district": participant.district.name if participant.district_id else None,
        "phone": participant.phone,
        "email": participant.email,
        "preferred_channel": participant.preferred_channel,
        "registered_by_organisation": participant.owner.name,
        "registered_at": _date(participant.created_at),
        "updated_at": _date(participant.updated_at),
        "anonymised_at": _date(participant.anonymised_at),
    }


def _export_household(participant) -> list:
    if participant.household_id is None:
        return []
    return [
        {
            "name": m.participant.display_name if m.participant_id else m.name,
            "birth_year": m.participant.birth_year if m.participant_id else m.birth_year,
            "relationship": m.relationship,
        }
        for m in participant.household.members.select_related("participant").order_by("pk")
    ]


def _export_consents(participant) -> list:
    return [
        {
            "purpose": c.purpose,
            "legal_basis": c.legal_basis,
            "text_shown": c.text_shown,
            "language": c.language,
            "given_at": _date(c.given_at),
            "withdrawn_at": _date(c.withdrawn_at),
        }
        for c in participant.consents.order_by("given_at", "pk")
    ]


def _erase_household(participant) -> None:
    if participant.household_id is None:
        return
    household = participant.household
    household.members.filter(participant__isnull=True).delete()
    household.members.filter(participant=participant).update(relationship="")
    if household.label:
        household.label = ""
        household.save(update_fields=["label", "updated_at"])


def export_participant(participant, *, by) -> dict:
    """Everything held on `participant`, by section (art. 15 and 20)."""
    data = {
        "participant": participant_core(participant),
        "household": _export_household(participant),
        "consents": _export_consents(participant),
    }
    for key, section in SECTIONS.items():
        data[key] = section.export(participant)
    audit(by, "mosty.people.participant.exported", participant, fields=sorted(data))
    return data


def section_labels() -> dict:
    from django.utils.translation import gettext as _

    labels = {
        "participant": _("Personal details"),
        "household": _("Household"),
        "consents": _("Consents"),
    }
    labels.update({key: section.label for key, section in SECTIONS.items()})
    return labels


@transaction.atomic
def anonymise_participant(participant, *, by=None, reason: str = "request") -> None:
    """Remove what identifies the person; keep the code and what statistics count (art. 17)."""
    from mosty.people.models import Participant

    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.anonymised_at:
        return
    for section in SECTIONS.values():
        if section.erase:
            section.erase(participant)
    _erase_household(participant)
    participant.first_name = participant.last_name = ""
    participant.first_name_original = participant.last_name_original = ""
    participant.phone = participant.email = ""
    participant.preferred_channel = ""
    if participant.birth_year:
        participant.birth_year -= participant.birth_year % 5
    if participant.arrival_date:
        participant.arrival_date = participant.arrival_date.replace(day=1)
    participant.anonymised_at = timezone.now()
    participant.version += 1
    participant.save()
    audit(by, "mosty.people.participant.anonymised", participant, details={"reason": reason})


def retention_due(now: datetime | None = None) -> list[int]:
    """Ids of participants whose business closed longer than MOSTY_RETENTION_DAYS ago."""
    from mosty.people.models import Participant

    providers = [s.closed_since for s in SECTIONS.values() if s.closed_since]
    days = getattr(settings, "MOSTY_RETENTION_DAYS", 0)
    if not providers or not days:
        return []
    cutoff = (now or timezone.now()) - timedelta(days=days)
    candidates = Participant.objects.filter(anonymised_at__isnull=True, created_at__lt=cutoff)
    latest: dict[int, datetime | None] = {}
    open_ids: set[int] = set()
    for provider in providers:
        for pk, since in provider(candidates.values("pk")).items():
            if since is None:
                open_ids.add(pk)
            elif latest.get(pk) is None or since > latest[pk]:
                latest[pk] = since
    return sorted(pk for pk, since in latest.items() if pk not in open_ids and since < cutoff)


def retention_run(*, now: datetime | None = None) -> int:
    from mosty.people.models import Participant

    done = 0
    for participant in Participant.objects.filter(pk__in=retention_due(now)):
        anonymise_participant(participant, by=None, reason="retention")
        done += 1
    return done
