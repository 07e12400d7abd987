"""iCalendar (RFC 5545) feeds built with the icalendar library.

A cancelled event stays in the feeds with `STATUS:CANCELLED` and a higher `SEQUENCE`, so a
calendar that subscribed to it shows the sessions as called off instead of keeping them (or
silently dropping them, which people miss)."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from icalendar import Event as VEvent

from mosty.core.ical import new_calendar

PRODID = "-//Mosty//Events//EN"


def feed(events: Iterable, *, name: str, request) -> bytes:
    cal = new_calendar(name=name, prodid=PRODID)
    host = request.get_host().split(":")[0]
    stamp = timezone.now()
    for event in events:
        url = request.build_absolute_uri(reverse("events:detail", kwargs={"pk": event.pk}))
        title = event.title
        for session in event.sessions.all():
            item = VEvent()
            item.add("uid", f"event-{event.pk}-session-{session.pk}@{host}")
            item.add("dtstamp", stamp)
            item.add("dtstart", session.starts_at)
            item.add("dtend", session.ends_at)
            item.add("summary", title)
            if event.description:
                item.add("description", event.description)
            location = ", ".join(
                p for p in (session.place, session.district.name if session.district else "") if p
            )
            if location or session.online_url:
                item.add("location", location or session.online_url)
            item.add("url", session.online_url or url)
            item.add("status", "CANCELLED" if event.cancelled_at else "CONFIRMED")
            # RFC 5545 3.8.7.4: a revision number that grows with every significant change.
            item.add("sequence", event.version + (1 if event.cancelled_at else 0))
            item.add("last-modified", max(filter(None, (event.updated_at, event.cancelled_at))))
            cal.add_component(item)
    return cal.to_ical()
