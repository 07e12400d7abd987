"""The pieces the pages and the API share: audited reads, the housing need, the map links,
HSDS phones and the one list of housing fields."""

from decimal import Decimal

from django.urls import reverse

from mosty.access.models import AuditEvent
from mosty.directory import api, forms, hsds, selectors, services
from mosty.directory.models import Phone
from tests.directory.factories import (
    HousingOfferFactory,
    LinguistFactory,
    LocationFactory,
    service_with_location,
)


def test_housing_fields_are_one_list():
    assert forms.HousingOfferForm._meta.fields == services.HOUSING_FIELDS
    assert api.HousingOfferSerializer.Meta.fields[1:-2] == services.HOUSING_FIELDS


def test_detail_api_audits_like_the_page(login, world):
    offer = HousingOfferFactory(organisation=world.org_a)
    linguist = LinguistFactory(organisation=world.org_a, pair=("uk", "pl"))
    login("coordinator").get(reverse("api:housing_detail", kwargs={"pk": offer.pk}))
    login("coordinator").get(reverse("api:linguist_detail", kwargs={"pk": linguist.pk}))
    viewed = AuditEvent.objects.filter(action="mosty.directory.housingoffer.viewed").get()
    assert viewed.fields == sorted(selectors.HOUSING_CONTACT_FIELDS)
    assert AuditEvent.objects.filter(
        action="mosty.directory.linguist.viewed", object_id=str(linguist.pk)
    ).exists()


def test_housing_need_from_cleaned(world):
    need = selectors.HousingNeed.from_cleaned(
        {
            "size": 3,
            "budget": Decimal("1500.00"),
            "district": world.district,
            "needs_step_free": True,
            "has_children": False,
            "has_pets": True,
        }
    )
    assert need == selectors.HousingNeed(3, 1500.0, world.district.pk, True, False, True)
    bare = selectors.HousingNeed.from_cleaned(
        {"size": 1, "needs_step_free": False, "has_children": False, "has_pets": False}
    )
    assert bare.budget is None and bare.district_id is None


def test_map_links_follow_the_language(client, world):
    service = service_with_location(world.org_a, district=world.district)
    service.locations.update(latitude=52.2, longitude=21.0)
    points = client.get(reverse("directory:map_data")).json()["points"]
    assert points[0]["url"] == reverse("directory:service", kwargs={"pk": service.pk})


def test_hsds_export_keeps_service_and_location_phones(world):
    service = service_with_location(world.org_a, district=world.district)
    location = service.locations.get()
    Phone.objects.create(service=service, number="+48 1")
    Phone.objects.create(location=location, number="+48 2")
    LocationFactory(organisation=world.org_a)  # no phone
    phones = hsds.export_tables()["phones"]
    by_number = {p["number"]: p for p in phones}
    assert by_number["+48 1"]["service_id"] == service.hsds_id
    assert by_number["+48 2"]["location_id"] == location.hsds_id
    assert "location_id" not in by_number["+48 1"] and "service_id" not in by_number["+48 2"]


def test_list_apis_that_return_contacts_audit_each_record_in_one_query(login, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    offers = [HousingOfferFactory(organisation=world.org_a) for _ in range(3)]
    linguist = LinguistFactory(organisation=world.org_a, pair=("uk", "pl"))
    client = login("coordinator")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("api:housing_list")).status_code == 200
    inserts = [q for q in queries.captured_queries if 'INSERT INTO "access_auditevent"' in q["sql"]]
    assert len(inserts) == 1
    seen = set(
        AuditEvent.objects.filter(action="mosty.directory.housingoffer.viewed").values_list(
            "object_id", flat=True
        )
    )
    assert seen == {str(o.pk) for o in offers}
    client.get(reverse("api:housing_match"), {"size": 2})
    assert AuditEvent.objects.filter(action="mosty.directory.housingoffer.viewed").count() > 3
    client.get(reverse("api:linguist_list"))
    event = AuditEvent.objects.get(
        action="mosty.directory.linguist.viewed", object_id=str(linguist.pk)
    )
    assert event.fields == sorted(selectors.LINGUIST_CONTACT_FIELDS)
