"""Participants: ~40 realistic multilingual people in the demo, 50,000 at large scale."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from unidecode import unidecode

from mosty.accounts.models import Membership, Role
from mosty.core.models import District
from mosty.core.seeding import HEAVY_ORGANISATIONS, batched, scaled_seeder
from mosty.organisations.models import Organisation
from mosty.people.imports import _unique_codes
from mosty.people.models import (
    Consent,
    ConsentPurpose,
    Household,
    HouseholdMember,
    Participant,
    code_prefix,
)

# Names Faker has no locale for: (first Latin, last Latin, first original, last original, gender).
SYRIAN = [
    ("Ahmad", "Al-Hassan", "أحمد", "الحسن", "male"),
    ("Lina", "Haddad", "لينا", "حداد", "female"),
    ("Omar", "Khalil", "عمر", "خليل", "male"),
    ("Rania", "Darwish", "رانيا", "درويش", "female"),
    ("Yusuf", "Nasser", "يوسف", "ناصر", "male"),
    ("Huda", "Sabbagh", "هدى", "صباغ", "female"),
]
AFGHAN = [
    ("Farid", "Ahmadi", "فرید", "احمدی", "male"),
    ("Zahra", "Rahimi", "زهرا", "رحیمی", "female"),
    ("Mohammad", "Karimi", "محمد", "کریمی", "male"),
    ("Maryam", "Hosseini", "مریم", "حسینی", "female"),
    ("Ahmad Shah", "Noori", "احمد شاه", "نوری", "male"),
    ("Fatima", "Sultani", "فاطمه", "سلطانی", "female"),
]
CONGOLESE_SURNAMES = ["Mukendi", "Ilunga", "Kasongo", "Mbuyi", "Kabongo", "Tshibangu", "Lukusa"]

# (country, citizenship, faker language or None, languages, share of the large data set)
ORIGINS = [
    ("UA", "UA", "uk", [("uk", "native"), ("ru", "C1")], 60),
    ("BY", "BY", "ru", [("be", "native"), ("ru", "native")], 10),
    ("RU", "RU", "ru", [("ru", "native")], 5),
    ("SY", "SY", None, [("ar", "native"), ("en", "A2")], 8),
    ("AF", "AF", None, [("prs", "native"), ("ps", "B1")], 8),
    ("CD", "CD", "fr", [("fr", "C1"), ("ln", "native")], 4),
    ("GE", "GE", None, [("ka", "native"), ("ru", "B2")], 5),
]
GEORGIAN = [
    ("Nino", "Beridze", "ნინო", "ბერიძე", "female"),
    ("Giorgi", "Kapanadze", "გიორგი", "კაპანაძე", "male"),
]
POLISH_LEVELS = ["none", "A1", "A1", "A2", "A2", "B1", "B2"]
LEGAL = {
    "UA": ["temporary_protection"] * 4 + ["temporary_residence"],
    "BY": ["humanitarian", "temporary_residence", "asylum_seeker"],
    "RU": ["asylum_seeker", "temporary_residence"],
    "SY": ["refugee", "subsidiary_protection"],
    "AF": ["refugee", "asylum_seeker", "subsidiary_protection"],
    "CD": ["asylum_seeker", "tolerated", "temporary_residence"],
    "GE": ["temporary_residence", "visa"],
}
CHANNELS = ["phone", "sms", "telegram", "whatsapp", "viber", "email", "in_person"]
CONSENT_TEXT = {
    ConsentPurpose.CASE_MANAGEMENT: (
        "Fundacja keeps your name, contact and the notes of your support to help you. "
        "You can ask to see or delete them at any time."
    ),
    ConsentPurpose.MENTORING: "We share your first name, languages and district with a mentor.",
    ConsentPurpose.STATISTICS: "Your data is counted, without your name, in our reports.",
}


def _person(ctx, country: str, faker_lang: str | None, gender: str | None = None):
    """(first, last, first original, last original, gender) for someone from `country`."""
    rng = ctx.rng
    if country == "SY":
        return rng.choice(SYRIAN)
    if country == "AF":
        return rng.choice(AFGHAN)
    if country == "GE":
        return rng.choice(GEORGIAN)
    fake = ctx.faker(faker_lang)
    gender = gender or rng.choice(["female", "female", "male"])
    first = fake.first_name_female() if gender == "female" else fake.first_name_male()
    if country == "CD":
        return first, rng.choice(CONGOLESE_SURNAMES), "", "", gender
    last = fake.last_name_female() if gender == "female" else fake.last_name_male()
    return unidecode(first), unidecode(last), first, last, gender


def _values(ctx, origin, districts, today: date) -> dict:
    country, citizenship, faker_lang, languages, _share = origin
    first, last, first_o, last_o, gender = _person(ctx, country, faker_lang)
    rng = ctx.rng
    phone = f"+48 {rng.randint(500, 899)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
    return {
        "first_name": first,
        "last_name": last,
        "first_name_original": first_o,
        "last_name_original": last_o,
        "birth_year": rng.randint(1950, 2007),
        "gender": gender,
        "country_of_origin": country,
        "citizenship": citizenship,
        "languages": [{"code": c, "level": lv} for c, lv in languages]
        + ([{"code": "en", "level": rng.choice(["A2", "B1", "B2"])}] if rng.random() < 0.3 else []),
        "polish_level": rng.choice(POLISH_LEVELS),
        "legal_status": rng.choice(LEGAL[country]),
        "arrival_date": today - timedelta(days=rng.randint(30, 1500)),
        "district_id": rng.choice(districts) if districts else None,
        "phone": phone,
        "email": f"{unidecode(first).lower().replace(' ', '')}.{rng.randint(1, 999)}@example.net",
        "preferred_channel": rng.choice(CHANNELS),
    }


def _pick_origin(ctx):
    weights = [o[4] for o in ORIGINS]
    return ctx.rng.choices(ORIGINS, weights=weights)[0]


@transaction.atomic
def _seed_demo(ctx) -> str:
    orgs = {
        o.slug: o
        for o in Organisation.objects.filter(slug__in=["fundacja-most", "centrum-wsparcia"])
    }
    if not orgs:
        return "demo organisations missing (run the organisations seeder first)"
    districts = list(District.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    created = 0
    for slug, count in (("fundacja-most", 26), ("centrum-wsparcia", 14)):
        org = orgs.get(slug)
        if org is None or Participant.objects.filter(owner=org).count() >= count:
            continue
        staff = list(
            Membership.objects.filter(
                organisation=org, role__in=[Role.CASEWORKER, Role.COORDINATOR], is_active=True
            )
            .order_by("role")
            .values_list("user_id", flat=True)
        )
        # A fixed mix so every demo shows Ukrainian, Belarusian, Syrian, Afghan, Congolese people.
        mix = ["UA"] * 10 + ["BY"] * 4 + ["SY"] * 4 + ["AF"] * 4 + ["CD"] * 2 + ["GE", "RU"]
        for i in range(count):
            origin = next(o for o in ORIGINS if o[0] == mix[i % len(mix)])
            participant = Participant(
                owner=org,
                created_by_id=staff[i % len(staff)] if staff else None,
                **_values(ctx, origin, districts, today),
            )
            participant.save()
            created += 1
            for purpose in (ConsentPurpose.CASE_MANAGEMENT, ConsentPurpose.STATISTICS):
                Consent.objects.create(
                    participant=participant,
                    purpose=purpose,
                    text_shown=CONSENT_TEXT[purpose],
                    language="en",
                    given_at=timezone.now() - timedelta(days=ctx.rng.randint(1, 300)),
                    recorded_by_id=participant.created_by_id,
                )
            if i % 3 == 0:
                Consent.objects.create(
                    participant=participant,
                    purpose=ConsentPurpose.MENTORING,
                    text_shown=CONSENT_TEXT[ConsentPurpose.MENTORING],
                    language="en",
                    given_at=timezone.now() - timedelta(days=ctx.rng.randint(1, 100)),
                    recorded_by_id=participant.created_by_id,
                )
            if i % 4 == 0:
                household = Household.objects.create(owner=org)
                participant.household = household
                participant.save(update_fields=["household"])
                HouseholdMember.objects.create(
                    household=household, participant=participant, relationship="parent"
                )
                child, *_rest = _person(ctx, participant.country_of_origin, _lang(participant))
                HouseholdMember.objects.create(
                    household=household,
                    name=child,
                    birth_year=ctx.rng.randint(2010, 2022),
                    relationship=ctx.rng.choice(["daughter", "son"]),
                )
    return f"{created} participants"


def _lang(participant) -> str | None:
    return next((o[2] for o in ORIGINS if o[0] == participant.country_of_origin), None)


def _seed_large(ctx) -> str:
    total = ctx.size(demo=0, large=50_000)
    existing = Participant.objects.count()
    if existing >= total:
        return f"{existing:,} participants already"
    # The large NGO gets its 10,000 first, the rest spread over the other organisations.
    heavy = Organisation.objects.filter(slug=HEAVY_ORGANISATIONS["ngo"]).first()
    heavy_missing = 0
    if heavy is not None:
        heavy_missing = max(
            0,
            ctx.size(demo=0, large=10_000) - Participant.objects.filter(owner=heavy).count(),
        )
    orgs = list(
        Organisation.objects.exclude(slug=HEAVY_ORGANISATIONS["ngo"]).values_list("pk", flat=True)
    )
    creators = dict(
        Membership.objects.filter(role=Role.CASEWORKER).values_list("organisation_id", "user_id")
    )
    districts = list(District.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    prefix = code_prefix()
    done = 0
    todo = total - existing
    for batch in batched(range(todo), 2000):
        codes = _unique_codes(len(batch), prefix)
        now = timezone.now()
        objs: list[Participant] = []
        for code in codes:
            values = _values(ctx, _pick_origin(ctx), districts, today)
            owner = ctx.rng.choice(orgs)
            if heavy is not None and done + len(objs) < heavy_missing:
                owner = heavy.pk
            objs.append(
                Participant.for_bulk_create(
                    at=now, code=code, owner_id=owner, created_by_id=creators.get(owner), **values
                )
            )
        Participant.objects.bulk_create(objs, batch_size=2000)
        # Consents, so cases and mentoring find people they may work with.
        consents = []
        for pk, creator in Participant.objects.filter(code__in=codes).values_list(
            "pk", "created_by_id"
        ):
            purposes = [ConsentPurpose.CASE_MANAGEMENT, ConsentPurpose.STATISTICS]
            if ctx.rng.random() < 0.35:
                purposes.append(ConsentPurpose.MENTORING)
            consents += [
                Consent(
                    participant_id=pk,
                    purpose=purpose,
                    text_shown=CONSENT_TEXT[purpose],
                    language="en",
                    given_at=now,
                    recorded_by_id=creator,
                    created_at=now,
                )
                for purpose in purposes
            ]
        Consent.objects.bulk_create(consents, batch_size=2000)
        done += len(objs)
        ctx.progress("participants", done, todo)
    return f"{done:,} participants"


seed_people = scaled_seeder("people", order=20, demo=_seed_demo, large=_seed_large)
