"""Progress charts as a person sees them: in Polish and Arabic the dots spread over the chart
(with a decimal comma in the SVG coordinates every dot sat in the top-left corner)."""

import datetime

import pytest
from django.utils import timezone

from mosty.cases.models import Assessment, AssessmentScore
from tests.browser.conftest import log_in
from tests.cases.factories import make_case


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_progress_dots_spread_over_the_chart(page, bworld, language):
    case = make_case(bworld)
    today = timezone.localdate()
    for days_ago, score in ((60, 1), (30, 3), (0, 5)):
        assessment = Assessment.objects.create(
            case=case, assessed_on=today - datetime.timedelta(days=days_ago)
        )
        AssessmentScore.objects.create(assessment=assessment, domain="housing", score=score)
    log_in(page, bworld.user("caseworker").email, lang=language)
    page.goto(f"/{language}/cases/{case.pk}/progress/")
    chart = page.locator("svg[role=img]").first
    box = chart.bounding_box()
    dots = [c.bounding_box() for c in chart.locator("circle").all()]
    assert len(dots) == 3
    xs = [d["x"] - box["x"] for d in dots]
    ys = [d["y"] - box["y"] for d in dots]
    # Time runs with the reading direction (right to left in Arabic, as on the reports'
    # charts); a rising score is drawn upwards.
    if language == "ar":
        xs = [box["width"] - x for x in xs]
    assert xs[0] < xs[1] < xs[2] and ys[0] > ys[1] > ys[2]
    assert xs[2] - xs[0] > box["width"] / 2 and ys[0] - ys[2] > box["height"] / 3
