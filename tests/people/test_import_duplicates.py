"""Participant import: duplicates within the file and against known participants, tolerant
header matching, district suggestions."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from mosty.access.models import AuditEvent
from mosty.people import imports
from mosty.people.models import ImportStatus, Participant, ParticipantImport
from tests.factories import DistrictFactory
from tests.people.factories import ParticipantFactory

FIRST = [
    ("Oleksandr", "Aleksandr"),
    ("Olena", "Alena"),
    ("Mykhailo", "Mikhail"),
    ("Yevhen", "Evgenii"),
    ("Dmytro", "Dmitrii"),
    ("Tetiana", "Tatiana"),
    ("Nataliia", "Natalia"),
    ("Serhii", "Sergei"),
    ("Iryna", "Irina"),
    ("Volodymyr", "Vladimir"),
    ("Bohdan", "Bogdan"),
    ("Kateryna", "Katerina"),
    ("Pavlo", "Pavel"),
    ("Zhanna", "Zhanna"),
    ("Roman", "Roman"),
    ("Fedir", "Fedor"),
    ("Liudmyla", "Lyudmila"),
    ("Hanna", "Ganna"),
    ("Taras", "Taras"),
    ("Maksym", "Maksim"),
]
LAST = [
    ("Khomenko", "Homenko"),
    ("Shevchenko", "Szewczenko"),
    ("Bondarenko", "Bondarenko"),
    ("Tkachenko", "Tkaczenko"),
    ("Kovalchuk", "Kowalczuk"),
    ("Melnyk", "Melnik"),
    ("Kravets", "Krawiec"),
    ("Zhuk", "Zuk"),
    ("Rudenko", "Rudenko"),
    ("Lysenko", "Lisenko"),
    ("Moroz", "Moroz"),
    ("Hnatiuk", "Gnatiuk"),
    ("Sydorenko", "Sidorenko"),
    ("Pavlenko", "Pawlenko"),
    ("Yakovenko", "Jakowenko"),
    ("Dubenko", "Dubenko"),
    ("Fedorchuk", "Fiodorczuk"),
    ("Savchuk", "Sawczuk"),
    ("Hrytsenko", "Gricenko"),
    ("Chornyi", "Czarny"),
    ("Vasylenko", "Wasylenko"),
    ("Ostapenko", "Ostapienko"),
    ("Kyrylenko", "Kirilenko"),
    ("Prykhodko", "Prihodko"),
    ("Ivanchuk", "Iwanczuk"),
]


def _people(n=500):
    """n different people, each written twice: as in a Ukrainian passport's Latin
    transliteration, and as a Polish or Russian-trained clerk typed it."""
    people = []
    for i in range(n):
        first, last = FIRST[i % len(FIRST)], LAST[i // len(FIRST)]
        people.append(((first[0], last[0]), (first[1], last[1]), 1960 + (i * 7) % 45))
    keys = {
        (tuple(sorted(imports.person_keys({"first_name": a[0], "last_name": a[1]}))), year)
        for a, _b, year in people
    }
    assert len(keys) == n  # the generator really makes n different people
    return people


def _upload(client, world, content: bytes, name: str):
    f = io.BytesIO(content)
    f.name = name
    client.post(reverse("people:import"), {"owner": world.org_a.pk, "file": f})
    return ParticipantImport.objects.latest("pk")


def _start(client, job, extra=None, capture=None):
    post = {f"map_{k}": str(v) for k, v in job.mapping.items()}
    with capture(execute=True):
        r = client.post(
            reverse("people:import_preview", args=[job.pk]), {**post, **(extra or {}), "start": "1"}
        )
    assert r.status_code == 302
    job.refresh_from_db()
    return job


def test_the_same_500_people_as_csv_then_xlsx_stay_500(
    world, login, django_capture_on_commit_callbacks
):
    people = _people()
    client = login("coordinator")
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["first name", "last name", "birth year"])
    for latin, _other, year in people:
        writer.writerow([*latin, year])
    job = _upload(client, world, text.getvalue().encode(), "people.csv")
    job = _start(client, job, capture=django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.DONE and job.created_count == 500
    assert Participant.objects.count() == 500

    # The same people again, typed by someone else, in a spreadsheet with other headers.
    book = Workbook()
    sheet = book.active
    sheet.append(["IMIĘ", "Nazwisko", "Rok urodzenia"])
    for _latin, other, year in people:
        sheet.append([*other, year])
    buffer = io.BytesIO()
    book.save(buffer)
    job = _upload(client, world, buffer.getvalue(), "people.xlsx")
    page = client.get(reverse("people:import_preview", args=[job.pk]))
    assert page.context["duplicates_total"] == 500
    job = _start(client, job, capture=django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.skipped_count) == (0, 500)
    assert Participant.objects.count() == 500


def test_preview_offers_a_choice_per_duplicate_and_the_import_follows_it(
    world, login, django_capture_on_commit_callbacks
):
    known = ParticipantFactory(
        owner=world.org_a,
        first_name="Akhmad",
        last_name="Rakhimi",
        first_name_original="",
        birth_year=1985,
        email="",
    )
    other_org = ParticipantFactory(
        owner=world.org_b, first_name="Yusuf", last_name="Karimi", birth_year=1970
    )
    content = (
        b"first name;last name;birth year;phone;email\n"
        b"Olena;Bondar;1990;;\n"
        b"Ahmad;Rahimi;1985;;ahmad@example.org\n"
        b"Olena;Bondar;1990;+48 500 100 200;\n"
        b"Akhmad;Rakhimi;;;\n"
        b"Yusuf;Karimi;1970;;\n"
        b"Olena;Bondar;1991;;\n"
    )
    client = login("coordinator")
    job = _upload(client, world, content, "list.csv")
    page = client.get(reverse("people:import_preview", args=[job.pk]))
    listed = {item["duplicate"].number: item for item in page.context["duplicates"]}
    # Row 3 is Rahimi (known), row 4 repeats row 2, row 5 is Rahimi again; Karimi belongs
    # to another organisation and the 1991 Olena is someone else.
    assert set(listed) == {3, 4, 5}
    assert listed[3]["participant"] == known and listed[4]["duplicate"].earlier_number == 2
    html = page.content.decode()
    assert known.code in html and other_org.code not in html
    assert AuditEvent.objects.filter(
        action="mosty.people.participant.viewed", object_id=str(known.pk)
    ).exists()

    job = _start(
        client,
        job,
        {"dup_1": "merge", "dup_2": "merge", "dup_3": "create"},
        capture=django_capture_on_commit_callbacks,
    )
    assert (job.created_count, job.merged_count, job.skipped_count) == (4, 2, 0)
    olena = Participant.objects.get(first_name="Olena", birth_year=1990)
    assert olena.phone == "+48 500 100 200" and " #500100200 " in olena.search_key
    known.refresh_from_db()
    assert known.email == "ahmad@example.org" and known.first_name == "Akhmad"
    assert Participant.objects.filter(last_name="Rakhimi").count() == 2  # imported anyway
    assert Participant.objects.filter(owner=world.org_a, first_name="Yusuf").exists()


def test_duplicates_without_a_choice_are_skipped(world):
    ParticipantFactory(owner=world.org_a, first_name="Olena", last_name="Bondar", birth_year=1990)
    job = ParticipantImport.objects.create(
        owner=world.org_a,
        created_by=world.user("coordinator"),
        filename="x.csv",
        headers=["first name", "last name"],
        rows=[["Olena", "Bondar"], ["Ahmad", "Rahimi"], ["Akhmad", "Rakhimi"]],
        total=3,
        mapping={"first_name": 0, "last_name": 1},
    )
    job = imports.run(job.pk)
    assert (job.created_count, job.skipped_count) == (1, 2)


@pytest.mark.parametrize("header", ["Ім’я", "ІМ'Я", "ім`я", "Ім\u02bcя", " ім’я "])
def test_headers_match_whatever_apostrophe_and_case(header):
    mapping = imports.guess_mapping([header, "ПРІЗВИЩЕ", "First_Name"])
    assert mapping == {"first_name_original": 0, "last_name_original": 1, "first_name": 2}


def test_a_district_near_miss_suggests_the_districts_meant(world):
    city = world.district.city
    DistrictFactory(city=city, code="wrzeszcz-gorny", name="Wrzeszcz Górny")
    DistrictFactory(city=city, code="wrzeszcz-dolny", name="Wrzeszcz Dolny")
    check = imports.RowValidator({"first_name": 0, "district": 1})
    with translation.override("en"):
        _values, errors = check(["Olena", "Wrzeszcz"])
        assert errors == [
            (
                "district",
                "No district with this code or name. Did you mean: Wrzeszcz Dolny, Wrzeszcz Górny?",
            )
        ]
        _values, errors = check(["Olena", "Centrm"])
        assert "Centrum" in errors[0][1]
        _values, errors = check(["Olena", "Oliwa"])
        assert errors == [("district", "No district with this code or name.")]
    values, errors = check(["Olena", "wrzeszcz gorny"])
    assert not errors and values["district_id"] is not None
