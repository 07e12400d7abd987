"""Calendar feeds read by two parsers: the `icalendar` library Mosty writes them with, and
`ical`, an independent implementation that validates every property strictly (RFC 5545
value types, required properties, one UID per component). A feed only one of them accepts,
or that they read differently, fails the test."""

from __future__ import annotations

from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar


def parse_feed(response) -> Calendar:
    """The feed in `response`, after checking its transport and both readings agree."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert body.startswith(b"BEGIN:VCALENDAR\r\n")  # CRLF line endings (RFC 5545 3.1)
    assert body.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # folded lines, in octets
    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    strict = IcsCalendarStream.calendar_from_ics(body.decode("utf-8"))  # raises when invalid
    ours = {
        str(v["UID"]): (v.decoded("DTSTART"), v.decoded("DTEND"), str(v["SUMMARY"]))
        for v in calendar.walk("VEVENT")
    }
    theirs = {e.uid: (e.dtstart, e.dtend, e.summary) for e in strict.events}
    assert theirs == ours
    return calendar
