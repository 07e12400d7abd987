"""Background work of the reports module (run by `mosty worker`)."""

from __future__ import annotations

from django_tasks import task

from mosty.access.audit import acting_as, audit
from mosty.core.indicators import Scope
from mosty.reports import rollups, selectors
from mosty.reports.models import CitySnapshot, RollupRun


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
            kept = rollups.refresh(run)
    except Exception:
        RollupRun.objects.filter(pk=run.pk).update(status=RollupRun.Status.FAILED)
        raise
    selectors.public_statistics_keep()
    return kept


@task()
def city_report_count(snapshot_id: int) -> None:
    """Count a city report over a period no rollup keeps (`services.city_report_request`),
    saying how far it got; the dashboard offers it for download once ready."""
    snapshot = CitySnapshot.objects.select_related("issued_by").get(pk=snapshot_id)
    found = CitySnapshot.objects.filter(pk=snapshot.pk)

    def progress(done: int, total: int) -> None:
        found.update(done=done, total=total)

    try:
        with acting_as(snapshot.issued_by):
            figures = selectors.city_report_figures(
                fetched_by=snapshot.issued_by,
                scope=Scope(start=snapshot.period_start, end=snapshot.period_end),
                progress=progress,
            )
            found.update(figures=figures, status=CitySnapshot.Status.READY, done=snapshot.total)
            audit(snapshot.issued_by, "mosty.report.city.issued", snapshot)
    except Exception:
        found.update(status=CitySnapshot.Status.FAILED)
        raise


@task()
def city_report_stale_sweep() -> int:
    """Mark city reports whose counting worker died as failed (daily, from
    MOSTY_DAILY_TASKS), so the dashboard stops saying "being counted" and the reader asks
    again. A count older than the rollups' `STALE_AFTER` is dead. Returns how many."""
    from django.utils import timezone

    return CitySnapshot.objects.filter(
        status=CitySnapshot.Status.COUNTING,
        issued_at__lt=timezone.now() - rollups.STALE_AFTER,
    ).update(status=CitySnapshot.Status.FAILED)
