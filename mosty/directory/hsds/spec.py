"""The tables, fields, types and required fields of HSDS 3.0, read from Open Referral's own
`datapackage.json` (vendored in `schema/`, CC BY-SA 4.0) so Mosty keeps no copy of the rules."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

HSDS_VERSION = "3.0"
SCHEMA_DIR = Path(__file__).parent / "schema"
DATAPACKAGE = json.loads((SCHEMA_DIR / "datapackage.json").read_text(encoding="utf-8"))

# Table name (the CSV file's stem, e.g. "service_at_location") -> the official resource.
RESOURCES: dict[str, dict] = {r["path"].removesuffix(".csv"): r for r in DATAPACKAGE["resources"]}
# Table -> its fields in the official column order.
TABLES: dict[str, list[str]] = {
    table: [f["name"] for f in r["schema"]["fields"]] for table, r in RESOURCES.items()
}
# Table -> field -> Table Schema type ("string", "number", "date", "time", "datetime").
FIELD_TYPES: dict[str, dict[str, str]] = {
    table: {f["name"]: f["type"] for f in r["schema"]["fields"]} for table, r in RESOURCES.items()
}
REQUIRED: dict[str, list[str]] = {
    table: [f["name"] for f in r["schema"]["fields"] if f.get("constraints", {}).get("required")]
    for table, r in RESOURCES.items()
}
SINGULAR: dict[str, str] = {table: r["name"] for table, r in RESOURCES.items()}
TABLE_OF: dict[str, str] = {r["name"]: table for table, r in RESOURCES.items()}
# Older names of a table's file (Mosty's exports before HSDS's own name was used).
ALIASES = {"service_at_locations": "service_at_location"}

# The fields linking a row to the record it belongs to, most specific first: a row is shown
# under the first one that is set.
OWNER_FIELDS: dict[str, list[str]] = {
    "phones": ["contact_id", "service_at_location_id", "service_id", "location_id"]
    + ["organization_id"],
    "contacts": ["service_at_location_id", "service_id", "location_id", "organization_id"],
    "schedules": ["service_at_location_id", "service_id", "location_id"],
    "languages": ["phone_id", "service_id", "location_id"],
    "addresses": ["location_id"],
    "accessibility": ["location_id"],
    "required_documents": ["service_id"],
    "cost_options": ["service_id"],
    "service_areas": ["service_id"],
    "funding": ["service_id", "organization_id"],
    "programs": ["organization_id"],
    "organization_identifiers": ["organization_id"],
    "attributes": ["link_id"],
    "metadata": ["resource_id"],
}


def owner_of(table: str, row: dict, known: set[str] | None = None) -> str:
    """The id of the record a row hangs under; a record of its own (services …) owns itself.
    With `known`, only an id among them counts (a link to a record nobody has is skipped)."""
    for name in OWNER_FIELDS.get(table, []):
        value = row.get(name)
        if value not in (None, "") and (known is None or str(value).strip() in known):
            return str(value).strip()
    if table in OWNER_FIELDS:
        return ""
    return str(row.get("id") or "").strip()


def is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
