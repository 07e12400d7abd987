"""Every form of the demo city answers bad input with a page, never a server error.

The walk of `tests/walking.py` opens each page of the demo once, as the first demo login who
reaches it, and submits every form on it with each bad value below in every field (hidden
fields, selects and checkboxes too: a request is not bound by the page that sent it; empty
fields are each module's own tests' business). A number larger than the database's integers
answered 500 on the public mentoring application and three other forms (SQLite cannot
compare one), a NUL byte in a search box on ten forms (PostgreSQL refuses it); this keeps the
next form from doing the same. Each page is also asked for a page number beyond the
database's integers (the HSDS API answered 500 to one). Forms that delete, erase or sign
out are left alone: they would end the walk.
"""

import re

import lxml.html
import pytest

from tests.walking import demo_city, first_readers, reader

BAD = {
    "beyond the database's integers": "9" * 30,
    "a NUL byte and markup": "x\x00'\"<b>ę",
    "5,000 characters": "x" * 5000,
    "an impossible date": "2026-02-31",
}
LEFT_ALONE = re.compile(r"/(accounts/logout|i18n)/|delete|erase|remove")
NOT_FILLED = {"submit", "button", "reset", "image", "file"}


def _forms(html: str, path: str):
    """(method, action, field names) of each form on the page that stays on this site."""
    for form in lxml.html.fromstring(html).forms:
        action = form.get("action") or path
        if not action.startswith("/") or LEFT_ALONE.search(action):
            continue
        names = {
            element.get("name")
            for element in form.inputs
            if element.get("name")
            and element.get("name") != "csrfmiddlewaretoken"
            and (element.get("type") or "").lower() not in NOT_FILLED
        }
        yield (form.get("method") or "get").lower(), action, sorted(names)


@pytest.mark.django_db
def test_no_form_answers_bad_input_with_a_server_error():
    demo_city()
    errors, sent = [], 0
    for email, paths in first_readers().items():
        client = reader(email)
        client.raise_request_exception = False
        for path in paths:
            # A page number beyond the database's integers (the HSDS API answered 500).
            if client.get(path, {"page": BAD["beyond the database's integers"]}).status_code >= 500:
                errors.append(f"{email or '(visitor)'}: get {path} with page beyond integers")
            page = client.get(path)
            # A redirect has no forms (an idea's edit page, once the walk's own post to its
            # Withdraw button closed the idea, leads to the idea).
            if "text/html" not in page.get("Content-Type", "") or not page.content:
                continue
            for method, action, names in _forms(page.content.decode(), path):
                for what, value in BAD.items():
                    data = dict.fromkeys(names, value)
                    answer = (
                        client.post(action, data) if method == "post" else client.get(action, data)
                    )
                    sent += 1
                    if answer.status_code >= 500:
                        errors.append(f"{email or '(visitor)'}: {method} {action} with {what}")
    assert sent > 400  # the walk reached the modules' forms
    assert not errors, "\n".join(errors)
