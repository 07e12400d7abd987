"""Directory records an organisation keeps are `OwnedRecord`s: two people editing one entry
cannot silently overwrite each other, and the record says who made and last changed it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from mosty.core.models import EditConflict
from mosty.directory import services
from mosty.directory.models import HousingOffer, Linguist, Location, Service
from tests.directory.factories import (
    HousingOfferFactory,
    LinguistFactory,
    LocationFactory,
    service_with_location,
)

CONFLICT = "Someone else changed this record while you were editing it."


def _url(name: str, pk: int, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, kwargs={"pk": pk})


def _linguist_post(linguist, **changes):
    return {
        "name": linguist.name,
        "phone": linguist.phone,
        "pairs": "uk-pl",
        "does_consecutive": "on",
        "is_volunteer": "on",
        "is_active": "on",
        **changes,
    }


def test_linguist_edit_over_someone_elses_save_is_refused(login, world):
    linguist = LinguistFactory(organisation=world.org_a, pair=("uk", "pl"), name="Olena")
    client = login("coordinator")
    url = _url("directory:linguist_edit", linguist.pk)
    form = client.get(url).content.decode()
    assert 'name="version" value="1"' in form
    # A colleague saves first.
    services.linguist_update(linguist=linguist, by=world.user("admin"), phone="+48 1")

    response = client.post(url, _linguist_post(linguist, name="Olena K.", version="1"))

    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    linguist.refresh_from_db()
    assert (linguist.name, linguist.phone, linguist.version) == ("Olena", "+48 1", 2)

    response = client.post(url, _linguist_post(linguist, name="Olena K.", version="2"))

    assert response.status_code == 302
    linguist.refresh_from_db()
    assert (linguist.name, linguist.phone, linguist.version) == ("Olena K.", "+48 1", 3)
    assert linguist.updated_by == world.user("coordinator")


def test_conflict_message_is_the_shared_translated_one(login, world):
    linguist = LinguistFactory(organisation=world.org_a, pair=("uk", "pl"))
    services.linguist_update(linguist=linguist, by=world.user("admin"), phone="+48 1")
    url = _url("directory:linguist_edit", linguist.pk, "pl")
    response = login("coordinator").post(url, _linguist_post(linguist, version="1"))
    assert "Odśwież stronę" in response.content.decode()


def test_service_edit_conflict_writes_nothing_and_a_good_edit_marks_translations(login, world):
    service = service_with_location(world.org_a)
    client = login("caseworker")
    url = _url("directory:service_edit", service.pk)
    assert 'name="version"' in client.get(url).content.decode()
    post = {"name": service.name, "source_language": "pl", "status": "active"}
    services.service_verify(service=service, by=world.user("admin"))  # no conflict with edits
    services.service_update(service=service, by=world.user("admin"), email="a@example.org")

    response = client.post(url, {**post, "description": "Nowy opis", "version": "2"})

    assert CONFLICT in response.content.decode()
    service.refresh_from_db()
    assert (service.description, service.revision) == ("Porady prawne dla cudzoziemców.", 1)

    response = client.post(url, {**post, "description": "Nowy opis", "version": "3"})

    assert response.status_code == 302
    service.refresh_from_db()
    # The text changed, so translations made from the older text now show as outdated.
    assert (service.description, service.revision, service.version) == ("Nowy opis", 2, 4)


def test_location_and_housing_edits_are_guarded(world):
    admin = world.user("admin")
    location = LocationFactory(organisation=world.org_a)
    offer = HousingOfferFactory(organisation=world.org_a)
    services.location_update(location=location, by=admin, name="Punkt", version=1)
    services.housing_offer_update(offer=offer, by=admin, title="Pokój", version=1)

    with pytest.raises(EditConflict):
        services.location_update(location=location, by=admin, name="Stale", version=1)
    with pytest.raises(EditConflict):
        services.housing_offer_update(offer=offer, by=admin, title="Stale", version=1)

    assert Location.objects.get(pk=location.pk).name == "Punkt"
    assert HousingOffer.objects.get(pk=offer.pk).title == "Pokój"


def test_housing_status_moves_do_not_conflict_with_edits(world):
    coordinator = world.user("coordinator")
    offer = HousingOfferFactory(organisation=world.org_a)
    services.housing_offer_set_status(offer=offer, by=coordinator, status="reserved")
    offer.refresh_from_db()
    assert (offer.status, offer.version, offer.updated_by) == ("reserved", 2, coordinator)


def test_bad_input_on_an_edit_writes_nothing(world):
    offer = HousingOfferFactory(organisation=world.org_a)
    title = offer.title
    with pytest.raises(ValidationError):
        services.housing_offer_update(
            offer=offer,
            by=world.user("admin"),
            title="Nowy",
            available_until=offer.available_from - datetime.timedelta(days=1),
            version=1,
        )
    fresh = HousingOffer.objects.get(pk=offer.pk)
    assert (fresh.title, fresh.version) == (title, 1)


def test_new_records_name_their_author(world, login):
    caseworker = world.user("caseworker")
    linguist = services.linguist_create(
        by=world.user("coordinator"),
        organisation=world.org_a,
        name="Ali",
        pairs=[("ar", "pl", True)],
    )
    location = services.location_create(by=caseworker, organisation=world.org_a, name="Biuro")
    service = services.service_create(by=caseworker, organisation=world.org_a, name="Porady")
    assert Linguist.objects.get(pk=linguist.pk).created_by == world.user("coordinator")
    assert Location.objects.get(pk=location.pk).created_by == caseworker
    assert Service.objects.get(pk=service.pk).created_by == caseworker


def test_api_update_with_a_stale_version_is_refused(login, world):
    service = service_with_location(world.org_a)
    client = login("caseworker")
    url = reverse("api:service_update", kwargs={"pk": service.pk})
    read = client.get(reverse("api:service_detail", kwargs={"pk": service.pk})).json()
    services.service_update(service=service, by=world.user("admin"), email="a@example.org")

    stale = client.patch(
        url, {"name": "Nowa", "version": read["version"]}, content_type="application/json"
    )

    assert stale.status_code == 409  # Conflict, as every versioned endpoint
    assert Service.objects.get(pk=service.pk).name == service.name
    fresh = client.patch(
        url, {"name": "Nowa", "version": read["version"] + 1}, content_type="application/json"
    )
    assert fresh.status_code == 200
    assert fresh.json()["version"] == read["version"] + 2
