"""From the database to the engine's rows: approved mentors with free places, participants who
consented to mentoring and have no open match, district centroids and the pack's weights."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
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


def load(*, participants_qs, organisation_ids) -> tuple[list[ParticipantData], list[MentorData]]:
    """The engine's input, in three queries (participants, declined pairs, mentors)."""
    from mosty.mentoring.models import Match

    year = timezone.localdate().year
    rows = list(participant_rows(waiting_participants(participants_qs), year=year))
    declined: dict[int, set[int]] = {}
    for p_id, m_id in Match.objects.filter(
        participant_id__in=[r["pk"] for r in rows], status=MatchStatus.DECLINED
    ).values_list("participant_id", "mentor_id"):
        declined.setdefault(p_id, set()).add(m_id)
    participants = [
        _participant_from_row(r, year=year, declined=frozenset(declined.get(r["pk"], ())))
        for r in rows
    ]
    mentor_rows = (
        Mentor.objects.filter(organisation_id__in=organisation_ids, status=VettingStatus.APPROVED)
        .annotate(held=Count("matches", filter=Q(matches__status__in=OPEN_MATCH_STATUSES)))
        .values_list(
            "pk",
            "languages",
            "district_id",
            "interests",
            "availability",
            "capacity",
            "held",
            "certificate_checked_at",
            "no_minors",
            "women_only",
            "families_welcome",
            "kind",
            "gender",
        )
    )
    mentors = [
        MentorData(
            id=pk,
            languages=_levels(langs),
            district=district,
            interests=tuple(interests),
            slots=tuple(slots),
            capacity=capacity - held,
            certificate=checked is not None,
            no_minors=no_minors,
            women_only=women_only,
            families_welcome=welcome,
            kind=kind or MentorKind.INDIVIDUAL,
            gender=gender,
        )
        for (
            pk,
            langs,
            district,
            interests,
            slots,
            capacity,
            held,
            checked,
            no_minors,
            women_only,
            welcome,
            kind,
            gender,
        ) in mentor_rows
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
