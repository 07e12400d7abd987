"""Reads of the participation module, each starting from a `visible_*` selector."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mosty.access.domains.participation import (
    managed_programmes,
    visible_calls,
    visible_programmes,
)
from mosty.participation.models import Call, Programme


def _with_texts(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    return programmes.select_related("organisation").prefetch_related("translations")


def _calls_with_texts(calls: QuerySet[Call]) -> QuerySet[Call]:
    return calls.select_related("programme", "programme__organisation").prefetch_related(
        "translations", "programme__translations"
    )


def programme_list(
    *, fetched_by: Any, filters: dict[str, Any] | None = None
) -> QuerySet[Programme]:
    filters = filters or {}
    rows = visible_programmes(fetched_by)
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("foreigners"):
        rows = rows.filter(foreigners_may_take_part=True)
    return _with_texts(rows).order_by("kind", "pk")


def programme_get(*, fetched_by: Any, pk: int) -> Programme:
    return get_object_or_404(_with_texts(visible_programmes(fetched_by)), pk=pk)


def programme_calls(*, programme: Programme) -> QuerySet[Call]:
    """The calls of a programme the caller could already see, newest deadline first."""
    return _calls_with_texts(programme.calls.all()).order_by("-closes_on", "pk")


def programme_managed_list(*, fetched_by: Any) -> QuerySet[Programme]:
    return _with_texts(managed_programmes(fetched_by)).order_by("kind", "pk")


def programme_managed_get(*, fetched_by: Any, pk: int) -> Programme:
    return get_object_or_404(_with_texts(managed_programmes(fetched_by)), pk=pk)


def call_list(
    *, fetched_by: Any, filters: dict[str, Any] | None = None, today: datetime.date | None = None
) -> QuerySet[Call]:
    """Calls open now or opening later (the public calendar), by deadline."""
    filters = filters or {}
    today = today or timezone.localdate()
    rows = visible_calls(fetched_by).filter(closes_on__gte=today)
    if filters.get("kind"):
        rows = rows.filter(programme__kind=filters["kind"])
    if filters.get("consultations"):
        rows = rows.filter(collects_opinions=True)
    return _calls_with_texts(rows).order_by("closes_on", "pk")


def call_get(*, fetched_by: Any, pk: int) -> Call:
    return get_object_or_404(_calls_with_texts(visible_calls(fetched_by)), pk=pk)


def call_managed_get(*, fetched_by: Any, pk: int) -> Call:
    rows = Call.objects.filter(programme__in=managed_programmes(fetched_by))
    return get_object_or_404(_calls_with_texts(rows), pk=pk)


# What alerts tell a visitor: only what is published, whoever asks.


def calls_published_since(since: datetime.datetime) -> list[Call]:
    rows = visible_calls(AnonymousUser()).filter(
        created_at__gt=since, closes_on__gte=timezone.localdate()
    )
    return list(_calls_with_texts(rows).order_by("closes_on", "pk"))


def calls_closing_on(day: datetime.date) -> list[Call]:
    rows = visible_calls(AnonymousUser()).filter(closes_on=day)
    return list(_calls_with_texts(rows).order_by("pk"))
