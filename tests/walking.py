"""Walking the demo city as its users do: from the home page, following every link.

`tests/core/test_links.py` fails on a link that leads nowhere; `tests/core/test_bad_forms.py`
submits every form it reaches with bad input; `tests/browser/test_every_page.py` opens each
page `first_readers` finds in Chromium and runs axe-core on it. All walk with the test client.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation

# Pages a link may lead to but a walk does not open: signing out ends the walk, downloads
# and feeds are files (their own tests read them), the language switch is a form.
NOT_OPENED = re.compile(r"/(accounts/logout|i18n|admin|api)/|\.(csv|xlsx|pdf|ics|xml|json|zip)$")


def demo_city() -> None:
    """The demo city, as `mosty demo` seeds it."""
    from mosty.core.citypack import city_init
    from mosty.core.seeding import seed_run

    city_init(path=settings.DEMO_PACK)
    seed_run(scale="demo", out=io.StringIO())


def links(html: str) -> list[str]:
    """The site's own addresses a page links to, in the order they stand."""
    return [
        link
        for link in re.findall(r'href="(/[^"#?]*)', html)
        if not link.startswith(("/static/", "/media/")) and not NOT_OPENED.search(link)
    ]


def view_name(path: str) -> str | None:
    """The view `path` leads to, or None where none does."""
    try:
        with translation.override(path.split("/")[1]):
            return resolve(path).view_name
    except Resolver404:
        return None


def walk(
    client, start: str, *, per_view: int = 1, inspect=None
) -> Iterator[tuple[str, str, str | None, int]]:
    """(page, link, view, status) of every address the test `client` reaches from `start`,
    breadth first, opening at most `per_view` addresses of each view; `inspect(path, html)`
    is called with every HTML page opened."""
    todo = [("(start)", start)]
    seen: set[str] = set()
    opened: Counter[str] = Counter()
    while todo:
        source, path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        view = view_name(path)
        if view is None:
            yield source, path, None, 404
            continue
        if opened[view] >= per_view:
            continue
        opened[view] += 1
        response = client.get(path)
        yield source, path, view, response.status_code
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            html = response.content.decode()
            if inspect is not None:
                inspect(path, html)
            todo.extend((path, link) for link in links(html))


def reader(email: str | None):
    """A test client signed in as the demo login `email` (None: a visitor)."""
    from django.test import Client

    from mosty.accounts.models import User

    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def first_readers(start: str = "/en/") -> dict[str | None, list[str]]:
    """Each page (view) of the demo, once: for each demo login (None: a visitor), the
    addresses of the pages they are the first to reach (the administrator first, then each
    role, then the visitor), so a page is seen with the data of someone who may open it."""
    from mosty.organisations.seed import DEMO_USERS

    first: dict[str, tuple[str | None, str]] = {}
    for email in [*[user[0] for user in DEMO_USERS], None]:
        for _source, path, view, status in walk(reader(email), start):
            if view and status == 200:
                first.setdefault(view, (email, path))
    by_reader: dict[str | None, list[str]] = {}
    for email, path in first.values():
        by_reader.setdefault(email, []).append(path)
    return by_reader
