"""A case's progress charts: one line per assessment domain, drawn by the shared charts
(`mosty/core/charts.py`: leather's server-rendered SVG, no JavaScript, strict-CSP safe), each
with the table of its scores.

Coordinates stay machine text: leather writes Python numbers (``cx="140.0"``), never through a
locale, so Polish and Arabic (which write a decimal comma) cannot put every dot in the corner;
dates and scores are shown in the reader's language in the tick labels and the table, and in
right-to-left languages the line reads from the right.
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mosty.core.charts import line_chart

SCORES = (1, 5)


def progress_charts(progress: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add to each domain's series its chart (None without scores), change and latest score."""
    charts = []
    for series in progress:
        points = series["points"]
        first, last = (points[0][1], points[-1][1]) if points else (None, None)
        title = str(series["label"])
        if last is not None:
            now = _("now %(score)s/5") % {"score": last}
            title = f"{title} — {now}"
        chart = (
            line_chart(
                title,
                [(date_format(day, "SHORT_DATE_FORMAT"), score) for day, score in points],
                label_heading=_("Date of the assessment"),
                value_heading=_("Score"),
                y_range=SCORES,
            )
            if points
            else None
        )
        charts.append(
            {
                **series,
                "chart": chart,
                "change": (last - first) if points else None,
                "latest": last,
            }
        )
    return charts
