"""Directory data: categories, services with locations and opening hours (about 40 in the demo,
20,000 at large scale), translations, housing offers and linguists."""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction

from mosty.core.models import District
from mosty.core.seeding import batched, seeder
from mosty.directory.models import (
    Category,
    HousingOffer,
    LanguagePair,
    Linguist,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCategory,
    ServiceLanguage,
    ServiceTranslation,
)
from mosty.organisations.models import Organisation

# Category code -> names in the seven languages (short labels: a translated field, not gettext).
CATEGORIES = {
    "legal-advice": {
        "en": "Legal advice",
        "pl": "Porady prawne",
        "uk": "Юридична допомога",
        "ru": "Юридическая помощь",
        "ar": "استشارات قانونية",
        "fa": "مشاوره حقوقی",
        "fr": "Conseil juridique",
    },
    "psychological-support": {
        "en": "Psychological support",
        "pl": "Wsparcie psychologiczne",
        "uk": "Психологічна підтримка",
        "ru": "Психологическая поддержка",
        "ar": "دعم نفسي",
        "fa": "حمایت روانی",
        "fr": "Soutien psychologique",
    },
    "polish-courses": {
        "en": "Polish courses",
        "pl": "Kursy języka polskiego",
        "uk": "Курси польської мови",
        "ru": "Курсы польского языка",
        "ar": "دورات اللغة البولندية",
        "fa": "کلاس‌های زبان لهستانی",
        "fr": "Cours de polonais",
    },
    "health": {
        "en": "Health",
        "pl": "Zdrowie",
        "uk": "Здоров'я",
        "ru": "Здоровье",
        "ar": "الصحة",
        "fa": "سلامت",
        "fr": "Santé",
    },
    "schools": {
        "en": "Schools and education",
        "pl": "Szkoły i edukacja",
        "uk": "Школи та освіта",
        "ru": "Школы и образование",
        "ar": "المدارس والتعليم",
        "fa": "مدرسه و آموزش",
        "fr": "Écoles et éducation",
    },
    "social-assistance": {
        "en": "Social assistance",
        "pl": "Pomoc społeczna",
        "uk": "Соціальна допомога",
        "ru": "Социальная помощь",
        "ar": "المساعدة الاجتماعية",
        "fa": "کمک‌های اجتماعی",
        "fr": "Aide sociale",
    },
    "neighbourhood-centres": {
        "en": "Neighbourhood centres",
        "pl": "Centra sąsiedzkie",
        "uk": "Сусідські центри",
        "ru": "Соседские центры",
        "ar": "مراكز الأحياء",
        "fa": "مراکز محله",
        "fr": "Centres de quartier",
    },
    "culture": {
        "en": "Culture",
        "pl": "Kultura",
        "uk": "Культура",
        "ru": "Культура",
        "ar": "الثقافة",
        "fa": "فرهنگ",
        "fr": "Culture",
    },
    "work": {
        "en": "Work and careers",
        "pl": "Praca i kariera",
        "uk": "Робота та кар'єра",
        "ru": "Работа и карьера",
        "ar": "العمل والمهنة",
        "fa": "کار و شغل",
        "fr": "Travail et carrière",
    },
}

# (category, Polish name, Polish description, eligibility, documents, free, languages, hours,
#  translations {lang: (name, description)}).
DEMO_SERVICES = [
    (
        "legal-advice",
        "Bezpłatne porady prawne dla cudzoziemców",
        "Prawnicy pomagają w sprawach pobytu, pracy i łączenia rodzin. Umów się telefonicznie.",
        "Osoby z doświadczeniem migracji mieszkające w Gdańsku.",
        "Paszport lub inny dokument tożsamości\nDecyzja wojewody, jeśli ją masz",
        True,
        ["pl", "uk", "ru", "en"],
        [(1, "09:00", "15:00"), (3, "12:00", "18:00")],
        {
            "uk": (
                "Безкоштовна юридична допомога для іноземців",
                "Юристи допомагають з питаннями перебування, роботи та возз'єднання родини.",
            ),
            "en": (
                "Free legal advice for foreigners",
                "Lawyers help with residence, work and family reunification. Book by phone.",
            ),
            "ar": (
                "استشارات قانونية مجانية للأجانب",
                "يساعد المحامون في قضايا الإقامة والعمل ولمّ شمل الأسرة. احجز موعدًا بالهاتف.",
            ),
        },
    ),
    (
        "psychological-support",
        "Wsparcie psychologiczne po doświadczeniu wojny",
        "Rozmowy indywidualne i grupy wsparcia z psychologami mówiącymi po ukraińsku i rosyjsku.",
        "Dorośli i młodzież od 15 lat.",
        "",
        True,
        ["pl", "uk", "ru"],
        [(2, "10:00", "16:00"), (4, "10:00", "16:00")],
        {
            "uk": (
                "Психологічна підтримка після досвіду війни",
                "Індивідуальні розмови та групи підтримки з психологами, які говорять українською.",
            ),
            "ru": (
                "Психологическая поддержка после опыта войны",
                "Индивидуальные беседы и группы поддержки с русскоязычными психологами.",
            ),
        },
    ),
    (
        "polish-courses",
        "Kurs języka polskiego A1–B1",
        "Zajęcia dwa razy w tygodniu w małych grupach. Materiały zapewniamy.",
        "Dorośli; zapisy przez formularz lub na miejscu.",
        "",
        True,
        ["pl", "uk", "ar", "fa", "en"],
        [(2, "17:00", "19:00"), (4, "17:00", "19:00")],
        {
            "ar": (
                "دورة اللغة البولندية من A1 إلى B1",
                "دروس مرتين في الأسبوع في مجموعات صغيرة. نوفر المواد الدراسية.",
            ),
            "fa": (
                "کلاس زبان لهستانی A1 تا B1",
                "کلاس‌ها هفته‌ای دو بار در گروه‌های کوچک برگزار می‌شود. مواد آموزشی رایگان است.",
            ),
            "en": (
                "Polish course A1–B1",
                "Classes twice a week in small groups. Materials provided.",
            ),
            "uk": (
                "Курс польської мови A1–B1",
                "Заняття двічі на тиждень у малих групах. Матеріали надаємо.",
            ),
        },
    ),
    (
        "health",
        "Punkt informacji o ubezpieczeniu zdrowotnym",
        "Pomagamy zapisać się do lekarza rodzinnego i wyjaśniamy, jak działa NFZ.",
        "Każdy, kto mieszka w Gdańsku.",
        "Numer PESEL, jeśli go masz",
        True,
        ["pl", "uk", "en", "fr"],
        [(1, "08:00", "14:00"), (5, "08:00", "14:00")],
        {
            "fr": (
                "Point d'information sur l'assurance maladie",
                "Nous aidons à s'inscrire chez un médecin généraliste et expliquons le NFZ.",
            ),
            "en": (
                "Health insurance information point",
                "We help you register with a family doctor and explain how the NFZ works.",
            ),
        },
    ),
    (
        "schools",
        "Zapisy dzieci do szkoły – punkt konsultacyjny",
        "Wyjaśniamy, jak zapisać dziecko do szkoły lub przedszkola i jak wygląda oddział przygotowawczy.",
        "Rodzice i opiekunowie dzieci w wieku szkolnym.",
        "Dokument tożsamości dziecka\nŚwiadectwa z poprzedniej szkoły, jeśli są",
        True,
        ["pl", "uk", "ru", "ar"],
        [(3, "15:00", "18:00")],
        {
            "uk": (
                "Запис дітей до школи – консультаційний пункт",
                "Пояснюємо, як записати дитину до школи чи садочка.",
            ),
            "ar": (
                "تسجيل الأطفال في المدرسة – نقطة استشارية",
                "نشرح كيفية تسجيل الطفل في المدرسة أو الروضة.",
            ),
        },
    ),
    (
        "social-assistance",
        "Pomoc społeczna – zasiłki i wsparcie rodzin",
        "Pracownicy socjalni przyjmują wnioski o zasiłki i pomagają w trudnej sytuacji.",
        "Mieszkańcy z prawem do pomocy społecznej.",
        "Dokument tożsamości\nZaświadczenie o dochodach",
        True,
        ["pl", "uk"],
        [
            (1, "08:00", "16:00"),
            (2, "08:00", "16:00"),
            (3, "08:00", "16:00"),
            (4, "08:00", "16:00"),
            (5, "08:00", "15:00"),
        ],
        {
            "uk": (
                "Соціальна допомога – виплати та підтримка родин",
                "Соціальні працівники приймають заяви на допомогу.",
            )
        },
    ),
    (
        "neighbourhood-centres",
        "Klub sąsiedzki – spotkania i wymiana umiejętności",
        "Otwarte spotkania dla mieszkańców dzielnicy: herbata, gry, wymiana książek i umiejętności.",
        "Wszyscy mieszkańcy.",
        "",
        True,
        ["pl", "uk", "en"],
        [(5, "16:00", "20:00"), (6, "10:00", "14:00")],
        {
            "en": (
                "Neighbourhood club – meet and share skills",
                "Open evenings for residents: tea, games, book swap and skill sharing.",
            )
        },
    ),
    (
        "culture",
        "Biblioteka – książki w wielu językach",
        "Wypożyczalnia z działem książek po ukraińsku, arabsku i persku; czytanie dla dzieci.",
        "Każdy; karta biblioteczna bezpłatna.",
        "Dokument tożsamości",
        True,
        ["pl", "uk", "ar", "fa"],
        [(2, "10:00", "18:00"), (3, "10:00", "18:00"), (6, "10:00", "14:00")],
        {
            "fa": (
                "کتابخانه – کتاب به زبان‌های مختلف",
                "بخش کتاب‌های اوکراینی، عربی و فارسی؛ کتاب‌خوانی برای کودکان.",
            ),
            "ar": (
                "المكتبة – كتب بلغات عديدة",
                "قسم للكتب بالأوكرانية والعربية والفارسية؛ قراءة للأطفال.",
            ),
        },
    ),
    (
        "work",
        "Doradztwo zawodowe i pomoc w pisaniu CV",
        "Doradcy pomagają przygotować CV, znaleźć oferty pracy i uznać kwalifikacje.",
        "Osoby szukające pracy.",
        "CV, jeśli je masz",
        False,
        ["pl", "en", "uk", "ru"],
        [(2, "09:00", "13:00"), (4, "13:00", "17:00")],
        {
            "ru": (
                "Профориентация и помощь с резюме",
                "Консультанты помогают подготовить резюме и найти работу.",
            )
        },
    ),
    (
        "legal-advice",
        "Pomoc w legalizacji pobytu – dyżur w urzędzie",
        "Dyżur asystentów międzykulturowych przy składaniu wniosków o pobyt.",
        "Cudzoziemcy składający wniosek w Pomorskim Urzędzie Wojewódzkim.",
        "Paszport\nZdjęcie\nPotwierdzenie opłaty skarbowej",
        True,
        ["pl", "uk", "ru", "ar", "fa", "fr", "en"],
        [(1, "10:00", "14:00"), (4, "10:00", "14:00")],
        {
            "fr": (
                "Aide à la légalisation du séjour – permanence",
                "Permanence d'assistants interculturels pour les demandes de séjour.",
            )
        },
    ),
]

# Where the demo puts services: Gdańsk district codes from the demo pack.
DEMO_DISTRICTS = [
    "srodmiescie",
    "wrzeszcz-gorny",
    "wrzeszcz-dolny",
    "oliwa",
    "przymorze-wielkie",
    "zabianka",
    "zaspa-mlyniec",
    "chelm",
    "orunia",
    "nowy-port",
    "letnica",
    "brzezno",
]
LINGUISTS = [
    ("Olena Marchenko", [("uk", "pl", True), ("ru", "pl", True)], True, True, True, False, None),
    ("Ahmad Al-Hassan", [("ar", "pl", True), ("ar", "en", True)], False, False, True, True, None),
    ("Maryam Rahimi", [("fa", "pl", True)], False, True, True, True, None),
    ("Jean-Baptiste Kabila", [("fr", "pl", True)], True, True, False, False, 120),
    ("Iryna Bondar", [("uk", "pl", True)], True, True, False, False, 150),
    ("Dmitrij Sokolov", [("ru", "pl", True)], False, False, True, True, None),
    ("Leyla Karimova", [("ru", "pl", True), ("uk", "pl", False)], False, True, True, True, None),
    ("Samir Haddad", [("ar", "pl", True), ("fr", "pl", True)], False, False, True, False, 90),
]


# HSDS ids of generated data are UUIDs (HSDS requires them), the same on every run so a
# second seed finds what the first made.
SEED_NAMESPACE = uuid.UUID("0b3f6a4e-5d1c-4e8a-9c2b-7f6e5d4c3b2a")


def seed_hsds_id(kind: str, number: int) -> str:
    return str(uuid.uuid5(SEED_NAMESPACE, f"{kind}-{number}"))


def _count_seeded(kind: str, total: int) -> int:
    """How many of the first `total` generated services exist (they are made in order)."""
    found = 0
    for start in range(0, total, 1000):
        ids = [seed_hsds_id(kind, n + 1) for n in range(start, min(start + 1000, total))]
        count = Service.objects.filter(hsds_id__in=ids).count()
        found += count
        if count < len(ids):
            break
    return found


def _categories() -> dict[str, Category]:
    found = {}
    for code, names in CATEGORIES.items():
        found[code], _new = Category.objects.update_or_create(
            code=code, defaults={"name": names["en"], "names": names}
        )
    return found


def _hours(text: str) -> datetime.time:
    hour, minute = text.split(":")
    return datetime.time(int(hour), int(minute))


@transaction.atomic
def _seed_demo(ctx, categories) -> int:
    if Service.objects.filter(hsds_id=seed_hsds_id("demo-svc", 1)).exists():
        return 0
    districts = {d.code: d for d in District.objects.all()}
    codes = [c for c in DEMO_DISTRICTS if c in districts] or list(districts)
    orgs = list(Organisation.objects.filter(is_active=True).exclude(slug__startswith="seed-"))
    orgs = orgs or list(Organisation.objects.filter(is_active=True)[:20])
    if not orgs:
        return 0
    made = 0
    for i in range(40):
        (cat, name, desc, elig, docs, free, langs, hours, translations) = DEMO_SERVICES[
            i % len(DEMO_SERVICES)
        ]
        district = districts.get(codes[i % len(codes)]) if codes else None
        org = orgs[i % len(orgs)]
        suffix = f" – {district.name}" if district and i >= len(DEMO_SERVICES) else ""
        service = Service.objects.create(
            hsds_id=seed_hsds_id("demo-svc", i + 1),
            organisation=org,
            name=f"{name}{suffix}"[:200],
            description=desc,
            eligibility=elig,
            required_documents=docs,
            is_free=free,
            fees_description="" if free else "50 PLN",
            email=org.email,
            url=org.website,
            source_language="pl",
            last_checked_on=datetime.date(2026, 10, 1) if i % 3 == 0 else None,
        )
        ServiceCategory.objects.create(service=service, category=categories[cat])
        ServiceLanguage.objects.bulk_create(
            [ServiceLanguage(service=service, code=code) for code in langs]
        )
        lat = (district.latitude if district and district.latitude else 54.35) + ctx.rng.uniform(
            -0.004, 0.004
        )
        lon = (district.longitude if district and district.longitude else 18.65) + ctx.rng.uniform(
            -0.006, 0.006
        )
        location = Location.objects.create(
            hsds_id=seed_hsds_id("demo-loc", i + 1),
            organisation=org,
            name=f"{org.name}{' – ' + district.name if district else ''}"[:200],
            address_1=f"ul. {ctx.faker('pl').street_name()} {ctx.rng.randint(1, 120)}",
            city="Gdańsk",
            postal_code=f"80-{ctx.rng.randint(100, 999)}",
            district=district,
            latitude=round(lat, 5),
            longitude=round(lon, 5),
            accessibility="Wejście bez schodów" if i % 2 == 0 else "",
        )
        ServiceAtLocation.objects.create(service=service, location=location)
        Schedule.objects.bulk_create(
            [
                Schedule(service=service, weekday=d, opens_at=_hours(a), closes_at=_hours(b))
                for d, a, b in hours
            ]
        )
        ServiceTranslation.objects.bulk_create(
            [
                ServiceTranslation(
                    service=service,
                    language=lang,
                    name=f"{tname}{suffix}"[:200],
                    description=tdesc,
                    status="published",
                    source_revision=1,
                )
                for lang, (tname, tdesc) in translations.items()
            ]
        )
        made += 1
    return made


@transaction.atomic
def _seed_housing_and_linguists(ctx) -> None:
    if HousingOffer.objects.exists():
        return
    orgs = list(Organisation.objects.filter(is_active=True).exclude(slug__startswith="seed-")[:6])
    districts = list(District.objects.all()[:12])
    if not orgs:
        return
    today = datetime.date.today()
    kinds = [("room", 1, 2, 900), ("apartment", 3, 5, 2600), ("shelter", 1, 4, 0)]
    titles = {
        "room": "Pokój w mieszkaniu dzielonym",
        "apartment": "Mieszkanie dwupokojowe",
        "shelter": "Miejsce w hostelu interwencyjnym",
    }
    offers = []
    for i in range(15):
        kind, low, high, rent = kinds[i % 3]
        offers.append(
            HousingOffer(
                organisation=orgs[i % len(orgs)],
                kind=kind,
                title=f"{titles[kind]} #{i + 1}",
                capacity=ctx.rng.randint(low, high),
                rent=rent + ctx.rng.randint(0, 4) * 100,
                district=districts[i % len(districts)] if districts else None,
                available_from=today - datetime.timedelta(days=ctx.rng.randint(0, 20)),
                available_until=today + datetime.timedelta(days=ctx.rng.randint(30, 200))
                if i % 4
                else None,
                step_free=i % 3 == 0,
                children_welcome=i % 5 != 0,
                pets_allowed=i % 4 == 0,
                conditions="Umowa najmu na minimum 6 miesięcy." if kind != "shelter" else "",
                landlord_name=ctx.faker("pl").name(),
                contact_phone=ctx.faker("pl").phone_number(),
                status="reserved" if i % 7 == 6 else "available",
            )
        )
    HousingOffer.objects.bulk_create(offers)
    for i, (name, pairs, sworn, written, consecutive, remote, rate) in enumerate(LINGUISTS):
        linguist = Linguist.objects.create(
            name=name,
            organisation=orgs[i % len(orgs)],
            is_sworn=sworn,
            does_written=written,
            does_consecutive=consecutive,
            does_remote=remote,
            is_volunteer=rate is None,
            hourly_rate=rate,
            email=f"linguist{i + 1}@demo.mosty.local",
            availability="Pon.–pt. po 16:00" if i % 2 else "Weekendy",
        )
        LanguagePair.objects.bulk_create(
            [LanguagePair(linguist=linguist, source=s, target=t, both_ways=b) for s, t, b in pairs]
        )


def _seed_large(ctx, categories) -> int:
    total = ctx.size(demo=0, large=20000)
    existing = _count_seeded("seed-svc", total)
    if existing >= total:
        return 0
    org_ids = list(Organisation.objects.values_list("pk", flat=True))
    districts = list(District.objects.values_list("pk", "latitude", "longitude"))
    cat_ids = [c.pk for c in categories.values()]
    lang_pool = ["pl", "en", "uk", "ru", "ar", "fa", "fr"]
    fake = ctx.faker("pl")
    words = ["Porady", "Wsparcie", "Kurs", "Punkt", "Dyżur", "Klub", "Warsztaty", "Konsultacje"]
    topics = ["prawne", "psychologiczne", "językowe", "zdrowotne", "rodzinne", "zawodowe"]
    made = 0
    for batch in batched(range(existing, total), 1000):
        with transaction.atomic():
            services, locations = [], []
            for i in batch:
                org = ctx.rng.choice(org_ids)
                d_pk, lat, lon = ctx.rng.choice(districts) if districts else (None, 54.35, 18.65)
                services.append(
                    Service(
                        hsds_id=seed_hsds_id("seed-svc", i + 1),
                        organisation_id=org,
                        name=f"{ctx.rng.choice(words)} {ctx.rng.choice(topics)} {i + 1}",
                        description=fake.sentence(nb_words=14),
                        is_free=ctx.rng.random() < 0.8,
                        source_language="pl",
                    )
                )
                locations.append(
                    Location(
                        hsds_id=seed_hsds_id("seed-loc", i + 1),
                        organisation_id=org,
                        name=f"Lokal {i + 1}",
                        address_1=f"ul. {fake.street_name()} {ctx.rng.randint(1, 150)}",
                        city="Gdańsk",
                        district_id=d_pk,
                        latitude=round((lat or 54.35) + ctx.rng.uniform(-0.01, 0.01), 5),
                        longitude=round((lon or 18.65) + ctx.rng.uniform(-0.015, 0.015), 5),
                    )
                )
            Service.objects.bulk_create(services)
            Location.objects.bulk_create(locations)
            svc = dict(
                Service.objects.filter(hsds_id__in=[s.hsds_id for s in services]).values_list(
                    "hsds_id", "pk"
                )
            )
            loc = dict(
                Location.objects.filter(hsds_id__in=[x.hsds_id for x in locations]).values_list(
                    "hsds_id", "pk"
                )
            )
            links, langs, cats, hours = [], [], [], []
            for i in batch:
                s_pk = svc[seed_hsds_id("seed-svc", i + 1)]
                links.append(
                    ServiceAtLocation(
                        service_id=s_pk, location_id=loc[seed_hsds_id("seed-loc", i + 1)]
                    )
                )
                for code in ctx.rng.sample(lang_pool, k=ctx.rng.randint(1, 3)):
                    langs.append(ServiceLanguage(service_id=s_pk, code=code))
                cats.append(ServiceCategory(service_id=s_pk, category_id=ctx.rng.choice(cat_ids)))
                for day in ctx.rng.sample(range(1, 8), k=ctx.rng.randint(1, 5)):
                    start = ctx.rng.choice([8, 9, 10, 12, 14])
                    hours.append(
                        Schedule(
                            service_id=s_pk,
                            weekday=day,
                            opens_at=datetime.time(start),
                            closes_at=datetime.time(start + ctx.rng.choice([3, 4, 6])),
                        )
                    )
            ServiceAtLocation.objects.bulk_create(links)
            ServiceLanguage.objects.bulk_create(langs)
            ServiceCategory.objects.bulk_create(cats)
            Schedule.objects.bulk_create(hours)
        made += len(batch)
        ctx.progress("services", existing + made, total)
    return made


@seeder("directory", order=40)
def seed_directory(ctx) -> str:
    categories = _categories()
    demo = _seed_demo(ctx, categories)
    _seed_housing_and_linguists(ctx)
    large = _seed_large(ctx, categories) if ctx.scale == "large" else 0
    return (
        f"{Service.objects.count():,} services ({demo} demo, {large:,} generated), "
        f"{HousingOffer.objects.count()} housing offers, {Linguist.objects.count()} linguists"
    )
