"""Spreadsheet exports never hand a coordinator a cell that runs as a formula."""

import csv
import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from mosty.access.audit import audit
from mosty.core.exports import download_response, safe_cell, unsafe_cell
from mosty.directory import hsds
from tests.directory.factories import service_with_location
from tests.events.factories import make_event
from tests.factories import OrganisationFactory

ROOT = Path(__file__).resolve().parents[2] / "mosty"
ATTACKS = [
    '=HYPERLINK("http://x";"ok")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_a_cell_that_would_run_as_a_formula_becomes_text(text):
    assert safe_cell(text) == "'" + text
    assert unsafe_cell(safe_cell(text)) == text


@pytest.mark.parametrize("value", ["Olena", "O'Neil", "'quoted", "", 5, -5, 2.5, None])
def test_ordinary_cells_and_numbers_stay_as_they_are(value):
    assert safe_cell(value) == value
    if isinstance(value, str):
        assert unsafe_cell(safe_cell(value)) == value


def test_every_spreadsheet_export_goes_through_the_export_helper():
    """A module that writes CSV or XLSX itself (instead of mosty.core.exports) fails here."""
    writers = re.compile(r"csv\.(writer|DictWriter)\(|\bWorkbook\(")
    offenders = [
        str(path.relative_to(ROOT.parent))
        for path in ROOT.rglob("*.py")
        if path.name != "exports.py" or path.parent.name != "core"
        if writers.search(path.read_text())
    ]
    assert offenders == []


def test_a_download_is_saved_under_its_name_with_its_type():
    response = download_response(b"%PDF-1.7", "hours-12.pdf", "application/pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="hours-12.pdf"'
    assert response.content == b"%PDF-1.7"


def _csv(response) -> list[list[str]]:
    if response.streaming:
        text = b"".join(response.streaming_content).decode()
    else:
        text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_audit_log_export_neutralises_formulas(world, login):
    org = OrganisationFactory(name='=HYPERLINK("http://evil.example";"Org")', slug="evil")
    audit(world.user("caseworker"), "mosty.cases.case.viewed", org)
    rows = _csv(login("admin").get("/en/audit/export.csv?action=mosty.cases"))
    labels = [r[rows[0].index("object_label")] for r in rows[1:]]
    assert labels == ['\'=HYPERLINK("http://evil.example";"Org")']


def test_events_report_csv_and_xlsx_neutralise_formulas(world, login):
    make_event(world.org_a, title="=1+2", start=timezone.now() - timedelta(days=3))
    client = login("coordinator")
    rows = _csv(client.get("/en/events/manage/report/?format=csv"))
    assert [r[0] for r in rows if r and "1+2" in r[0]] == ["'=1+2 (en)"]
    xlsx = client.get("/en/events/manage/report/?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c for c in sheet["A"] if c.value and "1+2" in str(c.value)]
    assert [(c.value, c.data_type) for c in cells] == [("'=1+2 (en)", "s")]


def test_hsds_data_package_neutralises_formulas_and_imports_them_back(world):
    service_with_location(world.org_a, name="@SUM(A1)")
    package = hsds.to_datapackage(hsds.export_tables())
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        services = list(csv.DictReader(io.StringIO(zf.read("services.csv").decode())))
    assert [s["name"] for s in services] == ["'@SUM(A1)"]
    tables = hsds.parse_upload("directory.zip", package)
    assert [s["name"] for s in tables["services"]] == ["@SUM(A1)"]
