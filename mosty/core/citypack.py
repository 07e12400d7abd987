"""City packs: one YAML file that turns an empty database into a working city.

A pack is validated completely before anything is written; errors name the file, the field
(as a path like `districts[3].code`) and what is wrong, and the database stays untouched.
Later modules add their own sections with `@pack_section("articles")`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

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


@dataclass
class Checker:
    errors: list[PackError] = field(default_factory=list)

    def fail(self, path: str, message: str) -> None:
        self.errors.append(PackError(path, message))

    def mapping(self, value, path: str, *, required: bool = True) -> dict:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.fail(path, _("must be a mapping of names to values"))
            return {}
        return value

    def items(self, value, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, _("must be a list"))
            return []
        return value

    def text(
        self, data: dict, key: str, path: str, *, required: bool = True, max_length: int = 200
    ) -> str:
        value = data.get(key)
        where = f"{path}.{key}" if path else key
        if value is None or value == "":
            if required:
                self.fail(where, _("is required"))
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.fail(where, _("must be text"))
            return ""
        value = str(value).strip()
        if len(value) > max_length:
            self.fail(where, _("must be at most %(n)d characters long") % {"n": max_length})
        return value

    def slug(self, data: dict, key: str, path: str, *, required: bool = True) -> str:
        value = self.text(data, key, path, required=required, max_length=50)
        if value and not SLUG.match(value):
            self.fail(
                f"{path}.{key}" if path else key,
                _("must use only lowercase letters, digits and hyphens, like 'nowy-port'"),
            )
        return value

    def language(self, value, path: str) -> str:
        codes = [code for code, _name in settings.LANGUAGES]
        if value not in codes:
            self.fail(
                path,
                _("'%(value)s' is not one of the shipped languages: %(codes)s")
                % {"value": value, "codes": ", ".join(codes)},
            )
        return value

    def choice(
        self, data: dict, key: str, path: str, choices: list[str], *, default: str | None = None
    ) -> str:
        value = data.get(key, default)
        if value not in choices:
            self.fail(
                f"{path}.{key}",
                _("'%(value)s' is not one of: %(choices)s")
                % {"value": value, "choices": ", ".join(choices)},
            )
        return value

    def point(self, value, path: str) -> tuple[float, float] | None:
        if value is None:
            return None
        if (
            not isinstance(value, dict)
            or not {"lat", "lon"} <= set(value)
            or not all(
                isinstance(value[k], int | float) and not isinstance(value[k], bool)
                for k in ("lat", "lon")
            )
        ):
            self.fail(path, _("must be a point like {lat: 54.35, lon: 18.65}"))
            return None
        lat, lon = float(value["lat"]), float(value["lon"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.fail(path, _("latitude must be within -90..90 and longitude within -180..180"))
            return None
        return lat, lon

    def boolean(self, data: dict, key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", _("must be true or false"))
            return default
        return value


# Later modules register how to check and load their own sections of a pack.
PackSection = tuple[Callable[[Checker, object, dict], object], Callable[[object, dict], None]]
SECTIONS: dict[str, PackSection] = {}


def pack_section(name: str, *, check, load) -> None:
    SECTIONS[name] = (check, load)


def _check(data, checker: Checker) -> dict:
    from mosty.organisations.models import NetworkTheme, OrganisationKind

    top = checker.mapping(data, "")
    known = {"city", "districts", "networks", "organisations", *SECTIONS}
    for key in top:
        if key not in known:
            checker.fail(
                str(key),
                _("unknown section; expected one of: %(keys)s")
                % {"keys": ", ".join(sorted(known))},
            )
    city_raw = checker.mapping(top.get("city"), "city")
    city = {
        "name": checker.text(city_raw, "name", "city"),
        "slug": checker.slug(city_raw, "slug", "city"),
        "default_language": checker.language(
            city_raw.get("default_language", "pl"), "city.default_language"
        ),
        "centroid": checker.point(city_raw.get("centroid"), "city.centroid"),
    }
    languages = checker.items(
        city_raw.get("languages", [code for code, _n in settings.LANGUAGES]), "city.languages"
    )
    city["languages"] = [
        checker.language(code, f"city.languages[{i}]") for i, code in enumerate(languages)
    ]
    if city["languages"] and city["default_language"] not in city["languages"]:
        checker.fail("city.languages", _("must include the default language"))

    districts, codes = [], set()
    for i, raw in enumerate(checker.items(top.get("districts"), "districts")):
        path = f"districts[{i}]"
        raw = checker.mapping(raw, path)
        code = checker.slug(raw, "code", path)
        if code in codes:
            checker.fail(
                f"{path}.code", _("'%(code)s' is used by another district") % {"code": code}
            )
        codes.add(code)
        outline = raw.get("outline")
        if outline is not None and not (
            isinstance(outline, dict) and outline.get("type") in {"Polygon", "MultiPolygon"}
        ):
            checker.fail(f"{path}.outline", _("must be a GeoJSON Polygon or MultiPolygon"))
        districts.append(
            {
                "code": code,
                "name": checker.text(raw, "name", path),
                "centroid": checker.point(raw.get("centroid"), f"{path}.centroid"),
                "outline": outline,
            }
        )

    organisations, org_slugs = [], set()
    for i, raw in enumerate(checker.items(top.get("organisations"), "organisations")):
        path = f"organisations[{i}]"
        raw = checker.mapping(raw, path)
        slug = checker.slug(raw, "slug", path)
        if slug in org_slugs:
            checker.fail(
                f"{path}.slug", _("'%(code)s' is used by another organisation") % {"code": slug}
            )
        org_slugs.add(slug)
        district = raw.get("district")
        if district is not None and district not in codes:
            checker.fail(
                f"{path}.district", _("no district has the code '%(code)s'") % {"code": district}
            )
        langs = checker.items(raw.get("languages", []), f"{path}.languages")
        organisations.append(
            {
                "slug": slug,
                "name": checker.text(raw, "name", path),
                "kind": checker.choice(raw, "kind", path, list(OrganisationKind.values)),
                "district": district,
                "languages": [
                    checker.language(c, f"{path}.languages[{j}]") for j, c in enumerate(langs)
                ],
                "email": checker.text(raw, "email", path, required=False, max_length=254),
                "phone": checker.text(raw, "phone", path, required=False, max_length=40),
                "website": checker.text(raw, "website", path, required=False, max_length=200),
                "address": checker.text(raw, "address", path, required=False, max_length=300),
                "description": checker.text(
                    raw, "description", path, required=False, max_length=5000
                ),
            }
        )

    networks, net_slugs = [], set()
    for i, raw in enumerate(checker.items(top.get("networks"), "networks")):
        path = f"networks[{i}]"
        raw = checker.mapping(raw, path)
        slug = checker.slug(raw, "slug", path)
        if slug in net_slugs:
            checker.fail(
                f"{path}.slug", _("'%(code)s' is used by another network") % {"code": slug}
            )
        net_slugs.add(slug)
        coordinator = raw.get("coordinator")
        if coordinator is not None and coordinator not in org_slugs:
            checker.fail(
                f"{path}.coordinator",
                _("no organisation in this pack has the slug '%(code)s'") % {"code": coordinator},
            )
        members = checker.items(raw.get("members", []), f"{path}.members")
        for j, member in enumerate(members):
            if member not in org_slugs:
                checker.fail(
                    f"{path}.members[{j}]",
                    _("no organisation in this pack has the slug '%(code)s'") % {"code": member},
                )
        networks.append(
            {
                "slug": slug,
                "name": checker.text(raw, "name", path),
                "theme": checker.choice(raw, "theme", path, list(NetworkTheme.values)),
                "purpose": checker.text(raw, "purpose", path, required=False, max_length=5000),
                "coordinator": coordinator,
                "members": members,
                "is_public": checker.boolean(raw, "public", path, True),
            }
        )
    extra = {
        name: check(checker, top.get(name), {"districts": codes, "organisations": org_slugs})
        for name, (check, _load) in SECTIONS.items()
        if name in top
    }
    return {
        "city": city,
        "districts": districts,
        "organisations": organisations,
        "networks": networks,
        "extra": extra,
    }


def pack_read(path: Path) -> dict:
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
def city_init(*, path: Path) -> City:  # noqa: F821
    """Load a pack into the database, all or nothing. Loading the same pack again updates it."""
    from mosty.core.models import City, District
    from mosty.organisations.models import Network, NetworkMembership, Organisation

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
        SECTIONS[name][1](
            value, {"city": city, "districts": districts, "organisations": organisations}
        )
    return city
