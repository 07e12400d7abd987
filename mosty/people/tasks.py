"""Background work of the people module (run by `mosty worker`)."""

from django_tasks import task

from mosty.people import gdpr, imports


@task()
def participant_import_run(import_id: int) -> int:
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
