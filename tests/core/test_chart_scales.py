"""Line charts reuse the ticks leather finds for a scale's domain (finding them took most of a
case's progress page); the charts must come out exactly as leather alone draws them."""

from unittest import mock

import leather
import pytest

from mosty.core import charts


@pytest.mark.parametrize(
    ("low", "high"), [(0, 1), (0, 7), (1.0, 5.0), (0, 0), (-3, 12), (0.5, 0.75), (0, 1234)]
)
def test_a_scale_ticks_and_projects_as_leathers_own(low, high):
    ours, theirs = charts._Linear(low, high), leather.Linear(low, high)
    assert ours.ticks() == theirs.ticks()
    assert ours.project(high, 0, 280) == theirs.project(high, 0, 280)
    assert [ours.contains(v) for v in (low, high + 1)] == [
        theirs.contains(v) for v in (low, high + 1)
    ]


def test_a_line_chart_is_drawn_as_with_leathers_own_scales():
    points = [("1.02", 2), ("3.04", 3), ("9.09", 5)]

    def draw():
        return charts.line_chart(
            "Housing", points, label_heading="Date", value_heading="Score", y_range=(1, 5)
        ).svg

    charts._ticker.cache_clear()
    cached = [draw(), draw()]
    with mock.patch.object(charts, "_Linear", leather.Linear):
        plain = draw()
    assert cached == [plain, plain]
    assert charts._ticker.cache_info().hits >= 2


@pytest.mark.parametrize(
    "values", [[2, 4, 3], [0, 0], [-2, 5], [1.5], [None, 7, 120]], ids=lambda v: str(v)
)
def test_column_and_line_charts_without_a_range_are_drawn_as_leather_infers(values):
    points = [(f"M{i}", value) for i, value in enumerate(values)]

    def draw():
        columns = charts.column_chart("Hours", points, label_heading="M", value_heading="h")
        line = charts.line_chart(
            "Hours", [(m, v or 0) for m, v in points], label_heading="M", value_heading="h"
        )
        return columns.svg, line.svg

    ours = draw()
    with mock.patch.object(charts, "_Linear", leather.Linear):
        with mock.patch.object(leather.Chart, "set_y_scale", lambda self, scale: None):
            theirs = draw()
    assert ours == theirs
