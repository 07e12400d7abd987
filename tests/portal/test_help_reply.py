"""Staff answer a newcomer's request for help in Mosty: the answer is kept encrypted, shown on
the newcomer's own page, and the newcomer is told through their own channel that an answer
waits, without its text."""

import json

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from mosty.access.models import AuditEvent
from mosty.messaging.catalog import render
from mosty.messaging.models import Message
from mosty.people import gdpr
from mosty.portal import services
from mosty.portal.models import HelpRequest
from tests.portal.factories import asked, help_request
from tests.utils import logged_in

pytestmark = pytest.mark.django_db

ANSWER = "Dr Kowalska speaks Ukrainian: Monday 10:00, Przychodnia Wrzeszcz, room 4."


def test_staff_answer_reaches_the_newcomers_page_and_channel_without_its_text(world, login):
    request = asked(world, login)
    caseworker = world.user("caseworker", "a")
    staff = logged_in(caseworker)
    url = reverse("portal:help_reply", args=[request.pk])
    assert url in staff.get(reverse("portal:help_list")).content.decode()
    page = staff.get(url)
    assert page.status_code == 200 and "Потрібен лікар" in page.content.decode()

    response = staff.post(url, {"reply": ANSWER})

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "handled" and request.reply == ANSWER
    assert request.replied_by == caseworker and request.replied_at is not None
    assert (request.handled_by, request.handled_at) == (caseworker, request.replied_at)
    with connection.cursor() as cursor:  # encrypted at rest, like the request's text
        cursor.execute("SELECT reply FROM portal_helprequest WHERE id = %s", [request.pk])
        assert "Kowalska" not in cursor.fetchone()[0]
    assert AuditEvent.objects.filter(
        action="mosty.portal.help_request.answered", actor=caseworker
    ).exists()
    # Answered: no longer waiting in the staff list.
    assert url not in staff.get(reverse("portal:help_list")).content.decode()
    # Told through their own channel, in their language, that an answer waits: not its text.
    message = Message.objects.get(template="help_answered")
    assert message.recipient_participant_id == request.participant_id
    assert message.channel == "email"
    subject, body = render(message.template, json.loads(message.payload), "en")
    assert "Kowalska" not in message.payload + subject + body
    assert body == (
        "Your organisation answered your request for help. Open your page in Mosty to read it."
    )
    # The newcomer reads the answer on their own page.
    home = login("participant").get(reverse("portal:home")).content.decode()
    assert "Dr Kowalska speaks Ukrainian" in home


@pytest.mark.parametrize(
    ("reply", "error"),
    [("   ", "To pole jest wymagane."), ("x" * 1001, "1000")],
)
def test_an_empty_or_too_long_answer_is_refused_beside_the_field(world, login, reply, error):
    request = asked(world, login)
    staff = logged_in(world.user("caseworker", "a"))
    with translation.override("pl"):
        url = reverse("portal:help_reply", args=[request.pk])
    response = staff.post(url, {"reply": reply})
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors["reply"])
    request.refresh_from_db()
    assert (request.status, request.reply) == ("open", "")
    assert not Message.objects.filter(template="help_answered").exists()


def test_the_service_refuses_an_empty_or_too_long_answer_beside_the_field(world):
    from django.core.exceptions import ValidationError

    request = help_request(world, "a")
    for reply in ("  ", "x" * 1001):
        with pytest.raises(ValidationError) as refused:
            services.help_request_reply(
                help_request=request, reply=reply, by=world.user("caseworker", "a")
            )
        assert list(refused.value.message_dict) == ["reply"]


def test_a_second_answer_from_another_tab_is_refused_not_written_over(world, login):
    request = asked(world, login)
    url = reverse("portal:help_reply", args=[request.pk])
    first, second = (
        logged_in(world.user("caseworker", "a")),
        logged_in(world.user("coordinator", "a")),
    )
    assert first.get(url).status_code == 200 and second.get(url).status_code == 200

    assert first.post(url, {"reply": ANSWER}).status_code == 302
    late = second.post(url, {"reply": "Another answer"})

    # Told why, with the answer already given; no form to send another.
    assert late.status_code == 200
    page = late.content.decode()
    assert "Ta prośba o pomoc jest już załatwiona: nie można odpowiedzieć na nią ponownie." in page
    assert "Dr Kowalska speaks Ukrainian" in page and "<textarea" not in page
    request.refresh_from_db()
    assert request.reply == ANSWER and request.replied_by == world.user("caseworker", "a")
    assert Message.objects.filter(template="help_answered").count() == 1


def test_the_service_refuses_an_answer_to_a_request_answered_meanwhile(world):
    """Two staff loaded the same open request; the second answer is refused by the service
    itself (the page's early check cannot see an answer saved after it)."""
    from django.core.exceptions import ValidationError

    request = help_request(world, "a")
    stale = HelpRequest.objects.get(pk=request.pk)
    services.help_request_reply(help_request=request, reply=ANSWER, by=world.user("caseworker"))
    with pytest.raises(ValidationError):
        services.help_request_reply(
            help_request=stale, reply="Another answer", by=world.user("coordinator")
        )
    assert HelpRequest.objects.get(pk=request.pk).reply == ANSWER


def test_the_answer_is_in_the_persons_export_and_erased_with_their_text(world):
    request = help_request(world, "a")
    services.help_request_reply(help_request=request, reply=ANSWER, by=world.user("caseworker"))
    participant = request.participant
    data = gdpr.export_participant(participant, by=world.user("coordinator"))
    [exported] = data["portal"]["help_requests"]
    assert exported["reply"] == ANSWER and exported["replied_at"]
    gdpr.anonymise_participant(participant, by=world.user("coordinator"))
    request.refresh_from_db()
    assert (request.text, request.reply) == ("", "")
    assert request.status == "handled"  # that it was asked and answered stays for the figures


def test_staff_find_answered_and_handled_requests_with_the_answer(world, login):
    request = asked(world, login)
    caseworker = world.user("caseworker", "a")
    staff = logged_in(caseworker)
    staff.post(reverse("portal:help_reply", args=[request.pk]), {"reply": ANSWER})
    listing = reverse("portal:help_list")
    assert "Dr Kowalska speaks Ukrainian" not in staff.get(listing).content.decode()

    before = AuditEvent.objects.order_by("pk").last().pk
    closed = staff.get(listing, {"state": "closed"}).content.decode()
    assert "Потрібен лікар" in closed and "Dr Kowalska speaks Ukrainian" in closed
    assert reverse("portal:help_reply", args=[request.pk]) not in closed  # nothing to do
    assert caseworker.get_full_name() in closed  # who answered, for the rest of the team
    read = AuditEvent.objects.get(pk__gt=before, actor=caseworker)
    assert set(read.fields) == {"text", "reply"}
    # Another organisation's staff do not find it.
    other = logged_in(world.user("caseworker", "b")).get(listing, {"state": "closed"})
    assert "Потрібен лікар" not in other.content.decode()


def test_the_answer_page_names_the_language_the_person_wrote_in(world, login):
    request = asked(world, login)
    HelpRequest.objects.filter(pk=request.pk).update(language="uk")
    staff = logged_in(world.user("caseworker", "a"))
    with translation.override("en"):
        url = reverse("portal:help_reply", args=[request.pk])

    caption = staff.get(url).content.decode().split("<figcaption", 1)[1].split("</figcaption>")[0]

    assert "Ukrainian" in caption  # so the answer can be written in it
