"""Mosty's own OpenAPI documents the HSDS API as Open Referral does: every operation with its
official query parameters, and its answers with the official schemas (vendored in
mosty/directory/hsds/schema/) as named components; real answers validate against them."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import response_schema_conformance
from schemathesis.core import NOT_SET
from schemathesis.core.failures import FailureGroup

from mosty.directory import hsds
from mosty.directory.hsds import openapi
from mosty.directory.hsds.spec import SCHEMA_DIR
from mosty.directory.hsds_api import OPERATIONS
from tests.api.test_openapi import CHECKS, _keep_the_test_connection, schema  # noqa: F401
from tests.directory.factories import service_with_location
from tests.directory.test_hsds_official import official

OFFICIAL = json.loads((SCHEMA_DIR / "openapi.json").read_text())
SPEC = schema.raw_schema  # the document /api/schema/ serves
ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}


def mosty_path(official_path: str) -> str:
    return "/hsds/" + official_path.strip("/").replace("{id}", "{hsds_id}")


def official_files(node) -> set[str]:
    """The official files a schema of Open Referral's OpenAPI refers to, as component names
    (`.../schema/compiled/service_list.json` -> `service_list`)."""
    text = json.dumps(node)
    return {name for name, path in openapi.FILES.items() if f'"{openapi.RAW}{path}"' in text}


def test_every_official_operation_is_served_and_documented():
    served = {view.hsds_path for view in OPERATIONS}
    assert served == set(OFFICIAL["paths"])
    for path in OFFICIAL["paths"]:
        assert "get" in SPEC["paths"][mosty_path(path)], path


@pytest.mark.parametrize("path", sorted(OFFICIAL["paths"]))
def test_operations_take_the_official_query_parameters(path):
    documented = {
        p["name"]: p for p in SPEC["paths"][mosty_path(path)]["get"].get("parameters", [])
    }
    operation = OFFICIAL["paths"][path]["get"]
    shared = OFFICIAL["components"]["parameters"]
    for parameter in operation.get("parameters", []):
        if "$ref" in parameter:
            parameter = shared[parameter["$ref"].rsplit("/", 1)[1]]
        assert parameter["name"] in documented, (path, parameter["name"])
        assert documented[parameter["name"]]["in"] == "query"
        assert documented[parameter["name"]]["schema"]["type"] == parameter["schema"]["type"]


@pytest.mark.parametrize("path", sorted(OFFICIAL["paths"]))
def test_answers_refer_to_the_official_components(path):
    answer = SPEC["paths"][mosty_path(path)]["get"]["responses"]["200"]
    documented = answer["content"]["application/json"]["schema"]
    upstream = OFFICIAL["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    expected = official_files(openapi.CORRECTED_RESPONSES.get(path, upstream["schema"]))
    names = {
        ref.removeprefix("#/components/schemas/")
        for ref in json.dumps(documented).split('"$ref": "')[1:]
        for ref in [ref.split('"')[0]]
    }
    assert expected <= names, path
    if "{id}" not in path and path != "/":
        assert {"Page"} | expected == names  # the page object, with the official contents
        assert documented["properties"]["contents"]["type"] == "array"


@pytest.mark.parametrize("name", sorted(openapi.FILES))
def test_components_are_the_vendored_schemas(name):
    """Each named component carries the official object's fields and required fields, and
    each nested object is a component of its own, not a hand-made copy."""
    vendored = json.loads((SCHEMA_DIR / openapi.FILES[name]).read_text())
    component = SPEC["components"]["schemas"][name]
    assert list(component["properties"]) == list(vendored["properties"])
    assert component.get("required", []) == vendored.get("required", [])
    assert component["description"] == vendored["description"]
    for field, value in vendored["properties"].items():
        documented = component["properties"][field]
        if "$ref" in value:  # taxonomy_term.json refers to taxonomy.json
            assert documented["$ref"].endswith("/" + value["$ref"].removesuffix(".json"))
        elif value.get("type") == "object":
            assert set(documented) == {"$ref"}, (name, field)
        elif value.get("type") == "array" and value["items"].get("type") == "object":
            assert set(documented["items"]) == {"$ref"}, (name, field)
        else:
            assert documented.get("type") == value["type"], (name, field)
            assert documented.get("format") == value.get("format"), (name, field)


def test_the_schema_holds_each_nested_object_once():
    """The compiled files repeat every nested object (8 MB); the schema names each distinct
    one once, and every reference resolves."""
    components = SPEC["components"]["schemas"]
    hsds_names = set(openapi.references({"$ref": "#/components/schemas/organization"}))
    assert {"phone", "schedule", "attribute", "metadata", "service"} <= hsds_names
    assert len(json.dumps({n: components[n] for n in openapi.components()})) < 300_000
    for name in openapi.components():
        for ref in openapi.references(components[name]):
            assert ref in components


def _import_official_and_own(world):
    for name in ("service_full.json", "csv"):
        hsds.hsds_import(
            tables=hsds.parse_upload(*official(name)), by=None, source=f"openreferral-{name}"
        )
    service_with_location(world.org_a, languages=("pl", "uk"))


def _call(path: str, **kwargs):
    case = schema[mosty_path(path)]["GET"].Case(**kwargs)
    response = case.call(environ_base=ENVIRON)
    return case, response


def test_real_answers_validate_against_the_documented_schema(world):
    """Every operation, on Open Referral's examples and Mosty's own data, answers what Mosty's
    OpenAPI documents (schemathesis' response-schema check)."""
    _import_official_and_own(world)
    ids = {}
    checked = 0
    for path in sorted(OFFICIAL["paths"], key=lambda p: "{" in p):  # lists give the ids
        collection = path.strip("/").split("/")[0]
        variants = [{}]
        if "{id}" in path:
            variants = [{"path_parameters": {"hsds_id": i}} for i in ids[collection]]
        elif path != "/":
            variants = [{}, {"query": {"per_page": 1, "page": 2}}]
        if collection == "organizations":
            variants += [{**v, "query": {"full_service": "true"}} for v in variants]
        for kwargs in variants:
            case, response = _call(path, **kwargs)
            assert response.status_code == 200, (path, kwargs, response.text[:300])
            case.validate_response(response, checks=[response_schema_conformance])
            checked += 1
            data = response.json()
            if "contents" in data and not kwargs:
                assert data["contents"], path
                ids[collection] = [o["id"] for o in data["contents"]]
    assert checked >= 25


def test_an_answer_breaking_the_official_schema_is_caught(world):
    """The check above can fail: a service without its required status is refused."""
    _import_official_and_own(world)
    case, response = _call("/services")
    case.validate_response(response, checks=[response_schema_conformance])  # as served
    data = response.json()
    del data["contents"][0]["status"]
    broken = copy.copy(response)
    broken.content = json.dumps(data).encode()
    broken._deserialized = NOT_SET
    with pytest.raises(FailureGroup) as caught:
        case.validate_response(broken, checks=[response_schema_conformance])
    messages = [failure.message for failure in caught.value.exceptions]
    assert any('"status" is a required property' in m for m in messages), messages


HSDS_EXAMPLES = 10  # generated requests per HSDS operation


def test_generated_requests_on_real_data_answer_as_documented(world):
    """Schemathesis' generated requests (bounded) against a directory holding Open Referral's
    examples: no server error, every status, content type and body as documented."""
    _import_official_and_own(world)
    Token.objects.get_or_create(user=world.user("coordinator"))
    failures = []
    operations = [
        op.ok() for op in schema.get_all_operations() if op.ok().path.startswith("/hsds/")
    ]
    assert len(operations) == len(OFFICIAL["paths"])
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=HSDS_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            case.call_and_validate(checks=CHECKS, environ_base=ENVIRON)

        try:
            call()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect them all
            failures.append(f"{operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
