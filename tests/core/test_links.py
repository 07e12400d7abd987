"""Every link a page shows leads somewhere its reader may go.

A page that lists records its reader may act on in one way (a caseworker entering paper
answers for a survey) must not link them to a page they may not open (the survey's settings
and results): they would meet "page not found" or "not allowed". This walks the demo city as
each demo login, following the links of every page they reach, and fails on a link that
answers 403, 404 or an error. A browser walk of the demo found four such links (the survey
list's titles and its focus-group button for caseworkers, the administrator's certificate
links on the hours report, the housing form's Cancel for institution staff); this keeps the
next module from adding one.
"""

import re
from collections import Counter

import pytest
from django.test import Client

from mosty.accounts.models import User
from mosty.organisations.seed import DEMO_USERS
from tests.walking import demo_city, walk

# How many addresses of one page (one view) are opened: the first two show whether the
# page answers; every participant's page would only make the walk slower.
PER_PAGE = 2


_ID = re.compile(r"""\sid=["']([^"']+)["']""")


def _twice(html: str) -> list[str]:
    """The ids a page gives to more than one element: a label or an error message that
    points at one of them may name the wrong field."""
    found = Counter(_ID.findall(html))
    return sorted(name for name, count in found.items() if count > 1)


def _broken(client: Client, start: str) -> list[tuple[str, str, int | str]]:
    """(page, link, status) of each link that does not open, over every page reached, and
    (page, id, "id twice") of each id two elements share."""
    doubled: list[tuple[str, str, int | str]] = []

    def inspect(path: str, html: str) -> None:
        doubled.extend((path, name, "id twice") for name in _twice(html))

    broken: list[tuple[str, str, int | str]] = [
        (page, link, status)
        for page, link, _view, status in walk(client, start, per_view=PER_PAGE, inspect=inspect)
        if status in (403, 404) or status >= 500
    ]
    return broken + doubled


@pytest.mark.django_db
def test_no_demo_login_is_shown_a_link_that_leads_nowhere():
    demo_city()
    broken = {}
    for email, *_rest in DEMO_USERS:
        client = Client()
        client.force_login(User.objects.get(email=email))
        broken[email] = _broken(client, "/en/")
    broken["(visitor)"] = _broken(Client(), "/en/")
    broken = {who: links for who, links in broken.items() if links}
    assert not broken, "\n".join(
        f"{who}: on {page} "
        + (
            f"id {link!r} is given twice"
            if status == "id twice"
            else f"a link to {link} answers {status}"
        )
        for who, links in broken.items()
        for page, link, status in links
    )
