"""Mentors (about 25 in the demo, 10,000 at large scale) and a few demo matches.

The demo login mentor@demo.mosty.local gets an approved mentor profile in `fundacja-most` and an
active match with a participant who has plan tasks given to that mentor (from the cases seed).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from mosty.accounts.models import User
from mosty.core.models import District
from mosty.core.seeding import HEAVY_ORGANISATIONS, batched, scaled_seeder
from mosty.mentoring.models import (
    Interest,
    Match,
    MatchStatus,
    Meeting,
    Mentor,
    MentoringProfile,
    MentorKind,
    Slot,
    VettingStatus,
    VettingStep,
)
from mosty.organisations.models import Organisation

# Languages mentors speak besides Polish, weighted roughly like Polish cities' residents.
OTHER_LANGUAGES = ["en"] * 6 + ["uk"] * 3 + ["ru"] * 3 + ["de"] * 2 + ["fr", "ar", "fa", "es"]
LEVELS = ["native", "C1", "B1", "A2"]
STATUS_MIX = (
    [VettingStatus.APPROVED] * 14
    + [VettingStatus.APPLIED] * 3
    + [VettingStatus.INTERVIEWED] * 2
    + [VettingStatus.REFERENCES_CHECKED, VettingStatus.TRAINED, VettingStatus.REJECTED]
)


def _mentor(ctx, *, organisation_id, i, districts: list[int], status=None) -> Mentor:
    rng = ctx.rng
    kind = rng.choice([MentorKind.INDIVIDUAL] * 6 + [MentorKind.FAMILY] * 3 + [MentorKind.GROUP])
    fake = ctx.faker("pl")
    if kind == MentorKind.FAMILY:
        name = f"Rodzina {fake.last_name()}"
    elif kind == MentorKind.GROUP:
        name = f"Grupa sąsiedzka {fake.street_name()}"
    else:
        name = fake.name()
    languages = [{"code": "pl", "level": "native"}]
    for code in set(rng.sample(OTHER_LANGUAGES, rng.randint(0, 2))):
        languages.append({"code": code, "level": rng.choice(LEVELS[1:])})
    status = status or rng.choice(STATUS_MIX)
    now = timezone.now()
    return Mentor(
        organisation_id=organisation_id,
        kind=kind,
        name=name[:200],
        email=f"mentor{i}@seed.mosty.local",
        phone=fake.phone_number()[:40],
        language="pl",
        gender=rng.choice(["female", "male"]) if kind == MentorKind.INDIVIDUAL else "",
        languages=languages,
        district_id=rng.choice(districts) if districts else None,
        interests=rng.sample(Interest.values, rng.randint(1, 4)),
        availability=rng.sample(Slot.values, rng.randint(1, 5)),
        capacity=rng.choice([1, 1, 1, 2, 2, 3]),
        women_only=rng.random() < 0.08,
        families_welcome=rng.random() < 0.7,
        no_minors=rng.random() < 0.1,
        motivation="Chcę pomóc nowym sąsiadom poczuć się tu jak w domu.",
        consent_at=now,
        status=status,
        certificate_checked_at=now
        if status == VettingStatus.APPROVED and rng.random() < 0.6
        else None,
        rejection_reason="Brak dostępności w najbliższych miesiącach."
        if status == VettingStatus.REJECTED
        else "",
    )


def _consent(participant, by) -> None:
    from mosty.people.models import Consent

    if not Consent.objects.filter(
        participant=participant, purpose="mentoring", withdrawn_at__isnull=True
    ).exists():
        Consent.objects.create(
            participant=participant,
            purpose="mentoring",
            text_shown="Zgadzam się na przekazanie mojego imienia, języków i dzielnicy mentorowi.",
            language="pl",
            given_at=timezone.now(),
            recorded_by=by,
        )


@transaction.atomic
def _seed_demo(ctx) -> str:
    org = Organisation.objects.filter(slug="fundacja-most").first()
    if org is None:
        return "no demo organisation: skipped"
    if Mentor.objects.filter(organisation=org).exists():
        return f"{Mentor.objects.filter(organisation=org).count()} demo mentors already there"
    districts = list(District.objects.values_list("pk", flat=True))
    coordinator = User.objects.filter(email="coordinator@demo.mosty.local").first()
    mentors = [_mentor(ctx, organisation_id=org.pk, i=i, districts=districts) for i in range(1, 25)]
    Mentor.objects.bulk_create(mentors)
    mentors = list(Mentor.objects.filter(organisation=org))
    VettingStep.objects.bulk_create(
        VettingStep(
            mentor=m, step=m.status, decided_by=None if m.status == "applied" else coordinator
        )
        for m in mentors
    )
    # The demo mentor login: approved, certificate checked, speaks Ukrainian.
    user = User.objects.filter(email="mentor@demo.mosty.local").first()
    if user is None:
        return f"{len(mentors)} demo mentors (no demo mentor login)"
    now = timezone.now()
    demo = Mentor.objects.create(
        organisation=org,
        user=user,
        kind=MentorKind.INDIVIDUAL,
        name=user.get_full_name() or user.email,
        email=user.email,
        language=user.language,
        gender="male",
        languages=[
            {"code": "pl", "level": "native"},
            {"code": "uk", "level": "B1"},
            {"code": "ru", "level": "B1"},
            {"code": "en", "level": "C1"},
        ],
        district_id=districts[0] if districts else None,
        interests=["football", "cooking", "hiking"],
        availability=["tue-evening", "sat-morning", "sat-afternoon"],
        capacity=2,
        motivation="Chcę pomóc nowym sąsiadom.",
        consent_at=now,
        status=VettingStatus.APPROVED,
        certificate_checked_at=now,
    )
    for step in (
        "applied",
        "interviewed",
        "references_checked",
        "certificate_checked",
        "trained",
        "approved",
    ):
        VettingStep.objects.create(mentor=demo, step=step, decided_by=coordinator)
    matched = _demo_matches(ctx, org, demo, coordinator, user)
    return f"{len(mentors) + 1} demo mentors, {matched} demo matches"


def _demo_matches(ctx, org, demo, coordinator, user) -> int:
    try:
        from mosty.people.models import Participant
    except ImportError:
        return 0
    from mosty.mentoring.engine_data import centroids, mentor_data, participant_data
    from mosty.mentoring.matching import pair_check

    # First the participant who already has plan tasks given to the demo mentor.
    tasked: list[int] = []
    try:
        from mosty.cases.models import Task

        tasked = list(
            Task.objects.filter(assignee_user=user, assignee_kind="mentor")
            .values_list("goal__case__participant_id", flat=True)
            .distinct()
        )
    except ImportError:
        pass
    participants = list(Participant.objects.filter(pk__in=tasked[:1])) + list(
        Participant.objects.filter(owner=org, languages__icontains='"uk"')
        .exclude(pk__in=tasked[:1])
        .order_by("pk")[:3]
    )
    if not participants:
        participants = [
            Participant.objects.create(
                owner=org,
                first_name="Oksana",
                last_name="Melnyk",
                birth_year=1988,
                gender="female",
                languages=[{"code": "uk", "level": "native"}, {"code": "ru", "level": "C1"}],
                district=demo.district,
            )
        ]
    # Wishes (interests, free times) for the organisation's participants.
    for participant in Participant.objects.filter(owner=org).order_by("pk")[:40]:
        MentoringProfile.objects.get_or_create(
            participant=participant,
            defaults={
                "interests": ctx.rng.sample(Interest.values, 3),
                "availability": ctx.rng.sample(Slot.values, 6) + ["tue-evening"],
            },
        )
    today = timezone.localdate()
    count = 0
    plan = [
        (demo, MatchStatus.ACTIVE, 75),
        (demo, MatchStatus.PROPOSED, 0),
    ]
    approved = list(Mentor.objects.filter(organisation=org, status="approved").exclude(pk=demo.pk))
    plan += [(m, MatchStatus.ACTIVE, 40) for m in approved[:2]]
    for participant, (mentor, status, days) in zip(participants, plan, strict=False):
        _consent(participant, coordinator)
        errors, score, parts = pair_check(
            participant_data(participant), mentor_data(mentor, free=1), centroids=centroids()
        )
        if errors:  # the demo keeps the engine's own rules
            continue
        match = Match.objects.create(
            organisation=org,
            mentor=mentor,
            participant=participant,
            status=status,
            score=score,
            explanation=parts,
            proposed_by=coordinator,
            responded_at=timezone.now() if status == MatchStatus.ACTIVE else None,
            started_on=today - dt.timedelta(days=days) if status == MatchStatus.ACTIVE else None,
        )
        if status == MatchStatus.ACTIVE:
            for k in range(days // 14):
                Meeting.objects.create(
                    match=match,
                    date=today - dt.timedelta(days=days - 14 * k),
                    minutes=ctx.rng.choice([45, 60, 90, 120]),
                    activity=ctx.rng.choice(["language", "office", "culture", "cooking"]),
                    logged_by=mentor.user or coordinator,
                )
        count += 1
    return count


def _seed_large(ctx) -> str:
    total = ctx.size(demo=0, large=10_000)
    existing = Mentor.objects.filter(email__startswith="mentor-l").count()
    # The first 2,000 belong to the large mentoring organisation, the rest to 300 others.
    heavy = Organisation.objects.filter(slug=HEAVY_ORGANISATIONS["mentoring"]).first()
    heavy_total = ctx.size(demo=0, large=2000) if heavy is not None else 0
    seeded = Organisation.objects.filter(slug__startswith="seed-").exclude(
        slug=HEAVY_ORGANISATIONS["mentoring"]
    )
    org_ids = list(seeded.order_by("pk").values_list("pk", flat=True)[:300]) or list(
        Organisation.objects.values_list("pk", flat=True)
    )
    if not org_ids:
        return "no organisations: skipped"
    districts = list(District.objects.values_list("pk", flat=True))
    done = existing
    for batch in batched(range(existing, total), 1000):
        Mentor.objects.bulk_create(
            _mentor(
                ctx,
                organisation_id=heavy.pk
                if heavy is not None and i < heavy_total
                else ctx.rng.choice(org_ids),
                i=f"-l{i}",
                districts=districts,
            )
            for i in batch
        )
        done += len(batch)
        ctx.progress("mentors", done, total)
    return f"{Mentor.objects.count():,} mentors"


seed_mentoring = scaled_seeder("mentoring", order=50, demo=_seed_demo, large=_seed_large)
