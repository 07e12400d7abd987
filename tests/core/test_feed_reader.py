"""The feed reader the calendar tests use rejects what our own library would let through."""

import pytest
from django.http import HttpResponse
from ical.exceptions import CalendarParseError
from icalendar import Calendar

from tests.ical import parse_feed

FEED = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mosty//Test//EN\r\nBEGIN:VEVENT\r\n"
    "UID:1@example.org\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260101T100000Z\r\n"
    "DTEND:20260101T110000Z\r\nSUMMARY:Kurs\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _response(extra: str = "") -> HttpResponse:
    return HttpResponse(FEED.format(extra=extra), content_type="text/calendar; charset=utf-8")


def test_a_valid_feed_is_read_by_both_parsers():
    assert len(parse_feed(_response()).walk("VEVENT")) == 1


@pytest.mark.parametrize(
    "extra",
    [
        "STATUS:MAYBE\r\n",  # not one of RFC 5545's statuses for an event
        "DURATION:PT1H\r\n",  # DTEND and DURATION together
        "GEO:somewhere\r\n",  # not two floats
    ],
)
def test_the_strict_parser_rejects_what_icalendar_lets_through(extra):
    response = _response(extra)
    assert Calendar.from_ical(response.content).walk("VEVENT")  # lenient
    with pytest.raises(CalendarParseError):
        parse_feed(response)
