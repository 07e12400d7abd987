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
from mosty.core.api import AuditedDetailApi, AuditedListApi, ObjectActionApi
from mosty.core.routing import Routes
from mosty.reports import selectors, services
from mosty.reports.models import Programme, report_day_error

routes = Routes()


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        default = selectors.default_period()
        attrs.setdefault("start", default[0])
        attrs.setdefault("end", default[1])
        errors = {
            name: error for name in ("start", "end") if (error := report_day_error(attrs[name]))
        }
        if errors:
            raise serializers.ValidationError(errors)
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


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AskedPartnerSerializer(serializers.Serializer):
    """An organisation asked to take part that has not joined: its records are not counted."""

    organisation = OrganisationRefSerializer()
    state = serializers.CharField(help_text="`pending` (waiting for an answer) or `declined`.")


class ProgressOutputSerializer(ProgrammeOutputSerializer):
    partners = serializers.SerializerMethodField()
    invitations = serializers.SerializerMethodField()
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

    @extend_schema_field(OrganisationRefSerializer(many=True))
    def get_partners(self, programme: Programme) -> list[dict[str, Any]]:
        """The partner organisations taking part (they accepted): counted in the figures."""
        partners = sorted(programme.partners.all(), key=lambda org: (org.name, org.pk))
        return [{"id": org.pk, "name": org.name} for org in partners]

    @extend_schema_field(AskedPartnerSerializer(many=True))
    def get_invitations(self, programme: Programme) -> Any:
        """Organisations asked to take part that have not joined, as the programme's page
        shows them: waiting for an answer (not counted until they accept) or declined."""
        found = selectors.programme_invitations(programme=programme)
        return AskedPartnerSerializer(found, many=True).data

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


class InvitationOutputSerializer(serializers.Serializer):
    """An invitation to take part in a programme, waiting for the caller's organisation."""

    id = serializers.IntegerField()
    programme = serializers.IntegerField(source="programme_id")
    programme_name = serializers.CharField(source="programme.name")
    donor = serializers.CharField(source="programme.donor")
    starts_on = serializers.DateField(source="programme.starts_on")
    ends_on = serializers.DateField(source="programme.ends_on")
    lead = OrganisationRefSerializer(source="programme.organisation")
    organisation = OrganisationRefSerializer()
    state = serializers.CharField(help_text="`pending`: waiting for an answer.")
    created_at = serializers.DateTimeField()


@routes.path("programmes/invitations/", name="programme_invitation_list")
@extend_schema(tags=["reports"], responses=InvitationOutputSerializer(many=True))
class InvitationListApi(AuditedListApi):
    """Invitations to take part in a programme that wait for an answer from an organisation
    the caller coordinates (as on the programmes page). A programme's figures count the
    organisation's records, and its coordinators see them, only once it accepts."""

    serializer_class = InvitationOutputSerializer
    permission = "programme.list"
    selector = selectors.invitation_list
    filtered = False


class _InvitationAnswer(ObjectActionApi):
    selector = selectors.invitation_get
    permission = "programme.answer"
    object_kwarg = "invitation"


@routes.path("programmes/invitations/<int:pk>/accept/", name="programme_invitation_accept")
@extend_schema(tags=["reports"], request=None, responses=ProgrammeOutputSerializer)
class InvitationAcceptApi(_InvitationAnswer):
    """The caller's organisation takes part in the programme: its records count in the
    figures and its coordinators see the programme. The lead's coordinators are told."""

    service = services.partner_accept
    output_serializer = ProgrammeOutputSerializer


@routes.path("programmes/invitations/<int:pk>/decline/", name="programme_invitation_decline")
@extend_schema(tags=["reports"], request=None, responses=InvitationOutputSerializer)
class InvitationDeclineApi(_InvitationAnswer):
    """The caller's organisation does not take part; the lead's coordinators are told and see
    the answer on the programme."""

    service = services.partner_decline
    output_serializer = InvitationOutputSerializer


@routes.path("programmes/<int:pk>/leave/", name="programme_leave")
@extend_schema(tags=["reports"], request=None, responses=ProgrammeOutputSerializer)
class ProgrammeLeaveApi(ObjectActionApi):
    """The partner organisations the caller coordinates leave the programme: its figures no
    longer count their records and they no longer see it. The lead's coordinators are told."""

    selector = selectors.programme_get
    permission = "programme.leave"
    service = services.programme_leave
    object_kwarg = "programme"
    output_serializer = ProgrammeOutputSerializer
