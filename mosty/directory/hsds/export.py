"""The directory as HSDS tables: Mosty's own columns, completed from the imported records.

`mosty_tables` gives what Mosty's columns hold. `export_tables` adds the rows and fields kept
in `HsdsRecord`: a group of rows (a service's phones, a location's schedules, a service itself)
that Mosty has not changed since it was imported is exported exactly as imported; a changed
group is exported from Mosty's columns with the imported fields Mosty has no column for; rows
of tables Mosty does not model (contacts, programs, funding …) are exported as imported.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import translation

from mosty.directory.hsds.spec import TABLES, owner_of
from mosty.directory.models import (
    BYDAY,
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
)
from mosty.organisations.models import Organisation

# Tables whose rows are records of their own in Mosty (exported while Mosty has them).
MODELLED = {"organizations", "services", "locations", "service_at_location", "taxonomy_terms"}
# Values Mosty fills in only because HSDS requires a value: an imported value wins.
DEFAULTS = {
    "locations": {"location_type"},
    "addresses": {"address_type", "region", "state_province"},
    "phones": {"type"},
    "schedules": {"freq"},
    "cost_options": {"option", "currency"},
    "attributes": {"link_type", "link_entity"},
    "taxonomy_terms": {"language", "taxonomy", "taxonomy_id"},
}
# The group_hash of a record Mosty could not take into its own tables (a location no
# organisation owns): exported as imported with the whole directory.
ASIDE = "aside"
# Mosty's own columns of a service and of a location that HSDS rows fill: what the export
# reads and the import writes back (besides the organisation), in one order for both.
SERVICE_COLUMNS = (
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
)
LOCATION_COLUMNS = (
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
)
# Fields that name other records: followed to export what they refer to.
REFERENCES = ("taxonomy_id", "program_id", "parent_id", "taxonomy_term_id")


def chunks(items, size=500):
    """`items` in lists of `size` (query parameters stay under the databases' limits)."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _derived_id(*parts) -> str:
    """Ids of rows Mosty keeps as a column (a required document line, the free-of-charge
    option): derived from the owner's own UUID, so they are as stable and unique as it is."""
    return str(uuid.uuid5(uuid.UUID(int=0), ":".join(str(p) for p in parts)))


def _language_name(code: str) -> str:
    try:
        return translation.get_language_info(code)["name"]
    except KeyError:
        return code


def organisation_hsds_ids(pks) -> dict[int, str]:
    """The stored HSDS id of each organisation; one is given (a random UUID) where missing."""
    pks = set(pks)
    found: dict[int, str] = {}
    for chunk in chunks(pks):
        found.update(
            HsdsOrganisation.objects.filter(organisation_id__in=chunk).values_list(
                "organisation_id", "hsds_id"
            )
        )
    missing = [pk for pk in pks if pk not in found]
    if missing:
        HsdsOrganisation.objects.bulk_create(
            [HsdsOrganisation(organisation_id=pk, hsds_id=str(uuid.uuid4())) for pk in missing],
            batch_size=500,
            ignore_conflicts=True,
        )
        for chunk in chunks(missing):
            found.update(
                HsdsOrganisation.objects.filter(organisation_id__in=chunk).values_list(
                    "organisation_id", "hsds_id"
                )
            )
    return found


def mosty_tables(services=None, *, org_pks=(), loc_pks=()) -> dict[str, list[dict]]:
    """What Mosty's own columns hold, as HSDS tables, in a fixed few queries.

    `services=None` is the whole directory (every organisation with services, locations or an
    HSDS id, every location, every category); otherwise the given services with their
    organisations and locations, plus the organisations and locations named."""
    whole = services is None
    services = Service.objects.all() if whole else services
    svc_rows = list(
        services.order_by("pk").values(
            "pk", "hsds_id", "organisation_id", *SERVICE_COLUMNS, "updated_at"
        )
    )
    svc_ids = [r["pk"] for r in svc_rows]
    svc_hsds = {r["pk"]: r["hsds_id"] for r in svc_rows}
    sal_rows = []
    for chunk in chunks(svc_ids):
        sal_rows += ServiceAtLocation.objects.filter(service_id__in=chunk).values(
            "hsds_id", "service_id", "location_id"
        )
    if whole:
        locations = Location.objects.all()
    else:
        locations = Location.objects.filter(
            pk__in={r["location_id"] for r in sal_rows} | set(loc_pks)
        )
    loc_rows = list(
        locations.order_by("pk").values(
            "pk", "hsds_id", "organisation_id", *LOCATION_COLUMNS, "district__name"
        )
    )
    loc_hsds = {r["pk"]: r["hsds_id"] for r in loc_rows}
    loc_ids = list(loc_hsds)
    if whole:
        orgs_qs = Organisation.objects.filter(
            Q(hsds__isnull=False)
            | Exists(Service.objects.filter(organisation=OuterRef("pk")))
            | Exists(Location.objects.filter(organisation=OuterRef("pk")))
        )
    else:
        orgs_qs = Organisation.objects.filter(
            pk__in={r["organisation_id"] for r in svc_rows + loc_rows} | set(org_pks)
        )
    orgs = list(
        orgs_qs.order_by("pk").values(
            "pk", "name", "description", "email", "website", "phone", "hsds__phone_hsds_id"
        )
    )
    org_hsds = organisation_hsds_ids(o["pk"] for o in orgs)

    t: dict[str, list[dict]] = {name: [] for name in TABLES}
    for o in orgs:
        oid = org_hsds[o["pk"]]
        t["organizations"].append(
            {
                "id": oid,
                "name": o["name"],
                # HSDS requires a description; the name is the shortest true one.
                "description": o["description"] or o["name"],
                "email": o["email"],
                "website": o["website"],
            }
        )
        if o["phone"]:
            t["phones"].append(
                {
                    "id": o["hsds__phone_hsds_id"] or _derived_id("org-phone", oid),
                    "organization_id": oid,
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
                {"id": _derived_id("doc", sid, line), "service_id": sid, "document": line}
            )
        if r["is_free"]:
            t["cost_options"].append(
                {
                    "id": _derived_id("free", sid),
                    "service_id": sid,
                    "option": "Free",
                    "currency": "PLN",
                    "amount": 0,
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
                    "id": r["address_hsds_id"] or _derived_id("address", lid),
                    "location_id": lid,
                    "address_1": r["address_1"],
                    "address_2": r["address_2"],
                    "city": r["city"],
                    "region": r["district__name"] or "",
                    "state_province": settings.MOSTY_HSDS_STATE_PROVINCE,
                    "postal_code": r["postal_code"],
                    "country": r["country"],
                    "address_type": "physical",
                }
            )
        if r["accessibility"]:
            t["accessibility"].append(
                {
                    "id": _derived_id("access", lid),
                    "location_id": lid,
                    "description": r["accessibility"],
                }
            )
    for r in sal_rows:
        if r["location_id"] in loc_hsds:
            t["service_at_location"].append(
                {
                    "id": r["hsds_id"],
                    "service_id": svc_hsds[r["service_id"]],
                    "location_id": loc_hsds[r["location_id"]],
                }
            )
    # Phones belong to a service or to a location: one pass per owner kind.
    for owner, ids, hsds_of in (("service", svc_ids, svc_hsds), ("location", loc_ids, loc_hsds)):
        column = f"{owner}_id"
        for chunk in chunks(ids):
            for p in Phone.objects.filter(**{f"{column}__in": chunk}).values(
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
    for chunk in chunks(svc_ids):
        for s in (
            Schedule.objects.filter(service_id__in=chunk)
            .order_by("service_id", "weekday")
            .values("hsds_id", "service_id", "weekday", "opens_at", "closes_at", "description")
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
                    "opens_at": s["opens_at"].strftime("%H:%M:%S"),
                    "closes_at": s["closes_at"].strftime("%H:%M:%S"),
                    "description": s["description"],
                }
            else:
                row["byday"] += "," + BYDAY[s["weekday"]]
    t["schedules"] = list(grouped.values())
    with translation.override("en"):
        for chunk in chunks(svc_ids):
            for lang in ServiceLanguage.objects.filter(service_id__in=chunk).values(
                "hsds_id", "service_id", "code"
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
    for chunk in chunks(svc_ids):
        for a in ServiceCategory.objects.filter(service_id__in=chunk).values(
            "hsds_id", "service_id", "category_id"
        ):
            used_terms.add(a["category_id"])
            t["attributes"].append(
                {
                    "id": a["hsds_id"],
                    "link_id": svc_hsds[a["service_id"]],
                    "link_type": "service",
                    "link_entity": "service",
                    "taxonomy_term_id": a["category_id"],
                }
            )
    terms_qs = Category.objects.all() if whole else Category.objects.filter(pk__in=used_terms)
    terms = {
        c["pk"]: c
        for c in terms_qs.values("pk", "hsds_id", "code", "name", "description", "taxonomy")
    }
    for a in t["attributes"]:
        a["taxonomy_term_id"] = terms[a["taxonomy_term_id"]]["hsds_id"]
    t["taxonomy_terms"] = term_rows(sorted(terms.values(), key=lambda c: c["pk"]))
    t["taxonomies"] = [
        {"id": taxonomy_id(name), "name": name, "description": name}
        for name in sorted({c["taxonomy"] for c in terms.values()})
    ]
    return t


def taxonomy_id(name: str) -> str:
    """The id of one of Mosty's own taxonomies (categories carry only its name)."""
    return _derived_id("taxonomy", name)


def term_rows(categories) -> list[dict]:
    return [
        {
            "id": c["hsds_id"],
            "code": c["code"],
            "name": c["name"],
            "description": c["description"] or c["name"],
            "taxonomy": c["taxonomy"],
            "taxonomy_id": taxonomy_id(c["taxonomy"]),
            "language": "en",
        }
        for c in categories
    ]


def taxonomy_tables() -> dict[str, list[dict]]:
    """Every taxonomy term and taxonomy, completed from the imported records (for the API;
    Mosty keeps tens or hundreds of categories, not thousands)."""
    categories = Category.objects.order_by("name", "pk").values(
        "hsds_id", "code", "name", "description", "taxonomy"
    )
    terms = term_rows(categories)
    names = sorted({t["taxonomy"] for t in terms})
    own = [{"id": taxonomy_id(n), "name": n, "description": n} for n in names]
    tables = with_records({"taxonomy_terms": terms, "taxonomies": own}, whole=True)
    # Mosty's own taxonomy is listed while a term uses it (an imported one carries its id).
    used = {str(t.get("taxonomy_id")) for t in tables["taxonomy_terms"]}
    own_ids = {o["id"] for o in own}
    tables["taxonomies"] = [
        t for t in tables["taxonomies"] if t["id"] in used or t["id"] not in own_ids
    ]
    return tables


def _norm(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def group_hash(rows: list[dict]) -> str:
    """A fingerprint of what Mosty's columns give for one group of rows."""
    canon = []
    for row in rows:
        values = {k: _norm(v) for k, v in row.items()}
        canon.append(json.dumps({k: v for k, v in values.items() if v}, sort_keys=True))
    canon.sort()
    return hashlib.sha256("\n".join(canon).encode()).hexdigest()


def groups(
    tables: dict[str, list[dict]], owners: dict[tuple[str, str], str]
) -> dict[tuple[str, str], list[dict]]:
    """Rows by (table, owner). `owners` gives the owner an imported row had (a phone of a
    contact and a service hangs under the contact), so Mosty's row joins the same group."""
    out: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for table, rows in tables.items():
        for row in rows:
            owner = owners.get((table, _norm(row.get("id"))))
            out[(table, owner_of(table, row) if owner is None else owner)].append(row)
    return out


def _overlay(table: str, original: dict, mosty: dict) -> dict:
    row = dict(original)
    for key, value in mosty.items():
        if key in DEFAULTS.get(table, ()) and _norm(original.get(key)):
            continue
        row[key] = value
    return row


def with_records(current: dict[str, list[dict]], *, whole: bool) -> dict[str, list[dict]]:
    """Mosty's rows completed from the imported records (see the module's docstring)."""
    exported = {_norm(r.get("id")) for rows in current.values() for r in rows}
    exported.discard("")
    records: dict[int, HsdsRecord] = {}
    found: list[HsdsRecord] = []
    fields = ("pk", "table", "hsds_id", "owner", "data", "group_hash")
    if whole:
        # The whole directory: every record in one pass, followed in memory.
        pool = list(HsdsRecord.objects.only(*fields))
        index: dict[str, list[HsdsRecord]] = defaultdict(list)
        for rec in pool:
            index[rec.owner].append(rec)
            if rec.hsds_id != rec.owner:
                index[rec.hsds_id].append(rec)
            if rec.table in ("meta_table_descriptions", "taxonomies") or rec.group_hash == ASIDE:
                found.append(rec)

        def lookup(ids):
            return [rec for i in ids for rec in index.get(i, [])]
    else:

        def lookup(ids):
            out = []
            for chunk in chunks(ids):
                out += HsdsRecord.objects.filter(Q(owner__in=chunk) | Q(hsds_id__in=chunk)).only(
                    *fields
                )
            return out

    frontier = set(exported)
    while frontier or found:
        found += lookup(frontier)
        frontier = set()
        for rec in found:
            if rec.pk in records:
                continue
            if rec.table in MODELLED and rec.hsds_id not in exported and rec.group_hash != ASIDE:
                continue  # Mosty no longer has (or does not export) this record
            records[rec.pk] = rec
            new = {rec.hsds_id} | {_norm(rec.data.get(f)) for f in REFERENCES}
            frontier |= {i for i in new if i and i not in exported}
        exported |= frontier
        found = []
    stored: dict[tuple[str, str], list[HsdsRecord]] = defaultdict(list)
    for rec in sorted(records.values(), key=lambda r: r.pk):
        stored[(rec.table, rec.owner)].append(rec)
    mosty = groups(current, {(r.table, r.hsds_id): r.owner for r in records.values()})
    out: dict[str, list[dict]] = {name: [] for name in TABLES}
    for key in list(mosty) + [k for k in stored if k not in mosty]:
        table, _owner = key
        cur, recs = mosty.get(key, []), stored.get(key, [])
        out.setdefault(table, []).extend(dict(r.data) for r in recs if r.group_hash == ASIDE)
        recs = [r for r in recs if r.group_hash != ASIDE]
        if (
            recs
            and all(r.group_hash == recs[0].group_hash for r in recs)
            and (recs[0].group_hash == group_hash(cur))
        ):
            rows = [dict(r.data) for r in recs]
        elif recs and not cur and table in MODELLED:
            rows = [dict(r.data) for r in recs]
        elif recs:
            originals = {r.hsds_id: r.data for r in recs}
            rows = [_overlay(table, originals.get(_norm(c.get("id")), {}), c) for c in cur]
        else:
            rows = cur
        out.setdefault(table, []).extend(rows)
    for table in out:
        seen, unique = set(), []
        for row in out[table]:
            rid = _norm(row.get("id"))
            if rid in seen:
                continue
            seen.add(rid)
            unique.append(row)
        out[table] = unique
    return out


def export_tables(services=None) -> dict[str, list[dict]]:
    """The directory (or the given service queryset) as complete HSDS tables."""
    return with_records(mosty_tables(services), whole=services is None)
