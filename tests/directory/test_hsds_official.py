"""HSDS 3.0 against Open Referral's own material (vendored in tests/directory/hsds_official/):
every official example imports, every value survives import -> export, exports validate
against the official compiled JSON schemas and datapackage.json, and an import never
overwrites a record that did not come from its source."""

import csv
import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest

from mosty.directory import hsds
from mosty.directory.hsds.parse import WHERE
from mosty.directory.models import HsdsOrganisation, Service
from mosty.organisations.models import Organisation
from tests.directory.factories import service_with_location
from tests.utils import assert_constant_queries

OFFICIAL = Path(__file__).parent / "hsds_official"
EXAMPLES = OFFICIAL / "examples"
SCHEMAS = OFFICIAL / "schema"
# The compiled object schemas live beside the code that documents the HSDS API with them.
PACKAGED = Path(hsds.__file__).parent / "schema"
JSON_EXAMPLES = sorted(p.name for p in EXAMPLES.glob("*.json") if p.name != "base.json")


def csv_package() -> bytes:
    """The official CSV example as a data package (its datapackage.json is the official one)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for path in sorted((EXAMPLES / "csv").glob("*.csv")):
            zf.writestr(path.name, path.read_bytes())
        zf.writestr("datapackage.json", json.dumps(hsds.datapackage_descriptor()))
    return buffer.getvalue()


def official(name: str) -> tuple[str, bytes]:
    if name == "csv":
        return "official.zip", csv_package()
    return name, (EXAMPLES / name).read_bytes()


def read_package(content: bytes) -> dict[str, list[dict]]:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return {
            name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(zf.read(name).decode())))
            for name in zf.namelist()
            if name.endswith(".csv")
        }


def _value(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "" if value is None else str(value).strip()
    try:  # 10:00 and 10:00:00 are the same time; 3 and 3.0 the same number
        if ":" in text and len(text) in (5, 8):
            return text if len(text) == 8 else text + ":00"
        number = float(text)
        return str(int(number)) if number.is_integer() else str(number)
    except ValueError:
        return text


def values(tables) -> dict[tuple[str, str, str], str]:
    """Every non-empty value, keyed by (table, row id, field)."""
    out = {}
    for table, rows in tables.items():
        for row in rows:
            for field, value in row.items():
                if field != WHERE and _value(value) != "":
                    out[(table, str(row.get("id")), field)] = _value(value)
    return out


def schema(name: str) -> dict:
    """An official schema by file name: `service.json` (compiled), `taxonomy.json` …"""
    for path in (PACKAGED / "compiled" / name, PACKAGED / name, SCHEMAS / name):
        if path.exists():
            return json.loads(path.read_text())
    raise FileNotFoundError(name)


def schema_errors(instance, name: str) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema(name))
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(instance)]


@pytest.mark.parametrize("name", [*JSON_EXAMPLES, "csv"])
def test_every_official_example_imports(world, name):
    filename, content = official(name)
    tables = hsds.parse_upload(filename, content)
    report = hsds.hsds_import(tables=tables, by=world.user("admin"), source="openreferral")
    assert report.ok and report.rows > 0
    # Nothing is lost: every row of the file is kept and exported again (below).
    assert sum(report.created.values()) + sum(report.updated.values()) > 0 or name.startswith(
        "taxonomy"
    )


@pytest.mark.parametrize("name", [*JSON_EXAMPLES, "csv"])
def test_every_value_survives_import_and_export(world, name):
    filename, content = official(name)
    imported = hsds.parse_upload(filename, content)
    hsds.hsds_import(tables=imported, by=world.user("admin"), source="openreferral")
    exported = read_package(hsds.to_datapackage(hsds.export_tables()))
    before, after = values(imported), values(exported)
    lost = {key: value for key, value in before.items() if after.get(key) != value}
    assert before and not lost, f"{len(lost)} of {len(before)} values lost: {lost}"


def test_the_json_package_and_objects_validate_against_the_official_schemas(world):
    admin = world.user("admin")
    for name in [*JSON_EXAMPLES, "csv"]:
        filename, content = official(name)
        hsds.hsds_import(
            tables=hsds.parse_upload(filename, content), by=admin, source=f"openreferral-{name}"
        )
    service_with_location(world.org_a, languages=("pl", "uk"))  # Mosty's own, sparse data
    tables = hsds.export_tables()
    package = json.loads(hsds.to_json(tables))
    assert isinstance(package, list) and len(package) >= 2
    errors = [e for org in package for e in schema_errors(org, "organization.json")]
    for service in hsds.service_objects(tables):
        errors += schema_errors(service, "service.json")
    for sal in hsds.service_at_location_objects(tables):
        errors += schema_errors(sal, "service_at_location.json")
    assert errors == []


def frictionless_errors(folder: Path) -> list[str]:
    import frictionless

    report = frictionless.validate(str(folder / "datapackage.json"))
    return sorted(f"{task.name}: {error.message}" for task in report.tasks for error in task.errors)


def test_the_csv_package_validates_with_frictionless(world, tmp_path, settings):
    settings.MOSTY_HSDS_STATE_PROVINCE = "pomorskie"
    # The official example itself breaks 4 foreign keys (a location's organisation, a
    # contact's organisation and service_at_location, a term's taxonomy are not in it):
    # the export may keep those, and must add no error of its own.
    (tmp_path / "official").mkdir()
    with zipfile.ZipFile(io.BytesIO(csv_package())) as zf:
        zf.extractall(tmp_path / "official")
    baseline = frictionless_errors(tmp_path / "official")
    assert len(baseline) == 4
    hsds.hsds_import(
        tables=hsds.parse_upload(*official("csv")), by=world.user("admin"), source="openreferral"
    )
    service_with_location(world.org_a, languages=("pl",))
    package = hsds.to_datapackage(hsds.export_tables())
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        zf.extractall(tmp_path / "export")
        names = set(zf.namelist())
    assert names == {"datapackage.json"} | {f"{t}.csv" for t in hsds.TABLES}
    errors = frictionless_errors(tmp_path / "export")
    assert errors == baseline, f"{len(errors)} errors: {errors[:20]}"


# Identity ---------------------------------------------------------------------------------


def _other_installation_export(org_id: str) -> dict:
    """Another installation's organisation that happens to carry a local organisation's id."""
    return [
        {
            "id": org_id,
            "name": "Fundacja z innego miasta",
            "description": "Someone else's organisation.",
            "services": [
                {
                    "id": "0b8f3c1e-7d6a-4c55-9e2f-1a2b3c4d5e6f",
                    "name": "Their service",
                    "status": "active",
                }
            ],
        }
    ]


def test_import_never_overwrites_a_local_organisation_with_the_same_id(world):
    local = world.org_a
    local_id = hsds.organisation_hsds_ids([local.pk])[local.pk]
    name, description = local.name, local.description
    tables = hsds.flatten(_other_installation_export(local_id))

    preview = hsds.hsds_import(
        tables=tables, by=world.user("admin"), source="other-city", preview=True
    )
    assert preview.preview and preview.left_alone["organizations"] == 1
    assert preview.created["organizations"] == 1 and sum(preview.updated.values()) == 0
    assert not Service.objects.filter(name="Their service").exists()  # nothing written

    report = hsds.hsds_import(
        tables=hsds.flatten(_other_installation_export(local_id)),
        by=world.user("admin"),
        source="other-city",
    )
    local.refresh_from_db()
    assert (local.name, local.description) == (name, description)
    assert report.updated.get("organizations", 0) == 0
    theirs = Organisation.objects.get(name="Fundacja z innego miasta")
    assert theirs.pk != local.pk and theirs.hsds.hsds_id != local_id
    # The same source again updates its own record, still not the local one.
    again = _other_installation_export(local_id)
    again[0]["description"] = "Changed at the source."
    report = hsds.hsds_import(tables=hsds.flatten(again), by=None, source="other-city")
    theirs.refresh_from_db()
    local.refresh_from_db()
    assert report.updated["organizations"] == 1 and not report.created.get("organizations")
    assert theirs.description == "Changed at the source." and local.description == description


def test_exported_organisation_ids_are_stored_uuids_not_row_numbers(world):
    service_with_location(world.org_a)
    first = hsds.export_tables()["organizations"]
    again = hsds.export_tables()["organizations"]
    assert [o["id"] for o in first] == [o["id"] for o in again]
    stored = dict(HsdsOrganisation.objects.values_list("organisation_id", "hsds_id"))
    assert stored[world.org_a.pk] in {o["id"] for o in first}


def test_errors_name_file_row_and_field_and_nothing_is_written(world):
    content = (EXAMPLES / "csv" / "services.csv").read_text().replace(",active,", ",open,")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for path in (EXAMPLES / "csv").glob("*.csv"):
            zf.writestr(path.name, content if path.name == "services.csv" else path.read_text())
    tables = hsds.parse_upload("theirs.zip", buffer.getvalue())
    with pytest.raises(hsds.HsdsImportError) as caught:
        hsds.hsds_import(tables=tables, by=None, source="theirs")
    messages = [str(e) for e in caught.value.report.errors]
    assert any("services.csv, line 2" in m and "status" in m for m in messages), messages
    assert not Service.objects.exists()


def test_a_file_without_records_is_refused(world, tmp_path):
    from django.core.exceptions import ValidationError
    from django.core.management import CommandError, call_command
    from django.utils import translation

    empty = tmp_path / "page.json"
    empty.write_text('{"total_items": 0, "contents": []}')
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        hsds.parse_upload(empty.name, empty.read_bytes())
    assert "no HSDS records" in str(caught.value)
    with pytest.raises(CommandError):  # a non-zero exit, never "0 rows imported" and success
        call_command("hsds", "import", str(empty))


def test_the_nested_form_may_repeat_a_phone_under_several_parents(world):
    data = json.loads((EXAMPLES / "service_at_location_full.json").read_text())
    tables = hsds.flatten(data)
    ids = [p["id"] for p in tables["phones"]]
    assert len(ids) == len(set(ids))
    report = hsds.hsds_import(tables=tables, by=None, source="openreferral")
    assert report.ok


def test_state_province_and_last_modified_survive(world):
    hsds.hsds_import(tables=hsds.parse_upload(*official("csv")), by=None, source="openreferral")
    tables = hsds.export_tables()
    with (EXAMPLES / "csv" / "addresses.csv").open() as f:
        address = next(csv.DictReader(f))
    with (EXAMPLES / "csv" / "services.csv").open() as f:
        service = next(csv.DictReader(f))
    exported = {a["id"]: a for a in tables["addresses"]}[address["id"]]
    assert exported["state_province"] == address["state_province"]
    assert exported["region"] == address["region"]
    assert {s["id"]: s for s in tables["services"]}[service["id"]]["last_modified"] == (
        service["last_modified"]
    )


# The HSDS API against Open Referral's OpenAPI ------------------------------------------------

RAW = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def _registry():
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    def resource(name):
        return Resource.from_contents(schema(name), default_specification=DRAFT202012)

    compiled = [
        "organization",
        "organization_list",
        "service",
        "service_list",
        "service_at_location",
        "service_at_location_list",
    ]
    return Registry().with_resources(
        [(f"{RAW}compiled/{n}.json", resource(f"{n}.json")) for n in compiled]
        + [(f"{RAW}{n}.json", resource(f"{n}.json")) for n in ("taxonomy", "taxonomy_term")]
        + [("urn:hsds:openapi", resource("openapi.json"))]
    )


def response_errors(path: str, data, registry) -> list[str]:
    """Errors of a response against the 200 response schema of `path` in the official OpenAPI."""
    pointer = path.replace("~", "~0").replace("/", "~1")
    ref = f"urn:hsds:openapi#/paths/{pointer}/get/responses/200/content/application~1json/schema"
    if path == "/service_at_locations/{id}":
        # Upstream's OpenAPI names compiled/service.json here (operation
        # getServiceAtLocationWithNestedDataById); the object is a service_at_location.
        ref = f"{RAW}compiled/service_at_location.json"
    validator = jsonschema.Draft202012Validator({"$ref": ref}, registry=registry)
    return [
        f"{path} {'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)
    ]


def test_every_operation_of_the_official_openapi_answers_valid_data(world, client):
    for name in ("service_full.json", "csv"):
        hsds.hsds_import(
            tables=hsds.parse_upload(*official(name)), by=None, source=f"openreferral-{name}"
        )
    service_with_location(world.org_a, languages=("pl", "uk"))
    registry = _registry()
    operations = json.loads((SCHEMAS / "openapi.json").read_text())["paths"]
    ids = {}
    errors = []
    for path in sorted(operations, key=lambda p: "{" in p):  # lists first: they give the ids
        collection = path.split("/")[1]
        url = f"/hsds/{path.strip('/')}".replace("{id}", ids.get(collection, "none"))
        response = client.get(url.rstrip("/") + ("/" if path == "/" else ""))
        assert response.status_code == 200, (path, response.status_code)
        data = response.json()
        if "contents" in data:
            assert data["contents"], path
            ids[collection] = data["contents"][0]["id"]
        errors += response_errors(path, data, registry)
    assert set(ids) == {
        "services",
        "organizations",
        "taxonomies",
        "taxonomy_terms",
        "service_at_locations",
    }
    assert errors == []


def test_hsds_api_filters_of_the_new_operations(world, client):
    hsds.hsds_import(tables=hsds.parse_upload(*official("csv")), by=None, source="openreferral")
    terms = client.get("/hsds/taxonomy_terms").json()["contents"]
    official_term = next(t for t in terms if t["id"] == "3f7b145d-84af-42d7-8fae-eaca714b02b2")
    by_taxonomy = client.get(
        "/hsds/taxonomy_terms", {"taxonomy_id": official_term["taxonomy_id"]}
    ).json()
    assert [t["id"] for t in by_taxonomy["contents"]] == [official_term["id"]]
    assert client.get("/hsds/taxonomy_terms", {"search": "zzz-nothing"}).json()["empty"]
    sal = client.get("/hsds/service_at_locations", {"per_page": 1}).json()
    assert sal["total_items"] == 1 and sal["contents"][0]["location"]["id"]
    assert sal["contents"][0]["service"]["id"] == "ac148810-d857-441c-9679-408f346de14b"
    assert client.get("/hsds/service_at_locations", {"postcode": "none"}).json()["empty"]
    assert client.get("/hsds/taxonomies/nope").status_code == 404
    assert client.get("/hsds/service_at_locations/nope").status_code == 404
    assert client.get("/hsds/taxonomy_terms", {"page": "0"}).status_code == 400


def test_the_demo_directory_exports_valid_hsds(world, tmp_path, settings):
    """The demo city's directory (Mosty's own data, nothing imported) against both validators."""
    from mosty.core.seeding import SeedContext
    from mosty.directory.seed import seed_directory

    settings.MOSTY_HSDS_STATE_PROVINCE = "pomorskie"
    seed_directory(SeedContext(scale="demo", out=io.StringIO()))
    tables = hsds.export_tables()
    assert len(tables["services"]) >= 40
    package = json.loads(hsds.to_json(tables))
    errors = [e for org in package for e in schema_errors(org, "organization.json")]
    for service in hsds.service_objects(tables):
        errors += schema_errors(service, "service.json")
    assert errors == [], f"{len(errors)} errors: {errors[:10]}"
    with zipfile.ZipFile(io.BytesIO(hsds.to_datapackage(tables))) as zf:
        zf.extractall(tmp_path)
    errors = frictionless_errors(tmp_path)
    assert errors == [], f"{len(errors)} errors: {errors[:10]}"


@pytest.mark.parametrize("path", ["service_at_locations", "taxonomy_terms", "taxonomies"])
def test_new_hsds_lists_keep_a_constant_number_of_queries(world, client, path):
    from mosty.directory.models import Category, ServiceCategory

    made = []

    def grow():
        service = service_with_location(world.org_a, languages=("pl", "uk"))
        made.append(service)
        category = Category.objects.create(code=f"c{len(made)}", name=f"Term {len(made)}")
        ServiceCategory.objects.create(service=service, category=category)

    grow()
    assert_constant_queries(client, f"/hsds/{path}", grow)
