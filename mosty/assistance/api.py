"""Assistance API: requests and assignments under the same policy as the pages; every read of
a request's details is audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mosty.access.domains.assistance import provider_organisations, request_organisations
from mosty.access.policy import require
from mosty.assistance import selectors, services
from mosty.assistance.models import (
    LINK_MAX,
    Assignment,
    AssignmentStatus,
    AssistanceRequest,
    Mode,
    ReleaseReason,
    RequestStatus,
    Topic,
    Urgency,
    validate_no_personal_data,
)
from mosty.core.api import (
    AuditedDetailApi,
    AuditedListApi,
    ObjectActionApi,
    choice_param,
    parse_input,
)
from mosty.core.models import District
from mosty.core.routing import Routes
from mosty.directory.models import validate_iso_language

routes = Routes()


def _base_url(request: Request) -> str:
    """Where the links in the notices this request sends point."""
    return request.build_absolute_uri("/")


# DRF's serializers are generic only in the type stubs.
if TYPE_CHECKING:
    Serializer = serializers.Serializer[Any]
else:
    Serializer = serializers.Serializer


class RequestOutputSerializer(Serializer):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    provider = serializers.IntegerField(source="provider_id")
    language = serializers.CharField()
    language_with = serializers.CharField()
    mode = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    district = serializers.CharField(
        source="district.code", default=None, read_only=True, allow_null=True
    )
    place = serializers.CharField()
    link = serializers.CharField()
    topic = serializers.CharField()
    description = serializers.CharField()
    urgency = serializers.CharField()
    people_needed = serializers.IntegerField()
    status = serializers.CharField()
    answer_by = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    series = serializers.IntegerField(source="series_id", allow_null=True)


class AssignmentOutputSerializer(Serializer):
    id = serializers.IntegerField()
    request = serializers.IntegerField(source="request_id")
    assistant = serializers.IntegerField(source="assistant_id")
    status = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)
    released_at = serializers.DateTimeField(allow_null=True)
    release_reason = serializers.CharField()


@routes.path("assistance/requests/", name="assistance_request_list")
@extend_schema(tags=["assistance"])
class RequestListApi(AuditedListApi):
    """Requests the caller may see (their institution's, their pool's, offered to them)."""

    permission = "assistance.request_browse"
    serializer_class = RequestOutputSerializer
    selector = selectors.request_visible_list

    def filters(self, params: Any) -> dict[str, Any]:
        return {"status": choice_param(params, "status", RequestStatus.values)}


@routes.path("assistance/requests/<int:pk>/", name="assistance_request_detail")
@extend_schema(tags=["assistance"], responses=RequestOutputSerializer)
class RequestDetailApi(AuditedDetailApi):
    serializer_class = RequestOutputSerializer
    permission = "assistance.request_view"
    read_fields = ("description", "place", "link", "starts_at")
    selector = selectors.request_get


class RequestCreateInputSerializer(Serializer):
    organisation = serializers.IntegerField()
    provider = serializers.IntegerField()
    language = serializers.CharField(max_length=3, validators=[validate_iso_language])
    language_with = serializers.CharField(
        max_length=3, default="pl", validators=[validate_iso_language]
    )
    mode = serializers.ChoiceField(choices=Mode.choices)
    starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(min_value=15, max_value=480)
    district = serializers.CharField(required=False, allow_blank=True, default="")
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    link = serializers.URLField(required=False, allow_blank=True, default="", max_length=LINK_MAX)
    topic = serializers.ChoiceField(choices=Topic.choices)
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=1000,
        validators=[validate_no_personal_data],
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    people_needed = serializers.IntegerField(min_value=1, max_value=5, default=1)
    repeat_until = serializers.DateField(required=False, allow_null=True, default=None)


@routes.path("assistance/requests/create/", name="assistance_request_create")
@extend_schema(
    tags=["assistance"],
    request=RequestCreateInputSerializer,
    responses=RequestOutputSerializer(many=True),
)
class RequestCreateApi(APIView):
    def post(self, request: Request) -> Response:
        require(request.user, "assistance.request_create")
        data = parse_input(RequestCreateInputSerializer, request)
        organisation = request_organisations(request.user).filter(pk=data["organisation"]).first()
        provider = provider_organisations().filter(pk=data["provider"]).first()
        if organisation is None:
            raise serializers.ValidationError(
                {"organisation": [_("You cannot request help for this institution.")]}
            )
        if provider is None:
            raise serializers.ValidationError(
                {"provider": [_("There is no assistant pool with this number.")]}
            )
        code = data.pop("district")
        district = District.objects.filter(code=code).first() if code else None
        if code and district is None:
            raise serializers.ValidationError(
                {"district": [_("There is no district with this code.")]}
            )
        data.update(organisation=organisation, provider=provider, district=district)
        made = services.request_create(by=request.user, base_url=_base_url(request), **data)
        return Response(
            RequestOutputSerializer(made, many=True).data, status=status.HTTP_201_CREATED
        )


@routes.path("assistance/requests/<int:pk>/cancel/", name="assistance_request_cancel")
@extend_schema(tags=["assistance"], request=None, responses=RequestOutputSerializer)
class RequestCancelApi(ObjectActionApi):
    selector = selectors.request_get
    permission = "assistance.request_cancel"
    output_serializer = RequestOutputSerializer

    def act(self, item: AssistanceRequest, data: dict[str, Any]) -> AssistanceRequest:
        services.request_cancel(
            request=item, by=self.request.user, base_url=_base_url(self.request)
        )
        return item


class ProposalOutputSerializer(Serializer):
    assistant = serializers.IntegerField(source="profile.pk")
    name = serializers.CharField(source="profile.__str__")
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())
    hours_this_month = serializers.FloatField()


@routes.path("assistance/requests/<int:pk>/proposals/", name="assistance_request_proposals")
@extend_schema(tags=["assistance"], responses=ProposalOutputSerializer(many=True))
class RequestProposalsApi(AuditedDetailApi):
    """Assistants ranked for an open request, with the reasons (coordinators of its pool)."""

    selector = selectors.request_get
    permission = "assistance.assign"
    serializer_class = ProposalOutputSerializer

    def serialize(self, item: AssistanceRequest) -> Any:
        return self.serializer_class(selectors.proposals_for(request=item), many=True).data


class OfferInputSerializer(Serializer):
    assistants = serializers.ListField(child=serializers.IntegerField(), min_length=1)


@routes.path("assistance/requests/<int:pk>/offer/", name="assistance_request_offer")
@extend_schema(
    tags=["assistance"],
    request=OfferInputSerializer,
    responses=AssignmentOutputSerializer(many=True),
)
class RequestOfferApi(ObjectActionApi):
    """Offer an open request to assistants among its proposals."""

    selector = selectors.request_get
    permission = "assistance.assign"
    input_serializer = OfferInputSerializer
    output_serializer = AssignmentOutputSerializer
    created = many = True

    def act(self, item: AssistanceRequest, data: dict[str, Any]) -> list[Assignment]:
        proposed = {p.profile.pk: p.profile for p in selectors.proposals_for(request=item)}
        missing = [pk for pk in data["assistants"] if pk not in proposed]
        if missing:
            raise serializers.ValidationError(
                {"assistants": [_("Choose assistants among the proposals for this request.")]}
            )
        return services.assignment_offer(
            request=item,
            assistants=[proposed[pk] for pk in data["assistants"]],
            by=self.request.user,
            base_url=_base_url(self.request),
        )


@routes.path("assistance/assignments/", name="assistance_assignment_list")
@extend_schema(tags=["assistance"])
class AssignmentListApi(AuditedListApi):
    """The caller's own assignments (an assistant) or their pool's (a coordinator); `status`
    filters, `upcoming=1` keeps those still to come."""

    permission = "assistance.request_browse"
    serializer_class = AssignmentOutputSerializer
    selector = selectors.assignment_list

    def filters(self, params: Any) -> dict[str, Any]:
        return {
            "status": choice_param(params, "status", AssignmentStatus.values),
            "upcoming": params.get("upcoming") in {"1", "true"},
        }


class _AssignmentAction(ObjectActionApi):
    """An assistant's answer to an offer."""

    selector = selectors.assignment_get
    permission = "assignment.respond"
    output_serializer = AssignmentOutputSerializer


@routes.path("assistance/assignments/<int:pk>/accept/", name="assistance_assignment_accept")
@extend_schema(tags=["assistance"], request=None, responses=AssignmentOutputSerializer)
class AssignmentAcceptApi(_AssignmentAction):
    def act(self, found: Assignment, data: dict[str, Any]) -> Assignment:
        return services.assignment_accept(
            assignment=found, by=self.request.user, base_url=_base_url(self.request)
        )


@routes.path("assistance/assignments/<int:pk>/decline/", name="assistance_assignment_decline")
@extend_schema(tags=["assistance"], request=None, responses=AssignmentOutputSerializer)
class AssignmentDeclineApi(_AssignmentAction):
    def act(self, found: Assignment, data: dict[str, Any]) -> Assignment:
        return services.assignment_decline(assignment=found, by=self.request.user)


class AssignmentReleaseInputSerializer(Serializer):
    reason = serializers.ChoiceField(
        choices=ReleaseReason.choices,
        help_text="Why the assistant gives it back; the institution and the coordinator see it.",
    )


@routes.path("assistance/assignments/<int:pk>/release/", name="assistance_assignment_release")
@extend_schema(
    tags=["assistance"],
    request=AssignmentReleaseInputSerializer,
    responses=AssignmentOutputSerializer,
)
class AssignmentReleaseApi(ObjectActionApi):
    """The assistant gives back an assignment they accepted, before it starts, saying why.
    The request is open again; the institution and the pool's coordinators are told. After
    the start it cannot be given back (400: its hours are logged instead)."""

    selector = selectors.assignment_get
    permission = "assignment.release"
    input_serializer = AssignmentReleaseInputSerializer
    output_serializer = AssignmentOutputSerializer

    def act(self, found: Assignment, data: dict[str, Any]) -> Assignment:
        return services.assignment_release(
            assignment=found,
            by=self.request.user,
            reason=data["reason"],
            base_url=_base_url(self.request),
        )
