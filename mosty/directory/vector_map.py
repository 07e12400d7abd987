"""The directory map drawn on the server as SVG: district outlines and service places on a plain
background, from the city pack's GeoJSON. No tile server, no script, nothing fetched.

Coordinates are written here as plain strings ("412.5"), never through the template engine,
which would localise them ("412,5" in Polish, French, Ukrainian...) and break the SVG.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django.utils.safestring import SafeString

WIDTH = 1000
PADDING = 24
MIN_HEIGHT = 240

Position = tuple[float, float]  # (lon, lat), GeoJSON's order


@dataclass(frozen=True)
class MapDistrict:
    code: str
    name: str
    url: str
    count: int
    path: str  # SVG path data of the outline; "" when the pack gives only a centre
    x: str  # label / centre position
    y: str


@dataclass(frozen=True)
class MapPlace:
    name: str
    url: str
    x: str
    y: str


@dataclass(frozen=True)
class VectorMap:
    width: int
    height: int
    districts: list[MapDistrict] = field(default_factory=list)
    places: list[MapPlace] = field(default_factory=list)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def markers(self) -> SafeString:
        """The places' markers as SVG, written in one pass (the standard library's `escape`,
        as Django's does): the page draws up to 500, and the template engine's loop took
        most of the page's time (issue 15)."""
        return SafeString(
            "".join(
                f'<a href="{escape(place.url)}" tabindex="-1"><circle class="map-place" '
                f'cx="{place.x}" cy="{place.y}" r="6"><title>{escape(place.name)}</title>'
                "</circle></a>"
                for place in self.places
            )
        )


def place_items(places: Iterable[dict[str, Any]]) -> SafeString:
    """The text list of the places on the map (`<li>` items: the service, its place's name
    where it differs, the address), written in one pass like the markers."""
    items = []
    for place in places:
        name = str(place["name"])
        item = f'<li><a href="{escape(place["url"])}">{escape(name)}</a>'
        if place.get("location_name") and place["location_name"] != name:
            item += f" · {escape(str(place['location_name']))}"
        if place.get("address"):
            item += f" · {escape(str(place['address']))}"
        items.append(item + "</li>")
    return SafeString("".join(items))


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _rings(outline: dict[str, Any] | None) -> list[list[Position]]:
    """The rings of a GeoJSON Polygon or MultiPolygon (holes included); [] for anything else."""
    if not isinstance(outline, dict):
        return []
    coordinates = outline.get("coordinates") or []
    polygons = (
        [coordinates]
        if outline.get("type") == "Polygon"
        else coordinates
        if outline.get("type") == "MultiPolygon"
        else []
    )
    rings: list[list[Position]] = []
    for polygon in polygons:
        for ring in polygon if isinstance(polygon, list) else []:
            points = [
                (float(p[0]), float(p[1]))
                for p in ring
                if isinstance(p, list | tuple)
                and len(p) >= 2
                and all(isinstance(v, int | float) for v in p[:2])
            ]
            if len(points) >= 3:
                rings.append(points)
    return rings


class _Projection:
    """Equirectangular around the middle latitude (true enough at a city's scale), scaled so the
    whole city fits WIDTH, north up."""

    def __init__(self, positions: Sequence[Position]):
        lons = [p[0] for p in positions] or [0.0]
        lats = [p[1] for p in positions] or [0.0]
        self.west, self.north = min(lons), max(lats)
        self.stretch = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = (max(lons) - self.west) * self.stretch
        span_y = self.north - min(lats)
        inner = WIDTH - 2 * PADDING
        self.scale = inner / max(span_x, span_y, 1e-6)
        self.height = max(MIN_HEIGHT, round(span_y * self.scale + 2 * PADDING))
        # Centre a city that is taller than wide (or a single point) on the canvas.
        self.offset_x = PADDING + (inner - span_x * self.scale) / 2
        self.offset_y = (self.height - span_y * self.scale) / 2

    def __call__(self, position: Position) -> tuple[str, str]:
        lon, lat = position
        x = self.offset_x + (lon - self.west) * self.stretch * self.scale
        y = self.offset_y + (self.north - lat) * self.scale
        return _number(x), _number(y)


def _centre(rings: list[list[Position]]) -> Position:
    """The middle of the outer ring's bounding box: where a label sits."""
    outer = max(rings, key=len)
    lons, lats = [p[0] for p in outer], [p[1] for p in outer]
    return (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2


def draw(districts: Iterable[dict[str, Any]], places: Iterable[dict[str, Any]]) -> VectorMap:
    """Lay out districts ({code, name, url, count, lat, lon, outline}) and places
    ({name, url, lat, lon}) on one canvas. Districts with neither an outline nor a centre and
    places without coordinates are left out of the drawing (the text list still names them)."""
    districts = list(districts)
    places = [p for p in places if p.get("lat") is not None and p.get("lon") is not None]
    shapes = {d["code"]: _rings(d.get("outline")) for d in districts}
    positions: list[Position] = [pt for rings in shapes.values() for ring in rings for pt in ring]
    positions += [
        (d["lon"], d["lat"])
        for d in districts
        if d.get("lat") is not None and d.get("lon") is not None
    ]
    positions += [(p["lon"], p["lat"]) for p in places]
    project = _Projection(positions)

    drawn: list[MapDistrict] = []
    for d in districts:
        rings = shapes[d["code"]]
        if rings:
            path = " ".join(
                "M" + " L".join(" ".join(project(pt)) for pt in ring) + " Z" for ring in rings
            )
            centre = _centre(rings) if d.get("lat") is None else (d["lon"], d["lat"])
        elif d.get("lat") is not None and d.get("lon") is not None:
            path, centre = "", (d["lon"], d["lat"])
        else:
            continue
        x, y = project(centre)
        drawn.append(MapDistrict(d["code"], d["name"], d["url"], d.get("count", 0), path, x, y))
    return VectorMap(
        width=WIDTH,
        height=project.height,
        districts=drawn,
        places=[MapPlace(p["name"], p["url"], *project((p["lon"], p["lat"]))) for p in places],
    )
