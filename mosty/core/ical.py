"""iCalendar (RFC 5545) pieces every calendar feed shares: the calendar's header and the
response that serves it (events' calendars, an assistant's schedule)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from icalendar import Calendar


def new_calendar(*, name: str, prodid: str) -> Any:
    """An empty published Gregorian calendar named `name` for calendar apps."""
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", str(name))
    return cal


def ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
