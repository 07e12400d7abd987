"""From the database to the engine's rows: approved mentors with free places, participants who
consented to mentoring and have no open match, district centroids and the pack's weights."""

from __future__ import annotations

import json
from collections import Counter
from functools import partial

import numpy as np
from django.db import connections
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from mosty.core.citypack import pack_section
from mosty.mentoring.matching import (
    DEFAULT_WEIGHTS,
    GENDER_NUMBER,
    INTEREST_BITS,
    KIND_NUMBER,
    SLOT_BITS,
    Engine,
    MentorData,
    ParticipantData,
    Side,
    code_bits,
    kinds_bits,
    weights_with,
)
from mosty.mentoring.models import (
    OPEN_MATCH_STATUSES,
    MatchingSettings,
    MatchStatus,
    Mentor,
    MentorKind,
    VettingStatus,
)

ADULT_AGE = 18


def weights() -> dict[str, float]:
    row = MatchingSettings.objects.order_by("pk").first()
    return weights_with(row.weights if row else None)


def centroids() -> dict:
    from mosty.core.models import District

    return {
        pk: (lat, lon)
        for pk, lat, lon in District.objects.values_list("pk", "latitude", "longitude")
        if lat is not None and lon is not None
    }


def _levels(items) -> dict[str, str]:
    return {
        item["code"]: item["level"]
        for item in items or []
        if isinstance(item, dict) and "code" in item and "level" in item
    }


def mentor_data(mentor: Mentor, *, free: int) -> MentorData:
    return MentorData(
        id=mentor.pk,
        languages=_levels(mentor.languages),
        district=mentor.district_id,
        interests=tuple(mentor.interests),
        slots=tuple(mentor.availability),
        capacity=free,
        certificate=mentor.certificate_checked_at is not None,
        no_minors=mentor.no_minors,
        women_only=mentor.women_only,
        families_welcome=mentor.families_welcome,
        kind=mentor.kind,
        gender=mentor.gender,
    )


def _minor_members(year: int):
    from mosty.people.models import HouseholdMember

    return HouseholdMember.objects.filter(
        household_id=OuterRef("household_id"), birth_year__gt=year - ADULT_AGE
    ).exclude(participant_id=OuterRef("pk"))


def participant_data(participant) -> ParticipantData:
    from mosty.people.models import Participant

    year = timezone.localdate().year
    row = participant_rows(Participant.objects.filter(pk=participant.pk), year=year).first()
    return _participant_from_row(row, year=year, declined=frozenset())


def participant_rows(qs, *, year: int):
    return qs.annotate(has_minor_members=Exists(_minor_members(year))).values(
        "pk",
        "languages",
        "district_id",
        "gender",
        "birth_year",
        "has_minor_members",
        "mentoring_profile__interests",
        "mentoring_profile__availability",
        "mentoring_profile__mentor_gender",
        "mentoring_profile__mentor_kinds",
        "mentoring_profile__with_children",
    )


def _household(birth_year, with_children, minor_members, *, year: int) -> tuple[bool, bool]:
    """(minors take part, children in the household): a minor themself, or a parent whose
    children take part; children at home also when minors live in the household."""
    minor = birth_year is not None and year - birth_year < ADULT_AGE
    return minor or bool(with_children), bool(with_children) or bool(minor_members)


def _participant_from_row(row, *, year: int, declined: frozenset) -> ParticipantData:
    minors, has_children = _household(
        row["birth_year"],
        row["mentoring_profile__with_children"],
        row["has_minor_members"],
        year=year,
    )
    return ParticipantData(
        id=row["pk"],
        languages=_levels(row["languages"]),
        district=row["district_id"],
        interests=tuple(row["mentoring_profile__interests"] or ()),
        slots=tuple(row["mentoring_profile__availability"] or ()),
        gender=row["gender"] or "",
        minors=minors,
        has_children=has_children,
        wants_gender=row["mentoring_profile__mentor_gender"] or "",
        wants_kinds=tuple(row["mentoring_profile__mentor_kinds"] or ()),
        declined=declined,
    )


def waiting_participants(participants_qs):
    """Participants with an active mentoring consent and no open match."""
    from mosty.mentoring.models import Match
    from mosty.people.models import Consent

    consent = Consent.objects.filter(
        participant_id=OuterRef("pk"), purpose="mentoring", withdrawn_at__isnull=True
    )
    open_match = Match.objects.filter(participant_id=OuterRef("pk"), status__in=OPEN_MATCH_STATUSES)
    return participants_qs.filter(Exists(consent)).exclude(Exists(open_match))


def _decoded(texts, convert) -> list:
    """A JSON column fetched as text: each distinct text decoded (all in one `json.loads`)
    and converted once, as a city's people share few combinations of languages or times."""
    distinct = dict.fromkeys(texts)
    values = json.loads("[" + ",".join(t if t is not None else "null" for t in distinct) + "]")
    converted = {t: convert(v) for t, v in zip(distinct, values, strict=True)}
    return [converted[t] for t in texts]


def _shared(ids, languages, districts, interests, slots) -> dict[str, list]:
    """What both sides are matched on (languages, district, interests and times), from their
    fetched columns: the columns' counterpart of `Side._shared`."""
    return {
        "ids": ids,
        "languages": _decoded(languages, _levels),
        "districts": list(districts),
        "interests": _decoded(interests, partial(code_bits, table=INTEREST_BITS)),
        "slots": _decoded(slots, partial(code_bits, table=SLOT_BITS)),
    }


def _text(field: str):
    return Cast(field, TextField())


def _fetch(qs) -> list[tuple]:
    """The rows of a values_list queryset, without Django's per-value converters (they cost
    more than the query at 10,000 rows). Booleans may arrive as 0/1; JSON arrives as text."""
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _columns(rows: list[tuple], width: int) -> list[tuple]:
    return list(zip(*rows, strict=True)) if rows else [()] * width


def engine(*, participants_qs, organisation_ids) -> Engine:
    """The engine for one matching run: participants of `participants_qs` who wait for a
    mentor, and the approved mentors of `organisation_ids`, read in columns (no Python object
    per row) in four queries: participants, their declined pairs, mentors, the places their
    open matches hold; then the city's centroids and weights."""
    from mosty.mentoring.models import Match

    year = timezone.localdate().year
    p_rows = _fetch(
        waiting_participants(participants_qs)
        .order_by("pk")  # a stable order: who registered first is first
        .annotate(
            has_minor_members=Exists(_minor_members(year)),
            t_languages=_text("languages"),
            t_interests=_text("mentoring_profile__interests"),
            t_slots=_text("mentoring_profile__availability"),
            t_kinds=_text("mentoring_profile__mentor_kinds"),
        )
        .values_list(
            "pk",
            "district_id",
            "gender",
            "birth_year",
            "has_minor_members",
            "mentoring_profile__mentor_gender",
            "mentoring_profile__with_children",
            "t_languages",
            "t_interests",
            "t_slots",
            "t_kinds",
        )
    )
    (ids, districts, genders, birth_years, minor_members, wants_gender, with_children,
     languages, interests, slots, kinds) = _columns(p_rows, 11)  # fmt: skip
    household = [
        _household(*values, year=year)
        for values in zip(birth_years, with_children, minor_members, strict=True)
    ]
    participants = Side(
        **_shared(ids, languages, districts, interests, slots),
        minors=np.array([m for m, _c in household], bool),
        children=np.array([c for _m, c in household], bool),
        female=np.array([g == "female" for g in genders], bool),
        wants_gender=np.array([GENDER_NUMBER.get(g or "", 0) for g in wants_gender], np.int8),
        wants_kinds=np.array(_decoded(kinds, lambda v: kinds_bits(v or ())), np.int8),
    )
    declined = []
    if p_rows:
        position = {pk: i for i, pk in enumerate(ids)}
        declined = [
            (position[p_id], m_id)
            for p_id, m_id in _fetch(
                Match.objects.filter(participant__in=participants_qs, status=MatchStatus.DECLINED)
                .order_by()
                .values_list("participant_id", "mentor_id")
            )
            if p_id in position
        ]
    approved = Mentor.objects.filter(
        organisation_id__in=organisation_ids, status=VettingStatus.APPROVED
    ).order_by("pk")
    m_rows = _fetch(
        approved.annotate(
            certified=ExpressionWrapper(
                Q(certificate_checked_at__isnull=False), output_field=BooleanField()
            ),
            t_languages=_text("languages"),
            t_interests=_text("interests"),
            t_slots=_text("availability"),
        ).values_list(
            "pk",
            "district_id",
            "capacity",
            "certified",
            "no_minors",
            "women_only",
            "families_welcome",
            "kind",
            "gender",
            "t_languages",
            "t_interests",
            "t_slots",
        )
    )
    held = Counter(
        m_id
        for (m_id,) in _fetch(
            Match.objects.filter(mentor__in=approved, status__in=OPEN_MATCH_STATUSES)
            .order_by()
            .values_list("mentor_id")
        )
    )
    (ids, districts, capacity, certified, no_minors, women_only, welcome, kinds, genders,
     languages, interests, slots) = _columns(m_rows, 12)  # fmt: skip
    mentors = Side(
        **_shared(ids, languages, districts, interests, slots),
        capacity=np.array(
            [max(c - held[pk], 0) for pk, c in zip(ids, capacity, strict=True)], np.int64
        ),
        minors_ok=np.array(
            [bool(c) and not n for c, n in zip(certified, no_minors, strict=True)], bool
        ),
        women_only=np.array(women_only, bool),
        welcome=np.array(welcome, bool),
        kind=np.array([KIND_NUMBER.get(k or MentorKind.INDIVIDUAL, 0) for k in kinds], np.int8),
        gender=np.array([GENDER_NUMBER.get(g or "", 0) for g in genders], np.int8),
    )
    return Engine.of_sides(
        participants, mentors, declined=declined, centroids=centroids(), weights=weights()
    )


# -- the city pack's `matching:` section -------------------------------------------------------
def _pack_schema() -> dict:
    return {
        "type": ["object", "null"],
        "properties": {key: {"type": "number", "minimum": 0} for key in DEFAULT_WEIGHTS},
    }


def _check_pack(checker, raw, context) -> dict:
    """The schema has checked every weight; unknown keys are named with the ones there are."""
    data = raw if isinstance(raw, dict) else {}
    for key in data:
        if key not in DEFAULT_WEIGHTS:
            checker.fail(
                f"matching.{key}",
                _("unknown weight; expected one of: %(keys)s")
                % {"keys": ", ".join(sorted(DEFAULT_WEIGHTS))},
            )
    return {
        key: float(value)
        for key, value in data.items()
        if key in DEFAULT_WEIGHTS and isinstance(value, int | float) and not isinstance(value, bool)
    }


def _load_pack(value: dict, context) -> None:
    row = MatchingSettings.objects.order_by("pk").first() or MatchingSettings()
    row.weights = value
    row.save()


pack_section("matching", schema=_pack_schema, check=_check_pack, load=_load_pack)
