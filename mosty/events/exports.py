"""Figures per event and per period, exported as CSV or XLSX."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _

from mosty.access.domains.events import reported_events
from mosty.core.exports import csv_response, xlsx_response
from mosty.events import selectors
from mosty.events.models import Event


def report_events(*, user, filters: dict) -> QuerySet[Event]:
    """The events a report covers (`reported_events` in the access policy), filtered."""
    qs = reported_events(user)
    if filters.get("date_from"):
        qs = qs.filter(starts_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(starts_at__date__lte=filters["date_to"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    return qs


def report_table(*, events: QuerySet[Event]) -> tuple[list[str], list[list]]:
    header = [
        _("Event"),
        _("Organiser"),
        _("Kind"),
        _("Start"),
        _("Sessions"),
        _("Places"),
        _("Confirmed"),
        _("Waiting list"),
        _("Attendance marks"),
        _("Attendance rate (%)"),
        _("Hours delivered"),
    ]
    rows = []
    for event in selectors.event_report_rows(events=events):
        expected = event.confirmed * event.session_count
        rows.append(
            [
                event.title,
                event.organisation.name,
                event.get_kind_display(),
                event.starts_at.strftime("%Y-%m-%d %H:%M") if event.starts_at else "",
                event.session_count,
                event.capacity,
                event.confirmed,
                event.waitlisted,
                event.present_count,
                round(100 * event.present_count / expected, 1) if expected else "",
                round(event.present_minutes / 60, 1),
            ]
        )
    totals = selectors.event_report(events=events)
    rows.append([])
    rows.append([_("Persons who attended"), totals["persons"]])
    rows.append([_("Distinct institutions"), totals["institutions"]])
    rows.append([_("Hours delivered"), totals["hours"]])
    return header, rows


def report_download(*, events: QuerySet[Event], fmt: str) -> HttpResponse:
    header, rows = report_table(events=events)
    if fmt == "xlsx":
        return xlsx_response("events-report.xlsx", _("Events"), header, rows)
    return csv_response("events-report.csv", header, rows)
