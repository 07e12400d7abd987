"""Participation API: programmes and calls are public reads (every language at once, for the
city's website and apps); ideas and consultation responses are for the people who see them
under the policy (staff of the supporting organisation, the assigned mentor or assistant, the
author)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from mosty.access.audit import audit_read
from mosty.access.domains.participation import idea_organisations
from mosty.access.policy import require
from mosty.core.api import (
    AuditedDetailApi,
    AuditedListApi,
    choice_param,
    flag_param,
    parse_input,
    validation_error,
)
from mosty.core.routing import Routes
from mosty.participation import selectors, services
from mosty.participation.forms import IdeaForm
from mosty.participation.models import IdeaKind, IdeaStatus, ProgrammeKind

routes = Routes()


class CivicProgrammeTextSerializer(serializers.Serializer[Any]):
    language = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    eligibility = serializers.CharField()
    steps = serializers.CharField()


class CallTextSerializer(serializers.Serializer[Any]):
    language = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    how_to_respond = serializers.CharField()
    outcome = serializers.CharField()


class CallOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    programme = serializers.IntegerField(source="programme_id")
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    official_url = serializers.URLField()
    collects_opinions = serializers.BooleanField()
    source_language = serializers.CharField()
    translations = CallTextSerializer(many=True)


class CivicProgrammeOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ProgrammeKind.choices)
    organisation = serializers.CharField(source="organisation.name")
    foreigners_may_take_part = serializers.BooleanField()
    official_url = serializers.URLField()
    source_language = serializers.CharField()
    translations = CivicProgrammeTextSerializer(many=True)


class CivicProgrammeDetailOutputSerializer(CivicProgrammeOutputSerializer):
    calls = serializers.SerializerMethodField()

    def get_calls(self, programme: Any) -> list[dict[str, Any]]:
        calls = selectors.programme_calls(programme=programme)
        return list(CallOutputSerializer(calls, many=True).data)


class _PublicListApi(AuditedListApi):
    """A public list of what is published (and the caller's organisations' own), filtered by
    the programme's kind and one flag (`flag`), read by `selector`."""

    permission_classes = [AllowAny]
    permission = "civic_programme.browse"
    flag: str
    selector: Any

    def filters(self, params: Any) -> dict[str, Any]:
        return {
            "kind": choice_param(params, "kind", ProgrammeKind.values),
            self.flag: flag_param(params, self.flag),
        }


@routes.path("participation/programmes/", name="participation_programme_list")
@extend_schema(tags=["participation"])
class CivicProgrammeListApi(_PublicListApi):
    """Published programmes (and the caller's organisations' unpublished ones), with their
    texts in every language they have (?kind=, ?foreigners=1)."""

    serializer_class = CivicProgrammeOutputSerializer
    flag = "foreigners"
    selector = selectors.programme_list


@routes.path("participation/programmes/<int:pk>/", name="participation_programme_detail")
@extend_schema(tags=["participation"], responses=CivicProgrammeDetailOutputSerializer)
class CivicProgrammeDetailApi(AuditedDetailApi):
    permission_classes = [AllowAny]
    serializer_class = CivicProgrammeDetailOutputSerializer
    permission = "civic_programme.view"
    selector = selectors.programme_get


@routes.path("participation/calls/", name="participation_call_list")
@extend_schema(tags=["participation"])
class CallListApi(_PublicListApi):
    """Open and coming calls by deadline (?kind=, ?consultations=1)."""

    serializer_class = CallOutputSerializer
    flag = "consultations"
    selector = selectors.call_list


class IdeaOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=IdeaKind.choices)
    status = serializers.ChoiceField(choices=IdeaStatus.choices)
    organisation = serializers.IntegerField(source="organisation_id")
    call = serializers.IntegerField(source="call_id", allow_null=True)
    participant_code = serializers.CharField(source="participant.code", allow_null=True)
    supporter = serializers.IntegerField(source="supporter_id", allow_null=True)
    title = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)


class IdeaDetailOutputSerializer(IdeaOutputSerializer):
    text = serializers.CharField()
    answer = serializers.CharField()
    support_hours = serializers.SerializerMethodField()

    def get_support_hours(self, idea: Any) -> str:
        return str(selectors.idea_support_hours(idea=idea))


IDEA_READ_FIELDS = ("title", "text", "participant", "answer")


class IdeaInputSerializer(serializers.Serializer[Any]):
    organisation = serializers.IntegerField(
        required=False,
        help_text="The supporting organisation (one where the caller is staff or a participant); "
        "the first of them when left out.",
    )
    participant = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Staff: the participant whose idea it is (one the organisation supports). "
        "A participant writing their own idea leaves it out.",
    )
    kind = serializers.ChoiceField(choices=IdeaKind.choices)
    call = serializers.IntegerField(
        required=False, allow_null=True, help_text="An open call; a response needs a consultation."
    )
    title = serializers.CharField(max_length=200)
    text = serializers.CharField()


@routes.path("participation/ideas/", name="participation_idea_list")
@extend_schema(tags=["participation"])
class IdeaListApi(AuditedListApi):
    """Ideas and consultation responses the caller may see (?status=, ?kind=); POST records a
    new one as a draft, checked as the idea form checks it."""

    serializer_class = IdeaOutputSerializer
    permission = "idea.list"
    audit_fields = ("title", "status", "participant")
    selector = selectors.idea_list

    @extend_schema(
        request=IdeaInputSerializer, responses={status.HTTP_201_CREATED: IdeaDetailOutputSerializer}
    )
    def post(self, request: Request) -> Response:
        require(request.user, "idea.create")
        data = parse_input(IdeaInputSerializer, request)
        organisations = idea_organisations(request.user)
        wanted = data.pop("organisation", None)
        if wanted is not None:
            organisations = organisations.filter(pk=wanted)
        organisation = organisations.first()
        if organisation is None:
            return validation_error({"organisation": [_("Choose one of your organisations.")]})
        form = IdeaForm(
            {name: value for name, value in data.items() if value is not None},
            **selectors.idea_form_choices(fetched_by=request.user, organisation=organisation),
        )
        if not form.is_valid():
            errors = {
                "non_field_errors" if name == "__all__" else name: [str(e) for e in messages]
                for name, messages in form.errors.items()
            }
            return validation_error(errors)
        idea = services.idea_create(organisation=organisation, by=request.user, **form.cleaned_data)
        audit_read(request.user, idea, fields=list(IDEA_READ_FIELDS))
        return Response(IdeaDetailOutputSerializer(idea).data, status=status.HTTP_201_CREATED)

    def filters(self, params: Any) -> dict[str, Any]:
        return {
            "status": choice_param(params, "status", IdeaStatus.values),
            "kind": choice_param(params, "kind", IdeaKind.values),
        }


@routes.path("participation/ideas/<int:pk>/", name="participation_idea_detail")
@extend_schema(tags=["participation"], responses=IdeaDetailOutputSerializer)
class IdeaDetailApi(AuditedDetailApi):
    serializer_class = IdeaDetailOutputSerializer
    permission = "idea.view"
    read_fields = IDEA_READ_FIELDS
    selector = selectors.idea_get
