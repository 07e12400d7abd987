"""Query pieces several modules' selectors write alike.

Part of core's foundation: it imports Django only."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def counted(rows: QuerySet[Any], key: str) -> Coalesce:
    """How many of `rows` there are for each row of an outer list, as a correlated subquery
    (0 for none). `rows` are filtered by an `OuterRef` to the outer row and `key` names that
    relation (`counted(Task.objects.filter(goal__case=OuterRef("pk")), "goal__case")`).

    Annotated on a paginated list, the database counts for the rows shown only, instead of
    joining and grouping every related row of every visible record, and the paginator's
    COUNT(*) leaves the annotation out."""
    per_row = rows.order_by().values(key).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(per_row, output_field=IntegerField()), 0)
