"""Keeping figures ahead for sets of organisations (`core.models.KeptFigures`): which sets a
nightly task counts, and how it replaces the kept rows. Used by the service level, the hours
report and the events report (issue 15; docs/architecture.md, "Kept figures")."""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from mosty.access.audit import audit, summarised
from mosty.accounts.models import Membership, Role
from mosty.core.models import KeptFigures, figures_key

# Sets of organisations to keep figures for: their key, and their sorted ids (None: all).
Sets = dict[str, list[int] | None]


def coordinated_sets() -> list[set[int]]:
    """Each active coordinator's set of active organisations (one query). The figures are kept
    per set, not per organisation, because some are counted distinct across a set (the
    institutions served)."""
    held: dict[int, set[int]] = defaultdict(set)
    for user_id, org_id in Membership.objects.filter(
        role=Role.COORDINATOR, is_active=True, organisation__is_active=True
    ).values_list("user_id", "organisation_id"):
        held[user_id].add(org_id)
    return list(held.values())


def wanted_sets(worth_keeping: Callable[[set[int]], bool], *, all_too: bool) -> Sets:
    """The sets a refresh keeps: every coordinator's set `worth_keeping` (a small one costs
    nothing counted live), and with `all_too` the set of every organisation (None, the
    administrator's), each under its `figures_key`."""
    wanted: Sets = {figures_key(None): None} if all_too else {}
    for organisations in coordinated_sets():
        if worth_keeping(organisations):
            wanted[figures_key(organisations)] = sorted(organisations)
    return wanted


def keep(
    model: type[KeptFigures],
    wanted: Sets,
    count: Callable[[list[int] | None], dict[str, Any]],
    *,
    set_field: str,
    event: str,
) -> int:
    """Count the figures of each of the `wanted` sets (`count(organisations)`, None for all)
    and replace what `model` keeps by them (the set's ids in `set_field`): in one transaction,
    so a page reads the old figures or the new ones, with the rows of sets nobody reports on
    any more removed, and one audit event `event` for the whole refresh. Returns the number
    of sets kept."""
    now = timezone.now()
    rows = [
        model(
            key=key,
            figures=count(organisations),
            refreshed_at=now,
            **{set_field: organisations if organisations is not None else []},
        )
        for key, organisations in wanted.items()
    ]
    with transaction.atomic(), summarised():
        model.objects.bulk_create(  # type: ignore[attr-defined]
            rows,
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=[set_field, "figures", "refreshed_at"],
        )
        model.objects.filter(refreshed_at__lt=now).delete()  # type: ignore[attr-defined]
        audit(None, event, None, details={"sets": len(rows)})
    return len(rows)
