"""Organisations (3,000 at large scale) and the demo logins, one per role."""

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from mosty.accounts.models import Grant, Membership, MembershipGrant, Role, User
from mosty.core.models import District
from mosty.core.seeding import (
    DEMO_PASSWORD,
    HEAVY_CITY_ORGANISATIONS,
    HEAVY_ORGANISATIONS,
    batched,
    ngo_caseworker_emails,
    seeder,
)
from mosty.organisations.models import Organisation, OrganisationKind

# The demo logins: (e-mail, first name, last name, language, organisation slug, role).
DEMO_USERS = [
    ("admin@demo.mosty.local", "Anna", "Administratorka", "pl", "urzad-miasta-demo", Role.ADMIN),
    ("coordinator@demo.mosty.local", "Katarzyna", "Nowak", "pl", "fundacja-most", Role.COORDINATOR),
    ("caseworker@demo.mosty.local", "Olena", "Kovalenko", "uk", "fundacja-most", Role.CASEWORKER),
    ("mentor@demo.mosty.local", "Piotr", "Wiśniewski", "pl", "fundacja-most", Role.MENTOR),
    ("assistant@demo.mosty.local", "Mariam", "Haddad", "ar", "centrum-wsparcia", Role.ASSISTANT),
    ("staff@demo.mosty.local", "Joanna", "Zielińska", "pl", "sp-100-demo", Role.INSTITUTION_STAFF),
    (
        "participant@demo.mosty.local",
        "Dmytro",
        "Shevchenko",
        "uk",
        "fundacja-most",
        Role.PARTICIPANT,
    ),
    (
        "translator@demo.mosty.local",
        "Iryna",
        "Melnyk",
        "uk",
        "centrum-wsparcia",
        Role.ASSISTANT,
    ),
    (
        "coordinator2@demo.mosty.local",
        "Tomasz",
        "Lewandowski",
        "pl",
        "centrum-wsparcia",
        Role.COORDINATOR,
    ),
]


# What a demo login is for, where the role alone does not say it.
DEMO_LABELS = {"translator@demo.mosty.local": _("Translator (knowledge base)")}

# Plausible organisation names for synthetic data, per kind (instead of generated company
# names such as "FPUH Jędrusiak-Leżoń s.c."); {n} numbers schools, {place} is a district.
ORGANISATION_NAMES = {
    "ngo": [
        "Fundacja Wspólny Dom",
        "Stowarzyszenie Sąsiedzka Pomoc",
        "Fundacja Nowy Start",
        "Stowarzyszenie Otwarte Drzwi",
        "Fundacja Dobry Sąsiad",
        "Fundacja Mosty Kultur",
    ],
    "school": [
        "Szkoła Podstawowa nr {n}",
        "Liceum Ogólnokształcące nr {n}",
        "Przedszkole Miejskie nr {n}",
    ],
    "social_assistance": ["Miejski Ośrodek Pomocy Rodzinie – filia {place}"],
    "city_office": ["Urząd Miasta – Wydział Spraw Społecznych", "Urząd Miasta – Biuro {place}"],
    "police": ["Komisariat Policji {place}"],
    "cultural": ["Biblioteka Miejska – filia {place}", "Dom Kultury {place}"],
    "neighbourhood_centre": ["Klub Sąsiedzki {place}", "Centrum Sąsiedzkie {place}"],
    "migrant_group": [
        "Ukraiński Dom",
        "Wspólnota Gruzińska",
        "Grupa Wsparcia Białorusinów",
        "Klub Kobiet z Afryki",
    ],
    "cooperative": ["Spółdzielnia Socjalna Razem", "Spółdzielnia Socjalna Smaki Świata"],
    "other": ["Parafia {place}", "Klub Sportowy {place}"],
}


# The first seeded organisations are the large ones (`HEAVY_ORGANISATIONS`): (kind, name).
HEAVY_AT = {
    0: ("ngo", "ngo", "Fundacja Wspólny Dom"),
    1: ("mentoring", "ngo", "Stowarzyszenie Sąsiedzi Mentorzy"),
    2: ("events", "cultural", "Centrum Kultury i Spotkań"),
    3: ("city", "city_office", "Urząd Miasta – Biuro ds. Cudzoziemców"),
}


def organisation_name(kind: str, i: int, place: str) -> str:
    """A plausible name for the i-th synthetic organisation of `kind`, unique by its number."""
    names = ORGANISATION_NAMES.get(kind) or ORGANISATION_NAMES["other"]
    name = names[i % len(names)].format(n=i + 1, place=place)
    return name if "{n}" in names[i % len(names)] else f"{name} ({i + 1})"


@transaction.atomic
def demo_users_create() -> list[User]:
    users = []
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in={u[4] for u in DEMO_USERS})}
    for email, first, last, language, org_slug, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last, "language": language}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if org_slug in orgs:
            membership, _created = Membership.objects.get_or_create(
                user=user, organisation=orgs[org_slug], role=role
            )
            if role == Role.ADMIN:
                # The demo administrator is also the data controller.
                MembershipGrant.objects.get_or_create(
                    membership=membership, grant=Grant.VIEW_AUDIT_LOG
                )
        users.append(user)
    return users


@seeder("organisations", order=10)
def seed_organisations(ctx) -> str:
    demo_users_create()
    total = ctx.size(demo=12, large=3000)
    existing = Organisation.objects.filter(slug__startswith="seed-").count()
    place_names = dict(District.objects.values_list("pk", "name"))
    districts = list(place_names)
    kinds = list(OrganisationKind.values)
    fake = ctx.faker("pl")
    password = make_password(DEMO_PASSWORD)
    created = 0
    for batch in batched(range(existing, total), 500):
        orgs = []
        for i in batch:
            kind = ctx.rng.choice(kinds)
            district = ctx.rng.choice(districts) if districts else None
            name = organisation_name(kind, i, place_names[district] if district else "")
            slug = f"seed-{i + 1}-{slugify(name)[:60]}"
            if i in HEAVY_AT and ctx.scale == "large":
                key, kind, name = HEAVY_AT[i]
                slug = HEAVY_ORGANISATIONS[key]
            orgs.append(
                Organisation(
                    name=name,
                    slug=slug,
                    kind=kind,
                    district_id=district,
                    languages=ctx.rng.sample(
                        ["pl", "en", "uk", "ru", "ar", "fa", "fr"], k=ctx.rng.randint(1, 3)
                    ),
                    email=f"contact{i + 1}@org.example",
                    phone=fake.phone_number()[:40],
                )
            )
        Organisation.objects.bulk_create(orgs)
        # Each seeded organisation gets a coordinator and a caseworker.
        saved = Organisation.objects.filter(slug__in=[o.slug for o in orgs])
        users, memberships = [], []
        for org in saved:
            for role in (Role.COORDINATOR, Role.CASEWORKER):
                language = ctx.rng.choice(["pl", "pl", "uk", "ru", "en"])
                person = ctx.faker(language)
                users.append(
                    User(
                        email=f"{role}.{org.pk}@seed.mosty.local",
                        first_name=person.first_name(),
                        last_name=person.last_name(),
                        language=language,
                        password=password,
                    )
                )
        User.objects.bulk_create(users, ignore_conflicts=True)
        by_email = dict(
            User.objects.filter(email__in=[u.email for u in users]).values_list("email", "pk")
        )
        for org in saved:
            for role in (Role.COORDINATOR, Role.CASEWORKER):
                memberships.append(
                    Membership(
                        user_id=by_email[f"{role}.{org.pk}@seed.mosty.local"],
                        organisation=org,
                        role=role,
                    )
                )
        Membership.objects.bulk_create(memberships, ignore_conflicts=True)
        created += len(orgs)
        ctx.progress("organisations", existing + created, total)
    if ctx.scale == "large":
        _heavy_users_create(password)
    return f"{Organisation.objects.count():,} organisations, {User.objects.count():,} users"


def _heavy_users_create(password: str) -> None:
    """The heavy users of the large city (`HEAVY_USERS`), idempotent like the rest."""
    orgs = {
        key: Organisation.objects.filter(slug=slug).first()
        for key, slug in HEAVY_ORGANISATIONS.items()
    }
    if not all(orgs.values()):
        return
    names = {
        "city.coordinator@seed.mosty.local": ("Barbara", "Miejska"),
        "ngo.coordinator@seed.mosty.local": ("Ewa", "Wielka"),
        "mentoring.coordinator@seed.mosty.local": ("Marek", "Mentorski"),
        "events.organiser@seed.mosty.local": ("Zofia", "Wydarzeniowa"),
    }
    for n, email in enumerate(ngo_caseworker_emails(), start=1):
        names[email] = ("Anna" if n % 2 else "Jan", f"Sprawna-{n}")
    # They use Mosty every day: signed in recently, so the nightly refresh keeps their
    # dashboards' figures as it does for every active coordinator (`reports.rollups`).
    signed_in = timezone.now()
    User.objects.bulk_create(
        [
            User(
                email=email,
                first_name=first,
                last_name=last,
                language="pl",
                password=password,
                last_login=signed_in,
            )
            for email, (first, last) in names.items()
        ],
        ignore_conflicts=True,
    )
    users = dict(User.objects.filter(email__in=names).values_list("email", "pk"))
    city_orgs = Organisation.objects.filter(slug__startswith="seed-").order_by("pk")
    memberships = [
        Membership(user_id=users[email], organisation=orgs[key], role=Role.COORDINATOR)
        for key, email in (
            ("ngo", "ngo.coordinator@seed.mosty.local"),
            ("mentoring", "mentoring.coordinator@seed.mosty.local"),
            ("events", "events.organiser@seed.mosty.local"),
        )
    ]
    memberships += [
        Membership(user_id=users[email], organisation=orgs["ngo"], role=Role.CASEWORKER)
        for email in ngo_caseworker_emails()
    ]
    memberships += [
        Membership(
            user_id=users["city.coordinator@seed.mosty.local"],
            organisation=org,
            role=Role.COORDINATOR,
        )
        for org in city_orgs[:HEAVY_CITY_ORGANISATIONS]
    ]
    Membership.objects.bulk_create(memberships, ignore_conflicts=True)
