"""The research module's indicators (mosty/core/indicators.py): survey responses submitted.
Responses are anonymous: they are counted, never linked to a person. A programme linked to
surveys (`Scope.linked("research.survey")`) counts those surveys' responses only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mosty.core.indicators import Unit, aggregate_indicator
from mosty.research.models import Response

aggregate_indicator(
    "research.responses",
    name=_("Survey responses"),
    definition=_(
        "Survey responses submitted in the period to the organisations' surveys (anonymous "
        "answers: each response counts, not each person)."
    ),
    unit=Unit.RECORDS,
    rows=lambda scope: scope.records(
        Response.objects.filter(submitted_at__isnull=False),
        organisation="survey__organisation_id",
        linked=("research.survey", "survey_id"),
        period="submitted_at",
        moments=True,
    ),
    breakdowns={"month": "submitted_at", "language": "language"},
)
