"""The participation module's indicators (mosty/core/indicators.py): newcomers' ideas
submitted, points of groups' opinions on policy drafts, and groups that met. A programme
linked to groups (`Scope.linked("participation.group")`) counts those groups' meetings and
opinions only."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mosty.core.indicators import Scope, Unit, aggregate, aggregate_indicator, indicator
from mosty.participation.models import Group, GroupMeeting, Idea, OpinionPoint


def groups_met(scope: Scope, by: str | None = None) -> Any:
    held = GroupMeeting.objects.filter(date__lte=timezone.localdate())
    met = scope.filter_period(held, "date").values("group_id")
    found = scope.filter_linked(
        scope.filter_organisations(Group.objects.filter(pk__in=met), "organisation_id"),
        "participation.group",
    )
    return aggregate(found, by, {})


aggregate_indicator(
    "participation.ideas_submitted",
    name=_("Ideas submitted"),
    definition=_(
        "Newcomers' project ideas and consultation responses submitted in the period with "
        "the organisations' support."
    ),
    unit=Unit.RECORDS,
    rows=lambda scope: scope.records(
        Idea.objects.filter(submitted_at__isnull=False),
        organisation="organisation_id",
        period="submitted_at",
        moments=True,
    ),
    breakdowns={"month": "submitted_at"},
)
aggregate_indicator(
    "participation.opinion_points",
    name=_("Opinion points on policy drafts"),
    definition=_(
        "Points of the opinions that the organisations' groups adopted on policy drafts in "
        "the period."
    ),
    unit=Unit.RECORDS,
    rows=lambda scope: scope.records(
        OpinionPoint.objects.all(),
        organisation="document__group__organisation_id",
        linked=("participation.group", "document__group_id"),
        period="created_at",
        moments=True,
    ),
    breakdowns={"month": "created_at"},
)
indicator(
    "participation.groups_met",
    name=_("Groups that met"),
    definition=_(
        "Immigrant groups hosted by the organisations (advisory teams, self-help groups, "
        "cooperatives) that held at least one meeting in the period."
    ),
    unit=Unit.RECORDS,
    count=groups_met,
)
