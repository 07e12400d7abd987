"""The list flow's `selector` (mosty/core/pages.py ListPage, mosty/core/api.py AuditedListApi):
called with who asks and, unless the page says `filtered = False`, the filters."""

from types import SimpleNamespace

from mosty.core.api import AuditedListApi
from mosty.core.pages import ListPage

ASKER = SimpleNamespace(is_authenticated=True)


def _everything(*, fetched_by):
    return [("all for", fetched_by)]


def _matching(*, fetched_by, filters):
    return [("matching for", fetched_by, filters)]


class _Filtered(ListPage):
    selector = _matching


class _Unfiltered(ListPage):
    selector = _everything
    filtered = False


class _FilteredApi(AuditedListApi):
    selector = _matching


class _UnfilteredApi(AuditedListApi):
    selector = _everything
    filtered = False


def _page(cls):
    page = cls()
    page.request = SimpleNamespace(user=ASKER)
    return page


def test_a_list_page_passes_its_filters_to_the_selector():
    assert _page(_Filtered).rows({"q": "Anna"}) == [("matching for", ASKER, {"q": "Anna"})]


def test_an_unfiltered_list_page_asks_the_selector_for_all_the_user_may_see():
    assert _page(_Unfiltered).rows({"q": "Anna"}) == [("all for", ASKER)]


def test_a_list_api_passes_its_filters_or_not():
    assert _page(_FilteredApi).rows({"status": "open"}) == [
        ("matching for", ASKER, {"status": "open"})
    ]
    assert _page(_UnfilteredApi).rows({"status": "open"}) == [("all for", ASKER)]
