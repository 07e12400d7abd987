"""Staff read and answer newcomers' requests for help through the API, as on the staff page:
the waiting and the answered lists (reads audited), one answer per request, the newcomer told
through their own channel without the answer's text."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from mosty.access.models import AuditEvent
from mosty.messaging.catalog import render
from mosty.messaging.models import Message
from mosty.portal import services
from mosty.portal.models import HelpRequest
from tests.portal.factories import asked, help_request
from tests.utils import logged_in

pytestmark = pytest.mark.django_db

ANSWER = "Dr Kowalska speaks Ukrainian: Monday 10:00, Przychodnia Wrzeszcz, room 4."
JSON = "application/json"


def _list(client, **params):
    response = client.get(reverse("api:help_request_list"), params)
    assert response.status_code == 200
    return response.json()["results"]


def _reply(client, request, body, **extra):
    url = reverse("api:help_request_reply", args=[request.pk])
    return client.post(url, body, content_type=JSON, **extra)


def test_staff_list_waiting_requests_answer_one_and_find_it_answered(world, login):
    request = asked(world, login)
    caseworker = world.user("caseworker", "a")
    staff = logged_in(caseworker)

    before = AuditEvent.objects.order_by("pk").last().pk
    [row] = _list(staff)
    assert (row["id"], row["text"], row["status"], row["reply"]) == (
        request.pk,
        "Потрібен лікар",
        "open",
        "",
    )
    assert row["participant_code"] == request.participant.code
    # Without an open case, it is in the organisation's intake queue.
    assert (row["case"], row["organisation"]) == (None, world.org_a.pk)
    read = AuditEvent.objects.get(pk__gt=before, actor=caseworker)
    assert read.action.endswith(".viewed") and set(read.fields) == {"text", "reply"}
    assert _list(staff, state="closed") == []

    response = _reply(staff, request, {"reply": ANSWER})
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["reply"]) == ("handled", ANSWER)
    request.refresh_from_db()
    assert request.status == "handled" and request.reply == ANSWER
    assert request.replied_by == caseworker and request.handled_by == caseworker
    assert AuditEvent.objects.filter(
        action="mosty.portal.help_request.answered", actor=caseworker
    ).exists()

    # No longer waiting; found among those answered, with the answer.
    assert _list(staff) == []
    [answered] = _list(staff, state="closed")
    assert (answered["id"], answered["reply"]) == (request.pk, ANSWER)
    assert answered["replied_at"] is not None and answered["handled_at"] is not None

    # Told through their own channel that an answer waits, without its text.
    message = Message.objects.get(template="help_answered")
    assert message.recipient_participant_id == request.participant_id
    subject, text = render(message.template, json.loads(message.payload), "en")
    assert "Kowalska" not in message.payload + subject + text
    # The newcomer reads the answer on their own page.
    home = login("participant").get(reverse("portal:home")).content.decode()
    assert "Dr Kowalska speaks Ukrainian" in home


def test_a_request_is_answered_once(world, login):
    request = asked(world, login)
    first, second = (
        logged_in(world.user("caseworker", "a")),
        logged_in(world.user("coordinator", "a")),
    )
    assert _reply(first, request, {"reply": ANSWER}).status_code == 200

    late = _reply(second, request, {"reply": "Another answer"}, HTTP_ACCEPT_LANGUAGE="pl")
    assert late.status_code == 409
    with translation.override("pl"):
        said = services.already_handled_message()
    assert late.json() == {"non_field_errors": [said]}
    request.refresh_from_db()
    assert request.reply == ANSWER and request.replied_by == world.user("caseworker", "a")
    assert Message.objects.filter(template="help_answered").count() == 1


def test_a_request_marked_handled_is_not_answered_either(world, login):
    request = asked(world, login)
    services.help_request_handle(help_request=request, by=world.user("coordinator", "a"))
    late = _reply(logged_in(world.user("caseworker", "a")), request, {"reply": ANSWER})
    assert late.status_code == 409
    request.refresh_from_db()
    assert (request.status, request.reply) == ("handled", "")


@pytest.mark.parametrize("body", [{}, {"reply": "   "}, {"reply": "x" * 1001}, {"reply": None}])
def test_an_empty_or_too_long_answer_is_refused_beside_the_field(world, login, body):
    request = asked(world, login)
    response = _reply(
        logged_in(world.user("caseworker", "a")), request, body, HTTP_ACCEPT_LANGUAGE="uk"
    )
    assert response.status_code == 400
    assert response.json()["reply"]
    request.refresh_from_db()
    assert (request.status, request.reply) == ("open", "")
    assert not Message.objects.filter(template="help_answered").exists()


def test_who_may_not_read_or_answer(world, login):
    request = help_request(world, "a")
    # Another organisation's staff neither find it nor reach it.
    for role in ("caseworker", "coordinator"):
        other = logged_in(world.user(role, "b"))
        assert _list(other) == []
        assert _reply(other, request, {"reply": ANSWER}).status_code == 404
    # Roles that do not work with people's requests are refused the list and the answer.
    for role in ("mentor", "assistant", "institution_staff", "participant", "admin"):
        client = logged_in(world.user(role, "a"))
        assert client.get(reverse("api:help_request_list")).status_code == 403, role
        assert _reply(client, request, {"reply": ANSWER}).status_code in (403, 404), role
    request.refresh_from_db()
    assert (request.status, request.reply) == ("open", "")


def test_a_bad_state_filter_is_a_400_naming_it(world, login):
    help_request(world, "a")
    response = logged_in(world.user("caseworker", "a")).get(
        reverse("api:help_request_list"), {"state": "everything"}
    )
    assert response.status_code == 400 and response.json()["state"]


def test_the_lists_read_more_requests_with_no_more_queries(world, login):
    from tests.utils import assert_constant_queries, logged_in

    help_request(world, "a", with_case=False)  # a page with rows, then a page with more
    staff = logged_in(world.user("coordinator", "a"))
    url = reverse("api:help_request_list")
    assert_constant_queries(staff, url, lambda: help_request(world, "a", with_case=False))
    for request in HelpRequest.objects.all():
        services.help_request_reply(help_request=request, reply=ANSWER, by=world.user("caseworker"))
    assert_constant_queries(
        staff,
        f"{url}?state=closed",
        lambda: services.help_request_reply(
            help_request=help_request(world, "a", with_case=False),
            reply=ANSWER,
            by=world.user("caseworker"),
        ),
    )


def test_staff_mark_a_request_handled_once_and_the_person_is_told(world, login):
    request = asked(world, login)
    coordinator = world.user("coordinator", "a")
    staff = logged_in(coordinator)
    url = reverse("api:help_request_handle", args=[request.pk])

    response = staff.post(url)

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["reply"]) == ("handled", "")
    assert response.json()["handled_by"] == coordinator.pk
    request.refresh_from_db()
    assert (request.status, request.handled_by) == ("handled", coordinator)
    assert Message.objects.filter(
        template="help_handled", recipient_participant=request.participant
    ).exists()
    assert _list(staff) == [] and [r["id"] for r in _list(staff, state="closed")] == [request.pk]
    # A second call (another tab, a colleague) is said, not refused, and writes nothing.
    again = logged_in(world.user("caseworker", "a")).post(url)
    assert again.status_code == 409 and again.json()["non_field_errors"]
    request.refresh_from_db()
    assert request.handled_by == coordinator
    assert Message.objects.filter(template="help_handled").count() == 1
    # Staff of another organisation do not reach it.
    assert logged_in(world.user("coordinator", "b")).post(url).status_code == 404
