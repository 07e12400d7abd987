"""An institution's request walks through to feedback: request -> ranked proposal -> offer ->
accept -> log -> feedback, each step by the role that does it, in the browser."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from mosty.assistance.models import Assignment, AssistanceRequest
from tests.assistance.factories import make_profile
from tests.browser.conftest import log_in, serious_violations

EVERY_DAY = tuple((weekday, 7, 20) for weekday in range(7))


def _log_out(page) -> None:
    page.context.clear_cookies()


def test_request_proposal_offer_accept_log_feedback(page, bworld):
    assistant = bworld.user("assistant")
    profile = make_profile(bworld.org_a, assistant, districts=[bworld.district], slots=EVERY_DAY)
    day = timezone.localdate() + datetime.timedelta(days=3)

    # Institution staff request an interpreter; the form says no personal data, and checks it.
    log_in(page, "institution_staff.a@example.org")
    page.goto("/en/assistance/requests/new/")
    assert serious_violations(page) == []
    page.get_by_label("Language needed").select_option("uk")
    page.locator("#id_mode").select_option("on_site")
    page.locator("#id_date").fill(day.isoformat())
    page.locator("#id_start").fill("10:00")
    page.get_by_label("Duration (minutes)").fill("60")
    page.locator("#id_district").select_option(str(bworld.district.pk))
    page.locator("#id_place").fill("Szkoła Podstawowa nr 5, sala 12")
    page.locator("#id_topic").select_option("school")
    page.get_by_label("What it is about").fill("Meeting with the class teacher, call 601 234 567")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Remove the phone number")).to_be_visible()
    page.get_by_label("What it is about").fill("Meeting with the class teacher about the term.")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url("**/assistance/requests/*/")
    request = AssistanceRequest.objects.get()
    expect(page.get_by_text("The request is sent.")).to_be_visible()

    # The coordinator sees it among open requests, with the proposal and why.
    _log_out(page)
    log_in(page, "coordinator.a@example.org")
    page.goto("/en/assistance/coordinate/")
    page.locator(f"a[href$='/assistance/requests/{request.pk}/proposals/']").click()
    page.wait_for_url("**/proposals/")
    expect(page.get_by_text("Travels to this district.")).to_be_visible()
    expect(page.get_by_text("Available at this time every week.")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label(str(profile)).check()
    page.get_by_role("button", name="Send the offer").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Offered to 1 assistant.")).to_be_visible()

    # The assistant accepts the offer; it is in their schedule.
    _log_out(page)
    log_in(page, "assistant.a@example.org")
    page.goto("/en/assistance/me/offers/")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Accept").click()
    page.wait_for_url("**/me/schedule/")
    expect(page.get_by_text("Accepted: it is in your schedule.")).to_be_visible()
    assert Assignment.objects.get().status == "accepted"

    # The day has passed (moved back in the database): the assistant logs the hours.
    past = timezone.now() - datetime.timedelta(hours=3)
    AssistanceRequest.objects.filter(pk=request.pk).update(
        starts_at=past, ends_at=past + datetime.timedelta(hours=1)
    )
    Assignment.objects.update(starts_at=past, ends_at=past + datetime.timedelta(hours=1))
    page.goto("/en/assistance/me/schedule/")
    page.get_by_role("link", name="Log hours").click()
    page.get_by_label("Minutes worked").fill("75")
    page.get_by_label("Travel time (minutes)").fill("20")
    page.get_by_label("How it went").select_option("completed")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/me/hours/")
    expect(page.get_by_text("Thank you: your hours are logged.")).to_be_visible()
    assert serious_violations(page) == []

    # The institution gives feedback on the done request.
    _log_out(page)
    log_in(page, "institution_staff.a@example.org")
    page.goto(f"/en/assistance/requests/{request.pk}/")
    page.get_by_role("link", name="Give feedback").click()
    page.get_by_label("How satisfied are you?").select_option("5")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(f"**/assistance/requests/{request.pk}/")
    expect(page.get_by_text("Your rating: 5 of 5.")).to_be_visible()
    request.refresh_from_db()
    assert request.status == "done"
    assert request.feedback.rating == 5
