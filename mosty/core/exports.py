"""Spreadsheet exports (CSV and XLSX): every export writes its cells through here.

A spreadsheet reads a cell starting with `=`, `+`, `-` or `@` as a formula, and a leading tab or
carriage return can smuggle one in; a participant's name or an event title typed as
`=HYPERLINK(...)` would then run on a coordinator's computer when they open the export (OWASP
"CSV injection"). Such text cells get a leading apostrophe, which spreadsheets read as "this is
text". Numbers and dates are written as they are. `tests/core/test_exports.py` fails when a
module writes CSV or XLSX without these helpers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse

# A text cell starting with one of these is neutralised.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PLAIN = (int, float, Decimal, bool, date, datetime, type(None))


def safe_cell(value):
    """The value to write into a spreadsheet cell: text that would start a formula gets an
    apostrophe in front; numbers, dates and empty cells stay as they are."""
    if isinstance(value, _PLAIN):
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def unsafe_cell(text: str) -> str:
    """The original text of a cell `safe_cell` wrote (for importing our own exports back)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def safe_row(row: Iterable) -> list:
    return [safe_cell(value) for value in row]


class _Echo:
    def write(self, value):
        return value


def csv_lines(header: Sequence, rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text line by line (for streaming long exports)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row(row))


def csv_text(header: Sequence, rows: Iterable[Iterable]) -> str:
    return "".join(csv_lines(header, rows))


def csv_dict_text(fieldnames: Sequence[str], rows: Iterable[dict]) -> str:
    """CSV of dictionaries (missing keys and None as empty cells), header first."""
    return csv_text(
        fieldnames,
        ([("" if row.get(k) is None else row.get(k)) for k in fieldnames] for row in rows),
    )


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download_response(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    """A file the browser saves under `filename` (a certificate, a booklet, an export)."""
    return _attachment(HttpResponse(content, content_type=content_type), filename)


def csv_response(
    filename: str, header: Sequence, rows: Iterable[Iterable], *, stream: bool = False
) -> HttpResponse | StreamingHttpResponse:
    """A CSV download; with `stream`, rows are written as they are read (long exports).
    Non-streamed files start with a byte-order mark so spreadsheets read them as UTF-8."""
    if stream:
        response = StreamingHttpResponse(
            csv_lines(header, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            csv_text(header, rows).encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
        )
    return _attachment(response, filename)


def json_response(filename: str, data: object) -> HttpResponse:
    """A JSON download (a GDPR export: art. 15 and 20), readable as it is: UTF-8, indented."""
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    return _attachment(response, filename)


def xlsx_bytes(sheet_title: str, header: Sequence, rows: Iterable[Iterable]) -> bytes:
    return xlsx_book_bytes([(sheet_title, header, rows)])


def xlsx_book_bytes(sheets: Iterable[tuple[str, Sequence, Iterable[Iterable]]]) -> bytes:
    """A workbook of several sheets, each (title, header, rows); titles are cut to the 31
    characters a sheet name may have and made unique."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    used: set[str] = set()
    for title, header, rows in sheets:
        name, n = title[:31], 2
        while name.casefold() in used:
            suffix = f" ({n})"
            name, n = title[: 31 - len(suffix)] + suffix, n + 1
        used.add(name.casefold())
        sheet = book.create_sheet(_sheet_name(name))
        sheet.append(safe_row(header))
        for row in rows:
            sheet.append(safe_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    """Excel refuses these characters in a sheet's name."""
    for char in "[]:*?/\\":
        name = name.replace(char, " ")
    return name


def xlsx_response(
    filename: str, sheet_title: str, header: Sequence, rows: Iterable[Iterable]
) -> HttpResponse:
    return _attachment(
        HttpResponse(xlsx_bytes(sheet_title, header, rows), content_type=XLSX_CONTENT_TYPE),
        filename,
    )


def xlsx_book_response(
    filename: str, sheets: Iterable[tuple[str, Sequence, Iterable[Iterable]]]
) -> HttpResponse:
    return _attachment(
        HttpResponse(xlsx_book_bytes(sheets), content_type=XLSX_CONTENT_TYPE), filename
    )
