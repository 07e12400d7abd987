"""Housing offers (matching, status, expiry) and the translators and interpreters base."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mosty.access.models import AuditEvent
from mosty.directory import selectors, services
from mosty.directory.models import HousingOffer, Linguist
from tests.directory.factories import HousingOfferFactory, LinguistFactory
from tests.factories import DistrictFactory
from tests.utils import assert_constant_queries


def test_expired_offers_leave_the_list(login, world):
    today = timezone.localdate()
    HousingOfferFactory(organisation=world.org_a, title="Aktualna")
    HousingOfferFactory(
        organisation=world.org_b,
        title="Wygasła",
        available_from=today - datetime.timedelta(days=30),
        available_until=today - datetime.timedelta(days=1),
    )
    response = login("coordinator").get(reverse("directory:housing_list"))
    assert [o.title for o in response.context["page"]] == ["Aktualna"]


def test_matching_respects_size_budget_access_and_prefers_district(world):
    oliwa = DistrictFactory(city=world.city, code="oliwa", name="Oliwa")
    near = HousingOfferFactory(organisation=world.org_a, capacity=4, rent=1500, district=oliwa)
    far = HousingOfferFactory(organisation=world.org_b, capacity=4, rent=1200)
    HousingOfferFactory(organisation=world.org_a, capacity=2, rent=500)  # too small
    HousingOfferFactory(organisation=world.org_a, capacity=5, rent=3000)  # too dear
    HousingOfferFactory(organisation=world.org_a, capacity=5, rent=900, status="taken")
    coordinator = world.user("coordinator")
    need = selectors.HousingNeed(size=3, budget=2000, district_id=oliwa.pk)
    found = [
        offer
        for offer, _score, _reasons in selectors.housing_matches(fetched_by=coordinator, need=need)
    ]
    assert found == [near, far]
    need = selectors.HousingNeed(size=3, budget=2000, needs_step_free=True)
    assert selectors.housing_matches(fetched_by=coordinator, need=need) == []


def test_match_page_with_household(login, world):
    from mosty.people.models import Household, HouseholdMember

    household = Household.objects.create(owner=world.org_a, label="Rodzina K.")
    for name in ("A", "B", "C"):
        HouseholdMember.objects.create(household=household, name=name)
    HousingOfferFactory(organisation=world.org_b, capacity=3, title="Mieszkanie 3")
    HousingOfferFactory(organisation=world.org_b, capacity=2, title="Pokój 2")
    client = login("coordinator")
    response = client.get(reverse("directory:housing_match"), {"household": household.pk})
    assert [o.title for o, _s, _r in response.context["matches"]] == ["Mieszkanie 3"]
    assert AuditEvent.objects.filter(action="mosty.people.household.viewed").exists()
    # Another organisation's household is not offered.
    other = Household.objects.create(owner=world.org_b, label="Obca")
    response = client.get(reverse("directory:housing_match"), {"household": other.pk})
    assert response.context["matches"] is None
    assert response.context["form"].errors


def test_reserve_and_take(login, world):
    offer = HousingOfferFactory(organisation=world.org_b)
    client = login("coordinator")
    client.post(
        reverse("directory:housing_status", kwargs={"pk": offer.pk}), {"status": "reserved"}
    )
    offer.refresh_from_db()
    assert offer.status == "reserved"
    with pytest.raises(ValidationError):
        services.housing_offer_set_status(
            offer=offer, by=world.user("coordinator"), status="reserved"
        )
    client.post(reverse("directory:housing_status", kwargs={"pk": offer.pk}), {"status": "taken"})
    offer.refresh_from_db()
    assert offer.status == "taken"
    assert AuditEvent.objects.filter(action="mosty.directory.housingoffer.taken").exists()


def test_offer_form_errors(login, world):
    client = login("caseworker")
    response = client.post(
        reverse("directory:housing_create"),
        {
            "organisation": world.org_a.pk,
            "kind": "room",
            "title": "Pokój",
            "capacity": 0,
            "rent": "-5",
            "available_from": "2030-05-01",
            "available_until": "2030-04-01",
        },
    )
    assert response.status_code == 200
    assert HousingOffer.objects.count() == 0
    assert set(response.context["form"].errors) >= {"available_until"}


def test_housing_detail_audited_and_constant_list(login, world):
    offer = HousingOfferFactory(organisation=world.org_a)
    client = login("coordinator")
    client.get(reverse("directory:housing_detail", kwargs={"pk": offer.pk}))
    assert AuditEvent.objects.filter(action="mosty.directory.housingoffer.viewed").exists()
    assert_constant_queries(
        client,
        reverse("directory:housing_list"),
        lambda: HousingOfferFactory(organisation=world.org_b, district=world.district),
    )


def test_linguist_search_by_pair_and_mode(login, world):
    both = LinguistFactory(organisation=world.org_a, name="Olena", pair=("uk", "pl"))
    one_way = LinguistFactory(
        organisation=world.org_a,
        name="Reza",
        pair=("fa", "pl"),
        does_written=True,
        does_consecutive=False,
    )
    one_way.pairs.update(both_ways=False)
    client = login("institution_staff")

    def names(**params):
        return [
            x.name for x in client.get(reverse("directory:linguist_list"), params).context["page"]
        ]

    assert names(source="pl", target="uk") == ["Olena"]  # both ways
    assert names(source="pl", target="fa") == []  # one way only
    assert names(source="fa", target="pl") == ["Reza"]
    assert names(mode="written") == ["Reza"]
    assert names(mode="consecutive") == ["Olena"]
    assert both.pk
    assert_constant_queries(
        client,
        reverse("directory:linguist_list"),
        lambda: LinguistFactory(organisation=world.org_b, pair=("ar", "pl")),
    )


def test_linguist_create_validates(login, world):
    client = login("coordinator")
    url = reverse("directory:linguist_create")
    response = client.post(url, {"organisation": world.org_a.pk, "name": "Ali", "pairs": "arabic"})
    assert "pairs" in response.context["form"].errors
    response = client.post(
        url, {"organisation": world.org_a.pk, "name": "Ali", "pairs": "ar-pl", "is_active": "on"}
    )
    assert "hourly_rate" in response.context["form"].errors  # paid without a rate
    response = client.post(
        url,
        {
            "organisation": world.org_a.pk,
            "name": "Ali",
            "pairs": "ar-pl, fa>pl",
            "is_volunteer": "on",
            "is_active": "on",
        },
    )
    linguist = Linguist.objects.get(name="Ali")
    assert response.status_code == 302
    assert {(p.source, p.target, p.both_ways) for p in linguist.pairs.all()} == {
        ("ar", "pl", True),
        ("fa", "pl", False),
    }
    client.get(reverse("directory:linguist_detail", kwargs={"pk": linguist.pk}))
    assert AuditEvent.objects.filter(action="mosty.directory.linguist.viewed").exists()


def test_housing_api_match(login, world):
    HousingOfferFactory(organisation=world.org_a, capacity=3)
    api = login("coordinator")
    data = api.get(reverse("api:housing_match"), {"size": 3}).json()
    assert len(data["results"]) == 1 and data["results"][0]["reasons"]
    assert api.get(reverse("api:housing_match"), {"size": 0}).status_code == 400


def test_offer_forms_cancel_leads_where_the_reader_may_go(login):
    """Institution staff register offers but do not read the list of them: Cancel takes them
    back to the directory's pages, not to a page that answers 403."""
    staff = login("institution_staff").get(reverse("directory:housing_create")).content.decode()
    assert f'href="{reverse("directory:manage")}">' in staff
    assert f'href="{reverse("directory:housing_list")}"' not in staff
    coordinator = login("coordinator").get(reverse("directory:housing_create")).content.decode()
    assert f'href="{reverse("directory:housing_list")}">' in coordinator
