"""Keeping figures ahead for sets of organisations (`core.models.KeptFigures`): which sets a
nightly task counts, and how it replaces the kept rows. Used by the service level, the hours
report and the events report (issue 15; docs/architecture.md, "Kept figures")."""

import datetime
from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction

from mosty.access.audit import audit, summarised
from mosty.accounts.models import Membership, Role
from mosty.core.models import KeptFigures


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


def keep(
    model: type[KeptFigures],
    rows: Sequence[KeptFigures],
    *,
    now: datetime.datetime,
    fields: Sequence[str],
    event: str,
) -> int:
    """Replace what `model` keeps by `rows` (refreshed at `now`, with their own `fields`
    besides the figures): in one
    transaction, so a page reads the old figures or the new ones, with the rows of sets nobody
    reports on any more removed, and one audit event `event` for the whole refresh. Returns
    the number of sets kept."""
    with transaction.atomic(), summarised():
        model.objects.bulk_create(  # type: ignore[attr-defined]
            rows,
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=[*fields, "figures", "refreshed_at"],
        )
        model.objects.filter(refreshed_at__lt=now).delete()  # type: ignore[attr-defined]
        audit(None, event, None, details={"sets": len(rows)})
    return len(rows)
