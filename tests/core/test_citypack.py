from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from mosty.core.citypack import PackInvalid, city_init, pack_read
from mosty.core.models import City, District
from mosty.networks.models import Network
from mosty.organisations.models import Organisation


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; the default language is Polish."""
    from django.utils import translation

    with translation.override("en"):
        yield


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
city: {name: Testowo, slug: testowo, default_language: pl, languages: [pl, en, ar], centroid: {lat: 52.4, lon: 16.9}}
districts:
  - {code: stare-miasto, name: Stare Miasto, centroid: {lat: 52.41, lon: 16.93}}
  - {code: jezyce, name: Jeżyce}
organisations:
  - {slug: fundacja, name: Fundacja, kind: ngo, district: jezyce, languages: [pl, uk]}
networks:
  - {slug: edukacja, name: Edukacja, theme: education, coordinator: fundacja}
"""


def test_demo_pack_loads_a_real_city(db):
    city = city_init(path=settings.DEMO_PACK)
    assert city.name == "Gdańsk"
    assert District.objects.count() == 35
    assert District.objects.get(code="nowy-port").name == "Nowy Port"
    assert Network.objects.filter(theme="translators").exists()
    assert Organisation.objects.filter(slug="fundacja-most").exists()


def test_loading_twice_updates_instead_of_duplicating(db, tmp_path):
    path = write(tmp_path, GOOD)
    city_init(path=path)
    city_init(path=path.__class__(path))
    assert City.objects.count() == 1
    assert District.objects.count() == 2
    assert Organisation.objects.get(slug="fundacja").district.code == "jezyce"


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        (GOOD.replace("slug: testowo", "slug: Testowo!"), "city.slug", "lowercase"),
        (
            GOOD.replace("district: jezyce", "district: nowhere"),
            "organisations[0].district",
            "nowhere",
        ),
        (GOOD.replace("kind: ngo", "kind: bank"), "organisations[0].kind", "bank"),
        (
            GOOD.replace("languages: [pl, en, ar]", "languages: [pl, en, xx]"),
            "city.languages[2]",
            "xx",
        ),
        (
            GOOD.replace("{lat: 52.41, lon: 16.93}", "{lat: 152.41, lon: 16.93}"),
            "districts[0].centroid",
            "latitude",
        ),
        (
            GOOD.replace("code: jezyce", "code: stare-miasto"),
            "districts[1].code",
            "another district",
        ),
        (GOOD.replace("name: Testowo, ", ""), "city.name", "required"),
        (GOOD + "\nsurprise: 1\n", "surprise", "unknown section"),
        (
            GOOD.replace("{lat: 52.41, lon: 16.93}", "{lat: 52.41}"),
            "districts[0].centroid",
            "point",
        ),
        (
            GOOD.replace("name: Jeżyce}", "name: Jeżyce, outline: {type: Point}}"),
            "districts[1].outline",
            "GeoJSON",
        ),
        (GOOD.replace("name: Fundacja,", "name: [Fundacja],"), "organisations[0].name", "text"),
        (
            GOOD.replace("name: Fundacja,", "name: " + "F" * 201 + ","),
            "organisations[0].name",
            "200",
        ),
        (
            GOOD.replace("coordinator: fundacja", "coordinator: nobody"),
            "networks[0].coordinator",
            "nobody",
        ),
        (
            GOOD.replace("theme: education", "theme: education, public: maybe"),
            "networks[0].public",
            "true or false",
        ),
        (GOOD.replace("districts:\n", "districts: {}\nx:\n"), "districts", "must be a list"),
        ("[]", "(top)", "mapping"),
        ("city: [", "line", "YAML"),
    ],
)
def test_broken_pack_names_file_field_and_problem_and_writes_nothing(
    db, tmp_path, text, where, what
):
    path = write(tmp_path, text)
    with pytest.raises(PackInvalid) as caught:
        city_init(path=path)
    report = caught.value.report()
    assert str(path) in report
    assert where in report
    assert what in report
    assert City.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_every_problem_of_a_pack_is_reported_at_once(db, tmp_path):
    text = GOOD.replace("kind: ngo", "kind: bank").replace("slug: testowo", "slug: Testowo!")
    with pytest.raises(PackInvalid) as caught:
        pack_read(write(tmp_path, text))
    assert [e.path for e in caught.value.errors] == ["city.slug", "organisations[0].kind"]


def test_optional_fields_may_be_left_empty_and_numbers_read_as_text(db, tmp_path):
    text = GOOD.replace("languages: [pl, uk]}", "languages: [pl, uk], email: '', phone: 501}")
    pack = pack_read(write(tmp_path, text))
    assert pack["organisations"][0]["email"] == ""
    assert pack["organisations"][0]["phone"] == "501"


def test_command_reports_errors_without_traceback(db, tmp_path):
    path = write(tmp_path, GOOD.replace("kind: ngo", "kind: bank"))
    with pytest.raises(CommandError, match=r"organisations\[0\]\.kind"):
        call_command("init_city", str(path))
    assert District.objects.count() == 0


def test_second_city_in_the_same_database_is_refused(db, tmp_path):
    city_init(path=write(tmp_path, GOOD))
    other = tmp_path / "other.yaml"
    other.write_text(GOOD.replace("slug: testowo", "slug: innowo"), encoding="utf-8")
    with pytest.raises(PackInvalid, match="one installation serves one city"):
        city_init(path=other)


def test_error_messages_are_translated(db, tmp_path):
    from django.utils import translation

    path = write(tmp_path, GOOD.replace("name: Testowo, ", ""))
    with translation.override("pl"), pytest.raises(PackInvalid) as caught:
        pack_read(path)
    assert "is required" not in caught.value.report()
