"""Category labels that would overlap are thinned, and right-to-left pages do not push the
axis figures into the plot (a tester's Arabic dashboard: twelve months in one smudge, "150.0"
cut to "10")."""

import datetime
import re

from django.utils import translation

from mosty.core import charts
from mosty.core.indicators import breakdown_label, month_key
from mosty.research.results import bar_chart


def _months(language):
    with translation.override(language):
        return [
            breakdown_label("month", month_key(datetime.date(2026, m, 1))) for m in range(1, 13)
        ]


def _drawn_labels(svg):
    texts = re.findall(r"<text[^>]*>([^<]+)</text>", str(svg))
    return [t for t in texts if "2026" in t]


def test_twelve_arabic_months_are_thinned_to_labels_that_fit():
    labels = _months("ar")
    shown = charts.shown_labels(labels)
    assert labels[0] in shown and 2 <= len(shown) < 12
    widest = max(len(label) for label in labels) * charts.LETTER + charts.LABEL_GAP
    assert widest * len(shown) <= charts.PLOT_WIDTH
    with translation.override("ar"):
        chart = charts.column_chart(
            "Godziny", [(m, 3) for m in labels], label_heading="m", value_heading="h"
        )
    assert sorted(_drawn_labels(chart.svg)) == sorted(shown)
    # The table under the chart still names every month.
    assert [label for label, _value in chart.rows] == labels


def test_a_few_short_labels_are_all_written():
    labels = ["A", "B", "C"]
    assert charts.shown_labels(labels) == frozenset(labels)
    chart = charts.line_chart(
        "x", [(label, 1) for label in labels], label_heading="", value_heading=""
    )
    assert "A" in str(chart.svg) and "C" in str(chart.svg)


def test_a_chart_draws_left_to_right_in_an_rtl_page():
    with translation.override("fa"):
        chart = charts.column_chart("x", [("a", 1)], label_heading="", value_heading="")
    assert 'direction="ltr"' in str(chart.svg)


def test_survey_bars_keep_their_labels_beside_the_bars_in_rtl():
    assert 'direction="ltr"' in str(bar_chart([("نعم", 3), ("لا", 1)]))
