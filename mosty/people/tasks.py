"""Background work of the people module (run by `mosty worker`)."""

from django_tasks import task

from mosty.access.audit import acting_as
from mosty.people import gdpr, imports
from mosty.people.models import ParticipantImport


@task()
def participant_import_run(import_id: int) -> int:
    # The worker writes on behalf of whoever started the import: the audit says so.
    job = (
        ParticipantImport.objects.select_related("created_by")
        .defer("rows", "headers", "errors")
        .get(pk=import_id)
    )
    with acting_as(job.created_by):
        return imports.run(import_id).created_count


@task()
def participant_retention_run() -> int:
    """Anonymise participants whose cases closed longer than MOSTY_RETENTION_DAYS ago."""
    return gdpr.retention_run()


@task()
def import_rows_purge() -> int:
    """Delete the uploaded rows of participant imports older than MOSTY_IMPORT_ROWS_DAYS."""
    from mosty.people import gdpr

    return gdpr.import_rows_purge()


@task()
def participant_import_stale_sweep() -> int:
    """Mark imports whose worker died as failed, so they can be started again."""
    return imports.participant_import_fail_stale()
