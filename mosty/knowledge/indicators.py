"""The knowledge module's indicators (mosty/core/indicators.py): how often the public
articles were read, by language and month, from the daily counters (`ArticleViewCount`),
which hold no reader.

Articles belong to the city's knowledge base, not to an organisation: the figure is the
city's, counted for a scope of the whole city; a scope narrowed to organisations (a
coordinator's dashboard, a programme) counts none of it rather than claiming the city's
readers for them."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from mosty.core.indicators import Scope, Unit, aggregate_indicator
from mosty.knowledge.models import ArticleViewCount


def _views(scope: Scope) -> Any:
    found = scope.filter_period(ArticleViewCount.objects.all(), "day")
    return found.none() if scope.organisations is not None else found


aggregate_indicator(
    "knowledge.article_views",
    name=_("Article views"),
    definition=_(
        "Times the knowledge base's articles were read on the public site in the period, by "
        "the language they were read in; the city's figure, not an organisation's."
    ),
    unit=Unit.RECORDS,
    rows=_views,
    breakdowns={"language": "language", "month": "day"},
    total=Sum("count", default=0),
)
