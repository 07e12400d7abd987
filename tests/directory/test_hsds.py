"""HSDS 3.0: import of a dataset written by someone else, round trips, row errors, read API."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from mosty.directory import hsds
from mosty.directory.models import (
    Category,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceLanguage,
)
from tests.directory.factories import service_with_location
from tests.factories import DistrictFactory
from tests.utils import assert_constant_queries

SAMPLE = Path(__file__).parent / "data" / "hsds_sample.json"
LEGAL = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
CLUB = "5a1d2c3b-8f9e-4e2d-b1c0-aa00bb11cc22"


@pytest.fixture
def sample_tables():
    return hsds.flatten(json.loads(SAMPLE.read_text()))


@pytest.fixture
def srodmiescie(world):
    return DistrictFactory(city=world.city, code="srodmiescie", name="Śródmieście")


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Service, Location, Phone, Schedule, ServiceLanguage, Category)
    }


# Content of the tables Mosty keeps, normalised for comparison (order and blanks ignored).
def _normalised(tables):
    def rows(name, fields):
        out = set()
        for row in tables.get(name, []):
            out.add(tuple(str(row.get(f) or "").strip() for f in fields))
        return out

    schedules = set()
    for row in tables["schedules"]:
        for day in str(row["byday"]).split(","):
            schedules.add(
                (
                    row["service_id"],
                    day.strip(),
                    str(row["opens_at"])[:5],
                    str(row["closes_at"])[:5],
                )
            )
    return {
        "organizations": rows("organizations", ["id", "name", "description", "email", "website"]),
        "services": rows(
            "services",
            [
                "id",
                "organization_id",
                "name",
                "description",
                "url",
                "email",
                "status",
                "fees_description",
                "eligibility_description",
                "assured_date",
            ],
        ),
        "locations": rows(
            "locations", ["id", "organization_id", "name", "description", "transportation"]
        ),
        "coordinates": {
            (r["id"], round(float(r["latitude"]), 6), round(float(r["longitude"]), 6))
            for r in tables["locations"]
        },
        "addresses": rows(
            "addresses", ["id", "location_id", "address_1", "city", "postal_code", "country"]
        ),
        "phones": rows("phones", ["id", "service_id", "location_id", "organization_id", "number"]),
        "schedules": schedules,
        "languages": rows("languages", ["id", "service_id", "code"]),
        "taxonomy_terms": rows("taxonomy_terms", ["id", "name", "description"]),
        "attributes": rows("attributes", ["id", "link_id", "taxonomy_term_id"]),
        "service_at_location": rows("service_at_location", ["id", "service_id", "location_id"]),
        "required_documents": rows("required_documents", ["service_id", "document"]),
        "accessibility": rows("accessibility", ["location_id", "description"]),
        "free": {
            r["service_id"]
            for r in tables["cost_options"]
            if r.get("amount") not in (None, "") and float(r["amount"]) == 0
        },
    }


def test_import_of_a_dataset_written_by_someone_else(world, srodmiescie, sample_tables):
    admin = world.user("admin")
    report = hsds.hsds_import(tables=sample_tables, by=admin, source="sample", language="en")
    assert report.ok
    assert report.created["services"] == 2 and report.created["organizations"] == 1
    legal = Service.objects.get(hsds_id=LEGAL)
    assert legal.organisation.name == "Pomorskie Centrum Wsparcia Migrantów"
    assert legal.is_free and not Service.objects.get(hsds_id=CLUB).is_free
    assert legal.source_language == "en"
    assert str(legal.last_checked_on) == "2026-09-15"
    assert legal.document_list == [
        "Passport or other identity document",
        "Decision of the voivode, if you have one",
    ]
    # "MO,WE,FR" becomes three weekly rows, plus Tuesday.
    assert sorted(legal.schedules.values_list("weekday", flat=True)) == [1, 2, 3, 5]
    assert set(legal.languages.values_list("code", flat=True)) == {"pl", "uk", "ru"}
    assert [c.code for c in legal.categories.all()] == ["legal-advice"]
    office = Location.objects.get(hsds_id="3e7c1a00-0001-4000-8000-00000000aa01")
    assert office.district == srodmiescie  # from the address region
    assert office.accessibility == "Step-free entrance from the courtyard"
    assert legal.organisation.phone == "+48 58 300 10 10"


def test_round_trip_json_is_lossless_and_reimport_updates(world, srodmiescie, sample_tables):
    admin = world.user("admin")
    hsds.hsds_import(tables=sample_tables, by=admin, source="sample")
    counts = _counts()
    exported = hsds.export_tables()
    again = hsds.flatten(json.loads(hsds.to_json(exported)))
    assert _normalised(again) == _normalised(sample_tables)
    report = hsds.hsds_import(tables=again, by=admin, source="sample")
    assert _counts() == counts
    assert sum(report.created.values()) == 0
    assert report.updated["services"] == 2
    assert _normalised(hsds.export_tables()) == _normalised(sample_tables)


def test_round_trip_csv_datapackage(world, srodmiescie, sample_tables):
    admin = world.user("admin")
    hsds.hsds_import(tables=sample_tables, by=admin, source="sample")
    counts = _counts()
    package = hsds.to_datapackage(hsds.export_tables())
    names = set(zipfile.ZipFile(io.BytesIO(package)).namelist())
    assert {
        "datapackage.json",
        "services.csv",
        "service_at_location.csv",
        "taxonomy_terms.csv",
    } <= names
    tables = hsds.parse_upload("directory.zip", package)
    assert _normalised(tables) == _normalised(sample_tables)
    hsds.hsds_import(tables=tables, by=admin, source="sample")
    assert _counts() == counts


def test_changed_text_on_reimport_outdates_translations(world, sample_tables):
    from mosty.directory.models import ServiceTranslation

    admin = world.user("admin")
    hsds.hsds_import(tables=sample_tables, by=admin, source="sample")
    legal = Service.objects.get(hsds_id=LEGAL)
    ServiceTranslation.objects.create(
        service=legal,
        language="uk",
        name="Юридична порада",
        source_revision=legal.revision,
        status="published",
    )
    sample_tables["services"][0]["description"] = "Changed description."
    hsds.hsds_import(tables=sample_tables, by=admin, source="sample")
    assert legal.translations.get().is_outdated is False  # stale object: reload below
    legal.refresh_from_db()
    assert ServiceTranslation.objects.select_related("service").get().is_outdated


def test_row_level_errors_and_nothing_written(world, sample_tables):
    tables = sample_tables
    tables["services"][1]["status"] = "open"
    tables["services"][1]["organization_id"] = "no-such-org"
    tables["locations"][0]["latitude"] = "north"
    tables["schedules"][0]["closes_at"] = "08:00"
    tables["languages"][0]["code"] = "Polski!"
    tables["phones"].append({"id": "p-x", "service_id": LEGAL, "number": ""})
    with pytest.raises(hsds.HsdsImportError) as caught:
        hsds.hsds_import(tables=tables, by=world.user("admin"), source="sample")
    errors = {(e.table, e.row, e.field) for e in caught.value.report.errors}
    assert ("services", 2, "status") in errors
    assert ("services", 2, "organization_id") in errors
    assert ("locations", 1, "latitude") in errors
    assert ("schedules", 1, "closes_at") in errors
    assert ("languages", 1, "code") in errors
    assert ("phones", len(tables["phones"]), "number") in errors
    assert Service.objects.count() == 0 and Location.objects.count() == 0


def test_import_page_reports_errors_and_imports(world, login):
    client = login("admin")
    url = reverse("directory:hsds_import")
    bad = io.BytesIO(json.dumps({"organizations": [{"id": "o1"}]}).encode())
    bad.name = "bad.json"
    response = client.post(url, {"file": bad, "source": "sample"})
    assert response.status_code == 200
    assert "organizations" in response.content.decode()
    assert Service.objects.count() == 0
    good = io.BytesIO(SAMPLE.read_bytes())
    good.name = "sample.json"
    response = client.post(url, {"file": good, "source": "sample"})
    # First a preview: what would be created, nothing written.
    assert response.status_code == 200 and Service.objects.count() == 0
    assert response.context["report"].preview and response.context["created"]["services"] == 2
    assert "services: nowe – 2" in response.content.decode()
    previewed = response.context["form"].initial["previewed"]
    good.seek(0)
    response = client.post(url, {"file": good, "source": "sample", "previewed": previewed})
    assert response.status_code == 200
    assert Service.objects.count() == 2
    garbage = io.BytesIO(b"\x00\x01 not json")
    garbage.name = "x.json"
    response = client.post(url, {"file": garbage, "source": "sample"})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()


def test_hsds_read_api_page_object_filters_and_detail(world, client, sample_tables):
    hsds.hsds_import(tables=sample_tables, by=world.user("admin"), source="sample")
    response = client.get(reverse("hsds:services"), {"per_page": 1})
    data = response.json()
    assert data["total_items"] == 2 and data["total_pages"] == 2 and data["size"] == 1
    assert data["first_page"] and not data["last_page"]
    service = data["contents"][0]
    assert service["organization"]["name"] == "Pomorskie Centrum Wsparcia Migrantów"
    assert service["service_at_locations"][0]["location"]["addresses"]
    filtered = client.get(
        reverse("hsds:services"), {"taxonomy_term_id": "91e1d2c3-0002-4000-8000-0000000000t2"}
    ).json()
    assert [s["id"] for s in filtered["contents"]] == [CLUB]
    assert client.get(reverse("hsds:services"), {"language": "ar"}).json()["total_items"] == 1
    detail = client.get(reverse("hsds:service", kwargs={"hsds_id": LEGAL})).json()
    assert {s["byday"] for s in detail["schedules"]} == {"MO,WE,FR", "TU"}
    orgs = client.get(reverse("hsds:organizations")).json()
    assert orgs["contents"][0]["id"] == "2f1b0f56-5a8e-4d33-9a52-0d2a4c7e1a01"
    org = client.get(
        reverse("hsds:organization", kwargs={"hsds_id": "2f1b0f56-5a8e-4d33-9a52-0d2a4c7e1a01"})
    ).json()
    assert len(org["services"]) == 2
    assert client.get(reverse("hsds:service", kwargs={"hsds_id": "nope"})).status_code == 404
    assert client.get(reverse("hsds:services"), {"page": "x"}).status_code == 400
    # A page far past the end is empty, as any page past it, on every list (SQLite cannot
    # skip 10**30 rows: it answered 500).
    for name in ("services", "organizations", "service_at_locations", "taxonomy_terms"):
        first = client.get(reverse(f"hsds:{name}")).json()
        far = client.get(reverse(f"hsds:{name}"), {"page": "9" * 30}).json()
        assert far["contents"] == [] and far["last_page"], name
        assert far["total_items"] == first["total_items"] > 0, name
    assert client.get(reverse("hsds:services"), {"modified_after": "yesterday"}).status_code == 400
    # Well-formed but impossible dates are refused too (Django's parser raises on them).
    for impossible in ("2024-13-45", "2024-02-30T10:00:00"):
        response = client.get(reverse("hsds:services"), {"modified_after": impossible})
        assert response.status_code == 400 and "modified_after" in response.json()
    recent = client.get(reverse("hsds:services"), {"modified_after": "2000-01-01"}).json()
    assert recent["total_items"] == 2


def test_hsds_api_constant_queries(world, client):
    service_with_location(world.org_a)
    assert_constant_queries(
        client,
        reverse("hsds:services"),
        lambda: service_with_location(world.org_a, languages=("pl", "uk")),
    )


def test_exports_download(world, client):
    service_with_location(world.org_a)
    response = client.get(reverse("hsds:export_json"))
    assert json.loads(response.content)[0]["services"]
    response = client.get(reverse("hsds:export_datapackage"))
    assert response["Content-Type"] == "application/zip"


def test_import_api_and_command(world, login, tmp_path, sample_tables):
    from django.core.management import call_command

    api = login("admin")
    bad = api.post(
        reverse("api:hsds_import") + "?source=sample",
        {
            "organizations": [
                {"id": "o1", "services": [{"id": "s1", "name": "X", "status": "nope"}]}
            ]
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    found = {(e["table"], e["row"], e["field"]) for e in bad.json()["errors"]}
    assert found == {("organizations", 1, "name"), ("services", 1, "status")}
    good = api.post(
        reverse("api:hsds_import") + "?source=sample",
        json.loads(SAMPLE.read_text()),
        content_type="application/json",
    )
    assert good.status_code == 200 and good.json()["created"]["services"] == 2
    out = tmp_path / "directory.zip"
    call_command("hsds", "export", str(out))
    call_command("hsds", "import", str(out), "--source", "sample")
    assert Service.objects.count() == 2
