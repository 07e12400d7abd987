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

import io
import re
from collections import Counter

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from mosty.accounts.models import User
from mosty.core.citypack import city_init
from mosty.core.seeding import seed_run
from mosty.organisations.seed import DEMO_USERS

# Pages a link may lead to but the walk does not open: signing out ends the walk, downloads
# and feeds are files (their own tests read them), the language switch is a form.
NOT_OPENED = re.compile(r"/(accounts/logout|i18n|admin|api)/|\.(csv|xlsx|pdf|ics|xml|json|zip)$")
# How many addresses of one page (one view) are opened: the first two show whether the
# page answers; every participant's page would only make the walk slower.
PER_PAGE = 2


def _links(html: str) -> list[str]:
    return [
        link
        for link in re.findall(r'href="(/[^"#?]*)', html)
        if not link.startswith(("/static/", "/media/")) and not NOT_OPENED.search(link)
    ]


def _walk(client: Client, start: str) -> list[tuple[str, str, int]]:
    """(page, link, status) of each link that does not open, over every page reached."""
    todo = [("(start)", start)]
    seen: set[str] = set()
    per_view: Counter[str] = Counter()
    broken = []
    while todo:
        source, path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            with translation.override(path.split("/")[1]):
                view = resolve(path).view_name
        except Resolver404:
            broken.append((source, path, 404))
            continue
        if per_view[view] >= PER_PAGE:
            continue
        per_view[view] += 1
        response = client.get(path)
        if response.status_code in (403, 404) or response.status_code >= 500:
            broken.append((source, path, response.status_code))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        todo.extend((path, link) for link in _links(response.content.decode()))
    return broken


@pytest.mark.django_db
def test_no_demo_login_is_shown_a_link_that_leads_nowhere():
    city_init(path=settings.DEMO_PACK)
    seed_run(scale="demo", out=io.StringIO())
    broken = {}
    for email, *_rest in DEMO_USERS:
        client = Client()
        client.force_login(User.objects.get(email=email))
        broken[email] = _walk(client, "/en/")
    broken["(visitor)"] = _walk(Client(), "/en/")
    broken = {who: links for who, links in broken.items() if links}
    assert not broken, "\n".join(
        f"{who}: on {page} a link to {link} answers {status}"
        for who, links in broken.items()
        for page, link, status in links
    )
