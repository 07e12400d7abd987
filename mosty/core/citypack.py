"""City packs: one YAML file that turns an empty database into a working city.

A pack is validated completely before anything is written; errors name the file, the field
(as a path like `districts[3].code`) and what is wrong, and the database stays untouched.
Later modules add their own sections with `@pack_section("articles")`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import yaml
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from mosty.core.models import City

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")


@dataclass
class PackError:
    path: str
    message: str


class PackInvalid(Exception):
    def __init__(self, filename: str, errors: list[PackError]):
        self.filename = filename
        self.errors = errors
        super().__init__(self.report())

    def report(self) -> str:
        lines = [_("The city pack %(file)s is not valid:") % {"file": self.filename}]
        lines += [f"  {e.path or '(top)'}: {e.message}" for e in self.errors]
        return "\n".join(lines)


# --- the schema ---------------------------------------------------------------------------
# The shape of a pack is a JSON Schema (checked by `jsonschema`); what a schema cannot say (a
# code used twice, a district or organisation that does not exist) is checked in code below.
# `x-error` names the message a value gets when anything inside it is wrong, so a broken point
# reads "must be a point like {lat: 54.35, lon: 18.65}" once, not one line per keyword.


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def text_schema(max_length: int = 200) -> dict[str, Any]:
    """Text of at most `max_length` characters (a number is read as its text: `code: 12`)."""
    return {"type": ["string", "number"], "minLength": 1, "maxLength": max_length}


def optional(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema`, or nothing at all (`key:` left empty in YAML is null, or an empty text)."""
    loose = {k: v for k, v in schema.items() if k != "minLength"}
    return {**loose, "type": [*_as_list(schema.get("type", [])), "null"]}


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


# A slug written as a number (`code: 12`) is read as its text, as YAML authors expect.
SLUG_SCHEMA: dict[str, Any] = {
    "type": ["string", "integer"],
    "minimum": 0,
    "pattern": SLUG.pattern,
    "x-error": "slug",
}
POINT_SCHEMA: dict[str, Any] = {
    "type": ["object", "null"],
    "required": ["lat", "lon"],
    "properties": {
        "lat": {"type": "number", "minimum": -90, "maximum": 90, "x-error": "range"},
        "lon": {"type": "number", "minimum": -180, "maximum": 180, "x-error": "range"},
    },
    "x-error": "point",
}


def language_schema() -> dict[str, Any]:
    return {"enum": _languages(), "x-error": "language"}


def language_list_schema() -> dict[str, Any]:
    return {"type": "array", "items": language_schema()}


def pack_schema() -> dict[str, Any]:
    """The JSON Schema of a whole pack (module sections included), for this installation."""
    from mosty.networks.models import NetworkTheme
    from mosty.organisations.models import OrganisationKind

    def row(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "required": required, "properties": properties}

    def rows(item: dict[str, Any]) -> dict[str, Any]:
        return {"type": ["array", "null"], "items": item}

    core: dict[str, Any] = {
        "city": row(
            ["name", "slug"],
            {
                "name": text_schema(),
                "slug": SLUG_SCHEMA,
                "default_language": language_schema(),
                "languages": language_list_schema(),
                "centroid": POINT_SCHEMA,
            },
        ),
        "districts": rows(
            row(
                ["code", "name"],
                {
                    "code": SLUG_SCHEMA,
                    "name": text_schema(),
                    "centroid": POINT_SCHEMA,
                    "outline": {
                        "type": ["object", "null"],
                        "required": ["type"],
                        "properties": {"type": {"enum": ["Polygon", "MultiPolygon"]}},
                        "x-error": "outline",
                    },
                },
            )
        ),
        "organisations": rows(
            row(
                ["slug", "name", "kind"],
                {
                    "slug": SLUG_SCHEMA,
                    "name": text_schema(),
                    "kind": {"enum": list(OrganisationKind.values)},
                    "district": optional({"type": "string"}),
                    "languages": language_list_schema(),
                    "email": optional(text_schema(254)),
                    "phone": optional(text_schema(40)),
                    "website": optional(text_schema(200)),
                    "address": optional(text_schema(300)),
                    "description": optional(text_schema(5000)),
                },
            )
        ),
        "networks": rows(
            row(
                ["slug", "name", "theme"],
                {
                    "slug": SLUG_SCHEMA,
                    "name": text_schema(),
                    "theme": {"enum": list(NetworkTheme.values)},
                    "purpose": optional(text_schema(5000)),
                    "coordinator": optional({"type": "string"}),
                    "members": {"type": "array", "items": {"type": "string"}},
                    "public": {"type": "boolean"},
                },
            )
        ),
    }
    sections = {name: section.schema() for name, section in SECTIONS.items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["city"],
        "properties": {**core, **sections},
        "additionalProperties": False,
    }


def _path(parts: Iterable[str | int]) -> str:
    """`["districts", 3, "code"]` -> `districts[3].code`, the way the pack's author reads it."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# Which keywords a marked schema answers for itself; other errors inside it fall through to
# the next marked schema outside it, or to the keyword's own message.
MARKS: dict[str, set[str] | None] = {
    "range": {"minimum", "maximum"},
    "slug": {"pattern", "minimum"},
    "point": None,  # every error inside a point
    "outline": None,
    "language": None,
}


def _marked(error: jsonschema.ValidationError, root: dict[str, Any]) -> tuple[str, int] | None:
    """The innermost `x-error` mark that answers for `error`, and how deep in the document the
    value it marks lies."""
    schema: Any = root
    depth, found = 0, None
    parts = list(error.absolute_schema_path)
    for i, part in enumerate(parts):
        if isinstance(schema, dict) and "x-error" in schema:
            answers = MARKS[schema["x-error"]]
            if answers is None or error.validator in answers:
                found = (schema["x-error"], depth)
        if i == len(parts) - 1:
            break  # the last part is the failing keyword itself
        previous = parts[i - 1] if i else None
        if previous == "properties" or part == "items":
            depth += 1
        schema = schema[part]
    return found


def _message(
    error: jsonschema.ValidationError, root: dict[str, Any], known: list[str]
) -> tuple[str, str]:
    """(path, translated message) for one schema error, in the words of the pack's author."""
    path = list(error.absolute_path)
    value: Any = error.instance
    # jsonschema types these as "maybe unset"; for an error raised by a keyword they are set.
    keyword: Any = error.validator_value
    schema: Any = error.schema
    mark = _marked(error, root)
    if mark is not None:
        kind, depth = mark
        where = _path(path[:depth] if kind != "range" else path[: depth - 1])
        if kind == "range":
            return where, _("latitude must be within -90..90 and longitude within -180..180")
        if kind == "point":
            return where, _("must be a point like {lat: 54.35, lon: 18.65}")
        if kind == "outline":
            return where, _("must be a GeoJSON Polygon or MultiPolygon")
        if kind == "slug":
            return where, _("must use only lowercase letters, digits and hyphens, like 'nowy-port'")
        return where, _("'%(value)s' is not one of the shipped languages: %(codes)s") % {
            "value": value,
            "codes": ", ".join(_languages()),
        }
    if error.validator == "required":
        missing = next(k for k in keyword if k not in value)
        return _path([*path, missing]), _("is required")
    if error.validator == "additionalProperties":
        unknown = sorted(set(value) - set(schema.get("properties", {})), key=str)
        return _path([*path, str(unknown[0])]), _("unknown section; expected one of: %(keys)s") % {
            "keys": ", ".join(sorted(known))
        }
    where = _path(path)
    if error.validator == "enum":
        return where, _("'%(value)s' is not one of: %(choices)s") % {
            "value": value,
            "choices": ", ".join(str(c) for c in keyword),
        }
    if error.validator == "minLength" or (error.validator == "type" and value is None):
        return where, _("is required")
    if error.validator == "maxLength":
        return where, _("must be at most %(n)d characters long") % {"n": keyword}
    expected = _as_list(keyword) if error.validator == "type" else []
    if "object" in expected:
        return where, _("must be a mapping of names to values")
    if "array" in expected:
        return where, _("must be a list")
    if "boolean" in expected:
        return where, _("must be true or false")
    if error.validator == "minimum" or "string" not in expected:
        return where, _("must be a number, zero or more")
    return where, _("must be text")


def schema_errors(data: object, schema: dict[str, Any]) -> list[PackError]:
    """Every place `data` breaks `schema`, in document order, one message per place."""
    validator = jsonschema.Draft202012Validator(schema)
    known = sorted(schema.get("properties", {}))
    found: dict[str, str] = {}
    errors = sorted(
        validator.iter_errors(data),
        key=lambda e: [
            (0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in e.absolute_path
        ],
    )
    for error in errors:
        where, message = _message(error, schema, known)
        found.setdefault(where, message)
    return [PackError(where, message) for where, message in found.items()]


def _rows(top: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The well-formed rows of a list section (the schema has reported the others)."""
    value = top.get(key)
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _point(value: object) -> tuple[float, float] | None:
    if not isinstance(value, dict):
        return None
    try:
        return float(value["lat"]), float(value["lon"])
    except (KeyError, TypeError, ValueError):
        return None


class Checker:
    """Collects the problems of a pack; modules' sections add theirs with `fail()`."""

    def __init__(self) -> None:
        self.errors: list[PackError] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(PackError(path, message))


@dataclass(frozen=True)
class PackSection:
    """A module's own part of a pack: `schema()` its shape (JSON Schema), `check(checker, value,
    context)` what a schema cannot say (it returns the value to load), `load(value, context)`
    what it writes."""

    schema: Callable[[], dict[str, Any]]
    check: Callable[[Checker, Any, dict[str, Any]], Any]
    load: Callable[[Any, dict[str, Any]], None]


SECTIONS: dict[str, PackSection] = {}


def pack_section(
    name: str,
    *,
    schema: Callable[[], dict[str, Any]],
    check: Callable[[Checker, Any, dict[str, Any]], Any],
    load: Callable[[Any, dict[str, Any]], None],
) -> None:
    SECTIONS[name] = PackSection(schema=schema, check=check, load=load)


def _unique_codes(
    checker: Checker, rows: list[dict[str, Any]], section: str, key: str, used_twice: str
) -> list[str]:
    """Each row's code (slug), reporting one that an earlier row already uses."""
    codes: list[str] = []
    for i, raw in enumerate(rows):
        code = _text(raw.get(key))
        if code and code in codes:
            checker.fail(f"{section}[{i}].{key}", used_twice % {"code": code})
        codes.append(code)
    return codes


def _refer(checker: Checker, where: str, code: object, known: list[str], missing: str) -> None:
    """A reference to a district or organisation must name one the pack defines."""
    if code is not None and code not in known:
        checker.fail(where, missing % {"code": code})


def _check(data: object, checker: Checker) -> dict[str, Any]:
    """The pack's values, cleaned; its problems go to `checker`."""
    checker.errors += schema_errors(data, pack_schema())
    top: dict[str, Any] = data if isinstance(data, dict) else {}
    city_raw = top.get("city") if isinstance(top.get("city"), dict) else {}
    assert isinstance(city_raw, dict)
    city = {
        "name": _text(city_raw.get("name")),
        "slug": _text(city_raw.get("slug")),
        "default_language": city_raw.get("default_language", "pl"),
        "centroid": _point(city_raw.get("centroid")),
        "languages": list(city_raw.get("languages") or _languages()),
    }
    if city["languages"] and city["default_language"] not in city["languages"]:
        checker.fail("city.languages", _("must include the default language"))

    district_rows = _rows(top, "districts")
    codes = _unique_codes(
        checker, district_rows, "districts", "code", _("'%(code)s' is used by another district")
    )
    districts = [
        {
            "code": code,
            "name": _text(raw.get("name")),
            "centroid": _point(raw.get("centroid")),
            "outline": raw.get("outline"),
        }
        for code, raw in zip(codes, district_rows, strict=True)
    ]

    org_rows = _rows(top, "organisations")
    org_slugs = _unique_codes(
        checker, org_rows, "organisations", "slug", _("'%(code)s' is used by another organisation")
    )
    no_org = _("no organisation in this pack has the slug '%(code)s'")
    organisations = []
    for i, (slug, raw) in enumerate(zip(org_slugs, org_rows, strict=True)):
        district = raw.get("district")
        _refer(
            checker,
            f"organisations[{i}].district",
            district,
            codes,
            _("no district has the code '%(code)s'"),
        )
        organisations.append(
            {
                "slug": slug,
                "name": _text(raw.get("name")),
                "kind": raw.get("kind"),
                "district": district,
                "languages": list(raw.get("languages") or []),
                **{
                    key: _text(raw.get(key))
                    for key in ("email", "phone", "website", "address", "description")
                },
            }
        )

    net_rows = _rows(top, "networks")
    net_slugs = _unique_codes(
        checker, net_rows, "networks", "slug", _("'%(code)s' is used by another network")
    )
    networks = []
    for i, (slug, raw) in enumerate(zip(net_slugs, net_rows, strict=True)):
        coordinator = raw.get("coordinator")
        _refer(checker, f"networks[{i}].coordinator", coordinator, org_slugs, no_org)
        members: list[Any] = raw["members"] if isinstance(raw.get("members"), list) else []
        for j, member in enumerate(members):
            _refer(checker, f"networks[{i}].members[{j}]", member, org_slugs, no_org)
        networks.append(
            {
                "slug": slug,
                "name": _text(raw.get("name")),
                "theme": raw.get("theme"),
                "purpose": _text(raw.get("purpose")),
                "coordinator": coordinator,
                "members": members,
                "is_public": raw.get("public", True) is not False,
            }
        )
    context = {"districts": set(codes), "organisations": set(org_slugs)}
    extra = {
        name: section.check(checker, top.get(name), context)
        for name, section in SECTIONS.items()
        if name in top
    }
    return {
        "city": city,
        "districts": districts,
        "organisations": organisations,
        "networks": networks,
        "extra": extra,
    }


def pack_read(path: Path) -> dict[str, Any]:
    """Parse and check a pack; raise PackInvalid with every problem found."""
    filename = str(path)
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackInvalid(filename, [PackError("", _("the file does not exist"))])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("line %(line)d") % {"line": mark.line + 1} if mark else ""
        raise PackInvalid(
            filename,
            [
                PackError(
                    where,
                    _("is not valid YAML: %(problem)s") % {"problem": getattr(exc, "problem", exc)},
                )
            ],
        )
    checker = Checker()
    pack = _check(raw, checker)
    if checker.errors:
        raise PackInvalid(filename, checker.errors)
    return pack


@transaction.atomic
def city_init(*, path: Path) -> City:
    """Load a pack into the database, all or nothing. Loading the same pack again updates it."""
    from mosty.core.models import City, District
    from mosty.networks.models import Network, NetworkMembership
    from mosty.organisations.models import Organisation

    pack = pack_read(path)
    data = pack["city"]
    existing = City.current()
    if existing is not None and existing.slug != data["slug"]:
        raise PackInvalid(
            str(path),
            [
                PackError(
                    "city.slug",
                    _(
                        "this database already holds the city '%(slug)s'; one installation serves one city"
                    )
                    % {"slug": existing.slug},
                )
            ],
        )
    lat, lon = data["centroid"] or (None, None)
    city, _created = City.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": data["name"],
            "default_language": data["default_language"],
            "languages": data["languages"],
            "latitude": lat,
            "longitude": lon,
            "pack_name": Path(path).name,
        },
    )
    districts = {}
    for d in pack["districts"]:
        lat, lon = d["centroid"] or (None, None)
        districts[d["code"]], _new = District.objects.update_or_create(
            city=city,
            code=d["code"],
            defaults={
                "name": d["name"],
                "latitude": lat,
                "longitude": lon,
                "outline": d["outline"],
            },
        )
    organisations = {}
    for o in pack["organisations"]:
        values = {k: v for k, v in o.items() if k not in {"slug", "district"}}
        values["district"] = districts.get(o["district"])
        organisation, _new = Organisation.objects.update_or_create(slug=o["slug"], defaults=values)
        organisation.full_clean()
        organisations[o["slug"]] = organisation
    for n in pack["networks"]:
        network, _new = Network.objects.update_or_create(
            slug=n["slug"],
            defaults={
                "name": n["name"],
                "theme": n["theme"],
                "purpose": n["purpose"],
                "is_public": n["is_public"],
                "coordinator": organisations.get(n["coordinator"]),
            },
        )
        for member in {n["coordinator"], *n["members"]} - {None}:
            NetworkMembership.objects.get_or_create(
                network=network, organisation=organisations[member]
            )
    for name, value in pack["extra"].items():
        SECTIONS[name].load(
            value, {"city": city, "districts": districts, "organisations": organisations}
        )
    return city
