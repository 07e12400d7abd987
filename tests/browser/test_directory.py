"""A newcomer searches the directory in Arabic and opens a service from the map."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import serious_violations


def _directory(world):
    from mosty.directory.models import ServiceTranslation
    from tests.directory.factories import CategoryFactory, service_with_location

    legal = CategoryFactory(
        code="legal-advice", name="Legal advice", names={"ar": "استشارات قانونية"}
    )
    service = service_with_location(
        world.org_a, district=world.district, languages=("pl", "ar"), name="Porady prawne"
    )
    service.categories.add(legal)
    ServiceTranslation.objects.create(
        service=service,
        language="ar",
        name="استشارات قانونية مجانية",
        description="يساعد المحامون في قضايا الإقامة والعمل.",
        status="published",
        source_revision=service.revision,
    )
    service_with_location(world.org_b, name="Klub sąsiedzki", languages=("pl",))
    return service


def test_search_in_arabic_and_open_from_the_map(page, bworld):
    service = _directory(bworld)
    page.goto("/ar/directory/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("#id_q").fill("قانونية")
    page.locator("#id_language").select_option("ar")
    page.locator("form[role=search] button[type=submit]").click()
    results = page.locator("main ul.list-group > li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("استشارات قانونية مجانية")
    assert serious_violations(page) == []

    page.locator("main a[href*='/directory/map/']").first.click()
    # No tile server: the map is an SVG drawn on the server, one place for the one result.
    place = page.locator("svg.directory-vector-map a:has(.map-place)")
    expect(place).to_have_count(1)
    expect(page.get_by_role("link", name="استشارات قانونية مجانية")).to_have_count(1)
    assert serious_violations(page) == []
    place.click()
    expect(page).to_have_url(re.compile(rf"/ar/directory/services/{service.pk}/$"))
    expect(page.locator("main h1")).to_have_text("استشارات قانونية مجانية")
    assert serious_violations(page) == []


def test_a_polish_only_service_runs_left_to_right_on_an_arabic_page(page, bworld):
    """ "Klub sąsiedzki" has no Arabic text: on the Arabic list its Polish name is marked
    lang="pl" and runs left to right, set apart, so its punctuation stays where Polish puts
    it (it read ".Doradcy pomagają …" in a browser); the Arabic service runs right to left."""
    _directory(bworld)
    page.goto("/ar/directory/")
    polish = page.locator("main [lang='pl']", has_text="Klub sąsiedzki").first
    expect(polish).to_be_visible()
    assert polish.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert polish.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
    arabic = page.locator("main a", has_text="استشارات قانونية مجانية").first
    assert arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"
