"""Reads on participants; every one starts from `visible_participants(user)`."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from mosty.access.audit import audit, audit_read, audit_reads
from mosty.access.domains.people import (
    participant_owner_organisations,
    unseen_matches_count,
    visible_consents,
    visible_participant_imports,
    visible_participants,
)
from mosty.access.policy import can
from mosty.core.collation import by_name
from mosty.organisations.models import Organisation
from mosty.people.models import Consent, Participant, ParticipantImport
from mosty.people.search import name_skeletons, phone_digits

_CODE = re.compile(r"^[A-Za-z]{2,3}-[0-9A-Za-z-]*$")
# A phone number as people write it: digits, a + before the country code, spaces, dashes,
# dots, slashes and parentheses; no letters.
_PHONE = re.compile(r"[\d\s()+./-]+")

# A participant's record as the detail page and the API show it (and the read audit records);
# the sensitive fields (`Participant.SENSITIVE_FIELDS`) come on top, only when allowed.
PARTICIPANT_READ_FIELDS = [
    "code",
    *(f for f in Participant.EDITABLE_FIELDS if f not in Participant.SENSITIVE_FIELDS),
]


def search_q(query: str) -> Q | None:
    """A filter matching `query` against names (any script, any spelling variant), the phone
    number and the pseudonymous code; None when the query holds nothing to search for."""
    query = (query or "").strip()
    if not query:
        return None
    if _CODE.match(query):
        return Q(code__istartswith=query.upper())
    if _PHONE.fullmatch(query) and phone_digits(query):
        # Only a phone number can match: the key holds its last nine digits (the national
        # number), so "+48 511 222 333", "0048511222333" and "511-222-333" are the same.
        return Q(search_key__contains=" #" + phone_digits(query))
    skeletons = name_skeletons(query)
    if not skeletons:
        return None
    q = Q()
    for skeleton in skeletons:
        q &= Q(search_key__contains=" " + skeleton)
    return q


def participant_list(*, fetched_by, filters: dict | None = None) -> QuerySet[Participant]:
    filters = filters or {}
    qs = visible_participants(fetched_by).select_related("district", "owner")
    q = search_q(filters.get("q") or "")
    if q is not None:
        qs = qs.filter(q)
    if filters.get("birth_year"):
        year = int(filters["birth_year"])
        qs = qs.filter(birth_year__gte=year - 1, birth_year__lte=year + 1)
    if filters.get("district"):
        qs = qs.filter(district=filters["district"])
    if not filters.get("include_anonymised"):
        qs = qs.filter(anonymised_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


# What a list of participants shows of each (the list page, the list API, lists of cases and
# matches naming their participant).
PARTICIPANT_LIST_FIELDS = ["code", "first_name", "last_name"]


def participant_list_read_audit(*, fetched_by, shown, fields=None) -> None:
    """Record that `fetched_by` saw the participants of a list page (one insert)."""
    audit_reads(fetched_by, shown, fields=fields or PARTICIPANT_LIST_FIELDS)


def participant_search_audit(*, fetched_by, shown) -> None:
    """A search shows names: record who saw which participants (codes only, not the query)."""
    audit(
        fetched_by, "mosty.people.participant.searched", details={"shown": [p.code for p in shown]}
    )


def participant_read_audit(*, participant: Participant, read_by, extra=()) -> bool:
    """Record that `read_by` read the participant's record (plus the `extra` fields shown);
    True when the sensitive fields were part of it."""
    show_sensitive = can(read_by, "participant.view_sensitive", participant)
    fields = [*PARTICIPANT_READ_FIELDS, *extra]
    if show_sensitive:
        fields += Participant.SENSITIVE_FIELDS
    audit_read(read_by, participant, fields=fields)
    return show_sensitive


def participant_owner_choices(*, fetched_by) -> list[Organisation]:
    """The organisations `fetched_by` may register participants for."""
    return list(participant_owner_organisations(fetched_by))


def participant_unseen_matches(*, fetched_by, filters: dict) -> int:
    """Matches in the user's organisations that the user may not open (for the duplicate hint)."""
    q = search_q(filters.get("q") or "") or Q()
    if filters.get("birth_year"):
        year = int(filters["birth_year"])
        q &= Q(birth_year__gte=year - 1, birth_year__lte=year + 1)
    return unseen_matches_count(fetched_by, q)


def participant_get(*, fetched_by, pk: int) -> Participant:
    return get_object_or_404(
        visible_participants(fetched_by).select_related(
            "district", "owner", "created_by", "household"
        ),
        pk=pk,
    )


def participant_consents(*, participant: Participant) -> QuerySet[Consent]:
    return participant.consents.select_related("recorded_by", "withdrawn_recorded_by").order_by(
        "withdrawn_at", "-given_at"
    )


def participant_household(*, participant: Participant):
    if participant.household_id is None:
        return []
    return participant.household.members.select_related("participant").order_by("pk")


def consent_get(*, fetched_by, pk: int) -> Consent:
    return get_object_or_404(visible_consents(fetched_by).select_related("participant"), pk=pk)


def participant_import_list(*, fetched_by) -> QuerySet[ParticipantImport]:
    """Import jobs of the organisations where `fetched_by` is a coordinator (who imports)."""
    return visible_participant_imports(fetched_by).select_related("owner")


def participant_import_get(*, fetched_by, pk: int, with_rows: bool = False) -> ParticipantImport:
    """One import job; its (large) rows only when asked for."""
    qs = participant_import_list(fetched_by=fetched_by)
    return get_object_or_404(qs if with_rows else qs.defer("rows"), pk=pk)


def consent_templates(*, participant) -> list:
    """The consent texts kept by the organisation that registered `participant`."""
    from mosty.people.models import ConsentTemplate

    return list(
        ConsentTemplate.objects.filter(organisation_id=participant.owner_id).order_by(
            "purpose", "language"
        )
    )


def consent_template_list(*, fetched_by) -> QuerySet:
    """The consent texts of the organisations the user coordinates."""
    from mosty.access.domains.people import visible_consent_templates

    return (
        visible_consent_templates(fetched_by)
        .select_related("organisation")
        .order_by(*by_name("organisation__name"), "purpose", "language")
    )


def consent_template_get(*, fetched_by, pk: int):
    from mosty.access.domains.people import visible_consent_templates

    return get_object_or_404(
        visible_consent_templates(fetched_by).select_related("organisation"), pk=pk
    )


def consent_template_organisations(user) -> QuerySet:
    from mosty.access.domains.people import consent_template_organisations as organisations

    return organisations(user)
