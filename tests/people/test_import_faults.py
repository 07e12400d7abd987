"""A participant import survives its worker dying, and the worker survives a locked database."""

import contextlib
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.utils import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from mosty.access.models import AuditEvent
from mosty.core.management.commands import worker as mosty_worker
from mosty.people import imports
from mosty.people.models import ImportStatus, Participant, ParticipantImport
from mosty.people.tasks import participant_import_stale_sweep


def _queued_job(world, login, django_capture_on_commit_callbacks):
    client = login("coordinator")
    upload = io.BytesIO(b"first name,last name\nOlena,Bondar\nAhmad,Rahimi\n")
    upload.name = "list.csv"
    client.post(reverse("people:import"), {"owner": world.org_a.pk, "file": upload})
    job = ParticipantImport.objects.get()
    with django_capture_on_commit_callbacks(execute=False):  # the "worker" never runs it
        client.post(
            reverse("people:import_preview", args=[job.pk]),
            {"map_first_name": "0", "map_last_name": "1", "start": "1"},
        )
    return client, job


def test_an_import_whose_worker_died_is_marked_failed_and_can_be_started_again(
    world, login, django_capture_on_commit_callbacks
):
    client, job = _queued_job(world, login, django_capture_on_commit_callbacks)
    # The worker claimed the job, then was killed: the heartbeat stopped 20 minutes ago.
    ParticipantImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=20)
    )
    page = client.get(reverse("people:import_progress", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert 'hx-trigger="every 2s"' not in page  # the page stops polling
    assert reverse("people:import_preview", args=[job.pk]) in page  # "Start the import again"
    assert AuditEvent.objects.filter(action="mosty.people.import.stalled").count() == 1
    assert not Participant.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("people:import_preview", args=[job.pk]),
            {"map_first_name": "0", "map_last_name": "1", "start": "1"},
        )
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 2
    assert Participant.objects.count() == 2


def test_a_running_import_with_a_recent_heartbeat_is_left_alone(
    world, login, django_capture_on_commit_callbacks
):
    _client, job = _queued_job(world, login, django_capture_on_commit_callbacks)
    ParticipantImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=2)
    )
    assert imports.participant_import_fail_stale() == 0
    assert participant_import_stale_sweep.call() == 0
    later = timezone.now() + imports.STALE_AFTER
    assert imports.participant_import_fail_stale(now=later) == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED


def test_a_run_that_lost_its_job_to_the_stale_check_inserts_nothing(
    world, login, django_capture_on_commit_callbacks, monkeypatch
):
    _client, job = _queued_job(world, login, django_capture_on_commit_callbacks)
    validate = imports.validate_all

    def slow_validation(job, *, progress=None):
        result = validate(job, progress=progress)
        # Meanwhile the worker was thought dead and the job marked failed.
        imports.participant_import_fail_stale(now=timezone.now() + 2 * imports.STALE_AFTER)
        return result

    monkeypatch.setattr(imports, "validate_all", slow_validation)
    job = imports.run(job.pk)
    assert job.status == ImportStatus.FAILED
    assert not Participant.objects.exists()


@contextlib.contextmanager
def _locked(using=None):
    raise OperationalError("database is locked")
    yield  # pragma: no cover


@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_out_a_locked_database_instead_of_exiting(monkeypatch):
    result = participant_import_stale_sweep.enqueue()
    real = db_worker.exclusive_transaction
    # The stock worker exits on the first "database is locked" outside a task.
    monkeypatch.setattr(db_worker, "exclusive_transaction", _locked)
    with pytest.raises(OperationalError):
        call_command("db_worker", batch=True, verbosity=0, startup_delay=False)
    # Mosty's worker waits and runs the task once the lock is gone.
    attempts = []

    def locked_twice(using=None):
        attempts.append(1)
        return _locked(using) if len(attempts) <= 2 else real(using)

    monkeypatch.setattr(db_worker, "exclusive_transaction", locked_twice)
    monkeypatch.setattr(mosty_worker, "LOCK_RETRY_SECONDS", 0)
    call_command("worker", batch=True, verbosity=0, startup_delay=False)
    assert len(attempts) >= 3
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
