"""Stored matching runs: the background computation of a coordinator's proposals, shared by the
service that queues a run (`services.matching_recompute`) and the task that computes it
(`tasks.matching_run_compute`).

A run solves the whole engine once (seconds at a large programme's size) and stores every
proposal and every participant left without one, with their reasons as codes; the matching page
then reads a page of stored rows instead of solving on every view.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from mosty.access.audit import audit, summarised
from mosty.access.domains.mentoring import matchable_participants_of
from mosty.mentoring import engine_data
from mosty.mentoring.models import MatchingRun, MatchProposal, RunStatus

# A run the worker has not touched for this long lost its worker: a new one may be queued.
STALE_AFTER = dt.timedelta(minutes=10)


def is_stale(run: MatchingRun, now: dt.datetime | None = None) -> bool:
    seen = run.heartbeat_at or run.created_at
    return not run.is_finished and seen < (now or timezone.now()) - STALE_AFTER


def _step(run: MatchingRun, **values: Any) -> None:
    """Progress and heartbeat; the run's outcome is recorded once, at the end."""
    values["heartbeat_at"] = timezone.now()
    with summarised():
        MatchingRun.objects.filter(pk=run.pk).update(**values)


def compute(run_id: int) -> int:
    """Compute a queued run and store its proposals (returns how many); older runs of the same
    organisations are removed once the new proposals are in place."""
    run = MatchingRun.objects.get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return 0
    _step(run, status=RunStatus.RUNNING, started_at=timezone.now(), progress=5)
    try:
        organisation_ids = [int(pk) for pk in run.organisation_ids]
        engine = engine_data.engine(
            participants_qs=matchable_participants_of(organisation_ids),
            organisation_ids=organisation_ids,
        )
        _step(run, progress=30)
        # Texts are rendered when read, in the reader's language: only codes are stored.
        result = engine.run(explain_now=False)
        _step(run, progress=80)
        rows = [
            MatchProposal(
                run_id=run.pk,
                participant_id=x.participant_id,
                mentor_id=x.mentor_id,
                rank=rank,
                score=x.score,
                parts=x.parts,
            )
            for rank, x in enumerate(result.proposals)
        ]
        rows += [
            MatchProposal(
                run_id=run.pk, participant_id=u.participant_id, rank=len(rows) + i, parts=u.parts
            )
            for i, u in enumerate(result.unmatched)
        ]
        with transaction.atomic():
            # One event for the run (below) instead of one per stored row: the rows are a
            # cache of the computation, rebuilt by every run, not a decision about anyone.
            with summarised():
                MatchProposal.objects.bulk_create(rows, batch_size=2000)
                MatchingRun.objects.filter(pk=run.pk).update(
                    status=RunStatus.DONE,
                    progress=100,
                    finished_at=timezone.now(),
                    heartbeat_at=timezone.now(),
                    total_score=result.total_score,
                    proposal_count=len(result.proposals),
                    unmatched_count=len(result.unmatched),
                )
            _remove_older(run)
            audit(
                None,
                "mosty.mentoring.matchingrun.computed",
                run,
                details={
                    "proposals": len(result.proposals),
                    "unmatched": len(result.unmatched),
                },
            )
    except Exception:
        _step(run, status=RunStatus.FAILED, finished_at=timezone.now())
        raise
    return len(result.proposals)


def _remove_older(run: MatchingRun) -> None:
    """Every other finished run of the same organisations: the new one replaces them."""
    older = list(
        MatchingRun.objects.filter(
            scope=run.scope, status__in=(RunStatus.DONE, RunStatus.FAILED), pk__lt=run.pk
        ).values_list("pk", flat=True)
    )
    if not older:
        return
    stored = MatchProposal.objects.filter(run_id__in=older)
    removed = stored.count()
    # A raw delete: thousands of cached rows, recorded as one event rather than one per row.
    stored._raw_delete(stored.db)
    audit(
        None,
        "mosty.mentoring.matchingrun.replaced",
        run,
        details={"runs": len(older), "proposals": removed},
    )
    MatchingRun.objects.filter(pk__in=older).delete()


def fail_stale() -> int:
    """Mark runs whose worker died as failed, so a new one may be queued."""
    now = timezone.now()
    stale = [
        run.pk
        for run in MatchingRun.objects.filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING))
        if is_stale(run, now)
    ]
    if stale:
        MatchingRun.objects.filter(pk__in=stale).update(status=RunStatus.FAILED, finished_at=now)
    return len(stale)
