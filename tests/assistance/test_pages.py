import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from mosty.access.models import AuditEvent
from mosty.assistance.certificates import certificate_html
from mosty.assistance.forms import ExceptionForm, SlotForm
from mosty.assistance.models import (
    AssignmentLog,
    AssignmentStatus,
    AssistanceRequest,
    CancelReason,
)
from mosty.assistance.selectors import certificate_hours
from mosty.events.tokens import feed_token
from tests.assistance.factories import make_offer, make_profile, make_request, next_weekday_at
from tests.factories import MembershipFactory, UserFactory
from tests.ical import parse_feed
from tests.utils import assert_constant_queries

LANGUAGES = ["pl", "en", "uk", "ru", "ar", "fa", "fr"]


def _profile(world, key="extra", **kwargs):
    user = UserFactory(email=f"{key}@example.org", language=kwargs.pop("language", "pl"))
    MembershipFactory(user=user, organisation=world.org_a, role="assistant")
    return make_profile(world.org_a, user, **kwargs)


def _request_form(world, **overrides):
    day = timezone.localdate() + datetime.timedelta(days=9)
    data = {
        "organisation": world.org_a.pk,
        "provider": world.org_a.pk,
        "language": "uk",
        "language_with": "pl",
        "mode": "on_site",
        "date": day.isoformat(),
        "start": "10:00",
        "duration_minutes": "60",
        "district": world.district.pk,
        "place": "Szkoła nr 5",
        "topic": "school",
        "description": "Meeting with the class teacher.",
        "urgency": "normal",
        "people_needed": "1",
        "repeat_until": "",
    }
    data.update(overrides)
    return data


def test_personal_data_in_the_description_is_refused_beside_the_field(world, login):
    _profile(world)
    client = login("institution_staff")
    with translation.override("pl"):
        url = reverse("assistance:request_create")
    response = client.post(url, _request_form(world, description="Tel. 601 234 567, pani Anna"))
    assert response.status_code == 200
    assert "Usuń numer telefonu" in response.content.decode()
    assert 'id="id_description_errors"' in response.content.decode()
    assert not AssistanceRequest.objects.exists()


def test_staff_request_walks_to_coordinator_proposals_and_an_offer(world, login, committed):
    profile = _profile(world, districts=[world.district], slots=((0, 8, 18), (1, 8, 18), (2, 8, 18), (3, 8, 18), (4, 8, 18), (5, 8, 18), (6, 8, 18)))  # fmt: skip
    client = login("institution_staff")
    response = committed(client.post, reverse("assistance:request_create"), _request_form(world))
    request = AssistanceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("assistance:request_detail", args=[request.pk]))
    coordinator = login("coordinator")
    page = coordinator.get(reverse("assistance:proposals", args=[request.pk])).content.decode()
    assert str(profile) in page
    assert "Travels to this district." in page or "Dojeżdża do tej dzielnicy." in page
    mail.outbox.clear()
    response = committed(
        coordinator.post,
        reverse("assistance:proposals", args=[request.pk]),
        {"assistants": [profile.pk]},
    )
    assert response.status_code == 302
    assert request.assignments.get().assistant == profile
    assert mail.outbox[-1].to == [profile.user.email]
    assert AuditEvent.objects.filter(action="mosty.assistance.assignment.offered").exists()


def test_request_detail_read_is_audited(world, login):
    request = make_request(world.org_a)
    client = login("institution_staff")
    assert client.get(reverse("assistance:request_detail", args=[request.pk])).status_code == 200
    event = AuditEvent.objects.filter(object_id=str(request.pk), action__endswith="viewed").get()
    assert "description" in event.fields


def test_api_detail_read_is_audited(world, login):
    request = make_request(world.org_a)
    client = login("coordinator")
    response = client.get(reverse("api:assistance_request_detail", args=[request.pk]))
    assert response.status_code == 200
    assert response.json()["language"] == "uk"
    assert AuditEvent.objects.filter(
        object_id=str(request.pk), action__endswith="viewed", actor_id=world.user("coordinator").pk
    ).exists()


def test_api_accept_twice_overlapping_is_a_400(world, client):
    profile = _profile(world, "api")
    first = make_request(world.org_a)
    second = make_request(world.org_a, starts_at=first.starts_at + datetime.timedelta(minutes=30))
    a1, a2 = make_offer(first, profile), make_offer(second, profile)
    client.force_login(profile.user)
    url = "api:assistance_assignment_accept"
    assert client.post(reverse(url, args=[a1.pk])).status_code == 200
    response = client.post(reverse(url, args=[a2.pk]))
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_feed_holds_the_schedule_and_a_new_link_revokes_it(world, client, login):
    profile = _profile(world, "feed")
    make_offer(make_request(world.org_a), profile, status="accepted")
    token = feed_token(profile.user)
    response = client.get(reverse("assistance:feed", args=[token]))
    assert len(parse_feed(response).walk("VEVENT")) == 1
    client.force_login(profile.user)
    client.post(reverse("assistance:feed_reset"))
    client.logout()
    assert client.get(reverse("assistance:feed", args=[token])).status_code == 404


def test_certificate_pdf_in_the_assistants_language(world, client):
    profile = _profile(world, "cert", language="uk")
    request = make_request(world.org_a, starts_at=timezone.now() - datetime.timedelta(days=3))
    offer = make_offer(request, profile, status="done")
    AssignmentLog.objects.create(assignment=offer, minutes=90, outcome="completed")
    client.force_login(profile.user)
    response = client.get(
        reverse("assistance:certificate", args=[profile.pk]),
        {"date_from": "2020-01-01", "date_to": "2040-12-31"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    period = {"date_from": datetime.date(2020, 1, 1), "date_to": datetime.date(2040, 12, 31)}
    html = certificate_html(
        profile=profile, hours=certificate_hours(profile=profile, **period), **period
    )
    assert "Довідка про години волонтерства" in html
    assert "1,5" in html


def test_hours_export_per_assistant_and_institution(world, login):
    profile = _profile(world, "hours")
    request = make_request(world.org_a, starts_at=timezone.now() - datetime.timedelta(days=3))
    offer = make_offer(request, profile, status="done")
    AssignmentLog.objects.create(
        assignment=offer, minutes=90, travel_minutes=30, outcome="completed"
    )
    client = login("coordinator")
    url = reverse("assistance:hours_report")
    response = client.get(url, {"format": "csv"})
    body = (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else response.content.decode()
    )
    assert profile.user.email in body and "1.5" in body and "0.5" in body
    response = client.get(url, {"format": "xlsx", "by": "institution"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="mosty.assistance.hours.exported").count() == 2
    page = client.get(url, {"date_from": "2020-01-01", "date_to": "2040-12-31"}).content.decode()
    link = reverse("assistance:certificate", args=[profile.pk])
    assert f"{link}?date_from=2020-01-01&amp;date_to=2040-12-31" in page
    page = client.get(url, {"by": "institution"}).content.decode()
    assert world.org_a.name in page and link not in page


def test_hours_report_links_certificates_only_their_issuer_may_issue(world, login):
    """The administrator reads every pool's hours, but a certificate is the pool's own word:
    the link (which would answer them 403) is for the pool's coordinator."""
    profile = _profile(world, "issuer")
    offer = make_offer(
        make_request(world.org_a, starts_at=timezone.now() - datetime.timedelta(days=2)),
        profile,
        status="done",
    )
    AssignmentLog.objects.create(assignment=offer, minutes=60, outcome="completed")
    url = reverse("assistance:hours_report")
    link = reverse("assistance:certificate", args=[profile.pk])
    seen_by_admin = login("admin", "b").get(url).content.decode()
    assert profile.user.email in seen_by_admin and link not in seen_by_admin
    assert link in login("coordinator").get(url).content.decode()


def test_hours_report_shows_a_page_of_assistants_and_downloads_all(world, login):
    """A city office's pools hold a thousand assistants: the screen pages them, the download
    has every row."""
    for n in range(27):
        offer = make_offer(
            make_request(world.org_a, starts_at=timezone.now() - datetime.timedelta(days=2)),
            _profile(world, f"many-{n}"),
            status="done",
        )
        AssignmentLog.objects.create(assignment=offer, minutes=60, outcome="completed")
    client = login("coordinator")
    url = reverse("assistance:hours_report")
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    def rows(page: str) -> int:
        return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr>")

    assert (rows(first), rows(second)) == (25, 2)
    assert 'href="?page=2"' in first and 'href="?page=3"' not in second
    download = client.get(url, {"format": "csv"})
    body = b"".join(download.streaming_content) if download.streaming else download.content
    assert body.decode().count("many-") == 27


@pytest.mark.parametrize("language", LANGUAGES)
def test_assistant_pages_in_every_language(world, client, language):
    profile = _profile(world, f"lang-{language}", language=language)
    make_offer(make_request(world.org_a), profile)
    client.force_login(profile.user)
    for name in ("offers", "schedule", "availability", "hours", "profile"):
        with translation.override(language):
            url = reverse(f"assistance:{name}")
        response = client.get(url)
        assert response.status_code == 200, name
        assert f'lang="{language}"' in response.content.decode()


def test_list_pages_keep_a_constant_number_of_queries(world, login, client):
    profile = _profile(world, "lists")
    starts = iter(range(1, 200))

    def grow():
        hour = next(starts)
        request = make_request(
            world.org_a,
            starts_at=next_weekday_at() + datetime.timedelta(days=7 * hour),
            created_by=world.user("institution_staff"),
        )
        make_offer(request, profile, status="offered")

    grow()
    staff = login("institution_staff")
    assert_constant_queries(staff, reverse("assistance:request_list"), grow)
    coordinator = login("coordinator")
    assert_constant_queries(coordinator, reverse("assistance:open_requests"), grow)
    client.force_login(profile.user)
    assert_constant_queries(client, reverse("assistance:offers"), grow)


def test_schedule_page_queries_are_constant(world, client):
    profile = _profile(world, "sched")
    starts = iter(range(1, 200))

    def grow():
        request = make_request(
            world.org_a, starts_at=next_weekday_at() + datetime.timedelta(days=7 * next(starts))
        )
        make_offer(request, profile, status=AssignmentStatus.ACCEPTED)

    grow()
    client.force_login(profile.user)
    assert_constant_queries(client, reverse("assistance:schedule"), grow)


def test_proposals_page_queries_do_not_grow_with_the_pool(world, login):
    request = make_request(world.org_a, district=world.district)
    keys = iter(range(100))

    def grow():
        _profile(world, f"pool-{next(keys)}", districts=[world.district])

    grow()  # an empty list renders no proposal rows at all; start from one
    assert_constant_queries(
        login("coordinator"), reverse("assistance:proposals", args=[request.pk]), grow
    )


def test_dashboards_lead_each_role_to_its_work(world, login, client):
    profile = _profile(world, "dash")
    request = make_request(world.org_a, created_by=world.user("institution_staff"))
    make_offer(request, profile)
    with translation.override("en"):
        url = reverse("core:dashboard")
    coordinator = login("coordinator").get(url).content.decode()
    assert "1 request waits for an assistant" in coordinator
    staff = login("institution_staff").get(url).content.decode()
    assert reverse("assistance:request_detail", args=[request.pk]) in staff
    client.force_login(profile.user)
    assert "1 offer waiting for your answer" in client.get(url).content.decode()


def test_api_request_create_answers_bad_input_with_a_400_beside_the_field(world, login):
    _profile(world, "api-create")
    client = login("institution_staff")
    url = reverse("api:assistance_request_create")
    body = {
        "organisation": world.org_a.pk,
        "provider": world.org_a.pk,
        "language": "uk",
        "mode": "on_site",
        "starts_at": next_weekday_at().isoformat(),
        "duration_minutes": 60,
        "place": "Szkoła nr 5",
        "topic": "school",
        "district": "nowhere",
    }
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and "district" in response.json()
    body["district"] = world.district.code
    body["description"] = "Write to parent@example.org"
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and "description" in response.json()
    body["description"] = "Meeting with the class teacher."
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()[0]["district"] == world.district.code
    assert not AssistanceRequest.objects.exclude(pk=response.json()[0]["id"]).exists()


def test_assistant_removes_own_availability_and_not_anothers(client, world):
    mine = _profile(world, key="mine")
    other = _profile(world, key="other")
    today = timezone.localdate()
    exception = mine.exceptions.create(date_from=today, date_to=today)
    client.force_login(mine.user)

    theirs = other.slots.get()
    response = client.post(reverse("assistance:slot_delete", args=[theirs.pk]))
    assert response.status_code == 404
    assert other.slots.filter(pk=theirs.pk).exists()

    response = client.post(reverse("assistance:slot_delete", args=[mine.slots.get().pk]))
    assert response.status_code == 302 and response.url == reverse("assistance:availability")
    assert not mine.slots.exists()
    client.post(reverse("assistance:exception_delete", args=[exception.pk]))
    assert not mine.exceptions.exists()


def test_menu_shows_each_role_its_assistance_pages_in_order(world):
    from django.contrib.auth.models import AnonymousUser

    from mosty.core.navigation import nav_for

    def group(user, name):
        with translation.override("en"):
            groups = {str(x["label"]): x["links"] for x in nav_for(user) if "links" in x}
            return [str(link["label"]) for link in groups.get(name, [])]

    assert group(world.user("assistant"), "Assistance") == [
        "Offers",
        "My schedule",
        "My availability",
        "My hours",
        "My assistant profile",
    ]
    assert group(world.user("institution_staff"), "Assistance") == [
        "Our requests",
        "Request an interpreter",
    ]
    assert "Service level" in group(world.user("coordinator"), "Resources")
    assert group(AnonymousUser(), "Assistance") == []


def test_a_started_request_cannot_be_cancelled_and_its_hours_can_be_logged(world, login, client):
    profile = _profile(world, "started")
    request = make_request(world.org_a, starts_at=timezone.now() - datetime.timedelta(minutes=10))
    assignment = make_offer(request, profile, status="accepted")
    AssistanceRequest.objects.filter(pk=request.pk).update(status="covered")
    staff = login("institution_staff")
    with translation.override("pl"):
        detail = reverse("assistance:request_detail", args=[request.pk])
        cancel = reverse("assistance:request_cancel", args=[request.pk])
    assert cancel not in staff.get(detail).content.decode()
    response = staff.post(cancel, {"reason": "not_needed"})
    assert "już się rozpoczął" in response.content.decode()
    request.refresh_from_db()
    assignment.refresh_from_db()
    assert request.status == "covered" and assignment.status == AssignmentStatus.ACCEPTED
    client.force_login(profile.user)
    log = reverse("assistance:assignment_log", args=[assignment.pk])
    assert client.get(log).status_code == 200
    client.post(log, {"minutes": "60", "travel_minutes": "0", "outcome": "completed"})
    assert AssignmentLog.objects.get(assignment=assignment).minutes == 60


def test_provider_cancelling_tells_the_requester_who_and_why(world, login, committed):
    staff = world.user("institution_staff")
    staff.language = "uk"
    staff.save()
    user = UserFactory(email="pool-b@example.org", language="pl")
    MembershipFactory(user=user, organisation=world.org_b, role="assistant")
    profile = make_profile(world.org_b, user)
    request = make_request(world.org_a, provider=world.org_b, created_by=staff)
    make_offer(request, profile, status="accepted")
    AssistanceRequest.objects.filter(pk=request.pk).update(status="covered")
    coordinator = login("coordinator", "b")
    cancel = reverse("assistance:request_cancel", args=[request.pk])
    response = coordinator.post(cancel, {"reason": ""})
    assert response.status_code == 200
    assert 'id="id_reason_errors"' in response.content.decode()
    assert AssistanceRequest.objects.get(pk=request.pk).status == "covered"
    mail.outbox.clear()
    committed(coordinator.post, cancel, {"reason": "no_assistant"})
    request.refresh_from_db()
    assert request.status == "cancelled" and request.cancelled_by == world.user("coordinator", "b")
    by_address = {m.to[0]: m for m in mail.outbox}
    with translation.override("uk"):
        reason = str(CancelReason.NO_ASSISTANT.label)
    to_staff = by_address[staff.email]
    assert world.org_b.name in to_staff.body and reason in to_staff.body
    assert "Ваш запит скасовано" in to_staff.body
    with translation.override("pl"):
        assert str(CancelReason.NO_ASSISTANT.label) in by_address[user.email].body
    page = login("institution_staff").get(reverse("assistance:request_detail", args=[request.pk]))
    text = page.content.decode()
    assert str(world.user("coordinator", "b")) in text and world.org_b.name in text
    assert str(CancelReason.NO_ASSISTANT.label) in text


def test_requester_cancelling_is_not_told_to_themselves(world, login, committed):
    staff = world.user("institution_staff")
    profile = _profile(world, "own")
    request = make_request(world.org_a, created_by=staff)
    make_offer(request, profile)
    mail.outbox.clear()
    committed(
        login("institution_staff").post,
        reverse("assistance:request_cancel", args=[request.pk]),
        {"reason": "not_needed"},
    )
    assert [m.to for m in mail.outbox] == [[profile.user.email]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_date_fields_carry_iso_values_in_every_language(world, client, language):
    profile = _profile(world, f"iso-{language}")
    client.force_login(profile.user)
    today = timezone.localdate()
    with translation.override(language):
        page = client.get(reverse("assistance:hours")).content.decode()
        slot = SlotForm(initial={"starts": datetime.time(9, 5)}).as_p()
        days = ExceptionForm(initial={"date_from": datetime.date(2026, 12, 24)}).as_p()
    first = today.replace(month=1, day=1).isoformat()
    assert f'type="date" name="date_from" value="{first}"' in page
    assert f'type="date" name="date_to" value="{today.isoformat()}"' in page
    assert 'value="09:05"' in slot
    assert 'value="2026-12-24"' in days


def test_a_start_beyond_the_horizon_is_refused_beside_the_field(world, login):
    _profile(world, "far")
    client = login("institution_staff")
    with translation.override("pl"):
        url = reverse("assistance:request_create")
    response = client.post(url, _request_form(world, date="9999-12-31", start="23:59"))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="id_date_errors"' in text and "Wybierz dzień nie późniejszy niż" in text
    api = reverse("api:assistance_request_create")
    body = {
        "organisation": world.org_a.pk,
        "provider": world.org_a.pk,
        "language": "uk",
        "mode": "on_site",
        "starts_at": "9999-12-31T23:59:00+01:00",
        "duration_minutes": 60,
        "place": "Szkoła nr 5",
        "topic": "school",
    }
    response = client.post(api, body, content_type="application/json")
    assert response.status_code == 400 and "starts_at" in response.json()
    assert not AssistanceRequest.objects.exists()


@pytest.mark.parametrize("action", ["offer_accept", "offer_decline"])
def test_answering_an_offer_no_longer_open_says_so(world, client, action):
    profile = _profile(world, f"late-{action}")
    taken = make_offer(make_request(world.org_a), profile)
    taken.__class__.objects.filter(pk=taken.pk).update(status=AssignmentStatus.CANCELLED)
    client.force_login(profile.user)
    with translation.override("pl"):
        url, offers = reverse(f"assistance:{action}", args=[taken.pk]), reverse("assistance:offers")
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(offers)
    assert "Ta propozycja jest już nieaktualna." in response.content.decode()
    taken.refresh_from_db()
    assert taken.status == AssignmentStatus.CANCELLED


TEAMS_LINK = (
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjM4ZTQ2ZDgtYzY1Ni00YjQ3LWE5ODkt"
    "ZmI3YjU0NTFmNTNh%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd0"
    "11db47%22%2c%22Oid%22%3a%22d4a1c0b5-7e3a-4b8e-9f2a-1c3d5e7f9a0b%22%7d"
)


def test_a_long_video_meeting_link_saves_on_the_page_and_in_the_api(world, login):
    """A Teams invitation link is longer than 200 characters; it is saved whole."""
    assert len(TEAMS_LINK) == 243
    _profile(world, "video")
    client = login("institution_staff")
    with translation.override("pl"):
        url = reverse("assistance:request_create")
    form = _request_form(world, mode="video", place="", link=TEAMS_LINK)
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()
    assert AssistanceRequest.objects.get().link == TEAMS_LINK
    detail = client.get(response["Location"]).content.decode()
    assert f'href="{TEAMS_LINK}"' in detail
    body = {
        "organisation": world.org_a.pk,
        "provider": world.org_a.pk,
        "language": "uk",
        "mode": "video",
        "starts_at": next_weekday_at().isoformat(),
        "duration_minutes": 60,
        "link": TEAMS_LINK,
        "topic": "school",
    }
    api = reverse("api:assistance_request_create")
    response = client.post(api, body, content_type="application/json")
    assert response.status_code == 201, response.content.decode()
    assert AssistanceRequest.objects.filter(link=TEAMS_LINK).count() == 2
    # Beyond the limit, the refusal is beside the field, not a 500.
    too_long = "https://teams.microsoft.com/l/" + "a" * 2000
    response = client.post(url, {**form, "link": too_long})
    assert response.status_code == 200
    assert 'id="id_link_errors"' in response.content.decode()


def test_feedback_form_starts_from_the_feedback_given_and_asks_for_a_rating(world, login):
    from mosty.assistance.models import Feedback

    staff = world.user("institution_staff")
    request = make_request(
        world.org_a,
        created_by=staff,
        starts_at=timezone.now() - datetime.timedelta(days=2),
    )
    AssistanceRequest.objects.filter(pk=request.pk).update(status="done")
    client = login("institution_staff")
    with translation.override("pl"):
        url = reverse("assistance:request_feedback", args=[request.pk])
    # Sent as it came, the form is not a rating of 5: a rating is asked for, beside its field.
    response = client.post(url, {"rating": "", "comment": ""})
    assert response.status_code == 200
    assert 'id="id_rating_errors"' in response.content.decode()
    assert not Feedback.objects.filter(request=request).exists()
    client.post(url, {"rating": "2", "comment": "Asystent spóźnił się pół godziny."})
    # Opened again to change it: the rating and the comment given are there, not 5 and
    # an empty comment that saving would put in their place.
    form = client.get(url).context["form"]
    assert form["rating"].value() == 2
    assert form["comment"].value() == "Asystent spóźnił się pół godziny."
    assert AuditEvent.objects.filter(
        actor=staff, action="mosty.assistance.feedback.viewed", fields=["comment"]
    ).exists()


def test_availability_forms_show_bad_input_beside_its_field_as_filled_in(world, client):
    profile = _profile(world, "times", language="uk")
    slots = profile.slots.count()
    client.force_login(profile.user)
    with translation.override("uk"):
        slot_add = reverse("assistance:slot_add")
        ends_first = translation.gettext("The end must be after the start.")
    response = client.post(slot_add, {"weekday": "4", "starts": "15:00", "ends": "10:00"})
    html = response.content.decode()
    assert response.status_code == 200
    assert ends_first in _field_errors(html, "ends")
    assert 'value="15:00"' in html and 'value="10:00"' in html
    assert profile.slots.count() == slots


def test_days_off_already_gone_by_are_refused_not_marked_and_lost(world, client):
    profile = _profile(world, "past", language="uk")
    client.force_login(profile.user)
    with translation.override("uk"):
        exception_add = reverse("assistance:exception_add")
        in_the_past = translation.gettext("The date cannot be in the past.")
    gone = timezone.localdate() - datetime.timedelta(days=3)
    data = {
        "date_from": (gone - datetime.timedelta(days=4)).isoformat(),
        "date_to": gone.isoformat(),
        "kind": "holiday",
    }
    response = client.post(exception_add, data)
    assert response.status_code == 200
    assert in_the_past in _field_errors(response.content.decode(), "date_to")
    assert not profile.exceptions.exists()
    # Days off that began before today and go on are still the assistant's to mark.
    data["date_to"] = timezone.localdate().isoformat()
    assert client.post(exception_add, data).status_code == 302
    assert profile.exceptions.count() == 1


def _field_errors(html, field):
    import re

    found = re.search(rf'id="id_{field}_errors"[^>]*>(.*?)</', html, re.S)
    return found.group(1) if found else ""


def test_a_time_gone_by_is_refused_beside_the_start(world, login):
    client = login("institution_staff")
    with translation.override("uk"):
        url = reverse("assistance:request_create")
        future = translation.gettext("Choose a time in the future.")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(url, _request_form(world, date=yesterday.isoformat()))
    assert response.status_code == 200
    assert future in _field_errors(response.content.decode(), "start")
    assert not AssistanceRequest.objects.exists()


def test_a_request_whose_time_passed_with_nobody_no_longer_reads_open(world, login):
    staff = world.user("institution_staff")
    past = timezone.now() - datetime.timedelta(days=3)
    nobody = make_request(world.org_a, created_by=staff, starts_at=past)
    half = make_request(
        world.org_a,
        created_by=staff,
        starts_at=past + datetime.timedelta(hours=3),
        people_needed=2,
    )
    make_offer(half, _profile(world, "one"), status="accepted")
    coming = make_request(world.org_a, created_by=staff)
    client = login("institution_staff")
    with translation.override("pl"):
        found_nobody = translation.pgettext("assistance request", "No assistant was found")
        open_ = translation.pgettext("assistance request", "Open")
        listed = client.get(reverse("assistance:request_list")).content.decode()
        detail = client.get(reverse("assistance:request_detail", args=[nobody.pk]))
    assert listed.count(found_nobody) == 1
    assert found_nobody in _row_of(listed, nobody.pk)
    # One assistant of two holds it, and one still to come: their status stays as it is.
    assert open_ in _row_of(listed, half.pk) and open_ in _row_of(listed, coming.pk)
    assert found_nobody in detail.content.decode()


def _row_of(html, pk):
    with translation.override("pl"):
        marker = reverse("assistance:request_detail", args=[pk])
    return next(row for row in html.split("<tr")[1:] if f'href="{marker}"' in row)


def test_cancelling_again_from_a_second_tab_says_so_on_the_request(world, login):
    staff = world.user("institution_staff")
    request = make_request(world.org_a, created_by=staff)
    client = login("institution_staff")
    with translation.override("uk"):
        cancel = reverse("assistance:request_cancel", args=[request.pk])
        detail = reverse("assistance:request_detail", args=[request.pk])
        already = translation.gettext("This request is already cancelled.")
    assert client.post(cancel, {"reason": "not_needed"}).status_code == 302
    response = client.post(cancel, {"reason": "moved"}, follow=True)
    assert response.redirect_chain[-1][0] == detail and response.status_code == 200
    assert already in response.content.decode()
    request.refresh_from_db()
    assert request.cancel_reason == CancelReason.NOT_NEEDED
