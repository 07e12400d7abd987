from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str, method: str = "get", **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code < 400, (url, response.status_code)
    return len(ctx.captured_queries)


def assert_constant_queries(client, url: str, grow, *, times: int = 10) -> int:
    """The page issues the same number of queries after `grow()` added `times` more rows."""
    client.get(url)  # warm caches that are per-process, not per-data
    before = count_queries(client, url)
    for _ in range(times):
        grow()
    after = count_queries(client, url)
    assert after == before, f"{url}: {before} queries before, {after} after adding {times} rows"
    return after


def assert_pages_render(client, urls, language: str, *, check_direction: bool = False) -> str:
    """Each of `urls` (reversed under /pl/) answers 200 in `language`; with `check_direction`
    its <html> is right-to-left in Arabic and Farsi. Returns the last page's text."""
    direction = "rtl" if language in {"ar", "fa"} else "ltr"
    text = ""
    for url in urls:
        response = client.get(url.replace("/pl/", f"/{language}/", 1))
        assert response.status_code == 200, url
        text = response.content.decode()
        if check_direction:
            assert f'dir="{direction}"' in text[:400], url
    return text


def logged_in(user) -> Client:
    """A test client of its own, logged in as `user` (two people at once: two tabs, two
    colleagues)."""
    client = Client()
    client.force_login(user)
    return client
