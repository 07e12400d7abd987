"""The newcomer's walk on a phone-sized screen: the caseworker invites them from their page →
they choose a password with the code → log in → see their plan in Ukrainian → mark a task done →
ask for help → the caseworker sees both on the dashboard."""

import re

from mosty.messaging.models import Message
from tests.browser.conftest import log_in, serious_violations
from tests.cases.factories import make_case, make_goal, make_participant, make_task

PHONE = {"width": 390, "height": 844}


def _submit(page):
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()


def test_invite_log_in_plan_task_help_on_a_phone(page, bworld):
    page.set_viewport_size(PHONE)
    worker = bworld.user("caseworker", "a")
    participant = make_participant(
        bworld, "a", email="olena@example.org", languages=[{"code": "uk", "level": "native"}]
    )
    task = make_task(
        make_goal(make_case(bworld, "a", participant=participant)), title="Zapisać się do lekarza"
    )

    # The caseworker invites from the participant's page.
    log_in(page, worker.email)
    page.goto(f"/en/participants/{participant.pk}/")
    page.get_by_role("link", name="Invite to the portal").click()
    page.get_by_label("E-mail with a link").check()
    page.locator("[name=consent_text]").fill("I want my own page in Mosty.")
    _submit(page)
    notice = page.locator("[role=status]").first.inner_text()
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}", notice).group(0)
    invitation = Message.objects.get(template="portal_invitation_email")
    assert invitation.language == "uk" and invitation.recipient_participant_id == participant.pk

    # The newcomer opens the link (in Ukrainian) and chooses a password.
    page.context.clear_cookies()
    page.goto(f"/uk/my/join/{code}/")
    assert page.locator("[name=code]").input_value() == code
    page.locator("[name=email]").fill("olena.own@example.org")
    page.locator("[name=password1]").fill("a long safe password 42")
    page.locator("[name=password2]").fill("a long safe password 42")
    _submit(page)
    log_in(page, "olena.own@example.org", "a long safe password 42", lang="uk")

    # Their page, in their language; no horizontal scrolling on a phone.
    page.goto("/uk/my/")
    assert page.locator("h2", has_text="Мої найближчі зустрічі").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_violations(page) == []

    # The plan, and the task marked done with a note.
    page.get_by_role("link", name="Переглянути мій план").click()
    assert task.title in page.content()
    page.get_by_role("link", name=re.compile(f"^Готово.*{task.title}")).click()
    page.locator("[name=note]").fill("Записалася на 12 грудня")
    _submit(page)
    assert "Дякуємо" in page.locator("[role=status]").first.inner_text()

    # Ask for help.
    page.goto("/uk/my/help/")
    page.locator("[name=text]").fill("Потрібен перекладач на прийом до лікаря")
    _submit(page)

    # The caseworker sees both on the dashboard.
    page.context.clear_cookies()
    log_in(page, worker.email)
    page.goto("/en/dashboard/")
    body = page.locator("main").inner_text()
    assert "Потрібен перекладач на прийом до лікаря" in body
    assert "Записалася на 12 грудня" in body
    assert serious_violations(page) == []
