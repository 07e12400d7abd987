"""Charts as server-rendered SVG (leather), each with the table of its figures.

`leather` draws plain SVG with presentation attributes only (no `style`, no script), so the
charts pass the strict CSP and need no JavaScript. This wrapper adds what a page needs:

- tick labels in the reader's language (`mosty.core.formats.number`), while every coordinate
  stays machine text with a decimal point (leather writes Python numbers; nothing here goes
  through a locale);
- right-to-left languages (ar, fa) read a time series from the right: the categories are
  drawn in reverse order;
- a `viewBox`, so the chart scales with the page, `role="img"` with the title as its label,
  and the figures as rows for a data table (`core/_chart.html` shows them in `<details>`).
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import leather
from defusedxml.ElementTree import fromstring
from django.utils.safestring import SafeString, mark_safe
from leather.ticks.score import ScoreTicker

from mosty.core.formats import number
from mosty.core.i18n import is_rtl

# leather's look is module-wide: the page's font and Mosty's colours, set once.
for _name in (
    "title_font_family",
    "legend_font_family",
    "axis_title_font_family",
    "tick_font_family",
):
    setattr(leather.theme, _name, "inherit")
leather.theme.background_color = "#ffffff"
leather.theme.default_series_colors = ["#0d6efd", "#198754", "#d63384", "#fd7e14", "#6f42c1"]

WIDTH, HEIGHT = 640, 280
# What a category label takes on the x axis, roughly: leather's tick font is 14 px, a letter
# about half of it; the plot leaves about 540 of the 640 units to the categories.
LETTER, LABEL_GAP, PLOT_WIDTH = 7, 10, 540
Number = int | float | Decimal

SVG_NS = "http://www.w3.org/2000/svg"


@dataclass(frozen=True)
class ChartView:
    title: str
    svg: SafeString
    label_heading: str
    value_heading: str
    rows: list[tuple[str, str]]  # label, formatted value (the accessible data table)


def _finish(svg: str, title: str) -> SafeString:
    root = fromstring(svg)
    width, height = root.attrib.pop("width"), root.attrib.pop("height")
    root.set("viewBox", f"0 0 {width} {height}")
    root.set("role", "img")
    root.set("aria-label", title)
    root.set("class", "mosty-chart")
    root.set("focusable", "false")
    # leather places each text by its anchor as drawn left to right; in an ar or fa page the
    # inherited direction flips "end" to the other side, and the y axis's figures ran into
    # the columns and off the edge. The letters of each label still follow their own script.
    root.set("direction", "ltr")
    # ElementTree's prefix registry is global and the XLIFF export registers the default prefix
    # for its own namespace: claimed again just before writing, or the chart is <ns0:svg>.
    # (`default_namespace=` cannot serve: it refuses leather's unqualified attributes.)
    ET.register_namespace("", SVG_NS)
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308 - leather's own markup, texts escaped by ElementTree


def shown_labels(labels: Sequence[str]) -> frozenset[str]:
    """The category labels the x axis writes: all when they fit side by side, else every
    second, third… from the first in reading order (twelve months in Arabic overlapped into
    one line). The chart's table still names every category."""
    if not labels:
        return frozenset()
    widest = max(len(label) for label in labels) * LETTER + LABEL_GAP
    step = max(1, -(-widest * len(labels) // PLOT_WIDTH))
    return frozenset(label for i, label in enumerate(labels) if i % step == 0)


def _tick(decimals: int) -> Any:
    def format_tick(value: Any, index: int, count: int) -> str:
        return number(value, decimals=decimals)

    return format_tick


@functools.lru_cache(maxsize=256)
def _ticker(domain_min: Decimal, domain_max: Decimal) -> Any:
    return ScoreTicker(domain_min, domain_max)


class _Linear(leather.Linear):  # type: ignore[misc]
    """leather's linear scale, with the ticks of each domain found once per process: leather
    searches for them by scoring thousands of candidate roundings whenever a scale is made,
    which was most of the time of a case's progress page (a dozen charts, two scales each).
    The ticks depend on the domain alone, so the charts are drawn exactly as before."""

    def __init__(self, domain_min: Number, domain_max: Number) -> None:
        if domain_min > domain_max:
            raise ValueError("Inverted domains are not currently supported.")
        if domain_min == domain_max:  # leather's unit scale
            low, high = Decimal(0), Decimal(1)
        else:
            low, high = Decimal(domain_min), Decimal(domain_max)
        self._data_min, self._data_max = low, high
        self._ticker = _ticker(low, high)


def column_chart(
    title: str,
    points: Sequence[tuple[str, Number | None]],
    *,
    label_heading: str,
    value_heading: str,
    decimals: int = 0,
) -> ChartView:
    """One column per category (a month, a district); a None value (suppressed) is drawn as
    nothing and said in the table."""
    if not points:
        return ChartView(title, mark_safe(""), label_heading, value_heading, [])
    ordered = list(reversed(points)) if is_rtl() else list(points)
    chart = leather.Chart()
    heights = [float(value or 0) for _label, value in ordered]
    # The scale leather would infer for columns (from zero), with the ticks kept per domain.
    chart.set_y_scale(_Linear(min(0.0, *heights), max(0.0, *heights)))
    chart.add_columns([(label, float(value or 0)) for label, value in ordered])
    shown = shown_labels([label for label, _value in points])
    chart.add_x_axis(tick_formatter=lambda value, i, n: value if value in shown else "")
    chart.add_y_axis(tick_formatter=_tick(decimals))
    rows = [
        (label, "—" if value is None else number(value, decimals=decimals))
        for label, value in points
    ]
    return ChartView(
        title=title,
        svg=_finish(chart.to_svg(width=WIDTH, height=HEIGHT), title),
        label_heading=label_heading,
        value_heading=value_heading,
        rows=rows,
    )


class _LineWithDots(leather.Line):  # type: ignore[misc]
    """A line with a dot on each point, as one series (two series would add a legend)."""

    def to_svg(
        self, width: Any, height: Any, x_scale: Any, y_scale: Any, series: Any, palette: Any
    ) -> Any:
        color = self._stroke_color or next(palette)
        group = super().to_svg(width, height, x_scale, y_scale, series, iter([color]))
        dots = leather.Dots(fill_color=color, radius=4)
        group.append(dots.to_svg(width, height, x_scale, y_scale, series, iter([color])))
        return group


def line_chart(
    title: str,
    points: Sequence[tuple[str, Number]],
    *,
    label_heading: str,
    value_heading: str,
    decimals: int = 0,
    y_range: tuple[Number, Number] | None = None,
) -> ChartView:
    """A line through ordered points (x: their position, labelled with their label)."""
    if not points:
        return ChartView(title, mark_safe(""), label_heading, value_heading, [])
    labels = [label for label, _value in points]
    count = len(points)
    rtl = is_rtl()
    chart = leather.Chart()
    data = [
        ((count - 1 - i) if rtl else i, float(value)) for i, (_label, value) in enumerate(points)
    ]
    chart.set_x_scale(_Linear(0, max(1, count - 1)))
    if y_range is not None:
        chart.set_y_scale(_Linear(float(y_range[0]), float(y_range[1])))
    else:  # the scale leather would infer
        chart.set_y_scale(_Linear(min(y for _x, y in data), max(y for _x, y in data)))
    shown = shown_labels(labels)

    def label_at(value: Any, i: int, n: int) -> str:
        label = labels[(count - 1 - int(value)) if rtl else int(value)]
        return label if label in shown else ""

    chart.add_x_axis(ticks=list(range(count)) if count > 1 else [0], tick_formatter=label_at)
    chart.add_y_axis(tick_formatter=_tick(decimals))
    chart.add_series(leather.Series(data), _LineWithDots())
    return ChartView(
        title=title,
        svg=_finish(chart.to_svg(width=WIDTH, height=HEIGHT), title),
        label_heading=label_heading,
        value_heading=value_heading,
        rows=[(label, number(value, decimals=decimals)) for label, value in points],
    )
