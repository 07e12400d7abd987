"""Open Referral's own schemas in Mosty's OpenAPI: the `/hsds/` operations are documented with
the vendored official files, never with a copy of their rules.

- The object schemas (`schema/compiled/*.json`, `schema/taxonomy.json`,
  `schema/taxonomy_term.json`) become components named as their files: `service`,
  `organization`, `service_at_location`, their `_list` forms, `taxonomy`, `taxonomy_term`.
  The compiled files repeat every nested object in full (2-3 MB each); each distinct nested
  object becomes one component too, named after the HSDS object (`phone`, `attribute`) or,
  where HSDS nests different forms of one object, after the place it first stands
  (`service.organization`: the organization as a service nests it).
- Open Referral's OpenAPI (`schema/openapi.json`) gives each operation's query parameters, the
  page object (`Page`) and the shape of its 200 response.

The files are JSON Schema 2020-12 with Frictionless Table Schema metadata; Mosty's document is
OpenAPI 3.0, whose Schema Object is a subset: type lists become `nullable` (or `anyOf`), and the
keywords 3.0 does not know (`$schema`, `$id`, and the tabular metadata `name`, `path`,
`constraints`, `core`, `datapackage_metadata` … which constrain CSV files, not JSON) are left
out. Nothing else changes.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from typing import Any

from mosty.directory.hsds.spec import SCHEMA_DIR

JsonSchema = dict[str, Any]

RAW = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
COMPONENTS = "#/components/schemas/"
# Component name -> the vendored file (its path below `schema/`, as in Open Referral's repository
# and in the `$ref`s of its OpenAPI).
FILES = {
    "service": "compiled/service.json",
    "organization": "compiled/organization.json",
    "service_at_location": "compiled/service_at_location.json",
    "service_list": "compiled/service_list.json",
    "organization_list": "compiled/organization_list.json",
    "service_at_location_list": "compiled/service_at_location_list.json",
    "taxonomy": "taxonomy.json",
    "taxonomy_term": "taxonomy_term.json",
}
# Upstream's OpenAPI answers `/service_at_locations/{id}` with compiled/service.json (operation
# getServiceAtLocationWithNestedDataById); the object it returns is a service_at_location.
CORRECTED_RESPONSES = {
    "/service_at_locations/{id}": {"$ref": f"{RAW}compiled/service_at_location.json"}
}

# The keywords an OpenAPI 3.0 Schema Object shares with JSON Schema, kept as they are; the
# structural ones (type, properties, items, required, $ref, allOf …) are converted below.
PLAIN_KEYWORDS = frozenset(
    {
        "title",
        "description",
        "format",
        "enum",
        "default",
        "example",
        "multipleOf",
        "maximum",
        "minimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxProperties",
        "minProperties",
        "readOnly",
        "writeOnly",
        "deprecated",
    }
)
COMBINERS = ("allOf", "anyOf", "oneOf")


@cache
def official_openapi() -> JsonSchema:
    return _read("openapi.json")


def _read(name: str) -> JsonSchema:
    data: JsonSchema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return data


def _is_hsds_object(node: object) -> bool:
    """An HSDS object (`phone`, `service` …) as the compiled schemas nest it."""
    return (
        isinstance(node, dict)
        and node.get("type") == "object"
        and "properties" in node
        and "name" in node
    )


def _hsds_objects(node: object) -> Iterator[JsonSchema]:
    if isinstance(node, dict):
        if _is_hsds_object(node):
            yield node
        for value in node.values():
            yield from _hsds_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _hsds_objects(value)


def _digest(node: object, digests: dict[int, str]) -> str:
    """A digest of the node's content (the same for equal subtrees), for every dict in
    `digests` by id; children are hashed once, so the whole tree is read once."""
    if isinstance(node, dict):
        text = json.dumps({k: _digest(v, digests) for k, v in node.items()}, sort_keys=True)
    elif isinstance(node, list):
        text = json.dumps([_digest(v, digests) for v in node])
    else:
        return json.dumps(node)
    digest = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
    digests[id(node)] = digest
    return digest


def _official_ref(ref: str) -> str:
    """A `$ref` of Open Referral's files -> Mosty's component: a file URL (their OpenAPI), a
    file beside the referring one (`metadata.json` in taxonomy.json: the `metadata` object, as
    the compiled schemas nest it) or the OpenAPI's own `#/components/…`."""
    if ref.startswith("#/"):
        return ref
    by_url = {f"{RAW}{path}": name for name, path in FILES.items()}
    return COMPONENTS + by_url.get(ref, ref.removesuffix(".json"))


class _Components:
    """Converts the official schemas into OpenAPI 3.0 components, one per distinct object."""

    def __init__(self, files: dict[str, JsonSchema]):
        self.digests: dict[int, str] = {}
        for schema in files.values():
            _digest(schema, self.digests)
        self.names = {self.digests[id(schema)]: name for name, schema in files.items()}
        forms: dict[str, set[str]] = defaultdict(set)
        for schema in files.values():
            for node in _hsds_objects(schema):
                forms[node["name"]].add(self.digests[id(node)])
        # Objects HSDS nests in one form only keep their own name.
        self.single = {
            name
            for name, digests in forms.items()
            if name not in files and len(digests - set(self.names)) == 1
        }
        self.schemas: dict[str, JsonSchema] = {}
        for name, schema in files.items():
            self.schemas[name] = self.convert(schema, name, [])

    def schema(self, node: object, owner: str, path: list[str]) -> Any:
        if not _is_hsds_object(node):
            return self.convert(node, owner, path)
        assert isinstance(node, dict)
        digest = self.digests[id(node)]
        name = self.names.get(digest)
        if name is None:
            name = node["name"] if node["name"] in self.single else ".".join([owner, *path])
            self.names[digest] = name
            self.schemas[name] = self.convert(node, name, [])
        return {"$ref": COMPONENTS + name}

    def convert(self, node: Any, owner: str, path: list[str]) -> Any:
        """One schema in OpenAPI 3.0 terms; `owner` and `path` say where it stands."""
        if not isinstance(node, dict):
            return node
        out: JsonSchema = {}
        for key, value in node.items():
            if key == "properties":
                out[key] = {p: self.schema(v, owner, [*path, p]) for p, v in value.items()}
            elif key in ("items", "not") or (key == "additionalProperties" and value is not True):
                out[key] = self.schema(value, owner, path)
            elif key in COMBINERS:
                out[key] = [self.schema(v, owner, path) for v in value]
            elif key == "type":
                out.update(_type(value))
            elif key == "required":
                if value:  # OpenAPI 3.0 wants at least one name
                    out[key] = list(value)
            elif key == "$ref":
                out[key] = _official_ref(value)
            elif key in ("exclusiveMinimum", "exclusiveMaximum"):
                out[key.replace("exclusiveM", "m")] = value  # 2020-12: a number; 3.0: a flag
                out[key] = True
            elif key == "examples" and value and "example" not in node:
                out["example"] = value[0]
            elif key in PLAIN_KEYWORDS:
                out[key] = value
        return out


def _type(value: str | list[str]) -> JsonSchema:
    """`type: [string, "null"]` (JSON Schema) -> `type: string, nullable: true` (OpenAPI 3.0)."""
    if isinstance(value, str):
        return {"type": value}
    kinds = [kind for kind in value if kind != "null"]
    out: JsonSchema = {"nullable": True} if "null" in value else {}
    if len(kinds) == 1:
        out["type"] = kinds[0]
    elif kinds:
        out["anyOf"] = [{"type": kind} for kind in kinds]
    return out


@cache
def components() -> dict[str, JsonSchema]:
    """Every component the HSDS operations refer to, by name: the official objects, the objects
    they nest and Open Referral's `Page`."""
    converted = _Components({name: _read(path) for name, path in FILES.items()})
    schemas = dict(converted.schemas)
    for name, schema in official_openapi()["components"]["schemas"].items():
        schemas[name] = converted.convert(schema, name, [])
    return schemas


def _operation(path: str) -> JsonSchema:
    operation: JsonSchema = official_openapi()["paths"][path]["get"]
    return operation


def query_parameters(path: str) -> list[JsonSchema]:
    """The query parameters of the official operation at `path` (`/services`), resolved: a
    description beside a `$ref` replaces the shared one, as Open Referral means it."""
    shared = official_openapi()["components"]["parameters"]
    found = []
    for parameter in _operation(path).get("parameters", []):
        if "$ref" in parameter:
            local = {k: v for k, v in parameter.items() if k != "$ref"}
            parameter = {**shared[parameter["$ref"].rsplit("/", 1)[1]], **local}
        if parameter["in"] == "query":
            found.append(parameter)
    return found


def response(path: str) -> tuple[str, JsonSchema]:
    """The description and schema of the official operation's 200 answer, referring to the
    components above."""
    answer = _operation(path)["responses"]["200"]
    schema = CORRECTED_RESPONSES.get(path, answer["content"]["application/json"]["schema"])
    converted = _Components({}).convert(schema, "", [])
    return answer["description"], converted


def references(schema: object) -> Iterator[str]:
    """The HSDS components a schema refers to, directly or through other components."""
    known = components()
    seen: set[str] = set()
    todo = [schema]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            name = ref.removeprefix(COMPONENTS) if isinstance(ref, str) else None
            if name in known and name not in seen:
                seen.add(name)
                yield name
                todo.append(known[name])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)


def add_components(result: JsonSchema, generator: object, **kwargs: object) -> JsonSchema:
    """drf-spectacular postprocessing hook: the HSDS components the operations refer to, as
    converted from the official files. It runs after drf-spectacular's enum hook, which would
    otherwise move the official enums (`status`, `freq` …) into components of Mosty's naming."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name in references(result.get("paths", {})):
        if name in schemas:
            raise ValueError(f"Mosty's API already has a component named {name!r}")
        schemas[name] = copy.deepcopy(components()[name])
    result["components"]["schemas"] = dict(sorted(schemas.items()))
    return result
