"""A case's page shows the requests for help its participant sent about it: the team answers or
marks them handled there and comes back to the case, and sees what was answered."""

import pytest
from django.urls import reverse

from mosty.access.models import AuditEvent
from mosty.portal import services
from mosty.portal.models import HelpRequest
from tests.cases.factories import make_case
from tests.portal.factories import help_request
from tests.utils import assert_constant_queries, logged_in

pytestmark = pytest.mark.django_db

ANSWER = "Przychodnia Wrzeszcz, pokój 4: lekarka mówi po ukraińsku."


def test_the_team_answers_a_request_on_the_case_page_and_comes_back_to_it(world):
    request = help_request(world, "a")
    caseworker = world.user("caseworker", "a")
    staff = logged_in(caseworker)
    case_url = reverse("cases:detail", args=[request.case_id])

    before = AuditEvent.objects.order_by("pk").last().pk
    page = staff.get(case_url).content.decode()
    reply_url = reverse("portal:help_reply", args=[request.pk]) + "?from=case"
    assert "I need a doctor who speaks Ukrainian." in page and reply_url in page
    read = AuditEvent.objects.get(pk__gt=before, actor=caseworker, object_type="portal.helprequest")
    assert read.object_id == str(request.pk) and set(read.fields) == {"text", "reply"}

    assert staff.get(reply_url).status_code == 200
    response = staff.post(reply_url, {"reply": ANSWER})

    assert response.status_code == 302 and response["Location"] == case_url
    page = staff.get(case_url).content.decode()
    assert ANSWER in page and reply_url not in page  # answered: shown, nothing left to do


def test_marking_a_request_handled_from_the_case_page_comes_back_to_it(world):
    request = help_request(world, "a")
    staff = logged_in(world.user("caseworker", "a"))
    case_url = reverse("cases:detail", args=[request.case_id])
    handle_url = reverse("portal:help_handle", args=[request.pk]) + "?from=case"
    assert handle_url in staff.get(case_url).content.decode()

    response = staff.post(handle_url)

    assert response.status_code == 302 and response["Location"] == case_url
    assert HelpRequest.objects.get(pk=request.pk).status == "handled"
    # From the staff list, the user still goes back to the list.
    other = help_request(world, "a")
    response = staff.post(reverse("portal:help_handle", args=[other.pk]))
    assert response["Location"] == reverse("portal:help_list")


def test_a_case_without_requests_shows_no_section_and_others_see_none(world):
    request = help_request(world, "a")
    quiet = make_case(world, "a")
    staff = logged_in(world.user("caseworker", "a"))
    page = staff.get(reverse("cases:detail", args=[quiet.pk])).content.decode()
    assert 'id="case-help-heading"' not in page
    # Another person's case does not show this case's request.
    assert "I need a doctor who speaks Ukrainian." not in page
    # Staff of another organisation cannot open the case at all.
    other = logged_in(world.user("caseworker", "b"))
    assert other.get(reverse("cases:detail", args=[request.case_id])).status_code == 404


def test_the_case_page_shows_ten_requests_with_the_same_queries_however_many(world):
    request = help_request(world, "a")
    staff = logged_in(world.user("caseworker", "a"))

    def grow():
        extra = HelpRequest.objects.create(
            participant=request.participant,
            organisation=request.organisation,
            case=request.case,
            text="Jeszcze jedno pytanie",
            language="pl",
        )
        services.help_request_reply(help_request=extra, reply=ANSWER, by=world.user("caseworker"))

    url = reverse("cases:detail", args=[request.case_id])
    assert_constant_queries(staff, url, grow, times=12)
    # Ten are shown, the one still waiting first, with the way to all of them.
    page = staff.get(url).content.decode()
    waiting = page.index("I need a doctor who speaks Ukrainian.")
    assert waiting < page.index("Jeszcze jedno pytanie")
    assert page.count("Jeszcze jedno pytanie") == 9
    assert "Wszystkie prośby o pomoc" in page  # "All requests for help"


def test_the_teams_bell_opens_the_case_at_its_requests(world, login):
    from mosty.messaging.models import Notification
    from tests.portal.factories import link

    case = make_case(world, "a", participant=link(world, "a"))
    login("participant").post(reverse("portal:help"), {"text": "Потрібен лікар"})

    bell = Notification.objects.get(user=case.lead, template="help_requested")
    assert bell.url.endswith(reverse("cases:detail", args=[case.pk]) + "#case-help-heading")
