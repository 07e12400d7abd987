"""Names sort in the city's alphabet on both databases (coordinators: "Łódź" and "Żaneta"
came after "Zielona", "Ślusarz" before "Szymański" never, "adam" far from "Adam")."""

import random

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate
from django.urls import reverse
from faker import Faker

from mosty.core.collation import NAMES, by_name, sort_key
from mosty.directory.models import Service, ServiceAtLocation
from mosty.organisations.models import Organisation
from tests.directory.factories import CategoryFactory, LocationFactory, service_with_location
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

# Each name sorts before the next in Polish, case aside.
POLISH = [
    "Adam",
    "Ądrzej",
    "Bogdan",
    "Celina",
    "Ćwikła",
    "Lucyna",
    "Łukasz",
    "Marek",
    "Nowak",
    "Ńa",
    "Olga",
    "Ósma",
    "Sz",
    "Szymański",
    "Ślusarz",
    "Zofia",
    "Źdźbło",
    "Żaneta",
]


def test_polish_letters_come_after_their_base_letter():
    shuffled = random.Random(4).sample(POLISH, len(POLISH))
    assert sorted(shuffled, key=sort_key) == POLISH


def test_case_decides_only_between_names_otherwise_the_same():
    names = ["Bartek", "adam", "ADAM", "Adam", "ądam", "Adamczyk", "Adam Nowak"]
    assert sorted(names, key=sort_key) == ["adam", "Adam", "ADAM", "Adam Nowak", "Adamczyk", "ądam", "Bartek"]  # fmt: skip


def test_other_accents_count_as_their_letter():
    names = ["Rene", "Renée", "Rena", "René", "Renf", "Ørsted", "Osa", "Ozon", "Óla"]
    assert sorted(names, key=sort_key) == ["Ørsted", "Osa", "Ozon", "Óla", "Rena", "Rene", "René", "Renée", "Renf"]  # fmt: skip


def test_cyrillic_sorts_in_its_alphabet_after_latin():
    names = ["Євген", "Яна", "Ірина", "Андрій", "Зоя", "Ґанна", "Їжак", "Zofia", "Ёлка", "Ежи"]
    assert sorted(names, key=sort_key) == ["Zofia", "Андрій", "Ґанна", "Ежи", "Ёлка", "Євген", "Зоя", "Їжак", "Ірина", "Яна"]  # fmt: skip


def test_spaces_punctuation_and_digits_come_before_letters():
    names = ["Anna", "Anna Maria", "Anna-Maria", "Annabel", "Anna 2", "Anna\u200cb"]
    assert sorted(names, key=sort_key) == ["Anna", "Anna 2", "Anna Maria", "Anna-Maria", "Anna\u200cb", "Annabel"]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("use_collate", [False, True])
def test_the_database_orders_names_as_the_key_does(use_collate):
    """`by_name()` and a plain `COLLATE "mosty_names"` give the same order on either database."""
    for i, name in enumerate(random.Random(5).sample(POLISH, len(POLISH))):
        Organisation.objects.create(name=name.lower() if i % 3 == 0 else name, slug=f"o-{i}")
    ordering = [Collate(F("name"), NAMES).asc()] if use_collate else by_name("name")
    names = list(Organisation.objects.order_by(*ordering).values_list("name", flat=True))
    assert [n.casefold() for n in names] == [n.casefold() for n in POLISH]
    descending = Organisation.objects.order_by(*by_name("-name")).values_list("name", flat=True)
    assert list(descending) == names[::-1]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="ICU's order is PostgreSQL's")
def test_the_key_agrees_with_icu_on_names_from_many_countries():
    """The embedded database's key sorts the names of many languages as PostgreSQL's ICU
    collation does: one order on both databases."""
    names = set(POLISH)
    for locale in ["pl_PL", "uk_UA", "ru_RU", "de_DE", "fr_FR", "cs_CZ", "tr_TR", "vi_VN",
                   "hu_HU", "ro_RO", "sv_SE", "da_DK", "es_ES", "el_GR", "ar_AA", "fa_IR"]:  # fmt: skip
        fake = Faker(locale)
        fake.seed_instance(7)
        names |= {fake.name() for _ in range(150)} | {fake.last_name() for _ in range(100)}
    names |= {n.lower() for n in POLISH} | {n.upper() for n in POLISH}
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT n FROM unnest(%s::text[]) n ORDER BY n COLLATE "mosty_names"', [list(names)]
        )
        icu = [row[0] for row in cursor.fetchall()]
    assert sorted(names, key=sort_key) == icu


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite registers it per connection")
def test_the_migration_falls_back_when_the_server_refuses_each_definition():
    """A server without ICU or the Polish locale still migrates: the collation is then a copy
    of the database's own, and dropping it undoes the migration."""
    from django.apps import apps

    from mosty.core.migration_ops import collation

    operation = collation("mosty_test_names", ["provider = icu, locale = 'pl-PL', nonsense = 1"])
    query = "SELECT collprovider FROM pg_collation WHERE collname = 'mosty_test_names'"
    with connection.schema_editor() as editor:
        operation.code(apps, editor)
    with connection.cursor() as cursor:
        cursor.execute(query)
        assert cursor.fetchall() == [("c",)]
    with connection.schema_editor() as editor:
        operation.reverse_code(apps, editor)
    with connection.cursor() as cursor:
        cursor.execute(query)
        assert cursor.fetchall() == []


def _positions(html, names):
    return [html.index(f">{name}<") for name in names]


@pytest.mark.django_db
def test_the_organisations_list_shows_names_in_polish_order(world, login):
    names = ["Lucyna", "Łukasz", "Marek", "Szymański", "Ślusarz", "Zofia", "Żaneta"]
    for i, name in enumerate(random.Random(6).sample(names, len(names))):
        Organisation.objects.create(name=name, slug=f"org-{i}")
    Organisation.objects.create(name="adam", slug="adam-small")
    Organisation.objects.create(name="Adam", slug="adam-capital")
    Organisation.objects.create(name="Agata", slug="agata")
    html = login("admin").get(reverse("organisations:list")).content.decode()
    positions = _positions(html, names)
    assert positions == sorted(positions)
    adam, capital, agata = _positions(html, ["adam", "Adam", "Agata"])
    assert adam < capital < agata


@pytest.mark.django_db
def test_the_staff_list_sorts_people_by_last_name_in_polish_order(world, login):
    people = [("Anna", "Lis"), ("Jan", "Łoś"), ("Ewa", "Maj"), ("Olga", "Szymańska"),
              ("Piotr", "Śliwa"), ("Zenon", "Zając"), ("Ida", "Żak")]  # fmt: skip
    for i, (first, last) in enumerate(random.Random(8).sample(people, len(people))):
        UserFactory(first_name=first, last_name=last, email=f"person{i}@example.org")
    html = login("admin").get(reverse("accounts:user_list")).content.decode()
    positions = [html.index(f"{first} {last}") for first, last in people]
    assert positions == sorted(positions)


# Models' own order (Meta.ordering): what a template's `service.categories.all`, a related
# manager or a form's queryset without order_by() shows.

# (code, name): in Polish "Łódź" comes between "Lublin" and "Mazowsze"; by code point after
# "Zielona", and by code "lodz" before "lublin".
PLACES = [("gdansk", "Gdańsk"), ("lublin", "Lublin"), ("lodz", "Łódź"),
          ("mazowsze", "Mazowsze"), ("zielona", "Zielona")]  # fmt: skip


def _shuffled(items, seed):
    return random.Random(seed).sample(items, len(items))


@pytest.mark.django_db
def test_a_services_categories_and_locations_come_in_polish_order(world, client):
    service = service_with_location(world.org_a, name="Porady")
    ServiceAtLocation.objects.filter(service=service).delete()
    for code, name in _shuffled(PLACES, 9):
        service.categories.add(CategoryFactory(code=code, name=name))
        location = LocationFactory(organisation=world.org_a, name=f"{name}, ul. Długa 1")
        ServiceAtLocation.objects.create(service=service, location=location)
    names = [name for _code, name in PLACES]

    html = client.get(reverse("directory:service", kwargs={"pk": service.pk})).content.decode()
    assert ", ".join(names) in html
    listed = client.get(reverse("directory:list")).content.decode()
    positions = [listed.index(f">{name}<") for name in names]
    assert positions == sorted(positions)

    data = client.get(reverse("api:service_detail", kwargs={"pk": service.pk})).json()
    assert data["categories"] == [code for code, _name in PLACES]
    assert [loc["name"] for loc in data["locations"]] == [f"{n}, ul. Długa 1" for n in names]


@pytest.mark.django_db
def test_ordering_by_a_relation_follows_its_names_both_ways(world):
    """`order_by("organisation")` sorts by the organisations' names in Polish and
    `"-organisation"` reverses it: Meta.ordering holds the bare `InNames`, since Django keeps
    an `.asc()` ascending when it follows a relation to the model."""
    names = [name for _code, name in PLACES]
    services = []
    for name in _shuffled(names, 10):
        organisation = OrganisationFactory(name=name)
        services.append(service_with_location(organisation, name=f"Porady {name}").pk)
    rows = Service.objects.filter(pk__in=services).select_related("organisation")
    assert [s.organisation.name for s in rows.order_by("organisation")] == names
    assert [s.organisation.name for s in rows.order_by("-organisation")] == names[::-1]


@pytest.mark.django_db
def test_the_default_order_holds_through_distinct_values_first_and_memberships(world):
    names = [name for _code, name in PLACES]
    legal, family = CategoryFactory(code="legal"), CategoryFactory(code="family")
    person = UserFactory(email="osoba@example.org")
    organisations = []
    for name in _shuffled(names, 11):
        organisation = OrganisationFactory(name=name)
        organisations.append(organisation.pk)
        service_with_location(organisation, name=name).categories.add(legal, family)
        MembershipFactory(user=person, organisation=organisation, role="caseworker")

    # Two categories each: the join gives each service twice; DISTINCT once, still in order.
    joined = Service.objects.filter(categories__in=[legal, family]).distinct()
    assert [s.name for s in joined] == names
    assert list(joined.values_list("name", flat=True)) == names
    ours = Organisation.objects.filter(pk__in=organisations)
    assert (ours.first().name, ours.last().name) == ("Gdańsk", "Zielona")
    assert list(ours.values_list("name", flat=True)) == names
    assert [m.organisation.name for m in person.memberships.select_related("organisation")] == names  # fmt: skip


def test_every_ordering_by_a_name_or_title_uses_the_collation():
    """A model ordered by a name or a title is ordered in the city's alphabet (`InNames`). The
    reports' programmes order by date first; their name only settles a tie within a day."""
    left = {"reports.Programme"}
    plain = [
        f"{model._meta.label}: {term}"
        for model in apps.get_models()
        if model.__module__.startswith("mosty.") and model._meta.label not in left
        for term in model._meta.ordering
        if isinstance(term, str) and term.lstrip("-").endswith(("name", "title"))
    ]
    assert plain == []
