"""Progress charts are SVG: their coordinates must parse as numbers in every language."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from mosty.cases.models import Assessment, AssessmentScore
from tests.cases.factories import make_case

NUMBER = re.compile(r"-?\d+(\.\d+)?")


class _SvgShapes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.circles, self.polylines, self.lines = [], [], []
        self.in_svg = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self.in_svg = True
        elif self.in_svg and tag == "circle":
            self.circles.append(attrs)
        elif self.in_svg and tag == "polyline":
            self.polylines.append(attrs["points"])
        elif self.in_svg and tag == "line":
            self.lines.append(attrs)

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_svg = False


def _number(text: str) -> float:
    assert NUMBER.fullmatch(text), f"not an SVG number: {text!r}"
    return float(text)


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_progress_chart_coordinates_are_numbers_in_every_language(world, login, language):
    case = make_case(world)
    today = timezone.localdate()
    for days_ago, score in ((60, 1), (30, 3), (0, 5)):
        assessment = Assessment.objects.create(
            case=case, assessed_on=today - datetime.timedelta(days=days_ago)
        )
        AssessmentScore.objects.create(assessment=assessment, domain="housing", score=score)
    client = login("caseworker")
    with translation.override(language):
        url = reverse("cases:progress", args=[case.pk])
    page = client.get(url).content.decode()
    shapes = _SvgShapes()
    shapes.feed(page)

    dots = [(_number(c["cx"]), _number(c["cy"])) for c in shapes.circles]
    assert len(dots) == 3
    # Three dates spread across the width, three scores at three heights: no dot in a corner.
    assert len({x for x, _y in dots}) == 3 and len({y for _x, y in dots}) == 3
    assert all(0 < x < 280 and 0 < y < 120 for x, y in dots)
    assert dots[0][1] > dots[1][1] > dots[2][1]  # a rising score is drawn going up
    for points in shapes.polylines:
        for pair in points.split():
            x, y = pair.split(",")
            assert (_number(x), _number(y)) in dots
    for line in shapes.lines:
        assert 0 < _number(line["y1"]) < 120
