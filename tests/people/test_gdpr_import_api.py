import html
import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from mosty.access.models import AuditEvent
from mosty.people import gdpr, imports
from mosty.people.models import ImportStatus, Participant, ParticipantImport
from mosty.people.tasks import participant_retention_run
from tests.people.factories import ConsentFactory, ParticipantFactory

# --- GDPR ---------------------------------------------------------------------------------


def test_export_json_and_html(world, login):
    participant = ParticipantFactory(owner=world.org_a, first_name="Nadia", last_name="Haddad")
    ConsentFactory(participant=participant)
    client = login("coordinator")
    url = reverse("people:export", args=[participant.pk])
    data = json.loads(client.get(url, {"format": "json"}).content)
    assert data["participant"]["first_name"] == "Nadia"
    assert data["consents"][0]["purpose"] == "case_management"
    page = client.get(url).content.decode()
    assert "Nadia" in page
    assert AuditEvent.objects.filter(action="mosty.people.participant.exported").count() == 2


def test_export_page_speaks_the_readers_language(world, login):
    """The page handed to the person (art. 15) names fields and stored codes in the reader's
    language, the section's own models first (a consent's `language` is the language of the
    text shown); the JSON download keeps the machine names."""
    from django.utils import translation

    from mosty.mentoring.models import Interest, MentoringProfile
    from mosty.people.models import Consent

    participant = ParticipantFactory(owner=world.org_a, gender="female")
    ConsentFactory(participant=participant, purpose="case_management", language="uk")
    # A JSON list of codes no field's choices describe: the section declares them (`coded`).
    MentoringProfile.objects.create(participant=participant, interests=["gardening"])
    with translation.override("uk"):
        url = reverse("people:export", args=[participant.pk])
        expected = [
            str(Participant._meta.get_field("gender").verbose_name),
            str(dict(Participant._meta.get_field("gender").flatchoices)["female"]),
            str(Consent._meta.get_field("purpose").verbose_name),
            str(dict(Consent._meta.get_field("purpose").flatchoices)["case_management"]),
            str(Consent._meta.get_field("language").verbose_name),
            str(Interest.GARDENING.label),
        ]
    page = login("coordinator").get(url).content.decode()
    assert url.startswith("/uk/")
    for text in expected:
        assert f">{text[0].upper()}{text[1:]}<" in page or f">{text}<" in page, text
    assert ">case_management<" not in page and ">purpose<" not in page and ">female<" not in page
    assert ">gardening<" not in page


def test_export_includes_registered_sections(world, monkeypatch):
    participant = ParticipantFactory(owner=world.org_a)
    monkeypatch.setitem(
        gdpr.SECTIONS,
        "extra",
        gdpr.Section("extra", "Extra", export=lambda p: [{"note": f"about {p.code}"}]),
    )
    data = gdpr.export_participant(participant, by=world.user("coordinator", "a"))
    assert data["extra"] == [{"note": f"about {participant.code}"}]


def test_erase_keeps_code_and_aggregates(world, login, monkeypatch):
    erased = []
    monkeypatch.setitem(
        gdpr.SECTIONS,
        "extra",
        gdpr.Section("extra", "Extra", export=lambda p: [], erase=lambda p: erased.append(p.pk)),
    )
    participant = ParticipantFactory(
        owner=world.org_a, birth_year=1987, email="a@example.org", district=world.district
    )
    code = participant.code
    client = login("coordinator")
    client.get(reverse("people:detail", args=[participant.pk]))
    response = client.post(reverse("people:erase", args=[participant.pk]))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.code == code
    assert participant.first_name == participant.last_name == participant.first_name_original == ""
    assert participant.phone == participant.email == "" and participant.search_key == ""
    assert participant.birth_year == 1985
    assert participant.country_of_origin == "UA" and participant.district == world.district
    assert participant.anonymised_at is not None
    assert erased == [participant.pk]
    assert AuditEvent.objects.filter(action="mosty.people.participant.viewed").exists()
    assert not AuditEvent.objects.filter(object_label__icontains="Oleksandr").exists()
    # Erasing twice erases nothing again (test_erasure_in_a_second_tab_says_it_is_done).
    client.post(reverse("people:erase", args=[participant.pk]))
    assert erased == [participant.pk]


def test_erasure_in_a_second_tab_says_it_is_done(world, login):
    """The erasure page open in two tabs: once one erased the person, the other (sent, or
    reloaded) goes to the person's page and says the data is already erased, not a 403."""
    participant = ParticipantFactory(owner=world.org_a)
    client = login("coordinator")
    with translation.override("en"):
        url = reverse("people:erase", args=[participant.pk])
        detail = reverse("people:detail", args=[participant.pk])
    assert client.get(url).status_code == 200  # the second tab, opened first
    assert client.post(url).url == detail  # the first tab erases
    # The newest event's id, not the count: PostgreSQL's ids do not restart with each test.
    events = AuditEvent.objects.order_by("pk").last().pk
    with translation.override("en"):
        said = gettext(
            "The participant's personal data was already erased; only the code %(code)s remains."
        ) % {"code": participant.code}
        for again in (client.post(url, follow=True), client.get(url, follow=True)):
            assert again.redirect_chain == [(detail, 302)]
            assert again.status_code == 200
            assert said in html.unescape(again.content.decode())
    # Nothing erased again, no refusal recorded: only the person's page read.
    assert (
        not AuditEvent.objects.filter(pk__gt=events)
        .exclude(action="mosty.people.participant.viewed")
        .exists()
    )
    # Caseworkers still may not erase, not even whom they registered.
    other = ParticipantFactory(owner=world.org_a, created_by=world.user("caseworker", "a"))
    assert login("caseworker").post(reverse("people:erase", args=[other.pk])).status_code == 403
    other.refresh_from_db()
    assert other.anonymised_at is None


def test_retention_anonymises_only_long_closed(world, monkeypatch, settings):
    settings.MOSTY_RETENTION_DAYS = 30
    old = timezone.now() - timedelta(days=400)
    closed_long_ago = ParticipantFactory(owner=world.org_a)
    closed_recently = ParticipantFactory(owner=world.org_a)
    still_open = ParticipantFactory(owner=world.org_a)
    Participant.objects.update(created_at=old)
    since = {
        closed_long_ago.pk: old,
        closed_recently.pk: timezone.now() - timedelta(days=3),
        still_open.pk: None,
    }
    monkeypatch.setitem(
        gdpr.SECTIONS,
        "cases",
        gdpr.Section(
            "cases",
            "Cases",
            export=lambda p: [],
            closed_since=lambda ids: {pk: since[pk] for pk in ids.values_list("pk", flat=True)},
        ),
    )
    assert gdpr.retention_due() == [closed_long_ago.pk]
    assert participant_retention_run.call() == 1
    assert Participant.objects.get(pk=closed_long_ago.pk).anonymised_at is not None
    assert Participant.objects.filter(anonymised_at__isnull=True).count() == 2


def test_retention_without_provider_does_nothing(world):
    ParticipantFactory(owner=world.org_a)
    assert gdpr.retention_run() == 0


# --- import -------------------------------------------------------------------------------

CSV = (
    "Imię;Nazwisko;first_name_original;birth year;country;languages;phone;email\n"
    "Olena;Bondar;Олена;1990;UA;uk:native, pl:A2;+48 500 100 200;olena@example.org\n"
    "Ahmad;Rahimi;احمد;1985;AF;fa:native;;\n"
    ";;;2999;Afghanistan;xx;abc;nope\n"
)


def _named(content: bytes, name: str):
    f = io.BytesIO(content)
    f.name = name
    return f


def test_import_stops_on_errors_then_imports_valid_rows_only(
    world, login, django_capture_on_commit_callbacks
):
    client = login("coordinator")
    response = client.post(
        reverse("people:import"),
        {"owner": world.org_a.pk, "file": _named(CSV.encode(), "list.csv")},
    )
    job = ParticipantImport.objects.get()
    assert response.status_code == 302
    assert job.total == 3
    assert job.mapping["first_name"] == 0 and job.mapping["birth_year"] == 3
    preview = client.get(reverse("people:import_preview", args=[job.pk]))
    rows = preview.context["rows"]
    assert not rows[0]["errors"] and rows[2]["errors"]

    post = {f"map_{k}": str(v) for k, v in job.mapping.items()}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("people:import_preview", args=[job.pk]), {**post, "start": "1"}
        )
    assert response.status_code == 302 and len(callbacks) == 1
    job = imports.run(job.pk)
    assert job.status == ImportStatus.HAS_ERRORS
    assert not Participant.objects.exists()
    fields = {e["field"] for e in job.errors if e["row"] == 4}
    assert {
        "first_name",
        "birth_year",
        "country_of_origin",
        "languages",
        "phone",
        "email",
    } <= fields
    progress = client.get(reverse("people:import_progress", args=[job.pk])).content.decode()
    assert "Error report" in progress

    client.post(
        reverse("people:import_preview", args=[job.pk]), {**post, "valid_only": "on", "start": "1"}
    )
    job = imports.run(job.pk)
    assert job.status == ImportStatus.DONE and job.created_count == 2
    olena = Participant.objects.get(first_name="Olena")
    assert olena.owner == world.org_a
    assert olena.languages == [{"code": "uk", "level": "native"}, {"code": "pl", "level": "A2"}]
    assert " #500100200 " in olena.search_key
    assert len({p.code for p in Participant.objects.all()}) == 2


def test_import_xlsx(world, login):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["first name", "last name", "birth year"])
    sheet.append(["Yevhen", "Tkachenko", 1979])
    buffer = io.BytesIO()
    book.save(buffer)
    client = login("coordinator")
    client.post(
        reverse("people:import"),
        {"owner": world.org_a.pk, "file": _named(buffer.getvalue(), "people.xlsx")},
    )
    job = ParticipantImport.objects.get()
    assert imports.run(job.pk).created_count == 1
    assert Participant.objects.get().birth_year == 1979


def test_import_rejects_bad_file(world, login):
    response = login("coordinator").post(
        reverse("people:import"), {"owner": world.org_a.pk, "file": _named(b"\xff\xfe", "x.pdf")}
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors


# --- API ----------------------------------------------------------------------------------


def test_api_create_search_update_conflict(world, client):
    client.force_login(world.user("caseworker", "a"))
    response = client.post(
        reverse("api:participant_create"),
        {"first_name": "Aliaksandr", "last_name": "Kavalenka", "birth_year": 1990},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["legal_status"] is None  # caseworker: sensitive hidden
    found = client.get(reverse("api:participant_list"), {"q": "Олександр"}).json()
    assert [r["id"] for r in found["results"]] == [pk]
    url = reverse("api:participant_update", args=[pk])
    ok = client.patch(url, {"version": 1, "phone": "500"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    conflict = client.patch(url, {"version": 1, "phone": "600"}, content_type="application/json")
    assert conflict.status_code == 409
    bad = client.patch(url, {"version": 2, "birth_year": "x"}, content_type="application/json")
    assert bad.status_code == 400 and "birth_year" in bad.json()


def test_api_bad_input_is_json_400(world, client):
    client.force_login(world.user("coordinator", "a"))
    response = client.post(
        reverse("api:participant_create"), {"email": "nope"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "email" in response.json()
    response = client.post(
        reverse("api:participant_create"), {"last_name": ""}, content_type="application/json"
    )
    assert response.status_code == 400
    # A level that is a list or an object was a TypeError (500) in the validator.
    for level in (["native"], {"x": 1}):
        response = client.post(
            reverse("api:participant_create"),
            {"last_name": "K", "languages": [{"code": "uk", "level": level}]},
            content_type="application/json",
        )
        assert response.status_code == 400 and "languages" in response.json()


def test_api_consents(world, client):
    participant = ParticipantFactory(owner=world.org_a)
    client.force_login(world.user("coordinator", "a"))
    url = reverse("api:consent_record", args=[participant.pk])
    response = client.post(
        url, {"purpose": "mentoring", "text_shown": "Text"}, content_type="application/json"
    )
    assert response.status_code == 201
    again = client.post(
        url, {"purpose": "mentoring", "text_shown": "Text"}, content_type="application/json"
    )
    assert again.status_code == 400
    consents = client.get(reverse("api:participant_consent_list", args=[participant.pk])).json()
    assert consents["results"][0]["purpose"] == "mentoring"


@pytest.mark.parametrize("role", ["coordinator", "caseworker"])
def test_api_other_org_gets_404(world, client, role):
    participant = ParticipantFactory(owner=world.org_a)
    client.force_login(world.user(role, "b"))
    assert client.get(reverse("api:participant_detail", args=[participant.pk])).status_code == 404


def test_retention_command(world, monkeypatch, settings):
    from django.core.management import call_command

    settings.MOSTY_RETENTION_DAYS = 10
    participant = ParticipantFactory(owner=world.org_a)
    Participant.objects.update(created_at=timezone.now() - timedelta(days=100))
    closed = timezone.now() - timedelta(days=50)
    monkeypatch.setitem(
        gdpr.SECTIONS,
        "cases",
        gdpr.Section(
            "cases",
            "Cases",
            export=lambda p: [],
            closed_since=lambda ids: {pk: closed for pk in ids.values_list("pk", flat=True)},
        ),
    )
    out = io.StringIO()
    call_command("people_retention", "--dry-run", stdout=out)
    assert "1 participant" in out.getvalue()
    assert Participant.objects.get().anonymised_at is None
    call_command("people_retention", stdout=out)
    participant.refresh_from_db()
    assert participant.anonymised_at is not None and participant.first_name == ""


def test_small_import_runs_at_once_large_goes_to_the_worker(
    world, login, monkeypatch, django_capture_on_commit_callbacks
):
    client = login("coordinator")
    client.post(
        reverse("people:import"),
        {"owner": world.org_a.pk, "file": _named(b"first name,last name\nOlena,Bondar\n", "a.csv")},
    )
    job = ParticipantImport.objects.get()
    post = {"map_first_name": "0", "map_last_name": "1", "start": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:import_preview", args=[job.pk]), post)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Participant.objects.count() == 1

    monkeypatch.setattr(imports, "INLINE_ROWS", 0)
    enqueued = []

    class FakeTask:
        @staticmethod
        def enqueue(job_id):
            enqueued.append(job_id)

    monkeypatch.setattr("mosty.people.tasks.participant_import_run", FakeTask)
    client.post(
        reverse("people:import"),
        {"owner": world.org_a.pk, "file": _named(b"first name\nAhmad\n", "b.csv")},
    )
    job = ParticipantImport.objects.get(filename="b.csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("people:import_preview", args=[job.pk]), {"map_first_name": "0", "start": "1"}
        )
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED
    assert enqueued == [job.pk]
    page = client.get(reverse("people:import_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
