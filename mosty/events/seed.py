"""Events: ~20 demo events in the city's districts (some full, with a waiting list, and a past
course with attendance and certificates), or 5,000 events with 1,000,000 attendance rows."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from mosty.accounts.models import Role, User
from mosty.core.models import District
from mosty.core.seeding import HEAVY_ORGANISATIONS, batched, seeder
from mosty.events.models import (
    Attendance,
    Audience,
    Event,
    EventKind,
    EventTranslation,
    Registration,
    RegistrationStatus,
    Session,
)
from mosty.organisations.models import Organisation
from mosty.people.models import Participant


def local_time(day: date, hour: int) -> datetime:
    """`hour`:00 on `day` in the installation's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


# (kind, audiences, {language: title}, description in Polish, sessions, capacity, hours)
DEMO_EVENTS = [
    (
        EventKind.STAFF_TRAINING,
        ["staff"],
        {
            "pl": "Kompetencje międzykulturowe w urzędzie",
            "en": "Intercultural competence at the city office",
            "uk": "Міжкультурні компетенції в установі",
        },
        "Szkolenie dla pracowników instytucji publicznych: komunikacja, stereotypy, praca z tłumaczem.",
        4,
        20,
        3,
    ),
    (
        EventKind.LANGUAGE_COURSE,
        ["newcomers"],
        {
            "pl": "Kurs języka polskiego A1",
            "en": "Polish course A1",
            "uk": "Курс польської мови A1",
            "ru": "Курс польского языка A1",
            "ar": "دورة اللغة البولندية A1",
        },
        "Dwa razy w tygodniu, z materiałami i opieką nad dziećmi.",
        8,
        15,
        2,
    ),
    (
        EventKind.COOKING,
        ["newcomers", "local"],
        {
            "pl": "Gotujemy razem: kuchnia ukraińska",
            "en": "Cooking together: Ukrainian cuisine",
            "uk": "Готуємо разом: українська кухня",
        },
        "Barszcz, wareniki i rozmowy przy stole.",
        1,
        12,
        3,
    ),
    (
        EventKind.FILM,
        ["local", "newcomers"],
        {
            "pl": "Kino sąsiedzkie: film o migracji",
            "en": "Neighbourhood cinema: a film about migration",
            "fa": "سینمای محله: فیلمی درباره مهاجرت",
        },
        "Pokaz z napisami i rozmowa po filmie.",
        1,
        40,
        2,
    ),
    (
        EventKind.WORKSHOP,
        ["newcomers", "local"],
        {
            "pl": "Warsztaty międzykulturowe dla sąsiadów",
            "en": "Intercultural workshop for neighbours",
            "uk": "Міжкультурний воркшоп для сусідів",
            "fr": "Atelier interculturel entre voisins",
        },
        "Poznajmy się: zwyczaje, święta, codzienność.",
        1,
        25,
        2,
    ),
    (
        EventKind.SCHOOL_LESSON,
        ["local"],
        {
            "pl": "Lekcja o migracji w szkole podstawowej",
            "en": "A lesson on migration at primary school",
        },
        "Lekcja wychowawcza prowadzona z osobą z doświadczeniem migracji.",
        1,
        30,
        1,
    ),
    (
        EventKind.ACADEMY,
        ["newcomers"],
        {
            "pl": "Akademia Partycypacji Migrantów: warsztat 1",
            "en": "Participatory Migrant Academy: workshop 1",
            "ru": "Академия участия мигрантов: семинар 1",
        },
        "Jak działa miasto i jak mieć w nim głos.",
        1,
        20,
        3,
    ),
    (
        EventKind.MENTORING_HOURS,
        ["newcomers", "mentors"],
        {"pl": "Dyżur mentorski", "en": "Mentoring hours", "uk": "Години менторства"},
        "Indywidualne rozmowy z mentorami.",
        3,
        10,
        2,
    ),
    (
        EventKind.NETWORK_MEETING,
        ["staff", "mentors"],
        {"pl": "Spotkanie sieci edukacyjnej", "en": "Education network meeting"},
        "Wymiana doświadczeń szkół i organizacji.",
        1,
        30,
        2,
    ),
    (
        EventKind.SELF_HELP,
        ["newcomers"],
        {
            "pl": "Grupa wsparcia dla matek",
            "en": "Support group for mothers",
            "uk": "Група підтримки для мам",
            "ar": "مجموعة دعم للأمهات",
        },
        "Spotkania w bezpiecznym gronie, z opieką nad dziećmi.",
        4,
        12,
        2,
    ),
    (
        EventKind.CULTURAL,
        ["local", "newcomers"],
        {
            "pl": "Festiwal Kultur Sąsiedzkich",
            "en": "Neighbourhood Cultures Festival",
            "uk": "Фестиваль сусідських культур",
            "ar": "مهرجان ثقافات الجيران",
            "fa": "جشنواره فرهنگ‌های همسایگی",
            "fr": "Festival des cultures du quartier",
            "ru": "Фестиваль соседских культур",
        },
        "Muzyka, jedzenie i warsztaty dla dzieci.",
        1,
        200,
        5,
    ),
]
# Small events that fill up in the demo, so the waiting list is visible.
FULL_TITLES = {"Gotujemy razem: kuchnia ukraińska", "Dyżur mentorski"}
INSTITUTIONS = ["Szkoła Podstawowa nr 100", "MOPR Gdańsk", "Urząd Miejski", "Biblioteka Dzielnicowa", "Przychodnia Zdrowia", "Komisariat Policji", "Przedszkole nr 12", "Centrum Usług Społecznych"]  # fmt: skip


def _new_event(ctx, organisation, kind, audiences, titles, description, capacity, public=True):
    event = Event.objects.create(
        organisation=organisation,
        kind=kind,
        source_language="pl",
        capacity=capacity,
        audiences=audiences,
        languages=sorted({"pl", *ctx.rng.sample(["uk", "en", "ru", "ar"], k=2)}),
        accessibility=ctx.rng.choice(
            ["Sala na parterze, bez schodów.", "Winda i toaleta dostępna.", ""]
        ),
        is_public=public,
    )
    EventTranslation.objects.bulk_create(
        EventTranslation(
            event=event,
            language=language,
            title=title,
            description=description if language == "pl" else "",
            status="published",
        )
        for language, title in titles.items()
    )
    return event


@transaction.atomic
def _register_account(event, user, audience, now, **extra) -> Registration:
    """A demo login's own confirmed place (its name and contact from the account)."""
    return Registration.objects.create(
        event=event,
        user=user,
        status=RegistrationStatus.CONFIRMED,
        name=user.get_full_name(),
        email=user.email,
        language=user.language,
        audience=audience,
        consent_at=now,
        **extra,
    )


def _seed_demo(ctx) -> str:
    if Event.objects.exists():
        return f"{Event.objects.count()} events already there"
    order = [
        "fundacja-most",
        "centrum-wsparcia",
        "urzad-miasta-demo",
        "biblioteka-dzielnicowa",
        "klub-sasiedzki-orunia",
    ]
    found = {o.slug: o for o in Organisation.objects.filter(slug__in=order)}
    organisations = [found[slug] for slug in order if slug in found] or list(
        Organisation.objects.order_by("pk")[:5]
    )
    if not organisations:
        return "no organisations: skipped"
    districts = list(District.objects.order_by("pk"))
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    participant = User.objects.filter(memberships__role=Role.PARTICIPANT).first()
    staff = User.objects.filter(memberships__role=Role.INSTITUTION_STAFF).first()
    fake = {lang: ctx.faker(lang) for lang in ("pl", "uk", "ru", "ar", "fa", "fr")}
    made = 0
    for i in range(20):
        kind, audiences, titles, description, sessions, capacity, hours = DEMO_EVENTS[
            i % len(DEMO_EVENTS)
        ]
        if i >= len(DEMO_EVENTS):
            titles = {
                lang: f"{title} ({i // len(DEMO_EVENTS) + 1})" for lang, title in titles.items()
            }
        organisation = organisations[i % len(organisations)]
        event = _new_event(ctx, organisation, kind, audiences, titles, description, capacity)
        # The first staff training is a past course, so attendance and certificates show.
        past = i == 0
        # At a local hour people come to events (10:00-18:00), whatever the time of seeding.
        start = local_time(now.date() + timedelta(days=-40 if past else 2 + i * 2), 10 + i % 9)
        for n in range(sessions):
            starts = start + timedelta(days=7 * n)
            district = districts[(i * 3 + n) % len(districts)] if districts else None
            Session.objects.create(
                event=event,
                starts_at=starts,
                ends_at=starts + timedelta(hours=hours),
                district=district,
                place=f"{organisation.name}, sala {1 + n % 3}",
                online_url="https://meet.example.org/mosty" if kind == EventKind.ACADEMY else "",
            )
        event.dates_refresh()
        full = titles.get("pl", "").split(" (")[0] in FULL_TITLES or past
        count = capacity + 3 if full else ctx.rng.randint(0, max(1, capacity // 2))
        registrations = []
        for n in range(count):
            language = ctx.rng.choice(["pl", "uk", "uk", "ru", "ar", "fa", "fr"])
            person = fake[language]
            registrations.append(
                Registration(
                    event=event,
                    status=RegistrationStatus.CONFIRMED
                    if n < capacity
                    else RegistrationStatus.WAITLISTED,
                    name=f"{person.first_name()} {person.last_name()}",
                    email=f"registrant{i}-{n}@example.org",
                    language=language,
                    audience=ctx.rng.choice(audiences),
                    institution=ctx.rng.choice(INSTITUTIONS) if "staff" in audiences else "",
                    consent_at=now - timedelta(days=50),
                )
            )
        Registration.objects.bulk_create(registrations)
        if participant and i in (1, 4, 6) and not full:
            _register_account(event, participant, Audience.NEWCOMERS, now)
        if staff and past:
            # The demo institution-staff login completed the past training: a certificate.
            _register_account(
                event, staff, Audience.STAFF, now, institution="Szkoła Podstawowa nr 100"
            )
            Event.objects.filter(pk=event.pk).update(capacity=capacity + 1)
        if past:
            confirmed = list(event.registrations.filter(status=RegistrationStatus.CONFIRMED))
            Attendance.objects.bulk_create(
                Attendance(
                    session=session,
                    registration=registration,
                    present=registration.user_id is not None or ctx.rng.random() < 0.85,
                )
                for session in event.sessions.all()
                for registration in confirmed
            )
        made += 1
    return f"{made} events, {Registration.objects.count()} registrations"


def _seed_large(ctx) -> str:
    """5,000 events x 4 sessions x 50 confirmed registrants = 1,000,000 attendance rows."""
    total = ctx.size(demo=20, large=5000)
    existing = Event.objects.count()
    # The first 500 are the large organiser's, the rest spread over the other organisations.
    heavy = Organisation.objects.filter(slug=HEAVY_ORGANISATIONS["events"]).first()
    heavy_total = ctx.size(demo=0, large=500) if heavy is not None else 0
    organisations = list(
        Organisation.objects.exclude(slug=HEAVY_ORGANISATIONS["events"]).values_list(
            "pk", flat=True
        )
    )
    districts = list(District.objects.values_list("pk", flat=True)) or [None]
    if not organisations:
        return "no organisations: skipped"
    kinds = list(EventKind.values)
    audiences = list(Audience.values)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    sessions_per_event, per_event = 4, 50
    people = _participants_by_organisation()
    taken: dict[int, int] = {}
    for batch in batched(range(existing, total), 100):
        with transaction.atomic():
            events = Event.objects.bulk_create(
                Event(
                    organisation_id=heavy.pk
                    if heavy is not None and n < heavy_total
                    else ctx.rng.choice(organisations),
                    kind=ctx.rng.choice(kinds),
                    source_language="pl",
                    capacity=per_event + ctx.rng.randint(0, 10),
                    audiences=ctx.rng.sample(audiences, k=ctx.rng.randint(1, 2)),
                    languages=["pl", ctx.rng.choice(["uk", "en", "ru", "ar"])],
                    is_public=ctx.rng.random() < 0.85,
                )
                for n in batch
            )
            translations, sessions = [], []
            for n, event in zip(batch, events, strict=True):
                translations.append(
                    EventTranslation(
                        event=event,
                        language="pl",
                        title=f"{EventKind(event.kind).label} #{n + 1}",
                        status="published",
                    )
                )
                start = local_time(
                    now.date() + timedelta(days=ctx.rng.randint(-700, 60)), ctx.rng.randint(9, 18)
                )
                event.starts_at = start
                event.ends_at = start + timedelta(days=7 * (sessions_per_event - 1), hours=2)
                district = ctx.rng.choice(districts)
                for s in range(sessions_per_event):
                    starts = start + timedelta(days=7 * s)
                    sessions.append(
                        Session(
                            event=event,
                            starts_at=starts,
                            ends_at=starts + timedelta(hours=2),
                            minutes=120,
                            district_id=district,
                            place="Sala",
                        )
                    )
            EventTranslation.objects.bulk_create(translations)
            Event.objects.bulk_update(events, ["starts_at", "ends_at"])
            Session.objects.bulk_create(sessions, batch_size=1000)
            registrations = [
                Registration(
                    event=event,
                    status=RegistrationStatus.CONFIRMED,
                    name=f"Osoba {event.pk}-{r}",
                    email=f"r{event.pk}-{r}@seed.example.org",
                    language=ctx.rng.choice(["pl", "uk", "ru", "en", "ar"]),
                    audience=ctx.rng.choice(audiences),
                    institution=f"Instytucja {ctx.rng.randint(1, 400)}"
                    if event.kind == EventKind.STAFF_TRAINING
                    else "",
                    consent_at=now,
                )
                for event in events
                for r in range(per_event)
            ]
            _link_participants(ctx, registrations, events, people, taken)
            Registration.objects.bulk_create(registrations, batch_size=2000)
            by_event: dict[int, list[Registration]] = {}
            for registration in registrations:
                by_event.setdefault(registration.event_id, []).append(registration)
            marks = [
                Attendance(
                    session=session,
                    registration=registration,
                    present=ctx.rng.random() < 0.8,
                )
                for session in sessions
                for registration in by_event[session.event_id]
            ]
            Attendance.objects.bulk_create(marks, batch_size=5000)
        ctx.progress("events", batch[-1] + 1, total)
    return f"{Event.objects.count():,} events, {Attendance.objects.count():,} attendance rows"


# Of an event's registrants, the share who are participants its organisation supports
# (registered by their caseworker), each taking part in at most `PARTICIPANT_EVENTS` events: the
# person page's "taking part" block and the reports' distinct-person counts across modules then
# run on real links, not on none (a small organiser with 500 events would otherwise send each of
# its few participants to hundreds).
PARTICIPANT_SHARE = 0.3
PARTICIPANT_EVENTS = 12


def _participants_by_organisation() -> dict[int, list[tuple[int, str, str, str]]]:
    """Every seeded participant's id, name and e-mail, by their organisation (one query)."""
    people: dict[int, list[tuple[int, str, str, str]]] = {}
    rows = Participant.objects.filter(anonymised_at__isnull=True).values_list(
        "owner_id", "pk", "first_name", "last_name", "email"
    )
    for owner, pk, first, last, email in rows.iterator(chunk_size=5000):
        people.setdefault(owner, []).append((pk, first, last, email))
    return people


def _link_participants(ctx, registrations, events, people, taken: dict[int, int]) -> None:
    """Make about `PARTICIPANT_SHARE` of each event's registrations those of distinct
    participants of the event's organisation (as a caseworker registering them would): the
    registration keeps the person's name, and their e-mail when they have one. `taken` counts
    each participant's events; one with `PARTICIPANT_EVENTS` leaves the candidates. The number
    of registrations (the yardstick) does not change."""
    by_event: dict[int, list[Registration]] = {}
    for registration in registrations:
        by_event.setdefault(registration.event_id, []).append(registration)
    for event in events:
        candidates = people.get(event.organisation_id)
        if not candidates:
            continue
        rows = by_event[event.pk]
        wanted = min(len(candidates), round(len(rows) * PARTICIPANT_SHARE))
        for registration, person in zip(rows, ctx.rng.sample(candidates, wanted), strict=False):
            pk, first, last, email = person
            registration.participant_id = pk
            registration.name = f"{first} {last}".strip() or registration.name
            registration.email = email or registration.email
            registration.audience = Audience.NEWCOMERS
            taken[pk] = taken.get(pk, 0) + 1
            if taken[pk] >= PARTICIPANT_EVENTS:
                candidates.remove(person)


@seeder("events", order=60)
def seed_events(ctx) -> str:
    if ctx.scale == "large":
        return _seed_large(ctx)
    return _seed_demo(ctx)
