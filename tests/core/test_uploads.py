"""Uploads are measured before they are read: bytes, unpacked size, rows; XML is defused."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from mosty.directory import hsds
from mosty.directory.hsds import parse as hsds_parse
from mosty.knowledge import xliff as knowledge_xliff
from mosty.people import imports
from mosty.people.models import ParticipantImport


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _named(content: bytes, name: str):
    f = io.BytesIO(content)
    f.name = name
    return f


def _xlsx(rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("People")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_participant_list_above_the_size_limit_is_refused_beside_the_field(world, login, settings):
    settings.MOSTY_MAX_UPLOAD_MB = 1
    big = b"first name\n" + b"Olena\n" * 200_000  # 1.2 MB
    response = login("coordinator").post(
        reverse("people:import"), {"owner": world.org_a.pk, "file": _named(big, "big.csv")}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["The file is larger than 1 MB."]
    assert not ParticipantImport.objects.exists()


def test_xlsx_reading_stops_at_the_row_limit(world, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 50)
    read = []
    original = imports._cell

    def counting(value):
        read.append(value)
        return original(value)

    monkeypatch.setattr(imports, "_cell", counting)
    content = _xlsx([["first name"]] + [[f"P{i}"] for i in range(5000)])
    with pytest.raises(ValidationError, match="more than 50 rows"):
        imports.read_table("people.xlsx", content)
    assert len(read) < 100  # stopped at the limit instead of reading 5,000 rows first


def test_csv_above_the_row_limit_is_refused(world, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 10)
    content = ("first name\n" + "Olena\n" * 11).encode()
    with pytest.raises(ValidationError, match="more than 10 rows"):
        imports.read_table("people.csv", content)
    headers, rows = imports.read_table("people.csv", ("first name\n" + "Olena\n" * 10).encode())
    assert len(rows) == 10


def test_csv_with_a_giant_field_is_a_clear_error():
    content = b'first name\n"' + b"x" * 200_000 + b'"\n'
    with pytest.raises(ValidationError, match="cannot be read"):
        imports.read_table("people.csv", content)


def test_xlsx_that_unpacks_too_large_is_refused_before_reading(world, settings):
    settings.MOSTY_MAX_UNPACKED_MB = 1
    content = _xlsx([["first name"]] + [["A" * 1000] for _ in range(3000)])  # ~3 MB unpacked
    assert len(content) < 1024 * 1024
    with pytest.raises(ValidationError, match="unpacks to more than 1 MB"):
        imports.read_table("people.xlsx", content)


def _package(services: int, *, pad: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        rows = "".join(f"s{i},o1,Service {i}{'x' * pad}\n" for i in range(services))
        zf.writestr("organizations.csv", "id,name\no1,Org\n")
        zf.writestr("services.csv", "id,organization_id,name\n" + rows)
    return buffer.getvalue()


def test_hsds_package_with_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(hsds_parse, "MAX_ROWS", 100)
    assert len(hsds.parse_upload("d.zip", _package(100))["services"]) == 100
    with pytest.raises(ValidationError, match="more than 100 rows"):
        hsds.parse_upload("d.zip", _package(101))


def test_hsds_package_that_unpacks_too_large_is_refused(settings):
    settings.MOSTY_MAX_UNPACKED_MB = 1
    with pytest.raises(ValidationError, match="unpacks to more than 1 MB"):
        hsds.parse_upload("d.zip", _package(2000, pad=1000))


def test_hsds_import_page_refuses_a_large_file_beside_the_field(world, login, settings):
    settings.MOSTY_MAX_UPLOAD_MB = 1
    response = login("admin").post(
        reverse("directory:hsds_import"),
        {"file": _named(b"{" + b" " * (1024 * 1024 + 10) + b"}", "d.json")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["The file is larger than 1 MB."]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_xliff_with_entities_is_refused_in_any_encoding(encoding):
    bomb = (
        f'<?xml version="1.0" encoding="{encoding}"?>'
        '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">&b;</xliff>'
    ).encode(encoding)
    with pytest.raises(ValidationError, match="document type declaration"):
        knowledge_xliff.xliff_parse(bomb)


def test_no_module_parses_xml_without_defusedxml():
    """Python's XML parsers expand entities (a few hundred bytes become gigabytes); parsing
    goes through defusedxml. Writing XML with xml.etree (tostring, Element) is fine."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "mosty"
    parsing = re.compile(
        r"\b(ET|ElementTree|etree|minidom|pulldom|sax|expat)\.(fromstring|parse|iterparse|"
        r"XMLParser|parseString|make_parser|ParserCreate)\b|import lxml|from lxml"
    )
    offenders = [
        f"{path.relative_to(root)}:{text.count(chr(10), 0, m.start()) + 1}"
        for path in root.rglob("*.py")
        for text in [path.read_text()]
        for m in parsing.finditer(text)
    ]
    assert offenders == []
