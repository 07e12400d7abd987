"""The programme chart as a person sees it, in Polish, English and Arabic: one column per month
with sessions, heights in proportion to the hours, time running the way the reader reads (left
to right, right to left in Arabic), and the figures in a table under the chart."""

import pytest

from tests.browser.conftest import log_in, serious_violations
from tests.reports.factories import make_programme, past_event


@pytest.mark.parametrize("language", ["pl", "en", "ar"])
def test_programme_hours_chart_reads_in_every_language(page, bworld, language):
    programme = make_programme(bworld, targets=[("events.programme_hours", 160)])
    # Three months with 1, 2 and 3 two-hour sessions: 2 h, 4 h, 6 h.
    for days_ago, events in ((75, 1), (40, 2), (5, 3)):
        for _ in range(events):
            past_event(bworld.org_a, sessions=1, days_ago=days_ago)
    log_in(page, bworld.user("coordinator").email, lang=language)
    page.goto(f"/{language}/reports/programmes/{programme.pk}/")
    chart = page.locator("svg[role=img]").first
    box = chart.bounding_box()
    assert box["width"] > 200 and box["height"] > 80
    columns = [
        c.bounding_box()
        for c in chart.locator("g.series rect").all()
        if c.bounding_box()["height"] > 0.5
    ]
    assert len(columns) == 3
    for column in columns:  # inside the chart, not piled in a corner
        assert box["x"] <= column["x"] <= box["x"] + box["width"]
        assert box["y"] <= column["y"] <= box["y"] + box["height"]
    by_x = sorted(columns, key=lambda c: c["x"])
    heights = [c["height"] for c in by_x]
    if language == "ar":
        heights.reverse()  # the newest month on the left: time runs right to left
    assert heights[0] < heights[1] < heights[2]
    assert abs(heights[2] / heights[0] - 3) < 0.2  # 6 h against 2 h
    assert by_x[-1]["x"] - by_x[0]["x"] > box["width"] / 4
    page.locator("details summary").first.click()
    table = page.locator("figure table").first.inner_text()
    assert ("6" in table) and ("2" in table)
    assert serious_violations(page) == []
