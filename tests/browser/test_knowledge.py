"""The knowledge base as a person uses it: search in the app, the offline bundle from a file."""

import io
import zipfile

from playwright.sync_api import expect

from tests.browser.conftest import log_in, serious_violations
from tests.knowledge import factories


def _articles():
    pesel = factories.article(slug="pesel")
    factories.translation(pesel, language="en")
    emergency = factories.article(
        slug="emergency", title="Numery alarmowe", body="Dzwoń pod **112**.", category="daily_life"
    )
    factories.translation(emergency, language="en", title="Emergency numbers", body="Call **112**.")
    factories.translation(
        emergency, language="ar", title="أرقام الطوارئ", body="اتصل بالرقم **112**."
    )
    return pesel, emergency


def test_search_finds_articles_without_diacritics(page, bworld):
    _articles()
    page.goto("/en/knowledge/")
    assert serious_violations(page) == []
    page.get_by_label("Search the knowledge base").fill("poznan")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/en/knowledge/search/?q=poznan")
    results = page.locator("#kb-results li")
    assert results.count() == 1
    assert results.first.locator("mark").first.inner_text() == "Poznań"
    assert serious_violations(page) == []
    results.first.get_by_role("link").click()
    expect(page.get_by_role("heading", name="PESEL number in Poznań")).to_be_visible()
    assert page.locator("article strong").first.inner_text() == "PESEL"


def test_article_missing_in_language_offers_others_right_to_left(page, bworld):
    _articles()
    page.goto("/ar/knowledge/a/pesel/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("a[hreflang=en]").click()
    expect(page.get_by_role("heading", name="PESEL number in Poznań")).to_be_visible()
    assert serious_violations(page) == []


def test_offline_bundle_opens_from_files(page, bworld, tmp_path):
    _articles()
    response = page.request.get("/en/knowledge/offline/")
    assert response.ok
    zipfile.ZipFile(io.BytesIO(response.body())).extractall(tmp_path)
    page.goto((tmp_path / "index.html").as_uri())
    expect(page.get_by_role("heading", name="Knowledge base").first).to_be_visible()
    assert page.locator("link[href='assets/bootstrap.css']").count() == 1
    # the bundled stylesheet applied: Bootstrap's container has a max width
    assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") != "none"
    page.get_by_label("Search the knowledge base").fill("emergency")
    assert page.locator("#search-results a").count() == 1
    page.locator("#search-results a").click()
    expect(page.get_by_role("heading", name="Emergency numbers")).to_be_visible()
    assert page.locator("strong").inner_text() == "112"
    page.get_by_role("link", name="Knowledge base").click()
    assert page.url.endswith("/index.html")
    page.get_by_role("link", name="PESEL number in Poznań").click()
    expect(page.get_by_role("heading", name="PESEL number in Poznań")).to_be_visible()


def test_editor_pages_are_accessible(page, bworld):
    from mosty.knowledge import services
    from mosty.knowledge.models import BookletExport

    pesel, emergency = _articles()
    booklet = services.booklet_create(
        title="Start", articles=[pesel, emergency], by=bworld.user("coordinator")
    )
    # A past PDF: its link had no text, axe's serious "link-name" violation.
    BookletExport.objects.create(booklet=booklet, language="uk", status="done")
    log_in(page, "coordinator.a@example.org")
    for url in [
        "/en/knowledge/manage/",
        f"/en/knowledge/manage/{pesel.pk}/",
        f"/en/knowledge/manage/{pesel.pk}/translations/uk/",
        "/en/knowledge/booklets/new/",
        f"/en/knowledge/booklets/{booklet.pk}/",
    ]:
        page.goto(url)
        assert serious_violations(page) == [], url
