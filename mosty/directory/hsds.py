"""Open Referral HSDS 3.0: export, validate and import the directory.

The working form is *tables*: a dict of HSDS table name -> list of rows (dicts with HSDS 3.0
field names). The CSV data package is those tables as files; the JSON form nests them the way
HSDS 3.0's compiled schemas do (organization -> services / locations -> phones, schedules …).
Import keeps HSDS ids, so importing the same data again updates rows instead of adding them.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mosty.access.audit import audit
from mosty.core.exports import csv_dict_text, unsafe_cell
from mosty.core.models import District
from mosty.core.uploads import check_size, check_zip, limit_rows, too_many_rows_message
from mosty.directory.models import (
    BYDAY,
    Category,
    HsdsOrganisation,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCategory,
    ServiceLanguage,
    ServiceStatus,
)
from mosty.organisations.models import Organisation, OrganisationKind

HSDS_VERSION = "3.0"
# Rows per table an import accepts: a large city's whole directory (20,000 services, with
# several languages and schedules each) re-imports; a million-row table is refused.
MAX_ROWS = 100_000
NS = uuid.UUID("6f1c7a52-8d0e-4d9b-9a44-3f0d8a0b5c11")

# The tables Mosty reads and writes, with their HSDS 3.0 fields (CSV column order).
TABLES: dict[str, list[str]] = {
    "organizations": ["id", "name", "alternate_name", "description", "email", "website"],
    "services": [
        "id",
        "organization_id",
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "fees_description",
        "eligibility_description",
        "assured_date",
        "last_modified",
    ],
    "locations": [
        "id",
        "location_type",
        "organization_id",
        "name",
        "description",
        "transportation",
        "latitude",
        "longitude",
    ],
    "service_at_locations": ["id", "service_id", "location_id", "description"],
    "addresses": [
        "id",
        "location_id",
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],
    "phones": [
        "id",
        "organization_id",
        "service_id",
        "location_id",
        "number",
        "type",
        "description",
    ],
    "schedules": [
        "id",
        "service_id",
        "location_id",
        "service_at_location_id",
        "freq",
        "byday",
        "opens_at",
        "closes_at",
        "description",
    ],
    "languages": ["id", "service_id", "location_id", "name", "code", "note"],
    "taxonomy_terms": ["id", "code", "name", "description", "parent_id", "taxonomy", "language"],
    "attributes": [
        "id",
        "link_id",
        "link_type",
        "link_entity",
        "taxonomy_term_id",
        "value",
        "label",
    ],
    "required_documents": ["id", "service_id", "document", "uri"],
    "cost_options": ["id", "service_id", "option", "currency", "amount", "amount_description"],
    "accessibility": ["id", "location_id", "description", "details", "url"],
}
STATUSES = set(ServiceStatus.values)
BYDAY_TO_WEEKDAY = {v: k for k, v in BYDAY.items()}
FREE_WORDS = {"free", "free of charge", "bezpłatne", "bezpłatnie", "gratis", "0"}


def _id(*parts) -> str:
    return str(uuid.uuid5(NS, ":".join(str(p) for p in parts)))


def _s(value) -> str:
    return "" if value is None else str(value).strip()


# Export ---------------------------------------------------------------------------------------


def export_tables(services=None) -> dict[str, list[dict]]:
    """The directory (or the given service queryset) as HSDS tables, in a fixed few queries."""
    from django.utils import translation

    services = services if services is not None else Service.objects.all()
    svc_rows = list(
        services.order_by("pk").values(
            "pk",
            "hsds_id",
            "organisation_id",
            "name",
            "description",
            "url",
            "email",
            "status",
            "fees_description",
            "eligibility",
            "required_documents",
            "is_free",
            "last_checked_on",
            "updated_at",
        )
    )
    svc_ids = [r["pk"] for r in svc_rows]
    svc_hsds = {r["pk"]: r["hsds_id"] for r in svc_rows}
    org_ids = {r["organisation_id"] for r in svc_rows}
    sal_rows = (
        list(
            ServiceAtLocation.objects.filter(service_id__in=svc_ids).values(
                "hsds_id", "service_id", "location_id"
            )
        )
        if svc_ids
        else []
    )
    loc_ids = {r["location_id"] for r in sal_rows}
    loc_rows = list(
        Location.objects.filter(pk__in=loc_ids)
        .order_by("pk")
        .values(
            "pk",
            "hsds_id",
            "organisation_id",
            "name",
            "description",
            "transportation",
            "latitude",
            "longitude",
            "address_1",
            "address_2",
            "city",
            "postal_code",
            "country",
            "district__name",
            "address_hsds_id",
            "accessibility",
        )
    )
    loc_hsds = {r["pk"]: r["hsds_id"] for r in loc_rows}
    org_ids |= {r["organisation_id"] for r in loc_rows}
    orgs = list(
        Organisation.objects.filter(pk__in=org_ids)
        .order_by("pk")
        .values(
            "pk",
            "name",
            "description",
            "email",
            "website",
            "phone",
            "hsds__hsds_id",
            "hsds__phone_hsds_id",
        )
    )
    org_hsds = {o["pk"]: o["hsds__hsds_id"] or _id("organisation", o["pk"]) for o in orgs}

    t: dict[str, list[dict]] = {name: [] for name in TABLES}
    for o in orgs:
        t["organizations"].append(
            {
                "id": org_hsds[o["pk"]],
                "name": o["name"],
                "alternate_name": "",
                "description": o["description"],
                "email": o["email"],
                "website": o["website"],
            }
        )
        if o["phone"]:
            t["phones"].append(
                {
                    "id": o["hsds__phone_hsds_id"] or _id("org-phone", org_hsds[o["pk"]]),
                    "organization_id": org_hsds[o["pk"]],
                    "number": o["phone"],
                    "type": "voice",
                }
            )
    for r in svc_rows:
        sid = r["hsds_id"]
        t["services"].append(
            {
                "id": sid,
                "organization_id": org_hsds[r["organisation_id"]],
                "name": r["name"],
                "alternate_name": "",
                "description": r["description"],
                "url": r["url"],
                "email": r["email"],
                "status": r["status"],
                "fees_description": r["fees_description"],
                "eligibility_description": r["eligibility"],
                "assured_date": r["last_checked_on"].isoformat() if r["last_checked_on"] else "",
                "last_modified": r["updated_at"].isoformat() if r["updated_at"] else "",
            }
        )
        for line in [x.strip() for x in (r["required_documents"] or "").splitlines() if x.strip()]:
            t["required_documents"].append(
                {"id": _id("doc", sid, line), "service_id": sid, "document": line, "uri": ""}
            )
        if r["is_free"]:
            t["cost_options"].append(
                {
                    "id": _id("free", sid),
                    "service_id": sid,
                    "option": "Free",
                    "currency": "PLN",
                    "amount": 0,
                    "amount_description": "",
                }
            )
    for r in loc_rows:
        lid = r["hsds_id"]
        t["locations"].append(
            {
                "id": lid,
                "location_type": "physical",
                "organization_id": org_hsds[r["organisation_id"]],
                "name": r["name"],
                "description": r["description"],
                "transportation": r["transportation"],
                "latitude": r["latitude"],
                "longitude": r["longitude"],
            }
        )
        if r["address_1"] or r["city"] or r["postal_code"]:
            t["addresses"].append(
                {
                    "id": r["address_hsds_id"] or _id("address", lid),
                    "location_id": lid,
                    "address_1": r["address_1"],
                    "address_2": r["address_2"],
                    "city": r["city"],
                    "region": r["district__name"] or "",
                    "state_province": "",
                    "postal_code": r["postal_code"],
                    "country": r["country"],
                    "address_type": "physical",
                }
            )
        if r["accessibility"]:
            t["accessibility"].append(
                {
                    "id": _id("access", lid),
                    "location_id": lid,
                    "description": r["accessibility"],
                    "details": "",
                    "url": "",
                }
            )
    for r in sal_rows:
        t["service_at_locations"].append(
            {
                "id": r["hsds_id"],
                "service_id": svc_hsds[r["service_id"]],
                "location_id": loc_hsds[r["location_id"]],
                "description": "",
            }
        )
    # Phones belong to a service or to a location: one pass per owner kind.
    for owner, ids, hsds_of in (("service", svc_ids, svc_hsds), ("location", loc_ids, loc_hsds)):
        if not ids:
            continue
        column = f"{owner}_id"
        for p in Phone.objects.filter(**{f"{column}__in": ids}).values(
            "hsds_id", column, "number", "description"
        ):
            t["phones"].append(
                {
                    "id": p["hsds_id"],
                    column: hsds_of[p[column]],
                    "number": p["number"],
                    "type": "voice",
                    "description": p["description"],
                }
            )
    # Schedules imported from a multi-day row carry "<id>#<DAY>"; put them back together.
    grouped: dict[tuple, dict] = {}
    for s in (
        Schedule.objects.filter(service_id__in=svc_ids)
        .order_by("service_id", "weekday")
        .values("hsds_id", "service_id", "weekday", "opens_at", "closes_at", "description")
        if svc_ids
        else []
    ):
        base = s["hsds_id"].split("#")[0]
        key = (base, s["opens_at"], s["closes_at"])
        row = grouped.get(key)
        if row is None:
            grouped[key] = {
                "id": base,
                "service_id": svc_hsds[s["service_id"]],
                "freq": "WEEKLY",
                "byday": BYDAY[s["weekday"]],
                "opens_at": s["opens_at"].strftime("%H:%M"),
                "closes_at": s["closes_at"].strftime("%H:%M"),
                "description": s["description"],
            }
        else:
            row["byday"] += "," + BYDAY[s["weekday"]]
    t["schedules"] = list(grouped.values())
    with translation.override("en"):
        for lang in (
            ServiceLanguage.objects.filter(service_id__in=svc_ids).values(
                "hsds_id", "service_id", "code"
            )
            if svc_ids
            else []
        ):
            t["languages"].append(
                {
                    "id": lang["hsds_id"],
                    "service_id": svc_hsds[lang["service_id"]],
                    "name": _language_name(lang["code"]),
                    "code": lang["code"],
                }
            )
    used_terms = set()
    for a in (
        ServiceCategory.objects.filter(service_id__in=svc_ids).values(
            "hsds_id", "service_id", "category_id"
        )
        if svc_ids
        else []
    ):
        used_terms.add(a["category_id"])
        t["attributes"].append(
            {
                "id": a["hsds_id"],
                "link_id": svc_hsds[a["service_id"]],
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": a["category_id"],
                "value": "",
                "label": "",
            }
        )
    terms = {
        c["pk"]: c
        for c in Category.objects.filter(pk__in=used_terms).values(
            "pk", "hsds_id", "code", "name", "description", "taxonomy"
        )
    }
    for a in t["attributes"]:
        a["taxonomy_term_id"] = terms[a["taxonomy_term_id"]]["hsds_id"]
    t["taxonomy_terms"] = [
        {
            "id": c["hsds_id"],
            "code": c["code"],
            "name": c["name"],
            "description": c["description"],
            "parent_id": "",
            "taxonomy": c["taxonomy"],
            "language": "en",
        }
        for c in sorted(terms.values(), key=lambda c: c["pk"])
    ]
    return t


def _language_name(code: str) -> str:
    from django.utils import translation as tr

    try:
        return tr.get_language_info(code)["name"]
    except KeyError:
        return code


def _clean_row(table: str, row: dict) -> dict:
    """Only the fields of the table; empty values dropped (HSDS leaves optional fields out)."""
    out = {}
    for name in TABLES[table]:
        value = row.get(name)
        if value is None or value == "":
            continue
        out[name] = value
    return out


def nest(tables: dict[str, list[dict]]) -> list[dict]:
    """Tables -> HSDS 3.0 organization objects with their services and locations nested."""
    by = defaultdict(lambda: defaultdict(list))
    for table, key in [
        ("phones", "service_id"),
        ("phones", "location_id"),
        ("phones", "organization_id"),
        ("schedules", "service_id"),
        ("languages", "service_id"),
        ("languages", "location_id"),
        ("required_documents", "service_id"),
        ("cost_options", "service_id"),
        ("service_at_locations", "service_id"),
        ("addresses", "location_id"),
        ("accessibility", "location_id"),
        ("attributes", "link_id"),
        ("services", "organization_id"),
        ("locations", "organization_id"),
    ]:
        for row in tables.get(table, []):
            if row.get(key):
                by[(table, key)][row[key]].append(row)
    terms = {t["id"]: _clean_row("taxonomy_terms", t) for t in tables.get("taxonomy_terms", [])}

    def service_obj(s):
        obj = _clean_row("services", s)
        sid = s["id"]
        obj["phones"] = [_clean_row("phones", p) for p in by[("phones", "service_id")][sid]]
        obj["schedules"] = [
            _clean_row("schedules", x) for x in by[("schedules", "service_id")][sid]
        ]
        obj["languages"] = [
            _clean_row("languages", x) for x in by[("languages", "service_id")][sid]
        ]
        obj["required_documents"] = [
            _clean_row("required_documents", x)
            for x in by[("required_documents", "service_id")][sid]
        ]
        obj["cost_options"] = [
            _clean_row("cost_options", x) for x in by[("cost_options", "service_id")][sid]
        ]
        obj["service_at_locations"] = [
            _clean_row("service_at_locations", x)
            for x in by[("service_at_locations", "service_id")][sid]
        ]
        obj["attributes"] = []
        for a in by[("attributes", "link_id")][sid]:
            attr = _clean_row("attributes", a)
            if a.get("taxonomy_term_id") in terms:
                attr["taxonomy_term"] = terms[a["taxonomy_term_id"]]
            obj["attributes"].append(attr)
        return obj

    def location_obj(loc):
        obj = _clean_row("locations", loc)
        lid = loc["id"]
        obj["addresses"] = [
            _clean_row("addresses", x) for x in by[("addresses", "location_id")][lid]
        ]
        obj["phones"] = [_clean_row("phones", x) for x in by[("phones", "location_id")][lid]]
        obj["accessibility"] = [
            _clean_row("accessibility", x) for x in by[("accessibility", "location_id")][lid]
        ]
        obj["languages"] = [
            _clean_row("languages", x) for x in by[("languages", "location_id")][lid]
        ]
        return obj

    result = []
    for o in tables.get("organizations", []):
        obj = _clean_row("organizations", o)
        oid = o["id"]
        obj["phones"] = [_clean_row("phones", p) for p in by[("phones", "organization_id")][oid]]
        obj["services"] = [service_obj(s) for s in by[("services", "organization_id")][oid]]
        obj["locations"] = [location_obj(x) for x in by[("locations", "organization_id")][oid]]
        result.append(obj)
    return result


def service_objects(tables: dict[str, list[dict]]) -> list[dict]:
    """HSDS 3.0 API `service` objects: organization and locations nested (for /hsds/services)."""
    orgs = {}
    locs = {}
    for o in nest(tables):
        services = o.pop("services")
        for loc in o.pop("locations"):
            locs[loc["id"]] = loc
        orgs[o["id"]] = (o, services)
    out = []
    for org, services in orgs.values():
        brief = {k: v for k, v in org.items() if k != "phones"}
        for s in services:
            s["organization"] = brief
            for sal in s["service_at_locations"]:
                if sal.get("location_id") in locs:
                    sal["location"] = locs[sal["location_id"]]
            out.append(s)
    order = {s["id"]: i for i, s in enumerate(tables.get("services", []))}
    out.sort(key=lambda s: order.get(s["id"], 0))
    return out


def organization_objects(tables: dict[str, list[dict]]) -> list[dict]:
    return nest(tables)


def flatten(data) -> dict[str, list[dict]]:
    """HSDS JSON (organization objects, {"organizations": [...]}, or flat tables) -> tables."""
    if (
        isinstance(data, dict)
        and any(k in data for k in ("services", "locations", "taxonomy_terms"))
        and all(isinstance(v, list) for k, v in data.items() if k in TABLES)
        and not any(isinstance(o, dict) and "services" in o for o in data.get("organizations", []))
    ):
        return {
            name: [dict(r) for r in data.get(name, []) if isinstance(r, dict)] for name in TABLES
        }
    orgs = data.get("organizations", []) if isinstance(data, dict) else data
    if not isinstance(orgs, list):
        raise ValidationError(_("The JSON must hold a list of HSDS organizations."))
    t: dict[str, list[dict]] = {name: [] for name in TABLES}
    terms_seen = set()

    def children(obj, key, table, **link):
        for child in obj.get(key) or []:
            if isinstance(child, dict):
                row = {k: v for k, v in child.items() if not isinstance(v, list | dict)}
                row.update({k: v for k, v in link.items() if not row.get(k)})
                t[table].append(row)

    for o in orgs:
        if not isinstance(o, dict):
            continue
        t["organizations"].append({k: v for k, v in o.items() if not isinstance(v, list | dict)})
        oid = o.get("id")
        children(o, "phones", "phones", organization_id=oid)
        for s in o.get("services") or []:
            if not isinstance(s, dict):
                continue
            row = {k: v for k, v in s.items() if not isinstance(v, list | dict)}
            row.setdefault("organization_id", oid)
            t["services"].append(row)
            sid = s.get("id")
            for key in ("phones", "schedules", "languages", "required_documents", "cost_options"):
                children(s, key, key, service_id=sid)
            for sal in s.get("service_at_locations") or []:
                if isinstance(sal, dict):
                    row = {k: v for k, v in sal.items() if not isinstance(v, list | dict)}
                    row.setdefault("service_id", sid)
                    loc = sal.get("location")
                    if isinstance(loc, dict):
                        row.setdefault("location_id", loc.get("id"))
                    t["service_at_locations"].append(row)
            for attr in s.get("attributes") or []:
                if isinstance(attr, dict):
                    row = {k: v for k, v in attr.items() if not isinstance(v, list | dict)}
                    row.setdefault("link_id", sid)
                    row.setdefault("link_entity", "service")
                    term = attr.get("taxonomy_term")
                    if isinstance(term, dict):
                        row.setdefault("taxonomy_term_id", term.get("id"))
                        if term.get("id") not in terms_seen:
                            terms_seen.add(term.get("id"))
                            t["taxonomy_terms"].append(
                                {k: v for k, v in term.items() if not isinstance(v, list | dict)}
                            )
                    t["attributes"].append(row)
        for loc in o.get("locations") or []:
            if not isinstance(loc, dict):
                continue
            row = {k: v for k, v in loc.items() if not isinstance(v, list | dict)}
            row.setdefault("organization_id", oid)
            t["locations"].append(row)
            lid = loc.get("id")
            for key in ("addresses", "phones", "accessibility", "languages", "schedules"):
                children(loc, key, key, location_id=lid)
    if isinstance(data, dict):
        for term in data.get("taxonomy_terms") or []:
            if isinstance(term, dict) and term.get("id") not in terms_seen:
                t["taxonomy_terms"].append(term)
    return t


def to_json(tables) -> str:
    return json.dumps(
        {"hsds_version": HSDS_VERSION, "organizations": nest(tables)},
        ensure_ascii=False,
        indent=1,
        default=str,
    )


def datapackage_descriptor() -> dict:
    return {
        "name": "mosty-directory",
        "title": "Mosty service directory (Open Referral HSDS 3.0)",
        "profile": "tabular-data-package",
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "schema": {"fields": [{"name": f, "type": "string"} for f in fields]},
            }
            for name, fields in TABLES.items()
        ],
    }


def to_datapackage(tables) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("datapackage.json", json.dumps(datapackage_descriptor(), indent=1))
        for name, fields in TABLES.items():
            zf.writestr(f"{name}.csv", csv_dict_text(fields, tables.get(name, [])))
    return buffer.getvalue()


def from_datapackage(content: bytes) -> dict[str, list[dict]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise ValidationError(_("The file is not a ZIP data package.")) from exc
    check_zip(zf)
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    names = {n.rsplit("/", 1)[-1]: n for n in zf.namelist()}
    for name in TABLES:
        member = names.get(f"{name}.csv")
        if member is None:
            continue
        # Streamed: reading stops at the row limit without unpacking the rest.
        text = io.TextIOWrapper(zf.open(member), encoding="utf-8-sig", newline="")
        try:
            tables[name] = [
                {k: unsafe_cell(v) if isinstance(v, str) else v for k, v in r.items()}
                for r in limit_rows(csv.DictReader(text), MAX_ROWS)
            ]
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
        return from_datapackage(content)
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValidationError(_("The file is neither HSDS JSON nor a ZIP data package.")) from exc
    tables = flatten(data)
    for rows in tables.values():
        if len(rows) > MAX_ROWS:
            raise ValidationError(too_many_rows_message(MAX_ROWS))
    return tables


# Validation -----------------------------------------------------------------------------------


@dataclass
class RowError:
    table: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("%(table)s, row %(row)s, %(field)s: %(message)s") % {
            "table": self.table,
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    created: dict = field(default_factory=lambda: defaultdict(int))
    updated: dict = field(default_factory=lambda: defaultdict(int))

    @property
    def ok(self) -> bool:
        return not self.errors


class HsdsImportError(Exception):
    def __init__(self, report: ImportReport):
        super().__init__(f"{len(report.errors)} errors")
        self.report = report


_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?([+-]\d\d:?\d\d|Z)?$")
_email = EmailValidator()
_url = URLValidator()


def _parse_time(value) -> time:
    text = _s(value)[:8]
    parts = text.split(":")
    return time(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) > 2 else 0)


def validate(tables: dict[str, list[dict]]) -> ImportReport:
    """Check required fields, types, enumerations and references; row numbers start at 1."""
    report = ImportReport()

    def err(table, i, fld, msg):
        report.errors.append(RowError(table, i, fld, msg))

    ids: dict[str, set] = {}
    for table in TABLES:
        seen = set()
        for i, row in enumerate(tables.get(table, []), start=1):
            rid = _s(row.get("id"))
            if not rid:
                err(table, i, "id", _("is required"))
            elif rid in seen:
                err(table, i, "id", _("“%(id)s” appears twice") % {"id": rid})
            elif len(rid) > 90:
                err(table, i, "id", _("is longer than 90 characters"))
            seen.add(rid)
        ids[table] = seen

    def ref(table, i, row, fld, target, required=False):
        value = _s(row.get(fld))
        if not value:
            if required:
                err(table, i, fld, _("is required"))
            return
        if value not in ids[target]:
            err(
                table,
                i,
                fld,
                _("“%(id)s” refers to no row of %(table)s") % {"id": value, "table": target},
            )

    for i, row in enumerate(tables.get("organizations", []), 1):
        if not _s(row.get("name")):
            err("organizations", i, "name", _("is required"))
        _check_email_url("organizations", i, row, err, url_field="website")
    for i, row in enumerate(tables.get("services", []), 1):
        ref("services", i, row, "organization_id", "organizations", required=True)
        if not _s(row.get("name")):
            err("services", i, "name", _("is required"))
        status = _s(row.get("status")) or "active"
        if status not in STATUSES:
            err(
                "services",
                i,
                "status",
                _("“%(value)s” is not an HSDS service status") % {"value": status},
            )
        if _s(row.get("assured_date")):
            try:
                date.fromisoformat(_s(row["assured_date"])[:10])
            except ValueError:
                err("services", i, "assured_date", _("is not a date (YYYY-MM-DD)"))
        _check_email_url("services", i, row, err, url_field="url")
    for i, row in enumerate(tables.get("locations", []), 1):
        ref("locations", i, row, "organization_id", "organizations")
        lat, lon = _s(row.get("latitude")), _s(row.get("longitude"))
        for fld, value, limit in (("latitude", lat, 90), ("longitude", lon, 180)):
            if value:
                try:
                    number = float(value)
                    if not math.isfinite(number) or abs(number) > limit:
                        raise ValueError
                except ValueError:
                    err(
                        "locations",
                        i,
                        fld,
                        _("must be a number between -%(limit)s and %(limit)s") % {"limit": limit},
                    )
        if bool(lat) != bool(lon):
            err("locations", i, "longitude", _("give both latitude and longitude, or neither"))
        if not _s(row.get("name")) and not _s(row.get("id")):
            err("locations", i, "name", _("is required"))
    for i, row in enumerate(tables.get("service_at_locations", []), 1):
        ref("service_at_locations", i, row, "service_id", "services", required=True)
        ref("service_at_locations", i, row, "location_id", "locations", required=True)
    for i, row in enumerate(tables.get("addresses", []), 1):
        ref("addresses", i, row, "location_id", "locations", required=True)
    for i, row in enumerate(tables.get("phones", []), 1):
        if not _s(row.get("number")):
            err("phones", i, "number", _("is required"))
        ref("phones", i, row, "service_id", "services")
        ref("phones", i, row, "location_id", "locations")
        ref("phones", i, row, "organization_id", "organizations")
        if len(_s(row.get("number"))) > 40:
            err("phones", i, "number", _("is longer than 40 characters"))
    for i, row in enumerate(tables.get("schedules", []), 1):
        ref("schedules", i, row, "service_id", "services")
        ref("schedules", i, row, "location_id", "locations")
        ref("schedules", i, row, "service_at_location_id", "service_at_locations")
        freq = _s(row.get("freq")).upper()
        if freq and freq not in {"WEEKLY", "MONTHLY"}:
            err("schedules", i, "freq", _("must be WEEKLY or MONTHLY"))
        days = [d.strip().upper() for d in _s(row.get("byday")).split(",") if d.strip()]
        for day in days:
            if day[-2:] not in BYDAY_TO_WEEKDAY:
                err(
                    "schedules",
                    i,
                    "byday",
                    _("“%(value)s” is not a day code like MO or TU") % {"value": day},
                )
        opens, closes = _s(row.get("opens_at")), _s(row.get("closes_at"))
        for fld, value in (("opens_at", opens), ("closes_at", closes)):
            if value and not _TIME_RE.match(value):
                err("schedules", i, fld, _("is not a time (HH:MM)"))
        if opens and closes and _TIME_RE.match(opens) and _TIME_RE.match(closes):
            if _parse_time(closes) <= _parse_time(opens):
                err("schedules", i, "closes_at", _("must be after opens_at"))
    for i, row in enumerate(tables.get("languages", []), 1):
        ref("languages", i, row, "service_id", "services")
        ref("languages", i, row, "location_id", "locations")
        code = _s(row.get("code")).lower()
        if not code and not _s(row.get("name")):
            err("languages", i, "code", _("is required"))
        elif code and not re.match(r"^[a-z]{2,3}(-[a-z0-9]+)?$", code):
            err("languages", i, "code", _("“%(value)s” is not an ISO 639 code") % {"value": code})
    for i, row in enumerate(tables.get("taxonomy_terms", []), 1):
        if not _s(row.get("name")):
            err("taxonomy_terms", i, "name", _("is required"))
    for i, row in enumerate(tables.get("attributes", []), 1):
        ref("attributes", i, row, "taxonomy_term_id", "taxonomy_terms", required=True)
        if not _s(row.get("link_id")):
            err("attributes", i, "link_id", _("is required"))
    for i, row in enumerate(tables.get("required_documents", []), 1):
        ref("required_documents", i, row, "service_id", "services", required=True)
    for i, row in enumerate(tables.get("cost_options", []), 1):
        ref("cost_options", i, row, "service_id", "services", required=True)
        if _s(row.get("amount")):
            try:
                Decimal(_s(row["amount"]))
            except InvalidOperation:
                err("cost_options", i, "amount", _("is not a number"))
    for i, row in enumerate(tables.get("accessibility", []), 1):
        ref("accessibility", i, row, "location_id", "locations", required=True)
    return report


def _check_email_url(table, i, row, err, *, url_field):
    if _s(row.get("email")):
        try:
            _email(_s(row["email"]))
        except ValidationError:
            err(table, i, "email", _("is not an e-mail address"))
    if _s(row.get(url_field)):
        try:
            _url(_s(row[url_field]))
        except ValidationError:
            err(table, i, url_field, _("is not a web address"))


# Import ---------------------------------------------------------------------------------------


def _chunks(items, size=500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(model, hsds_ids) -> dict[str, int]:
    found = {}
    for chunk in _chunks(hsds_ids):
        found.update(model.objects.filter(hsds_id__in=chunk).values_list("hsds_id", "pk"))
    return found


def _upsert(
    model, objects: list, fields: list[str], report: ImportReport, label: str
) -> dict[str, int]:
    """Insert or update `objects` (unsaved instances carrying hsds_id) by their HSDS id."""
    known = _existing(model, [o.hsds_id for o in objects])
    new, old = [], []
    for obj in objects:
        if obj.hsds_id in known:
            obj.pk = known[obj.hsds_id]
            old.append(obj)
        else:
            new.append(obj)
    for chunk in _chunks(old):
        model.objects.bulk_update(chunk, fields)
    for chunk in _chunks(new):
        model.objects.bulk_create(chunk)
    report.created[label] += len(new)
    report.updated[label] += len(old)
    if all(o.pk is not None for o in new):
        # PostgreSQL and SQLite >= 3.35 return the new primary keys from bulk_create.
        return {o.hsds_id: o.pk for o in objects}
    return _existing(model, [o.hsds_id for o in objects])


def _prune(model, parent_field: str, parent_ids, keep: set[str]) -> None:
    """Delete children of the imported parents that the import no longer lists."""
    stale = []
    for chunk in _chunks(parent_ids):
        for pk, hsds_id in model.objects.filter(**{f"{parent_field}__in": chunk}).values_list(
            "pk", "hsds_id"
        ):
            if hsds_id not in keep:
                stale.append(pk)
    for chunk in _chunks(stale):
        model.objects.filter(pk__in=chunk)._raw_delete(model.objects.db)


def _nearest_district(lat, lon, districts):
    best, best_d = None, None
    for d in districts:
        if d.latitude is None or d.longitude is None:
            continue
        dist = (d.latitude - lat) ** 2 + ((d.longitude - lon) * math.cos(math.radians(lat))) ** 2
        if best_d is None or dist < best_d:
            best, best_d = d, dist
    # Farther than ~10 km from every district centre: outside the city.
    if best_d is not None and best_d > (10 / 111) ** 2:
        return None
    return best


@transaction.atomic
def hsds_import(*, tables: dict[str, list[dict]], by, language: str = "pl") -> ImportReport:
    """Validate, then write everything or nothing. Raises HsdsImportError with row errors."""
    report = validate(tables)
    if not report.ok:
        raise HsdsImportError(report)
    t = {name: tables.get(name, []) for name in TABLES}

    # Taxonomy terms -> categories (codes are unique in Mosty: suffix clashes).
    term_codes = dict(Category.objects.values_list("hsds_id", "code"))
    used_codes = set(term_codes.values())
    cats = []
    for row in t["taxonomy_terms"]:
        hid = _s(row["id"])
        code = term_codes.get(hid)
        if code is None:
            root = slugify(_s(row.get("code")) or _s(row.get("name")))[:90] or "term"
            code, n = root, 2
            while code in used_codes:
                code, n = f"{root}-{n}", n + 1
            used_codes.add(code)
        cats.append(
            Category(
                hsds_id=hid,
                code=code,
                name=_s(row.get("name"))[:200],
                description=_s(row.get("description")),
                taxonomy=(_s(row.get("taxonomy")) or "mosty")[:100],
            )
        )
    cat_pk = _upsert(Category, cats, ["name", "description", "taxonomy"], report, "taxonomy_terms")

    # Organizations: matched through their HSDS id; new ones are created.
    org_map = dict(HsdsOrganisation.objects.values_list("hsds_id", "organisation_id"))
    # Mosty's own export gives unmapped organisations a derived id: recognise it.
    derived = (
        {_id("organisation", pk): pk for pk in Organisation.objects.values_list("pk", flat=True)}
        if t["organizations"]
        else {}
    )
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    org_pk: dict[str, int] = {}
    to_update, to_create = [], []
    for row in t["organizations"]:
        hid = _s(row["id"])
        values = {
            "name": _s(row.get("name"))[:200],
            "description": _s(row.get("description")),
            "email": _s(row.get("email"))[:254],
            "website": _s(row.get("website"))[:200],
        }
        pk = org_map.get(hid) or derived.get(hid)
        if pk:
            to_update.append(Organisation(pk=pk, **values))
            org_pk[hid] = pk
        else:
            root = slugify(values["name"])[:80] or "organisation"
            slug, n = root, 2
            while slug in slugs:
                slug, n = f"{root}-{n}", n + 1
            slugs.add(slug)
            to_create.append((hid, Organisation(slug=slug, kind=OrganisationKind.OTHER, **values)))
    for chunk in _chunks(to_update):
        Organisation.objects.bulk_update(chunk, ["name", "description", "email", "website"])
    for chunk in _chunks(to_create):
        Organisation.objects.bulk_create([o for _h, o in chunk])
    by_slug = {}
    for chunk in _chunks([o.slug for _h, o in to_create]):
        by_slug.update(Organisation.objects.filter(slug__in=chunk).values_list("slug", "pk"))
    HsdsOrganisation.objects.bulk_create(
        [HsdsOrganisation(organisation_id=by_slug[o.slug], hsds_id=h) for h, o in to_create],
        batch_size=500,
    )
    for h, o in to_create:
        org_pk[h] = by_slug[o.slug]
    report.created["organizations"] += len(to_create)
    report.updated["organizations"] += len(to_update)
    # An organisation's own phone (the first one listed) goes onto the organisation.
    org_phones: dict[int, tuple[str, str]] = {}
    for row in t["phones"]:
        if _s(row.get("organization_id")) and not (
            _s(row.get("service_id")) or _s(row.get("location_id"))
        ):
            org_phones.setdefault(
                org_pk[_s(row["organization_id"])], (_s(row["number"])[:40], _s(row["id"])[:100])
            )
    for chunk in _chunks(list(org_phones.items())):
        Organisation.objects.bulk_update(
            [Organisation(pk=pk, phone=number) for pk, (number, _id) in chunk], ["phone"]
        )
    mappings = []
    for chunk in _chunks(list(org_phones)):
        for mapping in HsdsOrganisation.objects.filter(organisation_id__in=chunk):
            mapping.phone_hsds_id = org_phones[mapping.organisation_id][1]
            mappings.append(mapping)
    for chunk in _chunks(mappings):
        HsdsOrganisation.objects.bulk_update(chunk, ["phone_hsds_id"])

    # Locations with their (first) address.
    service_org = {_s(s["id"]): org_pk[_s(s["organization_id"])] for s in t["services"]}
    loc_org: dict[str, int] = {}
    for row in t["service_at_locations"]:
        loc_org.setdefault(_s(row["location_id"]), service_org[_s(row["service_id"])])
    addresses = {}
    for row in t["addresses"]:
        addresses.setdefault(_s(row["location_id"]), row)
    access = {}
    for row in t["accessibility"]:
        access.setdefault(
            _s(row["location_id"]), _s(row.get("description")) or _s(row.get("details"))
        )
    districts = list(District.objects.all())
    by_name = {d.name.lower(): d for d in districts} | {d.code: d for d in districts}
    locations = []
    for i, row in enumerate(t["locations"], 1):
        lid = _s(row["id"])
        org = org_pk.get(_s(row.get("organization_id"))) or loc_org.get(lid)
        if org is None:
            report.errors.append(
                RowError("locations", i, "organization_id", _("no organization owns this location"))
            )
            continue
        addr = addresses.get(lid, {})
        lat = float(row["latitude"]) if _s(row.get("latitude")) else None
        lon = float(row["longitude"]) if _s(row.get("longitude")) else None
        district = by_name.get(_s(addr.get("region")).lower())
        if district is None and lat is not None:
            district = _nearest_district(lat, lon, districts)
        locations.append(
            Location(
                hsds_id=lid,
                organisation_id=org,
                name=(_s(row.get("name")) or _s(addr.get("address_1")) or lid)[:200],
                description=_s(row.get("description")),
                transportation=_s(row.get("transportation"))[:300],
                latitude=lat,
                longitude=lon,
                address_1=_s(addr.get("address_1"))[:200],
                address_2=_s(addr.get("address_2"))[:200],
                city=_s(addr.get("city"))[:100],
                postal_code=_s(addr.get("postal_code"))[:20],
                country=(_s(addr.get("country")) or "PL")[:2].upper(),
                district=district,
                address_hsds_id=_s(addr.get("id"))[:100],
                accessibility=access.get(lid, "")[:300],
            )
        )
    if report.errors:
        raise HsdsImportError(report)
    loc_pk = _upsert(
        Location,
        locations,
        [
            "organisation",
            "name",
            "description",
            "transportation",
            "latitude",
            "longitude",
            "address_1",
            "address_2",
            "city",
            "postal_code",
            "country",
            "district",
            "address_hsds_id",
            "accessibility",
        ],
        report,
        "locations",
    )

    # Services.
    docs = defaultdict(list)
    for row in t["required_documents"]:
        docs[_s(row["service_id"])].append(_s(row.get("document")))
    free = {}
    for row in t["cost_options"]:
        sid = _s(row["service_id"])
        amount = _s(row.get("amount"))
        is_zero = amount != "" and Decimal(amount) == 0
        free[sid] = free.get(sid, False) or is_zero
    services = []
    for row in t["services"]:
        sid = _s(row["id"])
        fees = _s(row.get("fees_description"))
        assured = _s(row.get("assured_date"))
        services.append(
            Service(
                hsds_id=sid,
                organisation_id=org_pk[_s(row["organization_id"])],
                name=_s(row["name"])[:200],
                description=_s(row.get("description")),
                url=_s(row.get("url"))[:200],
                email=_s(row.get("email"))[:254],
                status=_s(row.get("status")) or ServiceStatus.ACTIVE,
                fees_description=fees[:300],
                eligibility=_s(row.get("eligibility_description")),
                required_documents="\n".join(d for d in docs.get(sid, []) if d),
                is_free=free.get(sid, fees.lower() in FREE_WORDS),
                last_checked_on=date.fromisoformat(assured[:10]) if assured else None,
                source_language=language,
            )
        )
    svc_fields = [
        "organisation",
        "name",
        "description",
        "url",
        "email",
        "status",
        "fees_description",
        "eligibility",
        "required_documents",
        "is_free",
        "last_checked_on",
    ]
    before = {
        h: (n, d, e)
        for chunk in _chunks([s.hsds_id for s in services])
        for h, n, d, e in Service.objects.filter(hsds_id__in=chunk).values_list(
            "hsds_id", "name", "description", "eligibility"
        )
    }
    changed_text = [
        s.hsds_id
        for s in services
        if s.hsds_id in before and before[s.hsds_id] != (s.name, s.description, s.eligibility)
    ]
    svc_pk = _upsert(Service, services, svc_fields, report, "services")
    from django.db.models import F

    for chunk in _chunks(changed_text):
        Service.objects.filter(hsds_id__in=chunk).update(revision=F("revision") + 1)
    svc_ids = list(svc_pk.values())
    loc_ids = list(loc_pk.values())

    # Children of services and locations, pruned of rows the import no longer lists.
    sals = []
    seen_pairs = set()
    sal_service = {}
    for row in t["service_at_locations"]:
        pair = (svc_pk[_s(row["service_id"])], loc_pk[_s(row["location_id"])])
        sal_service[_s(row["id"])] = pair[0]
        if pair in seen_pairs:
            continue
        seen_pairs.add(pair)
        sals.append(
            ServiceAtLocation(hsds_id=_s(row["id"]), service_id=pair[0], location_id=pair[1])
        )
    _prune(ServiceAtLocation, "service_id", svc_ids, {s.hsds_id for s in sals})
    _upsert(ServiceAtLocation, sals, ["service", "location"], report, "service_at_locations")

    phones = []
    for row in t["phones"]:
        sid, lid = _s(row.get("service_id")), _s(row.get("location_id"))
        if not sid and not lid:
            continue
        phones.append(
            Phone(
                hsds_id=_s(row["id"]),
                service_id=svc_pk.get(sid) if sid else None,
                location_id=loc_pk.get(lid) if lid and not sid else None,
                number=_s(row["number"])[:40],
                description=_s(row.get("description"))[:200],
            )
        )
    keep = {p.hsds_id for p in phones}
    _prune(Phone, "service_id", svc_ids, keep)
    _prune(Phone, "location_id", loc_ids, keep)
    _upsert(Phone, phones, ["service", "location", "number", "description"], report, "phones")

    schedules = []
    for i, row in enumerate(t["schedules"], 1):
        sid = svc_pk.get(_s(row.get("service_id"))) or sal_service.get(
            _s(row.get("service_at_location_id"))
        )
        if sid is None:
            report.warnings.append(
                _(
                    "schedules, row %(row)s: opening hours of a location alone are not kept; "
                    "attach them to a service."
                )
                % {"row": i}
            )
            continue
        days = [d.strip().upper()[-2:] for d in _s(row.get("byday")).split(",") if d.strip()]
        if not days or not _s(row.get("opens_at")) or not _s(row.get("closes_at")):
            report.warnings.append(
                _(
                    "schedules, row %(row)s: only weekly opening hours (byday, opens_at, closes_at) "
                    "are kept."
                )
                % {"row": i}
            )
            continue
        for n, day in enumerate(days):
            schedules.append(
                Schedule(
                    hsds_id=_s(row["id"]) if n == 0 else f"{_s(row['id'])}#{day}",
                    service_id=sid,
                    weekday=BYDAY_TO_WEEKDAY[day],
                    opens_at=_parse_time(row["opens_at"]),
                    closes_at=_parse_time(row["closes_at"]),
                    description=_s(row.get("description"))[:200],
                )
            )
    _prune(Schedule, "service_id", svc_ids, {s.hsds_id for s in schedules})
    _upsert(
        Schedule,
        schedules,
        ["service", "weekday", "opens_at", "closes_at", "description"],
        report,
        "schedules",
    )

    langs, seen_lang = [], set()
    for row in t["languages"]:
        sid = svc_pk.get(_s(row.get("service_id")))
        if sid is None:
            continue
        code = (_s(row.get("code")) or _s(row.get("name"))[:2]).lower().split("-")[0][:3]
        if (sid, code) in seen_lang:
            continue
        seen_lang.add((sid, code))
        langs.append(ServiceLanguage(hsds_id=_s(row["id"]), service_id=sid, code=code))
    _prune(ServiceLanguage, "service_id", svc_ids, {x.hsds_id for x in langs})
    _upsert(ServiceLanguage, langs, ["service", "code"], report, "languages")

    attrs, seen_attr = [], set()
    for row in t["attributes"]:
        sid = svc_pk.get(_s(row.get("link_id")))
        if sid is None:
            continue
        cid = cat_pk[_s(row["taxonomy_term_id"])]
        if (sid, cid) in seen_attr:
            continue
        seen_attr.add((sid, cid))
        attrs.append(ServiceCategory(hsds_id=_s(row["id"]), service_id=sid, category_id=cid))
    _prune(ServiceCategory, "service_id", svc_ids, {a.hsds_id for a in attrs})
    _upsert(ServiceCategory, attrs, ["service", "category"], report, "attributes")

    audit(
        by,
        "mosty.directory.hsds.imported",
        details={
            "created": dict(report.created),
            "updated": dict(report.updated),
        },
    )
    return report
