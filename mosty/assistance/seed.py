"""Institution assistance: a pool of interpreters and assistants with weekly availability in
`centrum-wsparcia` (coordinator2@demo.mosty.local coordinates it), requests of the demo school
(staff@demo.mosty.local) and the city office in every state, and the demo assistant
(assistant@demo.mosty.local) with offers waiting, a schedule (one assignment tomorrow) and
logged hours. At `--scale large`: 1,000 assistants in ten pools, 50,000 past requests (done and
logged) and 2,000 open ones."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from mosty.access.audit import audit, summarised
from mosty.accounts.models import Membership, Role, User
from mosty.assistance.models import (
    ANSWER_WITHIN,
    Assignment,
    AssignmentLog,
    AssignmentStatus,
    AssistanceRequest,
    AssistantLanguage,
    AssistantProfile,
    AvailabilityException,
    AvailabilitySlot,
    Feedback,
    Level,
    Mode,
    Outcome,
    RequestStatus,
    Topic,
    Urgency,
)
from mosty.core.models import District
from mosty.core.seeding import DEMO_PASSWORD, SeedContext, batched, seeder
from mosty.organisations.models import Organisation, OrganisationKind

POOL = "centrum-wsparcia"
SCHOOL = "sp-100-demo"
CITY_OFFICE = "urzad-miasta-demo"
DEMO_ASSISTANT = "assistant@demo.mosty.local"
DEMO_STAFF = "staff@demo.mosty.local"
CITY_STAFF = "office.staff@demo.mosty.local"

# (e-mail, first name, last name, language, [(code, level)], modes, sworn)
POOL_PEOPLE = [
    (DEMO_ASSISTANT, "", "", "ar", [("ar", "native"), ("pl", "fluent"), ("en", "good")],
     ["on_site", "phone", "video"], False),
    ("oksana.bondar@demo.mosty.local", "Oksana", "Bondar", "uk",
     [("uk", "native"), ("ru", "fluent"), ("pl", "fluent")], ["on_site", "phone", "written"], True),
    ("andrii.savchuk@demo.mosty.local", "Andrii", "Savchuk", "uk",
     [("uk", "native"), ("pl", "good")], ["on_site", "video"], False),
    ("natalia.ivanova@demo.mosty.local", "Natalia", "Ivanova", "ru",
     [("ru", "native"), ("uk", "good"), ("pl", "fluent")], ["phone", "video", "written"], False),
    ("reza.ahmadi@demo.mosty.local", "Reza", "Ahmadi", "fa",
     [("fa", "native"), ("prs", "native"), ("pl", "good")], ["on_site", "phone"], False),
    ("aminata.diallo@demo.mosty.local", "Aminata", "Diallo", "fr",
     [("fr", "native"), ("pl", "good"), ("en", "fluent")], ["on_site", "video"], False),
    ("nino.beridze@demo.mosty.local", "Nino", "Beridze", "pl",
     [("ka", "native"), ("ru", "fluent"), ("pl", "fluent")], ["on_site", "phone"], True),
    ("yusuf.kaya@demo.mosty.local", "Yusuf", "Kaya", "en",
     [("tr", "native"), ("en", "fluent"), ("pl", "good")], ["phone", "video"], False),
]  # fmt: skip

# (days from today, hour, minutes, language, mode, topic, urgency, status, who: assistant e-mail
# or None, description)
DEMO_REQUESTS = [
    (3, 10, 60, "ar", Mode.ON_SITE, Topic.SCHOOL, Urgency.NORMAL, "offered", DEMO_ASSISTANT,
     "Spotkanie z wychowawczynią klasy 2b o postępach w nauce i zajęciach wyrównawczych."),
    (5, 12, 45, "ar", Mode.PHONE, Topic.SOCIAL, Urgency.URGENT, "offered", DEMO_ASSISTANT,
     "Rozmowa telefoniczna o zasiłku rodzinnym i potrzebnych dokumentach."),
    (1, 9, 90, "ar", Mode.ON_SITE, Topic.OFFICE, Urgency.NORMAL, "accepted", DEMO_ASSISTANT,
     "Wizyta w wydziale spraw obywatelskich: wniosek o zameldowanie."),
    (8, 14, 60, "ar", Mode.VIDEO, Topic.HEALTH, Urgency.NORMAL, "accepted", DEMO_ASSISTANT,
     "Konsultacja z pielęgniarką szkolną o szczepieniach."),
    (4, 11, 60, "uk", Mode.ON_SITE, Topic.SCHOOL, Urgency.NORMAL, "open", None,
     "Zebranie z rodzicami uczniów z Ukrainy: plan lekcji i świetlica."),
    (2, 15, 30, "ka", Mode.PHONE, Topic.POLICE, Urgency.URGENT, "open", None,
     "Informacja o zgłoszeniu kradzieży roweru."),
    (6, 10, 120, "fa", Mode.ON_SITE, Topic.HOUSING, Urgency.NORMAL, "open", None,
     "Podpisanie umowy najmu lokalu socjalnego."),
    (-6, 10, 60, "ar", Mode.ON_SITE, Topic.SCHOOL, Urgency.NORMAL, "done", DEMO_ASSISTANT,
     "Rozmowa z pedagogiem szkolnym o adaptacji ucznia w klasie."),
    (-13, 9, 90, "ar", Mode.ON_SITE, Topic.SOCIAL, Urgency.NORMAL, "done", DEMO_ASSISTANT,
     "Wywiad środowiskowy w ośrodku pomocy społecznej."),
    (-20, 13, 45, "ar", Mode.PHONE, Topic.HEALTH, Urgency.URGENT, "done", DEMO_ASSISTANT,
     "Umówienie wizyty u lekarza rodzinnego."),
    (-9, 12, 60, "uk", Mode.ON_SITE, Topic.OFFICE, Urgency.NORMAL, "done",
     "oksana.bondar@demo.mosty.local", "Złożenie wniosku o numer PESEL w urzędzie."),
    (-4, 10, 60, "ti", Mode.ON_SITE, Topic.SCHOOL, Urgency.NORMAL, "unanswered", None,
     "Zapisy do szkoły: rozmowa o wyborze oddziału."),
    (-3, 9, 60, "ti", Mode.PHONE, Topic.SOCIAL, Urgency.NORMAL, "unanswered", None,
     "Rozmowa o pomocy w zakupie podręczników."),
    (10, 10, 60, "ru", Mode.VIDEO, Topic.WORK, Urgency.NORMAL, "cancelled", None,
     "Spotkanie w urzędzie pracy o kursach zawodowych."),
]  # fmt: skip

SLOTS = [(0, 9, 15), (1, 9, 15), (2, 12, 18), (3, 9, 15), (4, 9, 13)]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _member(email: str, first: str, last: str, language: str, org: Organisation, role: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, DEMO_PASSWORD, first_name=first, last_name=last, language=language
        )
    Membership.objects.get_or_create(user=user, organisation=org, role=role)
    return user


def _profile(
    user: User,
    org: Organisation,
    languages: list[tuple[str, str]],
    modes: list[str],
    sworn: bool,
    districts: list[District],
) -> AssistantProfile:
    profile, created = AssistantProfile.objects.get_or_create(
        user=user, defaults={"organisation": org, "modes": modes, "is_sworn": sworn}
    )
    if created:
        for code, level in languages:
            AssistantLanguage.objects.create(profile=profile, code=code, level=level)
        profile.districts.set(districts)
        for weekday, start, end in SLOTS:
            AvailabilitySlot.objects.create(
                profile=profile,
                weekday=weekday,
                starts=datetime.time(start),
                ends=datetime.time(end),
            )
    return profile


def _request(
    *,
    institution: Organisation,
    pool: Organisation,
    starts_at: datetime.datetime,
    minutes: int,
    language: str,
    mode: str,
    topic: str,
    urgency: str,
    description: str,
    district: District | None,
    by: User | None,
    made_at: datetime.datetime,
) -> AssistanceRequest:
    request = AssistanceRequest(
        organisation=institution,
        provider=pool,
        starts_at=starts_at,
        duration_minutes=minutes,
        language=language,
        mode=mode,
        topic=topic,
        urgency=urgency,
        description=description,
        district=district,
        place=institution.name if mode == Mode.ON_SITE else "",
        link="https://meet.example.org/mosty" if mode == Mode.VIDEO else "",
        created_by=by,
        updated_by=by,
    )
    request.ends_at = starts_at + datetime.timedelta(minutes=minutes)
    request.answer_by = min(made_at + ANSWER_WITHIN[Urgency(urgency)], starts_at)
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def _seed_demo(ctx: SeedContext) -> str:
    pool = Organisation.objects.filter(slug=POOL).first()
    school = Organisation.objects.filter(slug=SCHOOL).first()
    office = Organisation.objects.filter(slug=CITY_OFFICE).first()
    if pool is None or school is None or office is None:
        return "skipped: the demo organisations are missing (load the demo city pack)"
    if AssistanceRequest.objects.filter(provider=pool).exists():
        return "already seeded"
    districts = list(District.objects.order_by("name"))
    profiles: dict[str, AssistantProfile] = {}
    for i, (email, first, last, language, langs, modes, sworn) in enumerate(POOL_PEOPLE):
        user = _member(email, first, last, language, pool, Role.ASSISTANT)
        near = districts[i % len(districts) : i % len(districts) + 3] if districts else []
        profiles[email] = _profile(user, pool, langs, modes, sworn, near)
    today = timezone.localdate()
    AvailabilityException.objects.create(
        profile=profiles["andrii.savchuk@demo.mosty.local"],
        date_from=today + datetime.timedelta(days=2),
        date_to=today + datetime.timedelta(days=9),
    )
    staff = User.objects.filter(email=DEMO_STAFF).first()
    city_staff = _member(CITY_STAFF, "Marek", "Kowalczyk", "pl", office, Role.INSTITUTION_STAFF)
    coordinator = User.objects.filter(email="coordinator2@demo.mosty.local").first()
    now = timezone.now()
    for i, (days, hour, minutes, language, mode, topic, urgency, state, who, text) in enumerate(
        DEMO_REQUESTS
    ):
        institution, by = (school, staff) if i % 3 != 2 else (office, city_staff)
        starts_at = _at(today + datetime.timedelta(days=days), hour)
        made_at = min(now, starts_at) - datetime.timedelta(days=2)
        request = _request(
            institution=institution,
            pool=pool,
            starts_at=starts_at,
            minutes=minutes,
            language=language,
            mode=mode,
            topic=topic,
            urgency=urgency,
            description=text,
            district=institution.district,
            by=by,
            made_at=made_at,
        )
        if who is None:
            if state == "cancelled":
                request.status, request.cancelled_at = RequestStatus.CANCELLED, made_at
                request.save(update_fields=["status", "cancelled_at"])
            continue
        assignment = Assignment.objects.create(
            request=request,
            assistant=profiles[who],
            offered_by=coordinator,
            starts_at=request.starts_at,
            ends_at=request.ends_at,
            status=AssignmentStatus.OFFERED,
        )
        if state == "offered":
            continue
        answered = made_at + datetime.timedelta(hours=3)
        assignment.status = AssignmentStatus.ACCEPTED
        assignment.responded_at = answered
        request.status, request.answered_at = RequestStatus.COVERED, answered
        if state == "done":
            assignment.status = AssignmentStatus.DONE
            request.status = RequestStatus.DONE
            AssignmentLog.objects.create(
                assignment=assignment,
                minutes=minutes + 15 * (i % 2),
                travel_minutes=30 if mode == Mode.ON_SITE else 0,
                outcome=Outcome.COMPLETED,
            )
            if i % 2 == 1:
                Feedback.objects.create(request=request, rating=5, given_by=by)
        assignment.save()
        request.save(update_fields=["status", "answered_at"])
    return (
        f"{AssistantProfile.objects.count()} assistants, "
        f"{AssistanceRequest.objects.count()} requests"
    )


LANGUAGE_MIX = ["uk", "uk", "uk", "ru", "ru", "ar", "fa", "fr", "en", "ka", "be", "tr", "vi", "ti"]
POOLS = 10


def _seed_large(ctx: SeedContext) -> str:
    total_assistants = ctx.size(demo=0, large=1000)
    past_total = ctx.size(demo=0, large=50_000)
    open_total = ctx.size(demo=0, large=2_000)
    ngos = list(
        Organisation.objects.filter(kind=OrganisationKind.NGO, slug__startswith="seed-").order_by(
            "pk"
        )[:POOLS]
    )
    institutions = list(
        Organisation.objects.filter(
            kind__in=[
                OrganisationKind.SCHOOL,
                OrganisationKind.SOCIAL_ASSISTANCE,
                OrganisationKind.CITY_OFFICE,
                OrganisationKind.POLICE,
            ]
        ).values_list("pk", "district_id")
    )
    if not ngos or not institutions:
        return "skipped: no organisations to build pools and institutions from"
    if AssistantProfile.objects.filter(user__email__startswith="assistant.").count() >= (
        total_assistants
    ):
        return "already seeded"
    districts = list(District.objects.values_list("pk", flat=True))
    password = make_password(DEMO_PASSWORD)
    rng = ctx.rng
    with summarised():
        users = [
            User(
                email=f"assistant.{n}@seed.mosty.local",
                first_name=ctx.faker("uk").first_name(),
                last_name=ctx.faker("uk").last_name(),
                language=rng.choice(["pl", "uk", "ru", "ar", "fa", "fr", "en"]),
                password=password,
            )
            for n in range(total_assistants)
        ]
        User.objects.bulk_create(users, batch_size=1000, ignore_conflicts=True)
        saved = list(User.objects.filter(email__startswith="assistant.", email__endswith="@seed.mosty.local").order_by("pk"))  # fmt: skip
        Membership.objects.bulk_create(
            [
                Membership(user=u, organisation=ngos[i % len(ngos)], role=Role.ASSISTANT)
                for i, u in enumerate(saved)
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        profiles = AssistantProfile.objects.bulk_create(
            [
                AssistantProfile(
                    user=u,
                    organisation=ngos[i % len(ngos)],
                    modes=rng.sample(Mode.values, k=rng.randint(1, 4)),
                    is_sworn=rng.random() < 0.1,
                )
                for i, u in enumerate(saved)
            ],
            batch_size=1000,
        )
        languages, slots, near = [], [], []
        for profile in profiles:
            codes = {rng.choice(LANGUAGE_MIX), rng.choice(LANGUAGE_MIX)}
            languages += [
                AssistantLanguage(profile=profile, code=code, level=rng.choice(Level.values))
                for code in codes
            ]
            languages.append(AssistantLanguage(profile=profile, code="pl", level="fluent"))
            for weekday in rng.sample(range(5), k=rng.randint(1, 4)):
                start = rng.choice([8, 9, 12, 14])
                slots.append(
                    AvailabilitySlot(
                        profile=profile,
                        weekday=weekday,
                        starts=datetime.time(start),
                        ends=datetime.time(start + rng.choice([3, 4, 6])),
                    )
                )
            for district in rng.sample(districts, k=min(len(districts), 2)):
                near.append(
                    AssistantProfile.districts.through(
                        assistantprofile_id=profile.pk, district_id=district
                    )
                )
        AssistantLanguage.objects.bulk_create(languages, batch_size=5000, ignore_conflicts=True)
        AvailabilitySlot.objects.bulk_create(slots, batch_size=5000)
        AssistantProfile.districts.through.objects.bulk_create(near, batch_size=5000)
        ctx.progress("assistants", len(profiles), total_assistants)
        by_pool: dict[int, list[AssistantProfile]] = {}
        for profile in profiles:
            by_pool.setdefault(profile.organisation_id, []).append(profile)
        _large_requests(ctx, ngos, institutions, by_pool, past_total, past=True)
        _large_requests(ctx, ngos, institutions, by_pool, open_total, past=False)
    audit(None, "mosty.assistance.seed.large", None, details={"requests": past_total + open_total})
    return (
        f"{AssistantProfile.objects.count():,} assistants, "
        f"{AssistanceRequest.objects.count():,} requests"
    )


def _large_requests(
    ctx: SeedContext,
    pools: list[Organisation],
    institutions: Sequence[tuple[int, int | None]],
    by_pool: dict[int, list[AssistantProfile]],
    total: int,
    *,
    past: bool,
) -> None:
    rng = ctx.rng
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    topics, done = Topic.values, 0
    for batch in batched(range(total), 2000):
        requests: list[AssistanceRequest] = []
        for _i in batch:
            pool = rng.choice(pools)
            org_id, district_id = rng.choice(institutions)
            hours = rng.randint(24, 24 * 720) if past else rng.randint(2, 24 * 60)
            starts_at = now - datetime.timedelta(hours=hours) if past else now + datetime.timedelta(hours=hours)  # fmt: skip
            minutes = rng.choice([30, 45, 60, 90, 120])
            urgency = Urgency.URGENT if rng.random() < 0.15 else Urgency.NORMAL
            made_at = starts_at - datetime.timedelta(hours=rng.randint(6, 240))
            request = AssistanceRequest(
                organisation_id=org_id,
                provider=pool,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=minutes),
                duration_minutes=minutes,
                language=rng.choice(LANGUAGE_MIX),
                mode=rng.choice(Mode.values),
                topic=rng.choice(topics),
                urgency=urgency,
                district_id=district_id,
                place="-",
                answer_by=min(made_at + ANSWER_WITHIN[Urgency(urgency)], starts_at),
                status=RequestStatus.DONE if past else RequestStatus.OPEN,
            )
            if past:
                request.answered_at = made_at + datetime.timedelta(hours=rng.randint(1, 72))
            requests.append(request)
        saved = AssistanceRequest.objects.bulk_create(requests, batch_size=2000)
        if past:
            assignments = [
                Assignment(
                    request=r,
                    assistant=rng.choice(by_pool[r.provider_id]),
                    status=AssignmentStatus.DONE,
                    starts_at=r.starts_at,
                    ends_at=r.ends_at,
                    responded_at=r.answered_at,
                )
                for r in saved
                if r.provider_id in by_pool
            ]
            Assignment.objects.bulk_create(assignments, batch_size=2000)
            AssignmentLog.objects.bulk_create(
                [
                    AssignmentLog(
                        assignment=a,
                        minutes=a.request.duration_minutes,
                        travel_minutes=rng.choice([0, 15, 30, 45]),
                        outcome=Outcome.COMPLETED,
                    )
                    for a in assignments
                ],
                batch_size=2000,
            )
        done += len(saved)
        ctx.progress("past requests" if past else "open requests", done, total)


# The seeding registry (mosty/core/seeding.py) is not typed.
@seeder("assistance", order=75)  # type: ignore[untyped-decorator]
def seed_assistance(ctx: Any) -> str:
    summary = _seed_demo(ctx)
    if ctx.scale == "large":
        summary += "; " + _seed_large(ctx)
    return summary
