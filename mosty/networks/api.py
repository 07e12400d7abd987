"""Thematic networks' API under /api/ (paths as before the move from `directory`)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from mosty.accounts.models import User
from mosty.core.api import (
    AuditedDetailApi,
    AuditedListApi,
    CreateApi,
    ObjectActionApi,
)
from mosty.core.routing import Routes
from mosty.networks import selectors, services
from mosty.networks.models import NetworkTheme
from mosty.organisations.models import Organisation

routes = Routes()


class NetworkMemberSerializer(serializers.Serializer):
    kind = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    def get_kind(self, member) -> str:
        return "organisation" if member.organisation_id else "person"

    def get_name(self, member) -> str:
        if member.organisation_id:
            return member.organisation.name
        return member.user.get_full_name() or member.user.email

    def get_email(self, member) -> str:
        return member.organisation.email if member.organisation_id else member.user.email

    def get_phone(self, member) -> str:
        return member.organisation.phone if member.organisation_id else member.user.phone


class NetworkOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    theme = serializers.CharField()
    purpose = serializers.CharField()
    is_public = serializers.BooleanField()
    coordinator = serializers.CharField(source="coordinator.name", default=None, allow_null=True)


@routes.path("networks/", name="network_list")
@extend_schema(tags=["networks"])
class NetworkListApi(AuditedListApi):
    serializer_class = NetworkOutputSerializer
    permission = "network.list"
    selector = selectors.network_list
    filtered = False


@routes.path("networks/<int:pk>/", name="network_detail")
@extend_schema(tags=["networks"], responses=OpenApiTypes.OBJECT)
class NetworkDetailApi(AuditedDetailApi):
    serializer_class = NetworkOutputSerializer
    selector = selectors.network_get
    permission = "network.view"
    read_fields = ("members.contacts",)

    def serialize(self, network):
        members = selectors.network_members(network=network)
        meetings = selectors.network_meetings(network=network)[:50]
        return {
            **super().serialize(network),
            "members": NetworkMemberSerializer(members, many=True).data,
            "meetings": [
                {"id": m.pk, "date": m.date, "title": m.title, "attendees": m.attendee_count}
                for m in meetings
            ],
        }


@routes.path("networks/create/", name="network_create")
class NetworkCreateApi(CreateApi):
    """A coordinator starts a network run by one of their organisations."""

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        theme = serializers.ChoiceField(choices=NetworkTheme.choices)
        purpose = serializers.CharField(required=False, allow_blank=True)
        is_public = serializers.BooleanField(default=True)
        coordinator = serializers.IntegerField(help_text="id of the coordinating organisation")

    permission = "network.create"
    input_serializer = InputSerializer
    output_serializer = NetworkOutputSerializer

    @extend_schema(tags=["networks"], request=InputSerializer, responses=NetworkOutputSerializer)
    def post(self, request):
        return super().post(request)

    def create(self, data):
        coordinator = Organisation.objects.filter(pk=data.pop("coordinator")).first()
        if coordinator is None:
            raise serializers.ValidationError({"coordinator": [_("Unknown organisation.")]})
        return services.network_create(by=self.request.user, coordinator=coordinator, **data)


class NetworkManageApi(ObjectActionApi):
    """A manager's addition to a network: 201 with what was added."""

    selector = selectors.network_get
    permission = "network.manage"
    created = True


@routes.path("networks/<int:pk>/members/", name="network_member_add")
class NetworkMemberAddApi(NetworkManageApi):
    """Add an organisation (by id) or one person (by account e-mail) to a network."""

    class InputSerializer(serializers.Serializer):
        organisation = serializers.IntegerField(required=False)
        email = serializers.EmailField(required=False)

    input_serializer = InputSerializer
    output_serializer = NetworkMemberSerializer

    @extend_schema(tags=["networks"], request=InputSerializer, responses=NetworkMemberSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, network, data):
        organisation = user = None
        if "organisation" in data:
            organisation = Organisation.objects.filter(pk=data["organisation"]).first()
            if organisation is None:
                raise serializers.ValidationError({"organisation": [_("Unknown organisation.")]})
        if "email" in data:
            user = User.objects.filter(email__iexact=data["email"], is_active=True).first()
            if user is None:
                raise serializers.ValidationError(
                    {"email": [_("No active account has this e-mail address.")]}
                )
        return services.network_member_add(
            network=network, by=self.request.user, organisation=organisation, user=user
        )


@routes.path("networks/<int:pk>/meetings/", name="network_meeting_create")
class NetworkMeetingCreateApi(NetworkManageApi):
    """Record a network meeting: date, title, agenda and minutes."""

    class InputSerializer(serializers.Serializer):
        date = serializers.DateField()
        title = serializers.CharField(max_length=200)
        agenda = serializers.CharField(required=False, allow_blank=True)
        minutes = serializers.CharField(required=False, allow_blank=True)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        date = serializers.DateField()
        title = serializers.CharField()

    input_serializer = InputSerializer
    output_serializer = OutputSerializer
    service = services.network_meeting_save
    object_kwarg = "network"

    @extend_schema(tags=["networks"], request=InputSerializer, responses=OutputSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)
