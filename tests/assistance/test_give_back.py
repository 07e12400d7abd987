"""An assistant gives back an assignment they accepted (before it starts), and is warned when
they mark days off over one they hold."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from mosty.access.models import AuditEvent
from mosty.assistance import selectors, services
from mosty.assistance.models import (
    AssignmentStatus,
    AssistanceRequest,
    ReleaseReason,
    RequestStatus,
)
from mosty.messaging.models import Notification
from tests.assistance.factories import make_offer, make_profile, make_request, next_weekday_at
from tests.factories import MembershipFactory, UserFactory


def _profile(world, key, **kwargs):
    user = UserFactory(email=f"{key}@example.org", language=kwargs.pop("language", "pl"))
    MembershipFactory(user=user, organisation=world.org_a, role="assistant")
    return make_profile(world.org_a, user, **kwargs)


def _covered(world, profile, *, others=(), **kwargs):
    """A request of org A's institution staff, offered to `profile` and `others`, accepted by
    `profile` (so covered, and the other offers set aside)."""
    request = make_request(world.org_a, created_by=world.user("institution_staff"), **kwargs)
    held = make_offer(request, profile)
    set_aside = [make_offer(request, other) for other in others]
    services.assignment_accept(assignment=held, by=profile.user)
    held.refresh_from_db()
    return request, held, set_aside


def _errors(html, field):
    found = re.search(rf'id="id_{field}_errors"[^>]*>(.*?)</', html, re.S)
    return found.group(1) if found else ""


def test_an_assistant_gives_back_an_accepted_assignment_and_the_request_opens_again(
    world, client, committed
):
    staff = world.user("institution_staff")
    staff.language = "uk"
    staff.save()
    profile = _profile(world, "giver")
    other = _profile(world, "other")
    request, held, (set_aside,) = _covered(world, profile, others=[other])
    request.refresh_from_db()
    set_aside.refresh_from_db()
    assert request.status == RequestStatus.COVERED
    assert set_aside.status == AssignmentStatus.CANCELLED

    client.force_login(profile.user)
    with translation.override("pl"):
        schedule = reverse("assistance:schedule")
        give_back = reverse("assistance:assignment_release", args=[held.pk])
    assert give_back in client.get(schedule).content.decode()
    page = client.get(give_back)
    assert page.status_code == 200
    with translation.override("pl"):
        assert str(ReleaseReason.ILLNESS.label) in page.content.decode()

    # No reason: said beside the field, nothing changes.
    response = client.post(give_back, {"reason": ""})
    assert response.status_code == 200 and _errors(response.content.decode(), "reason")
    held.refresh_from_db()
    assert held.status == AssignmentStatus.ACCEPTED

    reopened = AuditEvent.objects.filter(
        action="mosty.assistance.assignment.updated", object_id=str(set_aside.pk)
    )
    seen_before = reopened.count()
    mail.outbox.clear()
    response = committed(client.post, give_back, {"reason": "illness"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(schedule)
    assert give_back not in response.content.decode()
    held.refresh_from_db()
    request.refresh_from_db()
    set_aside.refresh_from_db()
    assert held.status == AssignmentStatus.RELEASED
    assert held.release_reason == ReleaseReason.ILLNESS and held.released_at is not None
    # Open again: back on the coordinator's list, with the offer set aside open again too.
    assert request.status == RequestStatus.OPEN and request.answered_at is None
    assert set_aside.status == AssignmentStatus.OFFERED
    assert reopened.count() == seen_before + 1  # the reopened offer is audited too
    assert request in selectors.request_open_list(fetched_by=world.user("coordinator"), filters={})
    assert AuditEvent.objects.filter(
        action="mosty.assistance.assignment.released", object_id=str(held.pk)
    ).exists()
    # The requester (in Ukrainian, with the reason) and the pool's coordinator are told.
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {staff.email, world.user("coordinator").email}
    with translation.override("uk"):
        reason = str(ReleaseReason.ILLNESS.label)
    assert "Знову відкрито" in by_address[staff.email].subject
    assert reason in by_address[staff.email].body
    coordinator_mail = by_address[world.user("coordinator").email]
    assert reverse("assistance:proposals", args=[request.pk]).split("/", 2)[2] in (
        coordinator_mail.body
    )
    assert Notification.objects.filter(
        user=world.user("coordinator"), template="assistance_released"
    ).exists()
    # Given back once: a second try says so and changes nothing.
    with pytest.raises(PermissionDenied):
        services.assignment_release(assignment=held, by=profile.user, reason="illness")


def test_a_started_assignment_cannot_be_given_back(world, client):
    profile = _profile(world, "started")
    request = make_request(world.org_a, starts_at=timezone.now() - datetime.timedelta(minutes=5))
    held = make_offer(request, profile, status="accepted")
    AssistanceRequest.objects.filter(pk=request.pk).update(status="covered")
    client.force_login(profile.user)
    with translation.override("pl"):
        give_back = reverse("assistance:assignment_release", args=[held.pk])
        schedule = reverse("assistance:schedule")
    assert give_back not in client.get(schedule).content.decode()
    response = client.post(give_back, {"reason": "clash"})
    assert response.status_code == 200
    assert "już się rozpoczęło" in response.content.decode()
    held.refresh_from_db()
    request.refresh_from_db()
    assert held.status == AssignmentStatus.ACCEPTED and request.status == "covered"


def test_only_the_assistant_holding_an_accepted_assignment_gives_it_back(world, login):
    profile = _profile(world, "holder")
    _request, held, _ = _covered(world, profile)
    stranger = _profile(world, "stranger")
    for user in (stranger.user, world.user("coordinator"), world.user("institution_staff")):
        with pytest.raises(PermissionDenied):
            services.assignment_release(assignment=held, by=user, reason="other")
    offered = make_offer(make_request(world.org_a), profile)  # not accepted: nothing to give
    with pytest.raises(PermissionDenied):
        services.assignment_release(assignment=offered, by=profile.user, reason="other")
    with pytest.raises(ValidationError):
        services.assignment_release(assignment=held, by=profile.user, reason="bored")
    held.refresh_from_db()
    assert held.status == AssignmentStatus.ACCEPTED
    # The coordinator sees the assignment but has no give-back page for it.
    url = reverse("assistance:assignment_release", args=[held.pk])
    assert login("coordinator").get(url).status_code == 403


def test_giving_back_one_of_two_places_keeps_the_request_open_for_the_second(world):
    first, second = _profile(world, "first"), _profile(world, "second")
    request = make_request(world.org_a, people_needed=2)
    a1, a2 = make_offer(request, first), make_offer(request, second)
    services.assignment_accept(assignment=a1, by=first.user)
    services.assignment_accept(assignment=a2, by=second.user)
    request.refresh_from_db()
    assert request.status == RequestStatus.COVERED
    services.assignment_release(assignment=a1, by=first.user, reason="travel")
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    # One assistant still holds it: it stays answered.
    assert request.answered_at is not None


def test_marking_days_off_over_an_accepted_assignment_warns_and_keeps_the_days(world, client):
    profile = _profile(world, "away")
    start = next_weekday_at(weekday=2, hour=10)
    _covered(world, profile, starts_at=start)
    client.force_login(profile.user)
    day = timezone.localdate(start)
    with translation.override("pl"):
        url = reverse("assistance:exception_add")
        when = date_format(timezone.localtime(start), "SHORT_DATETIME_FORMAT")
    form = {"date_from": day - datetime.timedelta(days=1), "date_to": day, "kind": "holiday"}
    response = client.post(url, form, follow=True)
    html = response.content.decode()
    assert when in html and "alert-warning" in html
    assert "Nadal masz 1 przyjęte zlecenie" in html
    assert profile.exceptions.filter(date_to=day).exists()  # a warning, not a refusal
    assert profile.assignments.get().status == AssignmentStatus.ACCEPTED
    # Days without an assignment: no warning.
    later = day + datetime.timedelta(days=3)
    response = client.post(url, {**form, "date_from": later, "date_to": later}, follow=True)
    assert "alert-warning" not in response.content.decode()


def test_the_days_off_warning_says_the_count_its_plural_agrees_with():
    """Russian picks the singular form for 21: the count is in the sentence, so it agrees."""
    singular = (
        "You still hold %(count)d assignment you accepted: %(when)s. Days off do not give it "
        "back: if you cannot go, give it back in your schedule."
    )
    plural = (
        "You still hold %(count)d assignments you accepted: %(when)s. Days off do not give "
        "them back: if you cannot go, give them back in your schedule."
    )
    with translation.override("ru"):
        said = {
            n: translation.ngettext(singular, plural, n) % {"count": n, "when": "…"}
            for n in (1, 3, 5, 21)
        }
    assert "1 принятое поручение" in said[1] and "21 принятое поручение" in said[21]
    assert "3 принятых поручения" in said[3] and "5 принятых поручений" in said[5]


def test_giving_back_again_from_a_second_tab_says_so_on_the_schedule(world, client):
    profile = _profile(world, "twotabs")
    _request, held, _ = _covered(world, profile)
    client.force_login(profile.user)
    with translation.override("pl"):
        give_back = reverse("assistance:assignment_release", args=[held.pk])
        schedule = reverse("assistance:schedule")
    first = client.get(give_back)  # the form, open in two tabs
    assert first.status_code == 200
    assert client.post(give_back, {"reason": "illness"}).status_code == 302
    # The second tab's post: told, on the schedule, instead of "access denied".
    response = client.post(give_back, {"reason": "clash"}, follow=True)
    assert response.redirect_chain[-1][0] == schedule
    assert response.status_code == 200
    with translation.override("pl"):
        assert translation.gettext("You no longer hold this assignment.") in (
            response.content.decode()
        )
    held.refresh_from_db()
    assert held.release_reason == ReleaseReason.ILLNESS
