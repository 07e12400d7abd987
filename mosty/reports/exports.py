"""A programme report as the donor receives it: XLSX (a summary sheet, then one sheet per
indicator with its breakdowns), CSV (one row per figure) or PDF, all in the programme's
language and all written from an issued report (`ReportSnapshot`), so the same report can be
given again with the same numbers after participants' data is erased."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from mosty.core.collation import sort_key
from mosty.core.exports import csv_response, download_response, xlsx_book_response
from mosty.core.formats import money, number, percent
from mosty.core.i18n import text_direction
from mosty.core.indicators import BREAKDOWNS, INDICATORS, breakdown_label_map, counted
from mosty.reports.models import CitySnapshot, ReportSnapshot

FORMATS = ("xlsx", "csv", "pdf")


def _value(raw: Any) -> Decimal | int | None:
    if raw is None or isinstance(raw, int):
        return raw
    return Decimal(str(raw))


def summary_rows(snapshot: ReportSnapshot | CitySnapshot) -> list[dict[str, Any]]:
    """Per indicator of the snapshot still registered: name, definition, unit, value, target
    and the share reached (None where the figure was suppressed or no target was set)."""
    targets = snapshot.figures.get("targets", {})
    shown = {
        code: data
        for code, data in snapshot.figures.get("indicators", {}).items()
        if code in INDICATORS
    }
    # Every key of each breakdown labelled at once (the organisation names: one query).
    keys: dict[str, list[str]] = {}
    for data in shown.values():
        for by, pairs in data.get("breakdowns", {}).items():
            keys.setdefault(by, []).extend(key for key, _v in pairs)
    labels = {by: breakdown_label_map(by, found) for by, found in keys.items()}
    rows = []
    for code, data in shown.items():
        indicator = INDICATORS[code]
        value = _value(data.get("value"))
        target = Decimal(targets[code]) if code in targets else None
        share = float(value) / float(target) if value is not None and target else None
        rows.append(
            {
                "code": code,
                "name": str(indicator.name),
                "definition": str(indicator.definition),
                "unit": indicator.unit_label,
                "unit_code": indicator.unit,
                "value": value,
                "target": target,
                "share": share,
                "breakdowns": {
                    by: [(labels[by][key], _value(v)) for key, v in pairs]
                    for by, pairs in data.get("breakdowns", {}).items()
                },
            }
        )
    # Indicators with a target first, in the order a donor reads them.
    return sorted(rows, key=lambda r: (r["target"] is None, sort_key(str(r["name"]))))


def _filename(snapshot: ReportSnapshot, ext: str) -> str:
    return f"programme-{snapshot.programme_id}-{snapshot.period_start}-{snapshot.period_end}.{ext}"


def snapshot_response(snapshot: ReportSnapshot, *, fmt: str) -> HttpResponse:
    language = snapshot.programme.language
    with translation.override(language):
        rows = summary_rows(snapshot)
        suppressed = _("fewer than %(n)s") % {"n": snapshot.figures.get("min_cell", 5)}
        # A breakdown's cell may be hidden because it is small or because it would give a
        # small one away: it is "not shown", not "fewer than 5" (as in the city report).
        hidden = _("not shown")
        if fmt == "pdf":
            return _pdf(snapshot, rows, language)
        if fmt == "csv":
            header = [_("Indicator"), _("Breakdown"), _("Category"), _("Value"), _("Target")]
            flat = _csv_figures(rows, suppressed, hidden, "target", on_breakdowns=False)
            # The budget as issued: a row per line, the amount a raw decimal.
            flat += [
                [_("Budget"), name, currency, amount, None]
                for name, amount, currency, _note in _budget(snapshot)
            ]
            response = csv_response(_filename(snapshot, "csv"), header, flat)
            assert isinstance(response, HttpResponse)  # not streamed
            return response
        summary = (
            _("Summary"),
            [
                _("Indicator"),
                _("Definition"),
                _("Unit"),
                _("Value"),
                _("Target"),
                _("Share of target"),
            ],
            [
                [
                    r["name"],
                    r["definition"],
                    r["unit"],
                    _cell(r["value"], suppressed),
                    r["target"],
                    round(r["share"], 3) if r["share"] is not None else None,
                ]
                for r in rows
            ],
        )
        sheets = [summary]
        for row in rows:
            body: list[list[Any]] = [[_("Total"), "", _cell(row["value"], suppressed)]]
            for by, pairs in row["breakdowns"].items():
                body += [
                    [str(BREAKDOWNS[by]), label, _cell(value, hidden)] for label, value in pairs
                ]
            sheets.append((row["name"], [_("Breakdown"), _("Category"), _("Value")], body))
        budget = _budget(snapshot)
        if budget:
            sheets.append(
                (_("Budget"), [_("Budget line"), _("Amount"), _("Currency"), _("Note")], budget)
            )
        return xlsx_book_response(_filename(snapshot, "xlsx"), sheets)


def _budget(snapshot: ReportSnapshot) -> list[list[Any]]:
    """The budget lines kept with the issued report: name, amount (a raw decimal), currency,
    note."""
    return [
        [name, Decimal(amount), currency, note]
        for name, amount, currency, note in snapshot.figures.get("budget", [])
    ]


def _cell(value: Any, suppressed: str) -> Any:
    return suppressed if value is None else value


def _csv_figures(
    rows: list[dict[str, Any]], suppressed: str, hidden: str, column: str, *, on_breakdowns: bool
) -> list[list[Any]]:
    """A report's figures as CSV rows: each indicator's value with its `column` (the target,
    the unit) beside it, then a row per category of each breakdown (the `column` repeated when
    `on_breakdowns`). A suppressed value reads `suppressed`, a suppressed category `hidden`."""
    flat: list[list[Any]] = []
    for row in rows:
        flat.append([row["name"], "", "", _cell(row["value"], suppressed), row[column]])
        last = row[column] if on_breakdowns else None
        for by, pairs in row["breakdowns"].items():
            flat += [
                [row["name"], str(BREAKDOWNS[by]), label, _cell(value, hidden), last]
                for label, value in pairs
            ]
    return flat


def _pdf(snapshot: ReportSnapshot, rows: list[dict[str, Any]], language: str) -> HttpResponse:
    from weasyprint import HTML

    for row in rows:
        row["value_text"] = "—" if row["value"] is None else counted(row["unit_code"], row["value"])
        row["target_text"] = (
            number(row["target"], decimals=_decimals(row["target"]))
            if row["target"] is not None
            else ""
        )
        row["share_text"] = percent(row["share"]) if row["share"] is not None else ""
    html = render_to_string(
        "reports/report_pdf.html",
        {
            "snapshot": snapshot,
            "programme": snapshot.programme,
            "rows": rows,
            "language": language,
            "dir": text_direction(language),
            "min_cell": snapshot.figures.get("min_cell", 5),
            "budget": [
                {"name": name, "amount": money(amount, currency), "note": note}
                for name, amount, currency, note in _budget(snapshot)
            ],
        },
    )
    return download_response(
        HTML(string=html).write_pdf(), _filename(snapshot, "pdf"), "application/pdf"
    )


def _decimals(value: Any) -> int:
    return 0 if value is None or Decimal(value) == Decimal(value).to_integral_value() else 1


# The city report --------------------------------------------------------------------------
# The same files for the whole city (`CitySnapshot`): no targets, in the reader's language,
# counts of people under the threshold already suppressed when it was issued.


def _city_filename(snapshot: CitySnapshot, ext: str) -> str:
    return f"city-report-{snapshot.period_start}-{snapshot.period_end}.{ext}"


def city_response(snapshot: CitySnapshot, *, fmt: str) -> HttpResponse:
    rows = summary_rows(snapshot)
    suppressed = _("fewer than %(n)s") % {"n": snapshot.figures.get("min_cell", 5)}
    # A breakdown's cell may be hidden because it is small or because it would give a small
    # one away: it is "not shown", not "fewer than 5".
    hidden = _("not shown")
    if fmt == "pdf":
        return _city_pdf(snapshot, rows)
    if fmt == "csv":
        header = [_("Indicator"), _("Breakdown"), _("Category"), _("Value"), _("Unit")]
        flat = _csv_figures(rows, suppressed, hidden, "unit", on_breakdowns=True)
        response = csv_response(_city_filename(snapshot, "csv"), header, flat)
        assert isinstance(response, HttpResponse)  # not streamed
        return response
    summary = (
        _("Summary"),
        [_("Indicator"), _("Definition"), _("Unit"), _("Value")],
        [[r["name"], r["definition"], r["unit"], _cell(r["value"], suppressed)] for r in rows],
    )
    sheets = [summary]
    for row in rows:
        body: list[list[Any]] = [[_("Total"), "", _cell(row["value"], suppressed)]]
        for by, pairs in row["breakdowns"].items():
            body += [[str(BREAKDOWNS[by]), label, _cell(value, hidden)] for label, value in pairs]
        sheets.append((row["name"], [_("Breakdown"), _("Category"), _("Value")], body))
    return xlsx_book_response(_city_filename(snapshot, "xlsx"), sheets)


def _text(value: Any) -> str:
    return "" if value is None else number(value, decimals=_decimals(value))


# A breakdown longer than this (the city's thousands of organisations) is left to the XLSX and
# CSV files: in the PDF it made a report of 150 pages that took over a minute to lay out.
PDF_BREAKDOWN_ROWS = 40


def _city_pdf(snapshot: CitySnapshot, rows: list[dict[str, Any]]) -> HttpResponse:
    from weasyprint import HTML

    language = translation.get_language() or "pl"
    for row in rows:
        row["value_text"] = counted(row["unit_code"], row["value"])
        row["parts"] = [
            (str(BREAKDOWNS[by]), [(label, _text(value), value is None) for label, value in pairs])
            for by, pairs in row["breakdowns"].items()
            if 0 < len(pairs) <= PDF_BREAKDOWN_ROWS
        ]
        row["long_parts"] = [
            (str(BREAKDOWNS[by]), len(pairs))
            for by, pairs in row["breakdowns"].items()
            if len(pairs) > PDF_BREAKDOWN_ROWS
        ]
    html = render_to_string(
        "reports/city_pdf.html",
        {
            "snapshot": snapshot,
            "rows": rows,
            "language": language,
            "dir": text_direction(language),
            "min_cell": snapshot.figures.get("min_cell", 5),
        },
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_city_filename(snapshot, "pdf")}"'
    return response
