from playwright.sync_api import expect

from tests.browser.conftest import log_in, serious_violations
from tests.events.factories import make_event, make_registration


def test_visitor_registers_for_a_full_event_and_is_waitlisted(page, bworld):
    event = make_event(bworld.org_a, title="Gotujemy razem", capacity=1, district=bworld.district)
    make_registration(event, name="Anna Nowak")
    page.goto("/en/events/")
    page.get_by_role("link", name="Gotujemy razem (en)").click()
    expect(page.get_by_text("Full: new registrations go to the waiting list.")).to_be_visible()
    assert page.get_by_text("Anna Nowak").count() == 0  # names are never public
    assert serious_violations(page) == []
    page.get_by_label("Name").fill("Olena Kovalenko")
    page.get_by_label("Email address").fill("olena@example.org")
    page.get_by_label("Language for messages").select_option("uk")
    page.get_by_label("I agree that the organiser stores").check()
    page.get_by_role("button", name="Join the waiting list").click()
    # With an e-mail address, the mail says how the registration stands (the page must not
    # tell whether the address was already registered).
    page.wait_for_url(f"**/events/{event.pk}/registered/")
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert serious_violations(page) == []
    assert event.registrations.get(email="olena@example.org").status == "waitlisted"


def test_organiser_ticks_attendance_on_a_phone(page, bworld):
    event = make_event(bworld.org_a, title="Kurs A1", sessions=2)
    registration = make_registration(event, name="Dmytro S")
    session = event.sessions.first()
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, "caseworker.a@example.org")
    page.goto(f"/en/events/manage/sessions/{session.pk}/attendance/")
    assert serious_violations(page) == []
    with page.expect_response(lambda r: "/attendance/" in r.url and r.request.method == "POST"):
        page.get_by_label("Dmytro S").check()
    expect(page.locator(f"#present-{registration.pk}")).to_be_checked()
    assert registration.attendance.get(session=session).present


def test_event_pages_have_no_serious_accessibility_violations(page, bworld):
    event = make_event(bworld.org_a, title="Kurs A1", sessions=2, district=bworld.district)
    make_registration(event, name="Dmytro S", institution="MOPS")
    for url in ["/ar/events/", "/ar/events/calendar/", f"/fa/events/{event.pk}/"]:
        page.goto(url)
        assert serious_violations(page) == [], url
    log_in(page, "coordinator.a@example.org")
    for url in [
        "/en/events/manage/",
        "/en/events/manage/new/",
        f"/en/events/manage/{event.pk}/registrations/",
        "/en/events/manage/report/",
        "/en/events/mine/",
    ]:
        page.goto(url)
        assert serious_violations(page) == [], url
