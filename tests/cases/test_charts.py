"""Progress charts are SVG (the shared leather charts): their coordinates must parse as numbers
in every language, and right-to-left languages read the line from the right."""

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
COORDINATES = ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height")


class _SvgShapes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.circles, self.paths, self.numbers, self.svgs = [], [], [], []
        self.in_svg = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg" and attrs.get("class") == "mosty-chart":
            self.in_svg = True
            self.svgs.append(attrs)
        if not self.in_svg:
            return
        self.numbers += [attrs[name] for name in COORDINATES if name in attrs]
        if tag == "circle":
            self.circles.append(attrs)
        elif tag == "path":
            self.paths.append(attrs["d"])

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_svg = False


def _number(text: str) -> float:
    assert NUMBER.fullmatch(text), f"not an SVG number: {text!r}"
    return float(text)


def _progress_page(world, login, language):
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
    return page, shapes


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_progress_chart_coordinates_are_numbers_in_every_language(world, login, language):
    _page, shapes = _progress_page(world, login, language)
    assert len(shapes.svgs) == 1  # one domain scored: one chart
    for text in shapes.numbers:
        _number(text)
    dots = [(_number(c["cx"]), _number(c["cy"])) for c in shapes.circles]
    assert len(dots) == 3
    # Three dates spread across the width, three scores at three heights: no dot in a corner.
    assert len({x for x, _y in dots}) == 3 and len({y for _x, y in dots}) == 3
    assert dots[0][1] > dots[1][1] > dots[2][1]  # a rising score is drawn going up
    (path,) = shapes.paths
    steps = path.split()
    line = [(_number(steps[i + 1]), _number(steps[i + 2])) for i in range(0, len(steps), 3)]
    assert line == dots


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_progress_chart_reads_in_the_page_direction_with_its_table(world, login, language):
    page, shapes = _progress_page(world, login, language)
    xs = [_number(c["cx"]) for c in shapes.circles]  # oldest assessment first
    if language == "ar":
        assert xs == sorted(xs, reverse=True)  # read from the right
    else:
        assert xs == sorted(xs)
    # The scores as a table beside the chart, dates as the reader writes them.
    with translation.override(language):
        from django.utils.formats import date_format

        today = date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    assert f'<th scope="row" class="fw-normal">{today}</th>' in page
