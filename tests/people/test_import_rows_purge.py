"""Uploaded participant lists do not keep people's rows forever: the daily job purges them,
and erasing a person removes their row from any list still held."""

import datetime as dt

from django.utils import timezone

from mosty.access.models import AuditEvent
from mosty.people import gdpr
from mosty.people.models import ImportStatus, Participant, ParticipantImport
from mosty.people.tasks import import_rows_purge

ROWS = [["Olena", "Kovalenko", "+48 600 111 222"], ["Ivan", "Petrenko", "+48 600 333 444"]]


def _upload(world, *, days_old: int, status=ImportStatus.UPLOADED, rows=ROWS):
    job = ParticipantImport.objects.create(
        owner=world.org_a,
        created_by=world.user("coordinator", "a"),
        filename=f"list-{days_old}.csv",
        headers=["first_name", "last_name", "phone"],
        rows=rows,
        total=len(ROWS),
        status=status,
        errors=[{"row": 3, "field": "phone", "message": "Enter a phone number."}],
    )
    ParticipantImport.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days_old)
    )
    return job


def test_stale_uploads_lose_their_rows_fresh_ones_keep_them(world, settings):
    settings.MOSTY_IMPORT_ROWS_DAYS = 7
    stale_waiting = _upload(world, days_old=8)
    stale_with_errors = _upload(world, days_old=30, status=ImportStatus.HAS_ERRORS)
    fresh = _upload(world, days_old=2)

    assert import_rows_purge.call() == 2

    stale_waiting.refresh_from_db()
    stale_with_errors.refresh_from_db()
    fresh.refresh_from_db()
    assert stale_waiting.rows == [] and stale_with_errors.rows == []
    assert fresh.rows == ROWS
    # It can no longer run, and says so; what it reported stays.
    assert stale_waiting.status == ImportStatus.FAILED and stale_waiting.finished_at
    assert stale_with_errors.status == ImportStatus.HAS_ERRORS
    assert stale_with_errors.errors[0]["row"] == 3 and stale_with_errors.total == 2
    assert AuditEvent.objects.filter(action="mosty.people.import.rows_purged").count() == 2
    # Nothing left to purge the next day.
    assert import_rows_purge.call() == 0


def test_the_daily_job_runs_the_purge(settings):
    assert "mosty.people.tasks.import_rows_purge" in settings.MOSTY_DAILY_TASKS


def test_erasure_finds_the_person_in_an_upload_however_the_list_wrote_them(world):
    person = Participant(
        first_name="Olena", last_name="Kovalenko", phone="+48 600 111 222", email="o.k@example.org"
    )
    assert gdpr._mentions(["olena ", "KOVALENKO", ""], person)
    assert gdpr._mentions(["Ola", "K.", "600111222"], person)
    assert gdpr._mentions(["", "", "", "O.K@example.org"], person)
    assert not gdpr._mentions(["Olena", "Petrenko", "+48 600 333 444"], person)
    assert not gdpr._mentions(["Ivan", "Kovalenko", "111222"], person)


def test_a_phone_written_with_spaces_and_a_country_code_is_found(world):
    """The list writes the number as people do; the record holds it bare (or the other way
    round). Both are compared as people search and event registrations compare phones
    (`search.phone_digits`), so the erasure and the export find the row."""
    person = Participant.objects.create(
        first_name="Olena",
        last_name="Kovalenko",
        phone="600111222",
        owner=world.org_a,
        created_by=world.user("coordinator", "a"),
    )
    spellings = ["+48 600 111 222", "+48-600-111-222", "0048 600111222", "(+48) 600 11 12 22"]
    for spelling in spellings:
        assert gdpr._mentions(["Ola", "K.", spelling], person), spelling
    job = _upload(world, days_old=1, rows=[["Ola", "K.", s] for s in spellings] + ROWS[1:])
    exported = gdpr.export_participant(person, by=world.user("coordinator", "a"))["imports"]
    assert [row[2] for row in exported[0]["rows"]] == spellings
    gdpr.anonymise_participant(person, by=world.user("coordinator", "a"))
    job.refresh_from_db()
    assert job.rows == ROWS[1:]
