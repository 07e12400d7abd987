"""Reports API: the public statistics (anyone) and programmes with their progress (the same
policy as the pages). Numbers are JSON numbers, never locale-formatted; a suppressed figure is
null."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mosty.access.policy import require
from mosty.core.api import AuditedDetailApi, AuditedListApi
from mosty.core.routing import Routes
from mosty.reports import selectors
from mosty.reports.models import Programme

routes = Routes()


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        default = selectors.default_period()
        attrs.setdefault("start", default[0])
        attrs.setdefault("end", default[1])
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError(
                {"end": _("The end of the period must not be before its start.")}
            )
        if (attrs["end"] - attrs["start"]).days > 3660:
            raise serializers.ValidationError({"end": _("Choose a period of at most ten years.")})
        return attrs


def _json_number(value: Any) -> Any:
    """Whole numbers as integers, others as floats with one decimal; None stays null."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(float(value), 1)


@routes.path("statistics/", name="statistics_public")
@extend_schema(tags=["reports"], parameters=[PeriodSerializer], responses=OpenApiTypes.OBJECT)
class PublicStatisticsApi(APIView):
    """The city's headline figures; counts of people only from those who consented to
    statistics, with small-cell suppression (null = suppressed)."""

    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        require(request.user, "statistics.public")
        period = PeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        found = selectors.public_statistics(**period.validated_data)
        return Response(
            {
                "start": found["start"].isoformat(),
                "end": found["end"].isoformat(),
                "min_cell": found["min_cell"],
                "people": found["people"],
                "figures": {f.indicator.code: _json_number(f.value) for f in found["figures"]},
                "tables": [
                    {
                        "title": table.title,
                        "columns": table.columns,
                        "rows": [
                            {"label": label, "cells": cells, "total": total}
                            for label, cells, total in table.rows
                        ],
                        "column_totals": table.column_totals,
                        "total": table.total,
                    }
                    for table in found["tables"]
                ],
            }
        )


class ProgrammeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    donor = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    language = serializers.CharField()


@routes.path("programmes/", name="programme_list")
@extend_schema(tags=["reports"], responses=ProgrammeOutputSerializer(many=True))
class ProgrammeListApi(AuditedListApi):
    serializer_class = ProgrammeOutputSerializer
    permission = "programme.list"
    selector = selectors.programme_list


class BudgetLineOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True)
    currency = serializers.CharField()
    note = serializers.CharField()


class ProgressOutputSerializer(ProgrammeOutputSerializer):
    targets = serializers.SerializerMethodField()
    count_network_members = serializers.BooleanField()
    links = serializers.SerializerMethodField()
    budget = BudgetLineOutputSerializer(source="budget_lines.all", many=True)

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "integer"}},
            "description": "Ids of the linked records per kind (events, networks, bookings, "
            "surveys, groups); an empty list counts every record of the organisations.",
        }
    )
    def get_links(self, programme: Programme) -> dict[str, list[int]]:
        found = selectors.programme_links(programme=programme)
        return {
            "events": sorted(event.pk for event in programme.events.all()),
            "networks": sorted(network.pk for network in programme.networks.all()),
            **{name: [record.pk for record in records] for name, records in found.items()},
        }

    def get_targets(self, programme: Programme) -> list[dict[str, Any]]:
        request = self.context["request"]
        rows = selectors.programme_progress(fetched_by=request.user, programme=programme)
        return [
            {
                "indicator": row.target.indicator,
                "target": _json_number(row.target.value),
                "value": _json_number(row.figure.value),
                "share": None if row.share is None else round(row.share, 3),
            }
            for row in rows
        ]


@routes.path("programmes/<int:pk>/", name="programme_detail")
@extend_schema(tags=["reports"], responses=ProgressOutputSerializer)
class ProgrammeDetailApi(AuditedDetailApi):
    """A programme with each target, the figure reached over its whole period and the share."""

    serializer_class = ProgressOutputSerializer
    permission = "programme.view"

    def get_object(self, pk: int) -> Programme:
        return selectors.programme_get(fetched_by=self.request.user, pk=pk)
