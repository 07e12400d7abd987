"""A caseworker searches, registers a participant and records their consent."""

import re

from playwright.sync_api import expect

from mosty.people.models import Consent, Participant
from tests.browser.conftest import log_in, serious_violations
from tests.people.factories import ParticipantFactory


def test_caseworker_searches_registers_and_records_consent(page, bworld):
    caseworker = bworld.user("caseworker", "a")
    ParticipantFactory(
        owner=bworld.org_a,
        created_by=caseworker,
        first_name="Oleksandr",
        last_name="Melnyk",
        first_name_original="Олександр",
        last_name_original="Мельник",
    )
    log_in(page, caseworker.email)
    page.get_by_role("link", name="Participants").first.click()
    page.get_by_role("link", name="Register a participant").first.click()
    assert serious_violations(page) == []

    # The existing person is found under another spelling (live search, htmx).
    page.get_by_label("Name, phone or code").fill("Aleksandr Melnik")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("Oleksandr Melnyk").wait_for()

    # A new person is not found, so the caseworker registers them.
    page.get_by_label("Name, phone or code").fill("Mariam Haddad")
    page.get_by_label("Birth year").fill("1991")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("Nobody found").wait_for()
    page.get_by_role("link", name="Register as new participant").click()
    page.wait_for_load_state()
    assert page.get_by_label("First name (Latin script)").input_value() == "Mariam"
    assert page.get_by_label("Last name (Latin script)").input_value() == "Haddad"
    page.get_by_label("First name (original script)").fill("مريم")
    page.get_by_label("Country of origin").select_option("SY")
    # Citizenship: a country not listed at first is found by typing (issue 15).
    assert page.locator("#id_citizenship option[value=LB]").count() == 0
    page.locator("#id_citizenship_q").fill("leban")
    page.locator("#id_citizenship option[value=LB]").wait_for(state="attached")
    page.get_by_label("Citizenship").select_option("LB")
    page.get_by_label("Language 1", exact=True).select_option("ar")
    page.get_by_label("Level of language 1").select_option("native")
    page.get_by_label("Phone").fill("+48 511 222 333")
    page.locator("#id_members-0-name").fill("Yusuf")
    page.locator("#id_members-0-birth_year").fill("2016")
    page.locator("#id_members-0-relationship").fill("son")
    assert serious_violations(page) == []
    # Enter in a field saves (the countries' "Find" buttons are not the form's default).
    page.locator("#id_members-0-relationship").press("Enter")
    page.wait_for_url(re.compile(r"/participants/\d+/$"))

    participant = Participant.objects.get(last_name="Haddad")
    assert participant.code in page.content()
    assert (participant.country_of_origin, participant.citizenship) == ("SY", "LB")
    page.get_by_text("Yusuf").wait_for()
    assert serious_violations(page) == []

    page.get_by_role("link", name="Record consent").click()
    page.locator("#id_purpose").select_option("case_management")
    page.get_by_label("Text shown to the participant").fill(
        "Fundacja keeps your data to help you; you can withdraw at any time."
    )
    page.get_by_role("button", name="Record consent").click()
    page.wait_for_load_state()
    page.get_by_text("Consent recorded.").wait_for()
    consent = Consent.objects.get(participant=participant)
    assert consent.purpose == "case_management" and consent.recorded_by == caseworker
    expect(page.get_by_role("button", name="Withdraw")).to_be_visible()


def test_coordinator_pages_are_accessible_also_right_to_left(page, bworld):
    participant = ParticipantFactory(owner=bworld.org_a, district=bworld.district)
    log_in(page, bworld.user("coordinator", "a").email, lang="ar")
    for url in [
        "/ar/participants/",
        "/ar/participants/intake/?q=Oleksandr",
        f"/ar/participants/{participant.pk}/",
        f"/ar/participants/{participant.pk}/edit/",
        f"/ar/participants/{participant.pk}/export/",
        f"/ar/participants/{participant.pk}/erase/",
        "/ar/participants/import/",
    ]:
        page.goto(url)
        assert page.locator("html").get_attribute("dir") == "rtl", url
        assert serious_violations(page) == [], url


def test_print_button_of_the_data_export_prints_under_the_csp(page, bworld):
    """The button had an inline onclick, which the Content Security Policy blocks."""
    participant = ParticipantFactory(owner=bworld.org_a)
    page.add_init_script(
        "window.__printed = 0; window.print = function () { window.__printed += 1; };"
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " function (e) { window.__violations.push(e.violatedDirective); });"
    )
    log_in(page, bworld.user("coordinator", "a").email)
    page.goto(f"/en/participants/{participant.pk}/export/")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed") == 1
    assert page.evaluate("window.__violations") == []
