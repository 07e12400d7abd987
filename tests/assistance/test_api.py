"""The assistance API's actions: what a client sees and what is written."""

from django.urls import reverse

from mosty.assistance.models import AssignmentStatus, AssistanceRequest, RequestStatus
from tests.assistance.factories import make_offer, make_profile, make_request
from tests.factories import MembershipFactory, UserFactory

EVERY_DAY = tuple((day, 7, 20) for day in range(7))


def _assistant(world, key):
    user = UserFactory(email=f"{key}@example.org")
    MembershipFactory(user=user, organisation=world.org_a, role="assistant")
    return make_profile(world.org_a, user, slots=EVERY_DAY)


def test_coordinator_reads_proposals_and_offers_to_two_assistants(world, login):
    first, second = _assistant(world, "one"), _assistant(world, "two")
    request = make_request(world.org_a, people_needed=2)
    client = login("coordinator")
    proposals = client.get(reverse("api:assistance_request_proposals", args=[request.pk]))
    assert proposals.status_code == 200
    assert {row["assistant"] for row in proposals.json()} == {first.pk, second.pk}
    response = client.post(
        reverse("api:assistance_request_offer", args=[request.pk]),
        {"assistants": [first.pk, second.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert sorted(row["assistant"] for row in response.json()) == sorted([first.pk, second.pk])
    assert all(row["status"] == "offered" for row in response.json())
    assert request.assignments.count() == 2


def test_offer_outside_the_proposals_is_a_400_and_writes_nothing(world, login):
    _assistant(world, "one")
    request = make_request(world.org_a)
    response = login("coordinator").post(
        reverse("api:assistance_request_offer", args=[request.pk]),
        {"assistants": [999999]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "assistants" in response.json()
    assert not request.assignments.exists()


def test_staff_cancels_a_request_and_the_offer_is_withdrawn(world, login):
    request = make_request(world.org_a)
    offer = make_offer(request, _assistant(world, "one"))
    response = login("institution_staff").post(
        reverse("api:assistance_request_cancel", args=[request.pk])
    )
    assert response.status_code == 200
    assert response.json()["id"] == request.pk
    assert AssistanceRequest.objects.get(pk=request.pk).status == RequestStatus.CANCELLED
    offer.refresh_from_db()
    assert offer.status == AssignmentStatus.CANCELLED


def test_assistant_declines_an_offer_another_assistant_cannot(world, client):
    request = make_request(world.org_a)
    offer = make_offer(request, _assistant(world, "one"))
    other = _assistant(world, "two")
    client.force_login(other.user)
    url = reverse("api:assistance_assignment_decline", args=[offer.pk])
    assert client.post(url).status_code == 404
    client.force_login(offer.assistant.user)
    response = client.post(url)
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    offer.refresh_from_db()
    assert offer.status == AssignmentStatus.DECLINED
