"""From the database to the engine's rows: approved mentors with free places, participants who
consented to mentoring and have no open match, district centroids and the pack's weights."""

from __future__ import annotations

import json

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from mosty.core.citypack import pack_section
from mosty.mentoring.matching import DEFAULT_WEIGHTS, MentorData, ParticipantData, weights_with
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


def _participant_from_row(row, *, year: int, declined: frozenset) -> ParticipantData:
    minor = row["birth_year"] is not None and year - row["birth_year"] < ADULT_AGE
    with_children = bool(row["mentoring_profile__with_children"])
    return ParticipantData(
        id=row["pk"],
        languages=_levels(row["languages"]),
        district=row["district_id"],
        interests=tuple(row["mentoring_profile__interests"] or ()),
        slots=tuple(row["mentoring_profile__availability"] or ()),
        gender=row["gender"] or "",
        minors=minor or with_children,
        has_children=with_children or bool(row["has_minor_members"]),
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


def _json_columns(rows: list[tuple], positions: list[int]) -> list[list]:
    """Decode JSON columns fetched as text with one json.loads per column instead of one per
    cell (Django's per-value converters dominate at 10,000 rows)."""
    columns = []
    for i in positions:
        texts = ",".join(r[i] if r[i] is not None else "null" for r in rows)
        columns.append(json.loads(f"[{texts}]"))
    return columns


def _text(field: str):
    return Cast(field, TextField())


def load(*, participants_qs, organisation_ids) -> tuple[list[ParticipantData], list[MentorData]]:
    """The engine's input, in three queries (participants, declined pairs, mentors)."""
    from mosty.mentoring.models import Match

    year = timezone.localdate().year
    rows = list(
        waiting_participants(participants_qs)
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
    languages, interests, slots, kinds = _json_columns(rows, [7, 8, 9, 10])
    declined: dict[int, set[int]] = {}
    if rows:
        for p_id, m_id in Match.objects.filter(
            participant__in=waiting_participants(participants_qs), status=MatchStatus.DECLINED
        ).values_list("participant_id", "mentor_id"):
            declined.setdefault(p_id, set()).add(m_id)
    participants = []
    for i, (pk, district, gender, birth_year, minor_members, wants_gender, with_children,
            *_texts) in enumerate(rows):  # fmt: skip
        minor = birth_year is not None and year - birth_year < ADULT_AGE
        participants.append(
            ParticipantData(
                id=pk,
                languages=_levels(languages[i]),
                district=district,
                interests=tuple(interests[i] or ()),
                slots=tuple(slots[i] or ()),
                gender=gender or "",
                minors=minor or bool(with_children),
                has_children=bool(with_children) or bool(minor_members),
                wants_gender=wants_gender or "",
                wants_kinds=tuple(kinds[i] or ()),
                declined=frozenset(declined.get(pk, ())),
            )
        )
    mentor_rows = list(
        Mentor.objects.filter(organisation_id__in=organisation_ids, status=VettingStatus.APPROVED)
        .annotate(
            held=Count("matches", filter=Q(matches__status__in=OPEN_MATCH_STATUSES)),
            certified=ExpressionWrapper(
                Q(certificate_checked_at__isnull=False), output_field=BooleanField()
            ),
            t_languages=_text("languages"),
            t_interests=_text("interests"),
            t_slots=_text("availability"),
        )
        .values_list(
            "pk",
            "district_id",
            "capacity",
            "held",
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
    m_languages, m_interests, m_slots = _json_columns(mentor_rows, [10, 11, 12])
    mentors = [
        MentorData(
            id=pk,
            languages=_levels(m_languages[i]),
            district=district,
            interests=tuple(m_interests[i] or ()),
            slots=tuple(m_slots[i] or ()),
            capacity=capacity - held,
            certificate=bool(certified),
            no_minors=no_minors,
            women_only=women_only,
            families_welcome=welcome,
            kind=kind or MentorKind.INDIVIDUAL,
            gender=gender,
        )
        for i, (
            pk,
            district,
            capacity,
            held,
            certified,
            no_minors,
            women_only,
            welcome,
            kind,
            gender,
            *_texts,
        ) in enumerate(mentor_rows)  # fmt: skip
    ]
    return participants, mentors


# -- the city pack's `matching:` section -------------------------------------------------------
def _check_pack(checker, raw, context) -> dict:
    data = checker.mapping(raw, "matching")
    clean = {}
    for key, value in data.items():
        if key not in DEFAULT_WEIGHTS:
            checker.fail(
                f"matching.{key}",
                _("unknown weight; expected one of: %(keys)s")
                % {"keys": ", ".join(sorted(DEFAULT_WEIGHTS))},
            )
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            checker.fail(f"matching.{key}", _("must be a number, zero or more"))
        else:
            clean[key] = float(value)
    return clean


def _load_pack(value: dict, context) -> None:
    row = MatchingSettings.objects.order_by("pk").first() or MatchingSettings()
    row.weights = value
    row.save()


pack_section("matching", check=_check_pack, load=_load_pack)
