from playwright.sync_api import expect

from tests.browser.conftest import log_in, serious_violations, submit


def test_home_in_polish_then_arabic_is_right_to_left(page, bworld):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "pl"
    page.select_option("#language-select", "ar")
    page.get_by_role("button", name="Zmień język").click()
    page.wait_for_url("**/ar/")
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar"
    assert html.get_attribute("dir") == "rtl"
    assert page.locator("link[href*='bootstrap.rtl']").count() == 1
    # The choice persists: the bare root now sends this visitor to Arabic.
    page.goto("/")
    assert page.url.endswith("/ar/")


def test_login_and_logout(page, bworld):
    log_in(page, "coordinator.a@example.org")
    assert "/en/dashboard/" in page.url
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()
    page.get_by_role("button", name="Coordinatora").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_public_and_staff_pages_have_no_serious_accessibility_violations(page, bworld):
    for url in ["/pl/", "/ar/", "/en/accounts/login/"]:
        page.goto(url)
        assert serious_violations(page) == [], url
    log_in(page, "admin.a@example.org")
    for url in [
        "/en/dashboard/",
        "/en/manage/organisations/",
        "/en/manage/users/",
        "/en/audit/",
        f"/en/manage/organisations/{bworld.org_a.pk}/members/",
    ]:
        page.goto(url)
        assert serious_violations(page) == [], url


def test_enrol_totp_mfa_and_log_in_with_a_recovery_code(page, bworld):
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    log_in(page, "coordinator.a@example.org")
    page.goto("/en/accounts/2fa/")
    page.get_by_role("link", name="Activate").first.click()
    # allauth asks for the password again before changing security settings.
    page.locator("input[name=password]").fill("correct horse battery")
    submit(page)
    secret = page.locator("#authenticator_secret").input_value()
    assert len(secret) >= 16
    # A code is good for its 30-second window only: do not type one that is about to expire.
    if time.time() % 30 > 24:
        time.sleep(30.5 - time.time() % 30)
    page.locator("input[name=code]").fill(
        format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    )
    submit(page)
    page.goto("/en/accounts/2fa/recovery-codes/")
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10
    # Log out and in again: the second factor is now asked for; a recovery code works once.
    page.get_by_role("button", name="Coordinatora").click()
    page.get_by_role("button", name="Log out").click()
    log_in(page, "coordinator.a@example.org")
    assert "/accounts/2fa/authenticate/" in page.url
    page.locator("input[name=code]").fill(codes[0])
    submit(page)
    assert "/en/dashboard/" in page.url
