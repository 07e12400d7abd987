"""An assistant's schedule as an iCalendar (RFC 5545) feed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from icalendar import Event as VEvent

from mosty.assistance.models import Assignment
from mosty.core.formats import language_name
from mosty.core.ical import new_calendar

PRODID = "-//Mosty//Assistance//EN"


def schedule_feed(assignments: Iterable[Assignment], *, name: str, request: HttpRequest) -> bytes:
    cal = new_calendar(name=name, prodid=PRODID)
    host = request.get_host().split(":")[0]
    stamp = timezone.now()
    for assignment in assignments:
        item = assignment.request
        entry: Any = VEvent()
        entry.add("uid", f"assistance-{assignment.pk}@{host}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", assignment.starts_at)
        entry.add("dtend", assignment.ends_at)
        entry.add(
            "summary",
            f"{language_name(item.language)} · {item.organisation.name}",
        )
        entry.add("description", f"{item.get_mode_display()} · {item.get_topic_display()}")
        location = ", ".join(
            p for p in (item.place, item.district.name if item.district else "") if p
        )
        if location or item.link:
            entry.add("location", location or item.link)
        entry.add(
            "url",
            request.build_absolute_uri(reverse("assistance:request_detail", args=[item.pk])),
        )
        cal.add_component(entry)
    result: bytes = cal.to_ical()
    return result
