"""A caseworker's walk: intake (the people app's pages) → consents → case → assessment → plan →
referral; the partner organisation's caseworker accepts and then sees only the shared fields."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in, serious_violations


def _submit(page):
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()


def test_intake_to_accepted_referral(page, bworld):
    worker_a = bworld.user("caseworker", "a")
    log_in(page, worker_a.email)

    # Intake: register the participant on the people app's page.
    page.goto("/en/participants/new/")
    page.locator("[name=first_name]").fill("Oleksandr")
    page.locator("[name=last_name]").fill("Kovalenko")
    page.locator("[name=phone]").fill("+48 600 111 222")
    page.locator("[name=birth_year]").fill("1986")
    _submit(page)
    match = re.search(r"/participants/(\d+)/$", page.url)
    assert match, page.url
    participant_id = match.group(1)

    for purpose in ("case_management", "referral"):
        page.goto(f"/en/participants/{participant_id}/consents/new/")
        page.locator("[name=purpose]").select_option(purpose)
        page.locator("[name=text_shown]").fill("I agree that my case is managed and referred.")
        _submit(page)

    # Open the case: the code comes prefilled from the participant.
    page.goto(f"/en/cases/new/?participant={participant_id}")
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_load_state()
    assert re.search(r"/cases/\d+/$", page.url), page.url
    case_url = page.url
    assert serious_violations(page) == []

    # Assessment: twelve domains.
    page.get_by_role("link", name="New assessment").click()
    for select in page.locator("select[name^=score_]").all():
        select.select_option("2")
    page.locator("[name=comment_housing]").fill("Lives in a hostel")
    page.get_by_role("button", name="Save the assessment").click()
    page.wait_for_load_state()
    assert page.locator("svg[role=img]").count() == 12
    assert serious_violations(page) == []

    # Plan: a goal with a task, then ask for approval.
    page.goto(case_url)
    page.get_by_role("link", name="New goal").click()
    page.locator("[name=domain]").select_option("housing")
    page.locator("[name=title]").fill("Rent a flat")
    _submit(page)
    page.get_by_role("link", name="Add a task").click()
    page.locator("[name=title]").fill("Visit three flats")
    page.locator("[name=assignee_user]").select_option(str(worker_a.pk))
    _submit(page)
    page.get_by_role("button", name="Ask for approval").click()
    page.wait_for_load_state()
    assert page.get_by_text("Approval requested").count() >= 1

    # Referral to organisation B, sharing the first name only.
    page.get_by_role("link", name="Refer to a partner").click()
    page.locator("[name=to_organisation]").select_option(str(bworld.org_b.pk))
    page.locator("[name=domain]").select_option("housing")
    page.get_by_label("First name").check()
    page.locator("[name=message]").fill("Please help to find a flat.")
    _submit(page)
    assert "/cases/referrals/" in page.url
    referral_url = page.url

    # The partner's caseworker accepts, then sees the shared field and nothing else.
    page.context.clear_cookies()
    log_in(page, bworld.user("caseworker", "b").email)
    page.goto("/en/cases/referrals/")
    page.locator("main").get_by_role("link", name=re.compile(r"\d")).first.click()
    page.wait_for_load_state()
    assert page.url == referral_url
    assert "Oleksandr" not in page.content()
    page.get_by_role("button", name="Accept").click()
    page.wait_for_load_state()
    content = page.content()
    assert "Oleksandr" in content
    assert "Kovalenko" not in content and "600 111 222" not in content
    assert serious_violations(page) == []
    page.goto(case_url)
    assert "Kovalenko" not in page.content()


def test_referral_search_box_narrows_the_service_list_as_one_types(page, bworld):
    from mosty.core.forms import SEARCH_SHOWN
    from tests.cases.factories import make_case
    from tests.directory.factories import ServiceFactory

    worker = bworld.user("caseworker", "a")
    case = make_case(bworld, lead=worker)
    for i in range(SEARCH_SHOWN + 3):
        ServiceFactory(organisation=bworld.org_b, name=f"Kurs polskiego {i:03}")
    ServiceFactory(organisation=bworld.org_b, name="Zzz psycholog dla dzieci")
    log_in(page, worker.email)
    page.goto(f"/en/cases/{case.pk}/referrals/new/")
    services = page.locator("select[name=to_service] option")
    assert services.filter(has_text="Zzz psycholog").count() == 0

    page.get_by_label("Find in the list below").last.fill("psycholog")
    expect(services.filter(has_text="Zzz psycholog dla dzieci")).to_have_count(1)
    expect(services.filter(has_text="Kurs polskiego")).to_have_count(0)
    page.locator("select[name=to_service]").select_option(
        label=f"Zzz psycholog dla dzieci · {bworld.org_b.name}"
    )
    page.locator("[name=domain]").select_option("health")
    page.locator("[name=message]").fill("Please help with an appointment.")
    page.get_by_role("button", name=re.compile("Send|Save")).last.click()
    page.wait_for_load_state()
    assert re.search(r"/cases/referrals/\d+/$", page.url), page.url
    assert serious_violations(page) == []
