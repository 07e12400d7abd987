"""Background work of the people module (run by `mosty worker`)."""

from django_tasks import task


@task()
def participant_import_run(import_id: int) -> int:
    from mosty.people import imports

    return imports.run(import_id).created_count


@task()
def participant_retention_run() -> int:
    """Anonymise participants whose cases closed longer than MOSTY_RETENTION_DAYS ago."""
    from mosty.people import gdpr

    return gdpr.retention_run()


@task()
def participant_import_stale_sweep() -> int:
    """Mark imports whose worker died as failed, so they can be started again."""
    from mosty.people import imports

    return imports.participant_import_fail_stale()
