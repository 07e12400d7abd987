"""Hours per assistant and per institution for a period, as a table and as CSV or XLSX
(through `mosty.core.exports`), for invoices and volunteer certificates."""

from __future__ import annotations

import datetime
from typing import Any

from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from mosty.assistance import selectors
from mosty.assistance.models import HoursFigure
from mosty.core.exports import csv_response, xlsx_response

Table = tuple[list[str], list[list[Any]]]


def _hours(minutes: int | None) -> float:
    return round((minutes or 0) / 60, 2)


def hours_table(
    *,
    user: Any,
    by: str,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    keys: list[int] | None = None,
    kept: HoursFigure | None = None,
) -> Table:
    """Numbers stay numbers (a spreadsheet sums them); nothing is locale-formatted here.
    Per assistant, `keys` (when given) receives each row's profile id, for the page's links.
    With `kept` (the user's `HoursFigure`, over the whole time) the numbers are read from it
    instead of counted; the rows are the same as counted at its refresh."""
    if by == "institution":
        header = [_("Institution"), _("Requests"), _("Hours worked"), _("Travel hours")]
        found = (
            kept.figures["institution"]
            if kept is not None
            else [
                [row["name"], row["requests"], row["minutes"], row["travel"]]
                for row in selectors.hours_by_institution(
                    fetched_by=user, date_from=date_from, date_to=date_to
                )
            ]
        )
        rows: list[list[Any]] = [
            [name, requests, _hours(minutes), _hours(travel)]
            for name, requests, minutes, travel in found
        ]
        return header, rows
    header = [
        _("Assistant"),
        _("E-mail address"),
        _("Organisation"),
        _("Assignments"),
        _("Hours worked"),
        _("Travel hours"),
    ]
    if kept is not None:
        numbers = {
            pk: (count, minutes, travel) for pk, count, minutes, travel in kept.figures["assistant"]
        }
        rows = []
        for pk, first_name, last_name, email, organisation in selectors.hours_assistants(
            fetched_by=user
        ):
            if pk not in numbers:
                continue
            count, minutes, travel = numbers[pk]
            name = f"{first_name} {last_name}".strip() or email  # as `str(user)`
            rows.append([name, email, organisation, count, _hours(minutes), _hours(travel)])
            if keys is not None:
                keys.append(pk)
        return header, rows
    profiles: Any = selectors.hours_by_assistant(
        fetched_by=user, date_from=date_from, date_to=date_to
    )
    rows = [
        [
            str(profile.user),
            profile.user.email,
            profile.organisation.name,
            profile.assignment_count,
            _hours(profile.minutes),
            _hours(profile.travel),
        ]
        for profile in profiles
    ]
    if keys is not None:
        keys.extend(profile.pk for profile in profiles)
    return header, rows


def hours_download(table: Table, *, by: str, fmt: str) -> HttpResponseBase:
    header, rows = table
    name = f"assistance-hours-by-{by}"
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", _("Hours"), header, rows)
    return csv_response(f"{name}.csv", header, rows)
