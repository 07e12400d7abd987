"""The directory map without a tile server: districts and services drawn as SVG on the server,
with a list that says the same in words (no JavaScript needed for either)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from mosty.directory import vector_map, views
from tests.directory.factories import service_with_location
from tests.factories import DistrictFactory
from tests.utils import assert_constant_queries

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[18.50, 54.34], [18.70, 54.34], [18.70, 54.40], [18.50, 54.40], [18.50, 54.34]]
    ],
}


@pytest.fixture
def mapped(world):
    """Two districts: Oliwa with an outline, the world's Centrum with only a centre point."""
    world.district.latitude, world.district.longitude = 54.35, 18.65
    world.district.save()
    oliwa = DistrictFactory(
        city=world.city, code="oliwa", name="Oliwa", latitude=None, longitude=None, outline=SQUARE
    )
    legal = service_with_location(world.org_a, district=oliwa, name="Porady prawne")
    club = service_with_location(world.org_b, district=world.district, name="Klub sąsiedzki")
    return {"oliwa": oliwa, "legal": legal, "club": club}


def _svg(html: str) -> str:
    match = re.search(r'<svg class="directory-vector-map.*?</svg>', html, re.DOTALL)
    assert match, "the map is not drawn"
    return match.group(0)


def _numbers_of(svg: str) -> list[str]:
    """Every coordinate written into the drawing (viewBox, path data, x/y/cx/cy)."""
    values = re.findall(r'(?:viewBox|d|x|y|cx|cy|width|height)="([^"]*)"', svg)
    return [
        n for v in values for n in v.replace("M", " ").replace("L", " ").replace("Z", " ").split()
    ]


@pytest.mark.parametrize("language", ["pl", "fr", "uk", "ar"])
def test_map_draws_outlines_and_places_with_unlocalised_coordinates(client, mapped, language):
    with translation.override(language):
        url = reverse("directory:map")
    html = client.get(url).content.decode()
    svg = _svg(html)
    assert len(re.findall(r'class="map-district[ "]', svg)) == 1  # Oliwa's outline
    assert svg.count('class="map-district-centre"') == 1  # Centrum has only a centre
    assert svg.count('class="map-place"') == 2
    assert "<title>Oliwa</title>" in svg and "<title>Porady prawne</title>" in svg
    numbers = _numbers_of(svg)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d)?", n) for n in numbers), numbers
    # Nothing fetched to show it: no tiles, no map script.
    assert "leaflet" not in html and "tile" not in svg


def test_places_sit_where_their_coordinates_are(mapped):
    drawn = vector_map.draw(
        [
            {
                "code": "oliwa",
                "name": "Oliwa",
                "url": "/o/",
                "outline": SQUARE,
                "lat": None,
                "lon": None,
            }
        ],
        [
            {"name": "north-east", "url": "/ne/", "lat": 54.40, "lon": 18.70},
            {"name": "south-west", "url": "/sw/", "lat": 54.34, "lon": 18.50},
        ],
    )
    ne, sw = (
        {p.name: (float(p.x), float(p.y)) for p in drawn.places}[k]
        for k in ("north-east", "south-west")
    )
    assert ne[0] > sw[0] and ne[1] < sw[1]  # east is right, north is up
    for x, y in (ne, sw):
        assert 0 <= x <= drawn.width and 0 <= y <= drawn.height
    # 0.2° of longitude at 54°N (about 13 km) is wider than 0.06° of latitude (about 7 km).
    assert drawn.height < drawn.width
    assert drawn.view_box == f"0 0 {drawn.width} {drawn.height}"


def test_bad_outline_is_skipped_not_a_500(client, world, mapped):
    DistrictFactory(
        city=world.city,
        code="broken",
        name="Broken",
        outline={"type": "Polygon", "coordinates": [["x"]]},
    )
    response = client.get(reverse("directory:map"))
    assert response.status_code == 200


def test_text_alternative_lists_districts_and_services_with_links(client, mapped):
    html = client.get(reverse("directory:map"), {"district": "oliwa"}).content.decode()
    text = html[html.index('id="map-text-heading"') :]
    legal_url = reverse("directory:service", args=[mapped["legal"].pk])
    assert f'<a href="{legal_url}">Porady prawne</a>' in text
    assert f'<a href="{reverse("directory:district", args=["oliwa"])}">Oliwa</a>' in text
    # The search narrows the list and the drawing alike.
    assert "Klub sąsiedzki" not in text and "Klub sąsiedzki" not in _svg(html)


def test_text_alternative_in_the_visitors_language(client, mapped):
    with translation.override("pl"):
        html = client.get(reverse("directory:map")).content.decode()
    assert "Co pokazuje mapa" in html
    assert "(1 usługa)" in html


def test_too_many_places_says_so_and_links_the_list(client, mapped, monkeypatch):
    monkeypatch.setattr(views, "MAP_PAGE_PLACES", 1)
    with translation.override("en"):
        html = client.get(reverse("directory:map")).content.decode()
    assert _svg(html).count('class="map-place"') == 1
    assert "The first 1 places are shown" in html


def test_names_are_escaped_in_the_drawing_and_the_list(client, mapped):
    service_with_location(mapped["legal"].organisation, district=mapped["oliwa"], name="A&B <b>")
    html = client.get(reverse("directory:map")).content.decode()
    assert "<title>A&amp;B &lt;b&gt;</title>" in _svg(html)
    text = html[html.index('id="map-text-heading"') :]
    assert ">A&amp;B &lt;b&gt;</a>" in text and "<b>" not in text


def test_map_queries_do_not_grow_with_services_and_places(client, login, mapped):
    """The map draws up to 500 places from one query driven by the services in name order;
    more services, places and translations cost no more queries."""
    numbers = iter(range(100))

    def grow():
        n = next(numbers)
        service_with_location(mapped["legal"].organisation, district=mapped["oliwa"], name=f"S{n}")

    url = reverse("directory:map")
    assert_constant_queries(client, url, grow)
    assert_constant_queries(login("caseworker"), url, grow)
