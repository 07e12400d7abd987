"""axe-core on every page of the demo city, right to left, on a phone's screen.

Each page (view) is checked once, in Arabic, as the first demo login who reaches it by
following links from the home page (the administrator first, then each role, then a
visitor): a new module's pages are checked the day they are linked, with the demo's data in
them. The walk finds the pages with the test client; Chromium opens each and runs axe. A
page's other addresses and other readers differ in data, not in markup, and each module's
own browser tests check its forms and their errors.
"""

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import serious_violations
from tests.walking import demo_city, first_readers, reader


@pytest.mark.django_db(transaction=True)
def test_every_page_has_no_serious_accessibility_violation(browser, live_server):
    demo_city()
    by_reader = first_readers("/ar/")
    found: dict[str, list[dict]] = {}
    checked = 0
    for email, paths in by_reader.items():
        # A phone's width: newcomers, mentors and assistants read Mosty on phones, and a
        # table that scrolls sideways there must be reachable from the keyboard.
        context = browser.new_context(
            base_url=live_server.url, locale="ar", viewport={"width": 390, "height": 844}
        )
        context.set_default_timeout(15000)
        if email:
            cookie = reader(email).cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
        page = context.new_page()
        for path in paths:
            try:
                response = page.goto(path)
            except PlaywrightError as error:  # a download (an offline bundle), not a page
                if "Download is starting" in str(error):
                    continue
                raise
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            assert response.status == 200, path
            checked += 1
            violations = serious_violations(page)
            if violations:
                found[f"{email or '(visitor)'} {path}"] = violations
        context.close()
    assert checked > 150  # the walk reached every module's pages
    assert not found, found
