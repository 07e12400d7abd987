"""Write HSDS tables into the directory: everything or nothing, matched by source.

An import names its `source` (another directory, a city office's export …). A row updates a
Mosty record only when an earlier import from the same source created it; an id that belongs
to a record of this installation or of another source never overwrites that record: the row
becomes a new record with a new id, and the report counts the local one as left alone. Every
row is also kept whole in `HsdsRecord`, so the fields Mosty has no column for are exported
again. `preview=True` runs the whole import and rolls it back, for a report of what would be
created, updated and left alone.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mosty.access.audit import audit, summarised
from mosty.core.models import District
from mosty.directory.hsds.export import (
    ASIDE,
    LOCATION_COLUMNS,
    MODELLED,
    SERVICE_COLUMNS,
    chunks,
    group_hash,
    groups,
    mosty_tables,
)
from mosty.directory.hsds.parse import WHERE
from mosty.directory.hsds.spec import TABLES, owner_of
from mosty.directory.hsds.validate import (
    BYDAY_TO_WEEKDAY,
    HsdsImportError,
    ImportReport,
    RowError,
    parse_time,
    validate,
)
from mosty.directory.models import (
    Category,
    HsdsOrganisation,
    HsdsRecord,
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

FREE_WORDS = {"free", "free of charge", "bezpłatne", "bezpłatnie", "gratis", "0"}
# The Mosty model holding each table's records, for ids already taken.
MODELS = {
    "services": Service,
    "locations": Location,
    "service_at_location": ServiceAtLocation,
    "phones": Phone,
    "schedules": Schedule,
    "languages": ServiceLanguage,
    "attributes": ServiceCategory,
    "taxonomy_terms": Category,
    "organizations": HsdsOrganisation,
}
ID_FIELDS_SUFFIX = "_id"


def _s(value) -> str:
    return "" if value is None else str(value).strip()


def _existing(model, hsds_ids) -> dict[str, int]:
    found = {}
    for chunk in chunks(hsds_ids):
        found.update(
            model.objects.filter(hsds_id__in=chunk).order_by().values_list("hsds_id", "pk")
        )
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
    for chunk in chunks(old):
        model.objects.bulk_update(chunk, fields)
    for chunk in chunks(new):
        model.objects.bulk_create(chunk)
    if new:
        report.created[label] += len(new)
    if old:
        report.updated[label] += len(old)
    if all(o.pk is not None for o in new):
        # PostgreSQL and SQLite >= 3.35 return the new primary keys from bulk_create.
        return {o.hsds_id: o.pk for o in objects}
    return _existing(model, [o.hsds_id for o in objects])


def _prune(model, parent_field: str, parent_ids, keep: set[str]) -> None:
    """Delete children of the imported parents that the import no longer lists."""
    stale = []
    for chunk in chunks(parent_ids):
        for pk, hsds_id in (
            model.objects.filter(**{f"{parent_field}__in": chunk})
            .order_by()
            .values_list("pk", "hsds_id")
        ):
            if hsds_id not in keep:
                stale.append(pk)
    for chunk in chunks(stale):
        model.objects.filter(pk__in=chunk)._raw_delete(model.objects.db)


def _replace(model, objects: list, fields: list[str], report: ImportReport, label: str, svc_ids):
    """The imported services' rows of `model` become `objects`: the others are deleted."""
    _prune(model, "service_id", svc_ids, {o.hsds_id for o in objects})
    _upsert(model, objects, fields, report, label)


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


@summarised()  # public directory data: one event with the counts, not one per row
def hsds_import(
    *,
    tables: dict[str, list[dict]],
    by,
    source: str,
    language: str = "pl",
    preview: bool = False,
) -> ImportReport:
    """Validate, then write everything or nothing (see the module's docstring).

    Raises HsdsImportError with errors naming file, row and field; with `preview` the report
    tells what would happen and nothing is kept."""
    source = _s(source)[:100] or "import"
    report = validate(tables)
    report.preview = preview
    if not report.ok:
        raise HsdsImportError(report)
    tables = {name: [dict(r) for r in tables.get(name, [])] for name in TABLES}
    with transaction.atomic():
        _resolve_ids(tables, source, report)
        written = _write(tables, language, report)
        if report.errors:
            raise HsdsImportError(report)
        _keep_records(tables, source, *written)
        if preview:
            transaction.set_rollback(True)
        else:
            audit(
                by,
                "mosty.directory.hsds.imported",
                details={
                    "source": source,
                    "created": dict(report.created),
                    "updated": dict(report.updated),
                    "left_alone": dict(report.left_alone),
                },
            )
    return report


def _resolve_ids(tables: dict[str, list[dict]], source: str, report: ImportReport) -> None:
    """Give every row its id in Mosty (see the module's docstring); rewrite references."""
    mapped: dict[tuple[str, str], str] = {}
    for table, rows in tables.items():
        ext_ids = {_s(r.get("id")) for r in rows} - {""}
        for chunk in chunks(ext_ids):
            for ext, local in HsdsRecord.objects.filter(
                source=source, table=table, external_id__in=chunk
            ).values_list("external_id", "hsds_id"):
                mapped[(table, ext)] = local
        unmapped = [e for e in ext_ids if (table, e) not in mapped]
        taken: set[str] = set()
        model = MODELS.get(table)
        for chunk in chunks(unmapped):
            if model is not None:
                taken.update(
                    model.objects.filter(hsds_id__in=chunk)
                    .order_by()
                    .values_list("hsds_id", flat=True)
                )
            taken.update(
                HsdsRecord.objects.filter(table=table, hsds_id__in=chunk).values_list(
                    "hsds_id", flat=True
                )
            )
        for ext in unmapped:
            if ext in taken:
                mapped[(table, ext)] = str(uuid.uuid4())
                report.left_alone[table] += 1
            else:
                mapped[(table, ext)] = ext
    renamed = {ext: local for (_t, ext), local in mapped.items() if ext != local}
    for table, rows in tables.items():
        for row in rows:
            ext = _s(row.get("id"))
            row["_external_id"] = ext
            if not renamed:
                continue
            if ext:
                row["id"] = mapped[(table, ext)]
            for key, value in list(row.items()):
                if key.endswith(ID_FIELDS_SUFFIX) and key != "_external_id":
                    if _s(value) in renamed:
                        row[key] = renamed[_s(value)]


def _keep_records(tables, source: str, svc_ids, org_ids, loc_ids) -> None:
    """Every row whole in HsdsRecord, with the fingerprint of what Mosty made of its group."""
    known = {_s(r.get("id")) for rows in tables.values() for r in rows}
    owners = {}
    for table, rows in tables.items():
        for row in rows:
            owners[(table, _s(row.get("id")))] = owner_of(table, row, known)
    current = mosty_tables(Service.objects.filter(pk__in=svc_ids), org_pks=org_ids, loc_pks=loc_ids)
    hashes = {key: group_hash(rows) for key, rows in groups(current, owners).items()}
    empty = group_hash([])
    taken = {
        table: {_s(r.get("id")) for r in rows}
        for table, rows in current.items()
        if table in MODELLED
    }
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    records = []
    for table, rows in tables.items():
        for row in rows:
            data = {k: v for k, v in row.items() if k not in (WHERE, "_external_id")}
            owner = owners[(table, _s(row.get("id")))]
            # Mosty did not take it (a location no organisation owns) or it hangs under no
            # record anybody has: exported as imported with the whole directory.
            aside = not owner or (
                table in ("locations", "service_at_location") and owner not in taken[table]
            )
            records.append(
                (
                    source,
                    table,
                    row["_external_id"],
                    _s(data.get("id")),
                    owner,
                    connection.ops.adapt_json_value(data, None),
                    ASIDE if aside else hashes.get((table, owner), empty),
                    now,
                )
            )
    # One INSERT … ON CONFLICT per thousand rows: bulk_create prepares every field of every
    # object in Python, which doubled the time of a whole-city import.
    qn = connection.ops.quote_name
    columns = ["source", "table", "external_id", "hsds_id", "owner", "data", "group_hash"]
    columns.append("imported_at")
    sql = (
        f"INSERT INTO {qn(HsdsRecord._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({qn('source')}, {qn('table')}, {qn('external_id')}) DO UPDATE SET "
        + ", ".join(f"{qn(c)} = EXCLUDED.{qn(c)}" for c in columns[3:])
    )
    with connection.cursor() as cursor:
        for chunk in chunks(records, 1000):
            cursor.executemany(sql, chunk)


def _write(t: dict[str, list[dict]], language: str, report: ImportReport):
    """Mosty's own columns from the tables; returns the service, organisation and location
    primary keys written."""
    cat_pk = _write_terms(t, report)
    org_pk = _write_organisations(t, report)
    loc_pk = _write_locations(t, org_pk, report)
    svc_pk = _write_services(t, org_pk, language, report)
    _write_children(t, svc_pk, loc_pk, cat_pk, report)
    return list(svc_pk.values()), set(org_pk.values()), list(loc_pk.values())


def _unused(root: str, used: set[str]) -> str:
    """`root`, or `root-2`, `root-3` … whichever is not in `used` yet (then it is)."""
    value, n = root, 2
    while value in used:
        value, n = f"{root}-{n}", n + 1
    used.add(value)
    return value


def _write_terms(t, report) -> dict[str, int]:
    """Taxonomy terms -> categories (codes are unique in Mosty: a clash gets a suffix)."""
    term_codes = dict(Category.objects.order_by().values_list("hsds_id", "code"))
    used_codes = set(term_codes.values())
    cats = []
    for row in t["taxonomy_terms"]:
        hid = _s(row["id"])
        code = term_codes.get(hid)
        if code is None:
            code = _unused(
                slugify(_s(row.get("code")) or _s(row.get("name")))[:90] or "term", used_codes
            )
        cats.append(
            Category(
                hsds_id=hid,
                code=code,
                name=_s(row.get("name"))[:200],
                description=_s(row.get("description")),
                taxonomy=(_s(row.get("taxonomy")) or "mosty")[:100],
            )
        )
    return _upsert(Category, cats, ["name", "description", "taxonomy"], report, "taxonomy_terms")


def _write_organisations(t, report) -> dict[str, int]:
    """Organizations, matched through their HSDS id, with their own (first) phone."""
    org_map: dict[str, int] = {}
    for chunk in chunks([_s(r["id"]) for r in t["organizations"]]):
        org_map.update(
            HsdsOrganisation.objects.filter(hsds_id__in=chunk).values_list(
                "hsds_id", "organisation_id"
            )
        )
    slugs = set(Organisation.objects.order_by().values_list("slug", flat=True))
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
        pk = org_map.get(hid)
        if pk:
            to_update.append(Organisation(pk=pk, **values))
            org_pk[hid] = pk
        else:
            slug = _unused(slugify(values["name"])[:80] or "organisation", slugs)
            to_create.append((hid, Organisation(slug=slug, kind=OrganisationKind.OTHER, **values)))
    for chunk in chunks(to_update):
        Organisation.objects.bulk_update(chunk, ["name", "description", "email", "website"])
    for chunk in chunks(to_create):
        Organisation.objects.bulk_create([o for _h, o in chunk])
    by_slug = {}
    for chunk in chunks([o.slug for _h, o in to_create]):
        by_slug.update(
            Organisation.objects.filter(slug__in=chunk).order_by().values_list("slug", "pk")
        )
    HsdsOrganisation.objects.bulk_create(
        [HsdsOrganisation(organisation_id=by_slug[o.slug], hsds_id=h) for h, o in to_create],
        batch_size=500,
    )
    for h, o in to_create:
        org_pk[h] = by_slug[o.slug]
    if to_create:
        report.created["organizations"] += len(to_create)
    if to_update:
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
    for chunk in chunks(list(org_phones.items())):
        Organisation.objects.bulk_update(
            [Organisation(pk=pk, phone=number) for pk, (number, _id) in chunk], ["phone"]
        )
    mappings = []
    for chunk in chunks(list(org_phones)):
        for mapping in HsdsOrganisation.objects.filter(organisation_id__in=chunk):
            mapping.phone_hsds_id = org_phones[mapping.organisation_id][1]
            mappings.append(mapping)
    for chunk in chunks(mappings):
        HsdsOrganisation.objects.bulk_update(chunk, ["phone_hsds_id"])
    return org_pk


def _write_locations(t, org_pk, report) -> dict[str, int]:
    """Locations with their (first) address; a location no organisation owns is skipped."""
    service_org = {_s(s["id"]): org_pk[_s(s["organization_id"])] for s in t["services"]}
    loc_org: dict[str, int] = {}
    for row in t["service_at_location"]:
        loc_org.setdefault(_s(row["location_id"]), service_org[_s(row["service_id"])])
    addresses = {}
    for row in t["addresses"]:
        addresses.setdefault(_s(row["location_id"]), row)
    access = {}
    for row in t["accessibility"]:
        access.setdefault(
            _s(row["location_id"]), _s(row.get("description")) or _s(row.get("details"))
        )
    districts = list(District.objects.order_by())
    by_name = {d.name.lower(): d for d in districts} | {d.code: d for d in districts}
    locations = []
    for i, row in enumerate(t["locations"], 1):
        lid = _s(row["id"])
        org = org_pk.get(_s(row.get("organization_id"))) or loc_org.get(lid)
        if org is None:
            # Kept in HsdsRecord and exported again; Mosty shows locations of organisations.
            report.warnings.append(
                str(
                    RowError(
                        "locations",
                        i,
                        "organization_id",
                        _("no organization owns this location"),
                        _s(row.get(WHERE)),
                    )
                )
            )
            continue
        addr = addresses.get(lid, {})
        lat = float(row["latitude"]) if _s(row.get("latitude")) else None
        lon = float(row["longitude"]) if _s(row.get("longitude")) else None
        if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
            lat = lon = None
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
    return _upsert(Location, locations, ["organisation", *LOCATION_COLUMNS], report, "locations")


def _write_services(t, org_pk, language, report) -> dict[str, int]:
    """Services with their documents and whether they are free; changed text outdates
    their translations (the revision goes up)."""
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
    before = {
        h: (n, d, e)
        for chunk in chunks([s.hsds_id for s in services])
        for h, n, d, e in Service.objects.filter(hsds_id__in=chunk)
        .order_by()
        .values_list("hsds_id", "name", "description", "eligibility")
    }
    changed_text = [
        s.hsds_id
        for s in services
        if s.hsds_id in before and before[s.hsds_id] != (s.name, s.description, s.eligibility)
    ]
    svc_pk = _upsert(Service, services, ["organisation", *SERVICE_COLUMNS], report, "services")
    for chunk in chunks(changed_text):
        Service.objects.filter(hsds_id__in=chunk).update(revision=F("revision") + 1)
    return svc_pk


def _write_children(t, svc_pk, loc_pk, cat_pk, report) -> None:
    """Children of services and locations, pruned of rows the import no longer lists."""
    svc_ids = list(svc_pk.values())
    loc_ids = list(loc_pk.values())
    sals = []
    seen_pairs = set()
    sal_service = {}
    for row in t["service_at_location"]:
        if _s(row["location_id"]) not in loc_pk:
            continue
        pair = (svc_pk[_s(row["service_id"])], loc_pk[_s(row["location_id"])])
        sal_service[_s(row["id"])] = pair[0]
        if pair in seen_pairs:
            continue
        seen_pairs.add(pair)
        sals.append(
            ServiceAtLocation(hsds_id=_s(row["id"]), service_id=pair[0], location_id=pair[1])
        )
    _replace(
        ServiceAtLocation, sals, ["service", "location"], report, "service_at_location", svc_ids
    )

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
    for row in t["schedules"]:
        sid = svc_pk.get(_s(row.get("service_id"))) or sal_service.get(
            _s(row.get("service_at_location_id"))
        )
        if sid is None:
            continue  # a location's own hours: kept in HsdsRecord only
        days = [d.strip().upper()[-2:] for d in _s(row.get("byday")).split(",") if d.strip()]
        if not days or not _s(row.get("opens_at")) or not _s(row.get("closes_at")):
            continue  # other recurrences: kept in HsdsRecord, shown by Mosty only when weekly
        for n, day in enumerate(days):
            schedules.append(
                Schedule(
                    hsds_id=_s(row["id"]) if n == 0 else f"{_s(row['id'])}#{day}",
                    service_id=sid,
                    weekday=BYDAY_TO_WEEKDAY[day],
                    opens_at=parse_time(row["opens_at"]),
                    closes_at=parse_time(row["closes_at"]),
                    description=_s(row.get("description"))[:200],
                )
            )
    fields = ["service", "weekday", "opens_at", "closes_at", "description"]
    _replace(Schedule, schedules, fields, report, "schedules", svc_ids)

    langs = [
        ServiceLanguage(hsds_id=_s(row["id"]), service_id=sid, code=code)
        for row, sid, code in _once_per_service(t["languages"], "service_id", svc_pk, _language)
    ]
    _replace(ServiceLanguage, langs, ["service", "code"], report, "languages", svc_ids)

    attrs = [
        ServiceCategory(hsds_id=_s(row["id"]), service_id=sid, category_id=cid)
        for row, sid, cid in _once_per_service(
            t["attributes"], "link_id", svc_pk, lambda r: cat_pk[_s(r["taxonomy_term_id"])]
        )
    ]
    _replace(ServiceCategory, attrs, ["service", "category"], report, "attributes", svc_ids)


def _language(row: dict) -> str:
    """A language row's code as Mosty keeps it (`uk-UA` -> `uk`; by name when no code)."""
    return (_s(row.get("code")) or _s(row.get("name"))[:2]).lower().split("-")[0][:3]


def _once_per_service(rows, service_field: str, svc_pk, key) -> Iterator[tuple[dict, int, Any]]:
    """The rows naming an imported service (in `service_field`), with the service's primary
    key and the row's `key`: a service holds each key once (Mosty's unique constraint), so a
    repeated one is skipped here (and kept in HsdsRecord)."""
    seen = set()
    for row in rows:
        sid = svc_pk.get(_s(row.get(service_field)))
        if sid is None:
            continue
        value = key(row)
        if (sid, value) not in seen:
            seen.add((sid, value))
            yield row, sid, value
