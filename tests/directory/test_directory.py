"""Public directory: search filters, language of texts, map data, districts, editing."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from mosty.access.models import AuditEvent
from mosty.directory import selectors, services
from mosty.directory.models import Schedule, Service, ServiceTranslation
from tests.directory.factories import (
    CategoryFactory,
    LocationFactory,
    ScheduleFactory,
    service_with_location,
)
from tests.factories import DistrictFactory, OrganisationFactory
from tests.utils import assert_constant_queries


@pytest.fixture
def directory(world):
    other = DistrictFactory(city=world.city, code="oliwa", name="Oliwa")
    legal = service_with_location(
        world.org_a, district=world.district, languages=("pl", "uk"), name="Porady prawne"
    )
    legal.categories.add(CategoryFactory(code="legal", name="Legal advice"))
    psych = service_with_location(
        world.org_b,
        district=other,
        languages=("pl", "ar"),
        name="Wsparcie psychologiczne",
        is_free=False,
    )
    return {"legal": legal, "psych": psych, "oliwa": other}


def _names(client, **params):
    response = client.get(reverse("directory:list"), params)
    assert response.status_code == 200
    return [s.name for s in response.context["page"]]


def test_search_filters(client, directory):
    assert sorted(_names(client)) == ["Porady prawne", "Wsparcie psychologiczne"]
    assert _names(client, q="psycholog") == ["Wsparcie psychologiczne"]
    assert _names(client, category="legal") == ["Porady prawne"]
    assert _names(client, language="ar") == ["Wsparcie psychologiczne"]
    assert _names(client, district="oliwa") == ["Wsparcie psychologiczne"]
    assert _names(client, free="on") == ["Porady prawne"]
    # Unknown choices are ignored rather than failing.
    assert len(_names(client, district="nowhere", language="xx")) == 2


def test_open_now(client, directory):
    monday_10 = timezone.make_aware(datetime.datetime(2026, 11, 23, 10, 0))
    ScheduleFactory(
        service=directory["legal"],
        weekday=1,
        opens_at=datetime.time(9),
        closes_at=datetime.time(12),
    )
    ScheduleFactory(
        service=directory["psych"],
        weekday=2,
        opens_at=datetime.time(9),
        closes_at=datetime.time(12),
    )
    with mock.patch("django.utils.timezone.now", return_value=monday_10):
        assert _names(client, open_now="on") == ["Porady prawne"]
    sunday = timezone.make_aware(datetime.datetime(2026, 11, 22, 10, 0))
    with mock.patch("django.utils.timezone.now", return_value=sunday):
        assert _names(client, open_now="on") == []


def test_inactive_services_are_not_public(client, directory):
    directory["psych"].status = "inactive"
    directory["psych"].save()
    assert _names(client) == ["Porady prawne"]
    response = client.get(reverse("directory:service", kwargs={"pk": directory["psych"].pk}))
    assert response.status_code == 404


def test_service_in_visitor_language_or_marked(client, directory):
    legal = directory["legal"]
    ServiceTranslation.objects.create(
        service=legal,
        language="uk",
        name="Юридичні консультації",
        description="Безкоштовно.",
        status="published",
        source_revision=legal.revision,
    )
    url = reverse("directory:service", kwargs={"pk": legal.pk})
    uk = client.get(url.replace("/pl/", "/uk/")).content.decode()
    assert "Юридичні консультації" in uk and 'lang="pl"' not in uk.split("<main")[1]
    ar = client.get(url.replace("/pl/", "/ar/"))
    assert ar.context["shown"].is_visitor_language is False
    assert ar.context["shown"].language == "pl"
    assert 'class="alert alert-warning"' in ar.content.decode()


def test_translation_becomes_outdated_when_source_changes(world, directory):
    legal = directory["legal"]
    coordinator = world.user("coordinator")
    services.service_translation_save(
        service=legal, by=coordinator, language="uk", name="Юридичні консультації"
    )
    services.service_update(service=legal, by=coordinator, description="Nowy opis.")
    item = ServiceTranslation.objects.select_related("service").get()
    assert item.is_outdated
    shown = selectors.service_text(Service.objects.get(pk=legal.pk), "uk")
    assert shown.is_visitor_language and shown.is_outdated
    # Changing a non-text field does not outdate translations.
    services.service_translation_save(
        service=legal, by=coordinator, language="uk", name="Юридичні консультації"
    )
    services.service_update(service=legal, by=coordinator, email="new@example.org")
    assert not ServiceTranslation.objects.select_related("service").get().is_outdated


def test_list_and_detail_constant_queries(client, world, directory):
    assert_constant_queries(
        client,
        reverse("directory:list"),
        lambda: service_with_location(world.org_a, district=world.district, languages=("pl",)),
    )
    legal = directory["legal"]

    def grow():
        ScheduleFactory(service=legal, weekday=3)
        loc = LocationFactory(organisation=world.org_a, district=world.district)
        legal.locations.add(loc)

    assert_constant_queries(client, reverse("directory:service", kwargs={"pk": legal.pk}), grow)
    assert_constant_queries(
        client,
        reverse("directory:district", kwargs={"code": world.district.code}),
        lambda: service_with_location(
            OrganisationFactory(district=world.district), district=world.district
        ),
    )


def test_map_data(client, directory):
    data = client.get(reverse("directory:map_data"), {"language": "ar"}).json()
    assert [p["name"] for p in data["points"]] == ["Wsparcie psychologiczne"]
    assert data["points"][0]["url"].endswith(f"/services/{directory['psych'].pk}/")
    page = client.get(reverse("directory:map")).content.decode()
    # No tile server configured: the map is drawn on the server, no map script is loaded.
    assert "vendor/leaflet/leaflet.js" not in page and "tile.openstreetmap" not in page
    assert 'class="directory-vector-map' in page


def test_tiles_only_when_configured(client, directory, settings):
    settings.MOSTY_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    page = client.get(reverse("directory:map")).content.decode()
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in page
    assert "vendor/leaflet/leaflet.js" in page


def test_district_pages(client, world, directory):
    response = client.get(reverse("directory:district", kwargs={"code": world.district.code}))
    assert [s.name for s in response.context["page"]] == ["Porady prawne"]
    assert world.org_a in response.context["organisations"]
    assert client.get(reverse("directory:districts")).status_code == 200
    assert client.get(reverse("directory:district", kwargs={"code": "nope"})).status_code == 404


def test_member_creates_and_edits_own_service(login, world):
    client = login("caseworker")
    location = LocationFactory(organisation=world.org_a, district=world.district)
    category = CategoryFactory(code="health", name="Health")
    response = client.post(
        reverse("directory:service_create"),
        {
            "organisation": world.org_a.pk,
            "name": "Punkt zdrowia",
            "source_language": "pl",
            "description": "Opis",
            "status": "active",
            "is_free": "on",
            "languages": "pl, UK",
            "categories": [category.pk],
            "locations": [location.pk],
            "phone": "+48 58 1",
            "d1_opens": "09:00",
            "d1_closes": "13:00",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    service = Service.objects.get(name="Punkt zdrowia")
    assert set(service.languages.values_list("code", flat=True)) == {"pl", "uk"}
    assert list(service.locations.all()) == [location]
    assert Schedule.objects.get(service=service).weekday == 1
    # Bad hours and a bad language code come back as field errors, not a 500.
    response = client.post(
        reverse("directory:service_edit", kwargs={"pk": service.pk}),
        {
            "name": "Punkt zdrowia",
            "source_language": "pl",
            "status": "active",
            "languages": "polski",
            "d2_opens": "12:00",
            "d2_closes": "10:00",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "d2_closes" in errors and "languages" in errors
    # Another organisation's service is not editable.
    other = service_with_location(world.org_b)
    assert client.get(reverse("directory:service_edit", kwargs={"pk": other.pk})).status_code == 404


def test_translation_form(login, world):
    service = service_with_location(world.org_a)
    client = login("coordinator")
    url = reverse("directory:service_translate", kwargs={"pk": service.pk})
    response = client.post(url, {"language": "pl", "name": "X", "status": "published"})
    assert "language" in response.context["form"].errors  # the source language itself
    response = client.post(url, {"language": "fa", "name": "مشاوره حقوقی", "status": "published"})
    assert response.status_code == 302
    assert service.translations.get().language == "fa"


def test_admin_verifies(login, world):
    service = service_with_location(world.org_a)
    client = login("admin")
    client.post(reverse("directory:service_verify", kwargs={"pk": service.pk}))
    service.refresh_from_db()
    assert service.last_checked_on == timezone.localdate()
    assert AuditEvent.objects.filter(action="mosty.directory.service.verified").exists()


def test_api_search_and_create(client, login, world, directory):
    data = client.get(reverse("api:service_list"), {"language": "ar", "lang": "en"}).json()
    assert [s["name"] for s in data["results"]] == ["Wsparcie psychologiczne"]
    assert data["results"][0]["shown"]["is_visitor_language"] is False
    api = login("coordinator")
    bad = api.post(
        reverse("api:service_create"),
        {"organisation": world.org_a.pk, "name": "X", "languages": ["polski"]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert Service.objects.filter(name="X").count() == 0
    assert (
        api.post(reverse("api:service_create"), {}, content_type="application/json").status_code
        == 400
    )


def test_service_form_lists_a_searchable_few_of_many_locations(login, world):
    """A city office files services for hundreds of organisations: the new-service form
    lists 50 locations and finds one by a word of its address, saving nothing."""
    for n in range(55):
        LocationFactory(organisation=world.org_a, name=f"Punkt {n:02d}", district=world.district)
    rare = LocationFactory(organisation=world.org_a, name="Filia", address_1="ul. Długa 7")
    client = login("caseworker")
    url = reverse("directory:service_create")
    page = client.get(url).content.decode()
    select = page.split('id="id_locations"', 1)[1].split("</select>", 1)[0]
    assert select.count("<option") == 50 and " multiple" in select.split(">", 1)[0]
    found = client.post(url, {"_search": "locations", "locations__q": "długa"}).content.decode()
    assert f'<option value="{rare.pk}"' in found.split('id="id_locations"', 1)[1]
    assert not Service.objects.exists()
