"""A mentor's whole path in a browser: sign-up -> vetting -> matching -> accept -> meeting ->
check-in -> end, each step done by the person whose job it is."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from mosty.mentoring.models import MatchingRun
from mosty.mentoring.tasks import matching_run_compute
from tests.browser.conftest import log_in, serious_violations


def _client(browser, live_server, email):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15000)
    page = context.new_page()
    log_in(page, email)
    return context, page


def test_mentoring_lifecycle(page, browser, live_server, bworld):
    from mosty.accounts.models import User
    from mosty.mentoring.models import Match, Mentor
    from tests.mentoring.factories import waiting_participant

    # 1. A resident applies, without logging in.
    page.goto("/en/mentoring/apply/")
    assert serious_violations(page) == []
    page.select_option("select[name=organisation]", label="Org A")
    page.select_option("select[name=kind]", "individual")
    page.get_by_label("Your name").fill("Ewa Kowalska")
    page.get_by_label("Email address").fill("ewa@example.org")
    page.select_option("select[name=gender]", "female")
    page.select_option("select[name=lang_pl]", "native")
    page.select_option("select[name=lang_uk]", "C1")
    page.get_by_label("Tuesday evenings").check()
    page.get_by_label("Why do you want to become a mentor?").fill("I have time on Tuesdays.")
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_role("heading", name="Thank you for applying")).to_be_visible()
    mentor = Mentor.objects.get(email="ewa@example.org")

    # 2. The coordinator vets the application step by step.
    coordinator, cpage = _client(browser, live_server, "coordinator.a@example.org")
    cpage.goto("/en/mentoring/mentors/")
    cpage.get_by_role("link", name="Ewa Kowalska").click()
    for step in ["interviewed", "references_checked", "certificate_checked", "trained", "approved"]:
        cpage.select_option("select[name=step]", step)
        cpage.get_by_role("button", name="Record step").click()
        expect(cpage.get_by_text("Vetting step recorded.")).to_be_visible()
    expect(cpage.locator("h1")).to_contain_text("Approved")

    # 3. A participant who consented to mentoring waits; the engine proposes Ewa.
    waiting_participant(bworld.org_a, first_name="Oksana", district=bworld.district)
    cpage.goto("/en/mentoring/matching/")
    expect(cpage.get_by_text("No proposals have been computed yet.")).to_be_visible()
    cpage.get_by_role("button", name="Compute proposals").click()
    # What the worker (`mosty worker`) does with the queued run.
    matching_run_compute.call(MatchingRun.objects.latest("pk").pk)
    cpage.goto("/en/mentoring/matching/")
    assert serious_violations(cpage) == []
    expect(cpage.get_by_text(re.compile("Proposals computed"))).to_be_visible()
    expect(cpage.get_by_text(re.compile("speaks Ukrainian"))).to_be_visible()
    # The coordinator may look at every mentor who could take Oksana before deciding.
    cpage.get_by_role("link", name="Other mentors for Oksana").click()
    expect(cpage.locator("h1")).to_contain_text("Choose a mentor for Oksana")
    expect(cpage.get_by_role("button", name="Propose Ewa")).to_be_visible()
    assert serious_violations(cpage) == []
    cpage.get_by_role("link", name="Back to matching").click()
    cpage.get_by_role("button", name="Send the ticked proposals to the mentors").click()
    expect(cpage.get_by_text("Proposals sent to the mentors.")).to_be_visible()
    match = Match.objects.get(mentor=mentor)

    # 4. Ewa (her account was opened at approval) accepts.
    user = User.objects.get(email="ewa@example.org")
    user.set_password("correct horse battery")
    user.save()
    mentor_ctx, mpage = _client(browser, live_server, "ewa@example.org")
    mpage.goto("/en/mentoring/")
    mpage.get_by_role("link", name="Oksana").click()
    mpage.get_by_role("button", name="Accept").click()
    expect(mpage.locator("h1")).to_contain_text("Accepted by the mentor")

    # 5. The coordinator starts the match.
    cpage.goto(f"/en/mentoring/matches/{match.pk}/")
    cpage.get_by_role("button", name="Start the match").click()
    expect(cpage.get_by_text("The match is active.")).to_be_visible()

    # 6. Ewa logs a meeting.
    mpage.goto(f"/en/mentoring/matches/{match.pk}/")
    mpage.get_by_role("link", name="Log a meeting").click()
    mpage.get_by_label("Date").fill(timezone.localdate().isoformat())
    mpage.get_by_label("Duration in minutes").fill("90")
    mpage.select_option("select[name=activity]", "office")
    mpage.get_by_role("button", name="Save").click()
    expect(mpage.get_by_text("Visit to an office")).to_be_visible()

    # 7. The coordinator records the monthly check-in.
    cpage.goto(f"/en/mentoring/matches/{match.pk}/")
    cpage.get_by_role("link", name="Record a check-in").click()
    cpage.get_by_label("Date").fill(timezone.localdate().isoformat())
    cpage.select_option("select[name=mentor_satisfaction]", "5")
    cpage.select_option("select[name=participant_satisfaction]", "4")
    cpage.get_by_role("button", name="Save").click()
    expect(cpage.get_by_text("mentor 5/5, participant 4/5")).to_be_visible()

    # 8. Ewa ends the match with her feedback.
    mpage.goto(f"/en/mentoring/matches/{match.pk}/end/")
    mpage.select_option("select[name=reason]", "goals_reached")
    mpage.get_by_label("Your feedback").fill("Oksana now goes to the office alone.")
    mpage.get_by_role("button", name="Save").click()
    expect(mpage.locator("h1")).to_contain_text("Ended")
    match.refresh_from_db()
    assert match.status == "ended" and match.mentor_feedback.startswith("Oksana")
    for context in (coordinator, mentor_ctx):
        context.close()


def _fill_the_application(page) -> None:
    """Everything the mentor application asks for besides the programme."""
    page.select_option("select[name=kind]", "individual")
    page.get_by_label("Your name").fill("Jan Nowak")
    page.get_by_label("Email address").fill("jan@example.org")
    page.select_option("select[name=lang_pl]", "native")
    page.get_by_label("Why do you want to become a mentor?").fill("Time on Saturdays.")
    page.locator("input[name=consent]").check()


def test_applicant_finds_a_programme_by_typing_and_sends_with_enter(page, bworld):
    from mosty.core.forms import SEARCH_SHOWN
    from mosty.mentoring.models import Mentor
    from tests.factories import MembershipFactory

    # More programmes than the list shows at first, all before "Org B" by name.
    for i in range(SEARCH_SHOWN):
        MembershipFactory(role="coordinator", organisation__name=f"Centre {i:03d}")
    page.goto("/en/mentoring/apply/")
    programme = page.get_by_label("Programme you are applying to")
    expect(programme.locator("option", has_text="Org B")).to_have_count(0)
    programme.select_option(label="Centre 000")
    _fill_the_application(page)
    # The list follows what is typed in the programme's box, and Enter there finds too,
    # though the form could be sent as it is.
    page.locator("#id_organisation_q").fill("org b")
    expect(programme.locator("option", has_text="Org B")).to_have_count(1)
    # (htmx swaps the list in after the answer: wait for it, or a choice made before the
    # swap is replaced by the list the server drew.)
    with page.expect_response(lambda r: "/apply/" in r.url and r.request.method == "POST"):
        page.locator("#id_organisation_q").press("Enter")
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    expect(programme.locator("option", has_text="Org B")).to_have_count(1)
    assert page.url.endswith("/apply/") and not Mentor.objects.exists()
    programme.select_option(label="Org B")
    assert serious_violations(page) == []
    # Enter in a field sends the application (the box's "Find" is not the form's default).
    page.get_by_label("Your name").press("Enter")
    expect(page.get_by_role("heading", name="Thank you for applying")).to_be_visible()
    assert Mentor.objects.get(email="jan@example.org").organisation == bworld.org_b


def test_a_choice_made_while_the_list_is_searching_is_kept(page, bworld):
    from mosty.mentoring.models import Mentor

    page.goto("/en/mentoring/apply/")
    programme = page.get_by_label("Programme you are applying to")
    programme.select_option(label="Org A")
    # The search's answer is held back while the applicant chooses another programme.
    held = []
    page.route(
        re.compile(r".*/mentoring/apply/$"),
        lambda route: held.append(route) if route.request.method == "POST" else route.fallback(),
    )
    page.locator("#id_organisation_q").fill("org")
    page.wait_for_function("() => document.querySelector('.htmx-request')")
    programme.select_option(label="Org B")
    page.wait_for_timeout(50)  # let Playwright take the held request
    assert len(held) == 1
    # The answer was drawn with "Org A" chosen; the list it brings keeps "Org B".
    held[0].continue_()
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    page.unroute(re.compile(r".*/mentoring/apply/$"))
    expect(programme.locator("option:checked")).to_have_text("Org B")
    _fill_the_application(page)
    page.get_by_label("Your name").press("Enter")
    expect(page.get_by_role("heading", name="Thank you for applying")).to_be_visible()
    assert Mentor.objects.get(email="jan@example.org").organisation == bworld.org_b


def test_a_note_of_one_endless_word_does_not_widen_the_page(page, bworld):
    """A pasted link or a key held down: the mentor's meeting note breaks inside the page
    instead of making it thousands of pixels wide."""
    from tests.mentoring.factories import MatchFactory, MeetingFactory

    match = MatchFactory(mentor__organisation=bworld.org_a)
    MeetingFactory(match=match, note="x" * 2000)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, bworld.user("coordinator").email)
    page.goto(f"/en/mentoring/matches/{match.pk}/")
    expect(page.get_by_text("x" * 50)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
