"""Check HSDS tables before anything is written: required fields, types, enumerations and
references. Every error names the file, the row (line or JSON path) and the field."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from mosty.directory.hsds.parse import WHERE
from mosty.directory.hsds.spec import TABLES
from mosty.directory.models import BYDAY, ServiceStatus

STATUSES = set(ServiceStatus.values)
BYDAY_TO_WEEKDAY = {v: k for k, v in BYDAY.items()}


def _s(value) -> str:
    return "" if value is None else str(value).strip()


@dataclass
class RowError:
    table: str
    row: int
    field: str
    message: str
    where: str = ""

    def __str__(self) -> str:
        if self.where:
            return _("%(where)s (%(table)s), %(field)s: %(message)s") % {
                "where": self.where,
                "table": self.table,
                "field": self.field,
                "message": self.message,
            }
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
    # Records of this installation (or of another source) whose id the file also uses: they
    # are never overwritten; the file's record becomes a new one.
    left_alone: dict = field(default_factory=lambda: defaultdict(int))
    rows: int = 0
    preview: bool = False

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


def parse_time(value) -> time:
    text = _s(value)[:8]
    parts = text.split(":")
    return time(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) > 2 else 0)


def validate(tables: dict[str, list[dict]]) -> ImportReport:
    """Check required fields, types, enumerations and references; row numbers start at 1."""
    report = ImportReport()

    def err(table, i, fld, msg):
        rows = tables.get(table, [])
        where = _s(rows[i - 1].get(WHERE)) if 0 < i <= len(rows) else ""
        report.errors.append(RowError(table, i, fld, msg, where))

    report.rows = sum(len(rows) for rows in tables.values())
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
        # A location may name an organization the file does not hold (the official example
        # does): Mosty then takes the organization of its services.
        lat, lon = _s(row.get("latitude")), _s(row.get("longitude"))
        for fld, value, limit in (("latitude", lat, 90), ("longitude", lon, 180)):
            if value:
                message = _("must be a number between -%(limit)s and %(limit)s") % {"limit": limit}
                try:
                    number = float(value)
                except ValueError:
                    err("locations", i, fld, message)
                    continue
                if not math.isfinite(number) or abs(number) > limit:
                    # Kept as imported (and exported again); Mosty's map leaves it out.
                    where = _s(row.get(WHERE))
                    report.warnings.append(str(RowError("locations", i, fld, message, where)))
        if bool(lat) != bool(lon):
            err("locations", i, "longitude", _("give both latitude and longitude, or neither"))
        if not _s(row.get("name")) and not _s(row.get("id")):
            err("locations", i, "name", _("is required"))
    for i, row in enumerate(tables.get("service_at_location", []), 1):
        ref("service_at_location", i, row, "service_id", "services", required=True)
        ref("service_at_location", i, row, "location_id", "locations", required=True)
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
        ref("schedules", i, row, "service_at_location_id", "service_at_location")
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
            if parse_time(closes) <= parse_time(opens):
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
