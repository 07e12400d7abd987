"""Walking the demo city as its users do: from the home page, following every link.

`tests/core/test_links.py` walks with the test client and fails on a link that leads nowhere;
`tests/browser/test_every_page.py` walks in Chromium and runs axe-core on every page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator

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
    open_page: Callable[[str], tuple[int, str]], start: str, *, opens: Callable[[str], bool]
) -> Iterator[tuple[str, str, str | None, int]]:
    """(page, link, view, status) of every address reached from `start`, breadth first.

    `open_page(path)` answers the status and, for an HTML page, its text; `opens(view)` says
    whether to open an address of that view (the walk asks it before each new address)."""
    todo = [("(start)", start)]
    seen: set[str] = set()
    while todo:
        source, path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        view = view_name(path)
        if view is None:
            yield source, path, None, 404
            continue
        if not opens(view):
            continue
        status, html = open_page(path)
        yield source, path, view, status
        if status == 200 and html:
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
        client, opened = reader(email), set()

        def open_page(path: str, client=client) -> tuple[int, str]:
            response = client.get(path)
            html = "text/html" in response.get("Content-Type", "")
            return response.status_code, response.content.decode() if html else ""

        def opens(view: str, opened=opened) -> bool:
            if view in opened:
                return False
            opened.add(view)
            return True

        for _source, path, view, status in walk(open_page, start, opens=opens):
            if view and status == 200:
                first.setdefault(view, (email, path))
    by_reader: dict[str | None, list[str]] = {}
    for email, path in first.values():
        by_reader.setdefault(email, []).append(path)
    return by_reader
