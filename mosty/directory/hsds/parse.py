"""Read every HSDS 3.0 form into tables: table name -> rows of HSDS fields.

Accepted: a single object (organization, service, location, service_at_location, taxonomy,
taxonomy_term), a list of them, an HSDS API page (`contents`), the `tabular` form
(`{"organizations.csv": [...]}`), flat tables (`{"services": [...]}`), Mosty's older
`{"organizations": [...]}` and the CSV data package as a ZIP. Every row carries `_where` (file
and position) so an error can name it; it is never stored.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mosty.core.exports import unsafe_cell
from mosty.core.uploads import check_size, check_zip, limit_rows, too_many_rows_message
from mosty.directory.hsds.spec import ALIASES, SINGULAR, TABLES

# Rows per table an import accepts: a large city's whole directory (20,000 services, with
# several languages and schedules each) re-imports; a million-row table is refused.
MAX_ROWS = 100_000

WHERE = "_where"

# A list under an object -> the table its items belong to.
NESTED_LISTS = {
    "organizations": "organizations",
    "services": "services",
    "locations": "locations",
    "phones": "phones",
    "schedules": "schedules",
    "service_areas": "service_areas",
    "service_at_locations": "service_at_location",
    "languages": "languages",
    "funding": "funding",
    "cost_options": "cost_options",
    "required_documents": "required_documents",
    "contacts": "contacts",
    "attributes": "attributes",
    "metadata": "metadata",
    "addresses": "addresses",
    "accessibility": "accessibility",
    "programs": "programs",
    "organization_identifiers": "organization_identifiers",
    "taxonomy_terms": "taxonomy_terms",
    "taxonomies": "taxonomies",
}
# A single object under an object -> (its table, the field of the parent that names it).
NESTED_OBJECTS = {
    "organization": ("organizations", "organization_id"),
    "program": ("programs", "program_id"),
    "location": ("locations", "location_id"),
    "service": ("services", "service_id"),
    "taxonomy_term": ("taxonomy_terms", "taxonomy_term_id"),
    "taxonomy_detail": ("taxonomies", "taxonomy_id"),
}
PAGE_KEYS = {"total_items", "total_pages", "page_number", "contents"}


def _s(value) -> str:
    return "" if value is None else str(value).strip()


def empty_tables() -> dict[str, list[dict]]:
    return {name: [] for name in TABLES}


def _kind(obj: dict) -> str:
    """Which HSDS object a top-level JSON object is (the examples carry no type tag)."""
    if "location_type" in obj:
        return "locations"
    if "taxonomy_detail" in obj or "term_uri" in obj or ("code" in obj and "taxonomy" in obj):
        return "taxonomy_terms"
    if ("service" in obj or "service_id" in obj) and ("location" in obj or "location_id" in obj):
        return "service_at_location"
    if "status" in obj or "service_at_locations" in obj or "eligibility_description" in obj:
        return "services"
    if "version" in obj and "services" not in obj:
        return "taxonomies"
    return "organizations"


class _Reader:
    def __init__(self, name: str):
        self.name = name
        self.tables = empty_tables()
        self.seen: dict[tuple[str, str], dict] = {}

    def add(self, table: str, row: dict, where: str) -> None:
        rid = _s(row.get("id"))
        first = self.seen.get((table, rid)) if rid else None
        if first is not None:
            # The nested form repeats one record (a phone, a schedule) under each parent it
            # belongs to: the same record, one more link.
            for key, value in row.items():
                if _s(first.get(key)) == "" and _s(value) != "":
                    first[key] = value
            return
        row[WHERE] = where
        self.tables.setdefault(table, []).append(row)
        if rid:
            self.seen[(table, rid)] = row

    def walk(self, obj: dict, table: str, where: str, parent: tuple[str, str] | None) -> None:
        row = {k: v for k, v in obj.items() if not isinstance(v, list | dict)}
        if parent is not None:
            ptable, pid = parent
            single = SINGULAR.get(ptable, ptable)
            if table == "attributes":
                row.setdefault("link_id", pid)
                row.setdefault("link_entity", single)
            elif table == "metadata":
                row.setdefault("resource_id", pid)
                row.setdefault("resource_type", single)
            elif f"{single}_id" in TABLES.get(table, []) and not _s(row.get(f"{single}_id")):
                row[f"{single}_id"] = pid
        for key, (_table, link) in NESTED_OBJECTS.items():
            child = obj.get(key)
            if isinstance(child, dict) and _s(child.get("id")) and not _s(row.get(link)):
                row[link] = child["id"]
        self.add(table, row, where)
        rid = _s(row.get("id"))
        for key, (child_table, _link) in NESTED_OBJECTS.items():
            child = obj.get(key)
            if isinstance(child, dict):
                self.walk(child, child_table, f"{where}/{key}", None)
        for key, value in obj.items():
            if key in NESTED_LISTS and isinstance(value, list):
                for n, item in enumerate(value):
                    if isinstance(item, dict):
                        self.walk(item, NESTED_LISTS[key], f"{where}/{key}/{n}", (table, rid))


def _flat_tables(data: dict) -> bool:
    """Flat tables: every known key holds a list of rows without nested lists."""
    keys = [k for k in data if ALIASES.get(k, k) in TABLES]
    if not keys or any(not isinstance(data[k], list) for k in keys):
        return False
    rows = [r for k in keys for r in data[k]]
    return all(
        isinstance(r, dict) and not any(isinstance(v, list) for v in r.values()) for r in rows
    )


def flatten(data, *, name: str = "upload.json") -> dict[str, list[dict]]:
    """Any HSDS JSON form -> tables."""
    reader = _Reader(name)
    if isinstance(data, dict) and any(str(k).endswith(".csv") for k in data):
        for key, rows in data.items():
            table = str(key).removesuffix(".csv")
            table = ALIASES.get(table, table)
            for n, row in enumerate(rows if isinstance(rows, list) else []):
                if isinstance(row, dict):
                    reader.tables.setdefault(table, []).append({**row, WHERE: f"{name} {key}[{n}]"})
        return reader.tables
    if isinstance(data, dict) and _flat_tables(data):
        for key, rows in data.items():
            table = ALIASES.get(key, key)
            if table in TABLES:
                for n, row in enumerate(rows):
                    reader.tables[table].append({**row, WHERE: f"{name} /{key}/{n}"})
        return reader.tables
    if isinstance(data, dict) and PAGE_KEYS & set(data) and isinstance(data.get("contents"), list):
        items, prefix = data["contents"], "/contents"
    elif (
        isinstance(data, dict) and isinstance(data.get("organizations"), list) and "id" not in data
    ):
        items, prefix = data["organizations"], "/organizations"  # Mosty's export before 2026-12
    elif isinstance(data, list):
        items, prefix = data, ""
    elif isinstance(data, dict):
        items, prefix = [data], None
    else:
        raise ValidationError(_("The JSON holds no HSDS objects."))
    for n, item in enumerate(items):
        if isinstance(item, dict):
            where = f"{name} {prefix}/{n}" if prefix is not None else f"{name} /"
            reader.walk(item, _kind(item), where, None)
    return reader.tables


def from_datapackage(content: bytes, *, name: str = "datapackage.zip") -> dict[str, list[dict]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise ValidationError(_("The file is not a ZIP data package.")) from exc
    check_zip(zf)
    tables = empty_tables()
    for member in zf.namelist():
        base = member.rsplit("/", 1)[-1]
        if not base.endswith(".csv"):
            continue
        table = base.removesuffix(".csv")
        table = ALIASES.get(table, table)
        if table not in TABLES:
            continue
        # Streamed: reading stops at the row limit without unpacking the rest.
        text = io.TextIOWrapper(zf.open(member), encoding="utf-8-sig", newline="")
        try:
            reader = limit_rows(csv.DictReader(text), MAX_ROWS)
            for n, row in enumerate(reader, start=2):
                row = {
                    k: unsafe_cell(v) if isinstance(v, str) else v
                    for k, v in row.items()
                    if k is not None
                }
                tables[table].append({**row, WHERE: f"{base}, line {n}"})
        except UnicodeDecodeError as exc:
            raise ValidationError(_("Save the CSV files as UTF-8 and upload them again.")) from exc
        except csv.Error as exc:
            raise ValidationError(_("This CSV file cannot be read.")) from exc
    if not tables["organizations"] and not tables["services"]:
        raise ValidationError(_("The data package has no organizations.csv or services.csv."))
    return tables


def parse_upload(name: str, content: bytes) -> dict[str, list[dict]]:
    """Tables of an uploaded HSDS file, refused when it is too large or has too many rows."""
    check_size(len(content))
    if name.lower().endswith(".zip") or content[:2] == b"PK":
        return from_datapackage(content, name=name)
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValidationError(_("The file is neither HSDS JSON nor a ZIP data package.")) from exc
    tables = flatten(data, name=name)
    if not any(tables.values()):
        raise ValidationError(_("The file holds no HSDS records; nothing was imported."))
    if any(len(rows) > MAX_ROWS for rows in tables.values()):
        raise ValidationError(too_many_rows_message(MAX_ROWS))
    return tables


def row_count(tables: dict[str, list[dict]]) -> int:
    return sum(len(rows) for rows in tables.values())
