import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from mosty.assistance import selectors, services
from mosty.assistance.models import (
    AssignmentLog,
    AssignmentStatus,
    AssistanceRequest,
    AvailabilityException,
    RequestStatus,
    validate_no_personal_data,
)
from mosty.assistance.tasks import assignment_reminders_send
from mosty.directory.models import Linguist
from tests.assistance.factories import make_offer, make_profile, make_request, next_weekday_at
from tests.factories import MembershipFactory, UserFactory


@pytest.mark.parametrize(
    "text",
    [
        "Call the mother at 601 234 567 before",
        "Phone +48 601-234-567",
        "Write to jan.kowalski@example.org",
        "PESEL 85010112345 needed",
        "Mother: +48 511 222 333",
        "Mother: 511222333",
        "School secretary 58 341 22 10",  # a landline is a phone number too
        "(58) 341-22-10",
        "0048 511 222 333",
        "Father: +380 67 123 4567",
        "Father: 067 123 45 67",
        "sala 12 511 222 333",
    ],
)
def test_description_refuses_obvious_personal_data(text):
    with pytest.raises(ValidationError):
        validate_no_personal_data(text)


@pytest.mark.parametrize(
    "text",
    [
        "Meeting in room 12 at 10:30 about the 2026/27 school year, class 3b.",
        "Kontynuacja rozmowy z 04.12.2026 10:00 o ocenach semestralnych.",
        "Pismo z kuratorium nr 2026/12/18/0001",
        "sale 101-102-103",
        "Spotkanie 10:00-11:30, rok szkolny 2025-2026, koszt 1 200 000 zł.",
    ],
)
def test_description_accepts_a_situation(text):
    validate_no_personal_data(text)


def _create(world, **overrides):
    data = {
        "organisation": world.org_a,
        "provider": world.org_a,
        "starts_at": next_weekday_at(),
        "by": world.user("institution_staff"),
        "language": "uk",
        "language_with": "pl",
        "mode": "on_site",
        "duration_minutes": 90,
        "place": "Szkoła nr 5",
        "topic": "school",
        "description": "Parent-teacher meeting.",
        "urgency": "normal",
        "people_needed": 1,
    }
    data.update(overrides)
    return services.request_create(**data)


def test_request_with_a_phone_number_is_refused_beside_the_field(world):
    with pytest.raises(ValidationError) as exc:
        _create(world, description="Call 601 234 567")
    assert "description" in exc.value.message_dict
    assert not AssistanceRequest.objects.exists()


def test_weekly_series_until_a_day(world):
    first = next_weekday_at(weekday=1)
    until = timezone.localtime(first).date() + datetime.timedelta(days=7 * 3)
    made = _create(world, starts_at=first, repeat_until=until)
    assert len(made) == 4
    assert all(r.series_id == made[0].pk for r in made[1:])
    assert {timezone.localtime(r.starts_at).time() for r in made} == {datetime.time(10)}
    assert {timezone.localtime(r.starts_at).weekday() for r in made} == {1}


def test_staff_of_another_institution_cannot_request_for_mine(world):
    with pytest.raises(ValidationError):
        _create(world, by=world.user("institution_staff", "b"))
    with pytest.raises(PermissionDenied):
        _create(world, by=world.user("caseworker"))


def _assistant(world, key, **kwargs):
    user = UserFactory(email=f"{key}@example.org", language=kwargs.pop("language", "pl"))
    MembershipFactory(user=user, organisation=world.org_a, role="assistant")
    return make_profile(world.org_a, user, **kwargs)


def test_proposals_rank_by_availability_district_and_load(world):
    request = make_request(world.org_a, district=world.district)
    free = _assistant(world, "free", districts=[world.district])
    busy_month = _assistant(world, "busy", districts=[world.district])
    no_slot = _assistant(world, "noslot", districts=[world.district], slots=())
    away = _assistant(world, "away")
    _assistant(world, "french", languages=(("fr", "native"), ("pl", "good")))
    _assistant(world, "written", modes=("written",))
    AvailabilityException.objects.create(
        profile=away,
        date_from=timezone.localdate(request.starts_at),
        date_to=timezone.localdate(request.starts_at),
    )
    # Earlier work this month for `busy_month`.
    earlier = make_request(
        world.org_a, starts_at=request.starts_at - datetime.timedelta(hours=4), minutes=240
    )
    if timezone.localtime(earlier.starts_at).month == timezone.localtime(request.starts_at).month:
        make_offer(earlier, busy_month, status="accepted")
    with translation.override("en"):
        proposals = selectors.proposals_for(request=request)
    ranked = [p.profile for p in proposals]
    assert set(ranked) == {free, busy_month, no_slot}
    assert ranked[-1] == no_slot
    assert ranked.index(free) <= ranked.index(busy_month)
    top = proposals[0]
    assert any("district" in reason for reason in top.reasons)
    assert proposals[-1].warnings


def test_offer_accept_covers_the_request_and_mails_in_each_language(world, committed):
    staff = world.user("institution_staff")
    staff.language = "uk"
    staff.save()
    (request,) = committed(_create, world)
    assert request.answer_by <= request.starts_at
    coordinator_mail = [m for m in mail.outbox if world.user("coordinator").email in m.to]
    assert coordinator_mail
    mail.outbox.clear()
    profile = _assistant(world, "fr-speaker", language="fr")
    (offer,) = committed(
        services.assignment_offer,
        request=request,
        assistants=[profile],
        by=world.user("coordinator"),
    )
    assert mail.outbox[-1].to == [profile.user.email]
    assert "Pouvez-vous" in mail.outbox[-1].subject
    committed(services.assignment_accept, assignment=offer, by=profile.user)
    request.refresh_from_db()
    assert request.status == RequestStatus.COVERED
    assert request.answered_at is not None
    assert mail.outbox[-1].to == [staff.email]
    assert "підтверджено" in mail.outbox[-1].subject


def test_an_assistant_never_holds_two_overlapping_assignments(world):
    profile = _assistant(world, "one")
    first = make_request(world.org_a)
    second = make_request(world.org_a, starts_at=first.starts_at + datetime.timedelta(minutes=30))
    later = make_request(world.org_a, starts_at=first.ends_at)
    a1, a2, a3 = (make_offer(r, profile) for r in (first, second, later))
    services.assignment_accept(assignment=a1, by=profile.user)
    with pytest.raises(ValidationError):
        services.assignment_accept(assignment=a2, by=profile.user)
    services.assignment_accept(assignment=a3, by=profile.user)  # touching is not overlapping
    a2.refresh_from_db()
    assert a2.status == AssignmentStatus.OFFERED
    # And overlapping assistants are no longer proposed for the other request.
    assert profile not in [p.profile for p in selectors.proposals_for(request=second)]


def test_only_the_assistant_offered_may_accept(world):
    profile = _assistant(world, "mine")
    offer = make_offer(make_request(world.org_a), profile)
    with pytest.raises(PermissionDenied):
        services.assignment_accept(assignment=offer, by=world.user("assistant"))


def test_decline_brings_the_next_proposal(world):
    first = _assistant(world, "first")
    second = _assistant(world, "second")
    request = make_request(world.org_a)
    offer = make_offer(request, first)
    services.assignment_decline(assignment=offer, by=first.user)
    proposed = [p.profile for p in selectors.proposals_for(request=request)]
    assert proposed == [second]


def test_log_finishes_the_request_then_feedback_and_figures(world):
    profile = _assistant(world, "logger")
    request = make_request(world.org_a, starts_at=timezone.now() + datetime.timedelta(hours=1))
    offer = make_offer(request, profile)
    services.assignment_accept(assignment=offer, by=profile.user)
    offer.refresh_from_db()
    with pytest.raises(ValidationError):
        services.assignment_log(
            assignment=offer, by=profile.user, minutes=60, travel_minutes=20, outcome="completed"
        )
    AssistanceRequest.objects.filter(pk=request.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    offer.__class__.objects.filter(pk=offer.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    offer.refresh_from_db()
    services.assignment_log(
        assignment=offer, by=profile.user, minutes=75, travel_minutes=20, outcome="completed"
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    feedback = services.feedback_give(
        request=request, by=world.user("institution_staff"), rating=5, comment="Very helpful."
    )
    assert feedback.rating == 5
    assert AssignmentLog.objects.get().minutes == 75
    figures = selectors.assistance_figures(AssistanceRequest.objects.all())
    assert figures["requests"] == 1
    assert figures["answered_in_time"] == 1
    assert figures["hours_by_language"] == [{"code": "uk", "hours": 1.2}]
    months = selectors.hours_by_month(fetched_by=profile.user)
    assert months[0]["hours"] == 1.2 and months[0]["travel_hours"] == 0.3


def test_cancel_tells_the_assistants(world, committed):
    profile = _assistant(world, "told", language="ar")
    request = make_request(world.org_a)
    offer = make_offer(request, profile)
    committed(services.request_cancel, request=request, by=world.user("institution_staff"))
    offer.refresh_from_db()
    assert offer.status == AssignmentStatus.CANCELLED
    assert mail.outbox[-1].to == [profile.user.email]


def test_reminder_the_day_before_is_sent_once(world):
    profile = _assistant(world, "remind", language="ru")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(11)))
    request = make_request(world.org_a, starts_at=start)
    make_offer(request, profile, status="accepted")
    make_offer(make_request(world.org_a), _assistant(world, "later"), status="accepted")
    assert assignment_reminders_send.call() == 1
    assert assignment_reminders_send.call() == 0
    assert mail.outbox[-1].to == [profile.user.email]
    assert "Напоминание" in mail.outbox[-1].subject


def test_the_reminder_runs_with_the_daily_jobs(settings):
    path = "mosty.assistance.tasks.assignment_reminders_send"
    assert path in settings.MOSTY_DAILY_TASKS
    assert import_string(path) is assignment_reminders_send


def test_a_new_profile_links_the_assistants_linguist_entry(world, client):
    user = world.user("assistant")
    entry = Linguist.objects.create(
        name="Mariam H.", organisation=world.org_a, user=user, is_volunteer=True
    )
    profile = services.profile_save(
        by=user,
        modes=["on_site"],
        districts=[world.district],
        is_sworn=False,
        is_active=True,
        languages=[("ar", "native"), ("pl", "fluent")],
    )
    assert profile.linguist == entry
    assert profile.organisation == world.org_a
    assert sorted(profile.languages.values_list("code", flat=True)) == ["ar", "pl"]
    client.force_login(user)
    with translation.override("en"):
        page = client.get(reverse("assistance:profile")).content.decode()
    assert "linked to your entry in the linguist base" in page
