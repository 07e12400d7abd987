"""Background work of the reports module (run by `mosty worker`)."""

from __future__ import annotations

from django_tasks import task

from mosty.access.audit import acting_as
from mosty.reports import rollups
from mosty.reports.models import RollupRun


@task()
def rollups_refresh(run_id: int | None = None) -> int:
    """Recompute the kept figures (daily, from MOSTY_DAILY_TASKS, and when a coordinator asks:
    then `run_id` names the queued run, whose progress the pages show)."""
    run = (
        RollupRun.objects.select_related("requested_by").get(pk=run_id)
        if run_id is not None
        else RollupRun.objects.create()
    )
    try:
        with acting_as(run.requested_by):
            return rollups.refresh(run)
    except Exception:
        RollupRun.objects.filter(pk=run.pk).update(status=RollupRun.Status.FAILED)
        raise
