"""The assistance API's actions: what a client sees and what is written."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from mosty.access.models import AuditEvent
from mosty.assistance import services
from mosty.assistance.models import AssignmentStatus, AssistanceRequest, RequestStatus
from mosty.messaging.models import Notification
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


def _accepted(world, profile, **kwargs):
    """A coming request of org A's institution staff, accepted by `profile` (so covered)."""
    request = make_request(world.org_a, created_by=world.user("institution_staff"), **kwargs)
    held = make_offer(request, profile)
    services.assignment_accept(assignment=held, by=profile.user)
    held.refresh_from_db()
    return request, held


def test_assistant_gives_back_an_accepted_assignment_and_those_concerned_are_told(
    world, client, committed
):
    profile = _assistant(world, "giver")
    request, held = _accepted(world, profile)
    client.force_login(profile.user)
    url = reverse("api:assistance_assignment_release", args=[held.pk])
    mail.outbox.clear()
    response = committed(client.post, url, {"reason": "travel"}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"], body["release_reason"]) == (held.pk, "released", "travel")
    assert body["released_at"] is not None
    held.refresh_from_db()
    request.refresh_from_db()
    assert held.status == AssignmentStatus.RELEASED and held.release_reason == "travel"
    assert request.status == RequestStatus.OPEN and request.answered_at is None
    assert AuditEvent.objects.filter(
        action="mosty.assistance.assignment.released", object_id=str(held.pk), actor=profile.user
    ).exists()
    # The institution's staff member who asked and the pool's coordinator hear of it.
    told = {message.to[0] for message in mail.outbox}
    assert told == {world.user("institution_staff").email, world.user("coordinator").email}
    assert Notification.objects.filter(
        user=world.user("coordinator"), template="assistance_released"
    ).exists()
    # Given back once: it is no longer theirs to give back.
    again = client.post(url, {"reason": "travel"}, content_type="application/json")
    assert again.status_code == 403


def test_giving_back_needs_a_reason_from_the_list(world, client):
    profile = _assistant(world, "giver")
    _request, held = _accepted(world, profile)
    client.force_login(profile.user)
    url = reverse("api:assistance_assignment_release", args=[held.pk])
    for body in ({}, {"reason": "bored"}, {"reason": ""}):
        response = client.post(
            url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="pl"
        )
        assert response.status_code == 400
        assert response.json()["reason"]
    held.refresh_from_db()
    assert held.status == AssignmentStatus.ACCEPTED


def test_a_started_assignment_is_not_given_back_through_the_api(world, client):
    profile = _assistant(world, "late")
    request = make_request(world.org_a, starts_at=timezone.now() - datetime.timedelta(minutes=5))
    held = make_offer(request, profile, status="accepted")
    AssistanceRequest.objects.filter(pk=request.pk).update(status=RequestStatus.COVERED)
    client.force_login(profile.user)
    response = client.post(
        reverse("api:assistance_assignment_release", args=[held.pk]),
        {"reason": "clash"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="pl",
    )
    assert response.status_code == 400
    with translation.override("pl"):
        said = translation.gettext(
            "This assignment has already started, so it can no longer be given back."
        )
    assert response.json()["non_field_errors"] == [said]
    held.refresh_from_db()
    assert held.status == AssignmentStatus.ACCEPTED


def test_only_the_assistant_holding_the_assignment_gives_it_back(world, client, login):
    profile = _assistant(world, "holder")
    _request, held = _accepted(world, profile)
    url = reverse("api:assistance_assignment_release", args=[held.pk])
    # The pool's coordinator sees the assignment, but it is not theirs to give back.
    response = login("coordinator").post(url, {"reason": "other"}, content_type="application/json")
    assert response.status_code == 403
    # The institution's staff and another assistant do not see it at all.
    for user in (world.user("institution_staff"), _assistant(world, "stranger").user):
        client.force_login(user)
        response = client.post(url, {"reason": "other"}, content_type="application/json")
        assert response.status_code == 404
    # An offer not accepted has nothing to give back.
    offered = make_offer(make_request(world.org_a), profile)
    client.force_login(profile.user)
    response = client.post(
        reverse("api:assistance_assignment_release", args=[offered.pk]),
        {"reason": "other"},
        content_type="application/json",
    )
    assert response.status_code == 403
    held.refresh_from_db()
    offered.refresh_from_db()
    assert held.status == AssignmentStatus.ACCEPTED
    assert offered.status == AssignmentStatus.OFFERED
