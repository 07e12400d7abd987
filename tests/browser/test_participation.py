from playwright.sync_api import expect

from tests.browser.conftest import log_in, serious_violations
from tests.participation.factories import make_call, make_programme


def _as(page, email: str) -> None:
    page.context.clear_cookies()
    log_in(page, email)


def test_newcomers_idea_goes_from_draft_to_selected_with_a_mentor(page, bworld):
    programme = make_programme(bworld.org_a, title="Budżet obywatelski")
    make_call(programme, title="Nabór 2027")
    _as(page, "participant.a@example.org")
    page.goto("/en/participation/ideas/new/")
    assert serious_violations(page) == []
    page.locator("#id_kind").select_option("project")
    page.locator("#id_call").select_option(label="Budżet obywatelski: Nabór 2027")
    page.locator("#id_title").fill("Kącik językowy")
    page.locator("#id_text").fill("Spotkania po polsku i ukraińsku.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/participation/ideas/*/")
    idea_url = page.url
    assert page.locator("#idea-status").inner_text() == "Draft"

    _as(page, "coordinator.a@example.org")
    page.goto(idea_url)
    assert serious_violations(page) == []
    mentor = bworld.user("mentor")
    page.locator("#id_supporter").select_option(str(mentor.pk))
    page.get_by_role("button", name="Assign").click()
    assert mentor.get_full_name() in page.locator("#idea-supporter").inner_text()

    _as(page, "mentor.a@example.org")
    page.goto(idea_url)
    page.locator("#id_hours").fill("1.5")
    page.get_by_role("button", name="Log support").click()
    assert "1.5" in page.locator("#support-hours").inner_text()
    page.get_by_role("button", name="Submit").click()
    assert page.locator("#idea-status").inner_text() == "Submitted"

    _as(page, "caseworker.a@example.org")
    page.goto(idea_url)
    page.locator("#id_result").select_option("selected")
    page.get_by_role("button", name="Record the result").click()
    assert page.locator("#idea-status").inner_text() == "Selected"


def test_opinion_on_a_consultation_is_answered_and_the_author_sees_it(page, bworld):
    programme = make_programme(bworld.org_b, title="Konsultacje", kind="consultation")
    call = make_call(programme, title="Strategia 2030", collects_opinions=True)
    # A visitor reads the consultation in Arabic and asks for alerts.
    page.goto(f"/ar/participation/calls/{call.pk}/")
    assert serious_violations(page) == []
    page.goto("/ar/participation/calls/")
    assert serious_violations(page) == []

    _as(page, "participant.a@example.org")
    page.goto(f"/en/participation/calls/{call.pk}/")
    page.get_by_role("link", name="Send your opinion").click()
    page.locator("#id_title").fill("Tłumaczenia w urzędzie")
    page.locator("#id_text").fill("Prosimy o formularze po ukraińsku.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/participation/ideas/*/")
    idea_url = page.url
    page.get_by_role("button", name="Submit").click()
    assert page.locator("#idea-status").inner_text() == "Submitted"

    _as(page, "coordinator.b@example.org")
    page.goto(f"/en/participation/calls/{call.pk}/")
    page.get_by_role("link", name="Responses and answers").click()
    assert serious_violations(page) == []
    expect(page.get_by_text("Prosimy o formularze po ukraińsku.")).to_be_visible()
    page.locator("textarea[name=answer]").fill("Uwzględniono w rozdziale 3.")
    page.get_by_role("button", name="Record the answer").click()
    expect(page.get_by_text("Uwzględniono w rozdziale 3.")).to_be_visible()

    _as(page, "participant.a@example.org")
    page.goto(idea_url)
    expect(page.get_by_text("Uwzględniono w rozdziale 3.")).to_be_visible()
    page.goto(f"/en/participation/calls/{call.pk}/")
    assert "1 opinion was sent" in page.locator("#voice-counts").inner_text()


def test_group_pages_have_no_serious_accessibility_violations(page, bworld):
    from tests.participation.factories import make_group, make_policy_document

    group = make_group(bworld, kind="cooperative", leader=bworld.user("participant"))
    document = make_policy_document(group)
    for url in [
        "/ar/participation/",
        f"/ar/participation/groups/{group.pk}/about/",
        f"/fa/participation/groups/policy/{document.pk}/results/",
    ]:
        page.goto(url)
        assert serious_violations(page) == [], url
    _as(page, "participant.a@example.org")  # the group's leader
    for url in [
        "/en/participation/groups/",
        f"/en/participation/groups/{group.pk}/",
        f"/en/participation/groups/{group.pk}/members/new/",
        f"/en/participation/groups/{group.pk}/edit/",
        f"/en/participation/groups/{group.pk}/milestones/",
        f"/en/participation/groups/policy/{document.pk}/",
    ]:
        page.goto(url)
        assert serious_violations(page) == [], url
    page.goto(f"/en/participation/groups/policy/{document.pk}/")
    page.locator("#comment-1").fill("Zgoda, ale wieczorem.")
    page.get_by_role("button", name="Add the comment").first.click()
    expect(page.get_by_text("Zgoda, ale wieczorem.")).to_be_visible()
