"""Tables -> the forms HSDS 3.0 publishes: nested JSON objects (the compiled schemas'
`organization`, `service`, `service_at_location`), the JSON package (an array of organizations)
and the CSV data package described by the official `datapackage.json`."""

from __future__ import annotations

import io
import json
import zipfile
from collections import defaultdict

from mosty.core.exports import csv_dict_text
from mosty.directory.hsds.parse import WHERE
from mosty.directory.hsds.spec import DATAPACKAGE, FIELD_TYPES, REQUIRED, TABLES

# What each object nests (key, table, the child's field naming the parent), after the
# compiled schemas. Every object also nests its `attributes` and `metadata`.
CHILDREN: dict[str, list[tuple[str, str, str]]] = {
    "organizations": [
        ("funding", "funding", "organization_id"),
        ("contacts", "contacts", "organization_id"),
        ("phones", "phones", "organization_id"),
        ("locations", "locations", "organization_id"),
        ("programs", "programs", "organization_id"),
        ("organization_identifiers", "organization_identifiers", "organization_id"),
        ("services", "services", "organization_id"),
    ],
    "services": [
        ("phones", "phones", "service_id"),
        ("schedules", "schedules", "service_id"),
        ("service_areas", "service_areas", "service_id"),
        ("service_at_locations", "service_at_location", "service_id"),
        ("languages", "languages", "service_id"),
        ("funding", "funding", "service_id"),
        ("cost_options", "cost_options", "service_id"),
        ("required_documents", "required_documents", "service_id"),
        ("contacts", "contacts", "service_id"),
    ],
    "service_at_location": [
        ("contacts", "contacts", "service_at_location_id"),
        ("phones", "phones", "service_at_location_id"),
        ("schedules", "schedules", "service_at_location_id"),
    ],
    "locations": [
        ("languages", "languages", "location_id"),
        ("addresses", "addresses", "location_id"),
        ("contacts", "contacts", "location_id"),
        ("accessibility", "accessibility", "location_id"),
        ("phones", "phones", "location_id"),
        ("schedules", "schedules", "location_id"),
    ],
    "contacts": [("phones", "phones", "contact_id")],
    "phones": [("languages", "languages", "phone_id")],
}
# Single objects an object names by id: (key, table, the field holding the id).
OBJECTS: dict[str, list[tuple[str, str, str]]] = {
    "services": [("program", "programs", "program_id")],
    "service_at_location": [("location", "locations", "location_id")],
    "attributes": [("taxonomy_term", "taxonomy_terms", "taxonomy_term_id")],
    "taxonomy_terms": [("taxonomy_detail", "taxonomies", "taxonomy_id")],
}


def typed(table: str, row: dict) -> dict:
    """A row with JSON types (CSV gives strings), empty optional fields left out and required
    ones present."""
    types = FIELD_TYPES.get(table, {})
    out = {}
    for key, value in row.items():
        if key == WHERE or value is None or value == "":
            continue
        if types.get(key, "string") == "string" and isinstance(value, bool | int | float):
            value = json.dumps(value)  # the tabular example gives some identifiers as numbers
        elif types.get(key) == "number" and isinstance(value, str):
            try:
                number = float(value)
                value = int(number) if number.is_integer() and "." not in value else number
            except ValueError:
                pass
        out[key] = value
    for key in REQUIRED.get(table, []):
        if key not in out and not key.endswith("_id"):
            out[key] = ""
    return out


class Nester:
    def __init__(self, tables: dict[str, list[dict]]):
        self.tables = tables
        self.by_id = {t: {str(r.get("id")): r for r in rows} for t, rows in tables.items()}
        self.index: dict[tuple[str, str], dict[str, list[dict]]] = defaultdict(
            lambda: defaultdict(list)
        )
        links = {(t, f) for kids in CHILDREN.values() for _k, t, f in kids}
        links |= {("attributes", "link_id"), ("metadata", "resource_id")}
        for table, field in links:
            for row in tables.get(table, []):
                value = row.get(field)
                if value not in (None, ""):
                    self.index[(table, field)][str(value)].append(row)

    def obj(self, table: str, row: dict, depth: int = 0) -> dict:
        out = typed(table, row)
        rid = str(row.get("id"))
        if depth < 6:
            for key, child, field in CHILDREN.get(table, []):
                out[key] = [
                    self.obj(child, r, depth + 1) for r in self.index[(child, field)].get(rid, [])
                ]
            for key, target, field in OBJECTS.get(table, []):
                found = self.by_id.get(target, {}).get(str(row.get(field)))
                if found is not None:
                    out[key] = self.obj(target, found, depth + 1)
        if table not in ("attributes", "metadata"):
            out["attributes"] = [
                self.obj("attributes", r, depth + 1)
                for r in self.index[("attributes", "link_id")].get(rid, [])
            ]
        if table != "metadata":
            out["metadata"] = [
                typed("metadata", r) for r in self.index[("metadata", "resource_id")].get(rid, [])
            ]
        return out


def nest(tables: dict[str, list[dict]]) -> list[dict]:
    """Tables -> HSDS 3.0 organization objects with everything they hold nested."""
    nester = Nester(tables)
    return [nester.obj("organizations", o) for o in tables.get("organizations", [])]


organization_objects = nest


def service_objects(tables: dict[str, list[dict]]) -> list[dict]:
    """HSDS 3.0 `service` objects with their organization nested (the API's /services)."""
    nester = Nester(tables)
    orgs = nester.by_id.get("organizations", {})
    out = []
    for s in tables.get("services", []):
        obj = nester.obj("services", s)
        org = orgs.get(str(s.get("organization_id")))
        if org is not None:
            obj["organization"] = typed("organizations", org)
        out.append(obj)
    return out


def service_at_location_objects(tables: dict[str, list[dict]]) -> list[dict]:
    nester = Nester(tables)
    services = nester.by_id.get("services", {})
    out = []
    for sal in tables.get("service_at_location", []):
        obj = nester.obj("service_at_location", sal)
        service = services.get(str(sal.get("service_id")))
        if service is not None:
            obj["service"] = service_objects({**tables, "services": [service]})[0]
        out.append(obj)
    return out


def to_json(tables) -> str:
    """The JSON package: an array of organization objects."""
    return json.dumps(nest(tables), ensure_ascii=False, indent=1, default=str)


def _cell(kind: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if kind == "time" and len(text) == 5 and text[2] == ":":
        return text + ":00"  # Table Schema times are HH:MM:SS
    return text


def to_datapackage(tables) -> bytes:
    """The CSV data package: Open Referral's datapackage.json and one file per table."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("datapackage.json", json.dumps(DATAPACKAGE, indent=1, ensure_ascii=False))
        for name, fields in TABLES.items():
            types = FIELD_TYPES[name]
            rows = (
                {k: _cell(types[k], row.get(k)) for k in fields} for row in tables.get(name, [])
            )
            # Through the export helper: a cell a spreadsheet would run as a formula gets an
            # apostrophe, which Mosty's own import (parse.from_datapackage) takes off again.
            zf.writestr(f"{name}.csv", csv_dict_text(fields, rows))
    return buffer.getvalue()


def datapackage_descriptor() -> dict:
    return DATAPACKAGE
