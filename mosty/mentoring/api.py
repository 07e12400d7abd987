"""API for mentors, matches and meetings, with the same access policy as the pages.

A mentor reading a match gets only the matched person's first name, languages and district.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from mosty.access.audit import audit
from mosty.access.policy import can, require
from mosty.core.api import (
    AuditedDetailApi,
    AuditedListApi,
    ErrorSerializer,
    ObjectActionApi,
    choice_param,
    flag_param,
    parse_input,
)
from mosty.core.ratelimit import public_form_spent, spent_message
from mosty.core.routing import Routes
from mosty.mentoring import selectors, services
from mosty.mentoring.matching import explain, unmatched_text
from mosty.mentoring.models import (
    Activity,
    Interest,
    LanguageLevel,
    MatchingRun,
    MatchProposal,
    MatchStatus,
    MentorGender,
    MentorKind,
    Slot,
    VettingStatus,
)

routes = Routes()

# What the mentor answers show of the mentor, and the match answers of the participant.
MENTOR_READ_FIELDS = ("name", "email", "phone", "languages", "district", "availability")
PARTICIPANT_SEEN_BY_MENTOR = ("first_name", "languages", "district")


class LanguageSerializer(serializers.Serializer):
    code = serializers.CharField(min_length=2, max_length=3)
    level = serializers.ChoiceField(choices=LanguageLevel.choices)


class MentorApplyInputSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=MentorKind.choices)
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField()
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    language = serializers.CharField(max_length=10, default="pl")
    gender = serializers.ChoiceField(choices=MentorGender.choices, required=False, allow_blank=True)
    languages = LanguageSerializer(many=True)
    district = serializers.IntegerField(required=False, allow_null=True)
    interests = serializers.ListField(child=serializers.ChoiceField(Interest.choices), default=list)
    availability = serializers.ListField(child=serializers.ChoiceField(Slot.choices), default=list)
    capacity = serializers.IntegerField(min_value=1, max_value=10, default=1)
    women_only = serializers.BooleanField(default=False)
    families_welcome = serializers.BooleanField(default=True)
    no_minors = serializers.BooleanField(default=False)
    motivation = serializers.CharField(max_length=3000)
    consent = serializers.BooleanField()

    def validate_languages(self, value):
        if not value:
            raise serializers.ValidationError("Tell us at least one language you speak.")
        return value


class MentorOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()
    languages = serializers.JSONField()
    district = serializers.IntegerField(source="district_id")
    interests = serializers.JSONField()
    availability = serializers.JSONField()
    capacity = serializers.IntegerField()
    women_only = serializers.BooleanField()
    families_welcome = serializers.BooleanField()
    no_minors = serializers.BooleanField()
    status = serializers.CharField()
    certificate_checked = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_certificate_checked(self, mentor) -> bool:
        return mentor.certificate_checked_at is not None


@routes.path("mentoring/apply/", name="mentor_apply")
@extend_schema(tags=["mentoring"], request=MentorApplyInputSerializer, responses={201: None})
class MentorApplyApi(APIView):
    """Public: apply to become a mentor (no login)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    def post(self, request):
        from mosty.access.domains.mentoring import mentor_application_organisations
        from mosty.core.models import District

        values = parse_input(MentorApplyInputSerializer, request)
        if public_form_spent(request, "mentor_apply"):
            raise Throttled(detail=spent_message())
        organisation = (
            mentor_application_organisations().filter(pk=values.pop("organisation")).first()
        )
        if organisation is None:
            return Response(
                {"organisation": [_("Unknown organisation.")]}, status=status.HTTP_400_BAD_REQUEST
            )
        district_id = values.pop("district", None)
        values["district"] = (
            District.objects.filter(pk=district_id).first() if district_id else None
        )
        values["languages"] = [dict(x) for x in values["languages"]]
        mentor = services.mentor_apply(organisation=organisation, **values)
        return Response({"id": mentor.pk, "status": mentor.status}, status=status.HTTP_201_CREATED)


@routes.path("mentoring/mentors/", name="mentor_list")
@extend_schema(tags=["mentoring"])
class MentorListApi(AuditedListApi):
    """Mentors of the caller's programmes; `status` filters by vetting status."""

    serializer_class = MentorOutputSerializer
    permission = "mentor.list"
    audit_fields = MENTOR_READ_FIELDS
    selector = selectors.mentor_list

    def filters(self, params):
        return {"status": choice_param(params, "status", VettingStatus.values)}


@routes.path("mentoring/mentors/<int:pk>/", name="mentor_detail")
@extend_schema(tags=["mentoring"], responses=MentorOutputSerializer)
class MentorDetailApi(AuditedDetailApi):
    serializer_class = MentorOutputSerializer
    permission = "mentor.view"
    read_fields = MENTOR_READ_FIELDS
    selector = selectors.mentor_get


class MatchOutputSerializer(serializers.Serializer):
    """What both sides may read; the coordinator also gets the participant's id and name."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    mentor = serializers.IntegerField(source="mentor_id")
    participant_first_name = serializers.SerializerMethodField()
    participant_languages = serializers.SerializerMethodField()
    participant_district = serializers.CharField(
        source="participant.district.name", default=None, read_only=True, allow_null=True
    )
    score = serializers.FloatField()
    explanation = serializers.SerializerMethodField()
    started_on = serializers.DateField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    end_reason = serializers.CharField()
    last_meeting = serializers.DateField(default=None, read_only=True, allow_null=True)

    def get_participant_first_name(self, match) -> str:
        return match.participant.first_name

    def get_participant_languages(self, match) -> list[str]:
        return [x.get("code") for x in match.participant.languages or []]

    def get_explanation(self, match) -> str:
        return explain(match.explanation)

    def to_representation(self, match):
        data = super().to_representation(match)
        if can(self.context["request"].user, "mentor.vet", match.mentor):
            data["participant"] = match.participant_id
            data["participant_name"] = match.participant.display_name
        return data


@routes.path("mentoring/matches/", name="match_list")
@extend_schema(tags=["mentoring"])
class MatchListApi(AuditedListApi):
    """Matches the caller may see; `status` is a match status or `open`."""

    serializer_class = MatchOutputSerializer
    permission = "mentoring.api"
    # As the match detail records it: the participant is the personal record shown.
    audit_fields = PARTICIPANT_SEEN_BY_MENTOR
    selector = selectors.match_list

    def filters(self, params):
        return {"status": choice_param(params, "status", [*MatchStatus.values, "open"])}

    def shown(self, page):
        return [match.participant for match in page]


@routes.path("mentoring/matches/<int:pk>/", name="match_detail")
@extend_schema(tags=["mentoring"], responses=MatchOutputSerializer)
class MatchDetailApi(AuditedDetailApi):
    serializer_class = MatchOutputSerializer
    permission = "match.view"
    read_fields = PARTICIPANT_SEEN_BY_MENTOR
    selector = selectors.match_get

    def shown(self, match):
        return match.participant


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    date = serializers.DateField()
    minutes = serializers.IntegerField(min_value=5, max_value=1440)
    activity = serializers.ChoiceField(choices=Activity.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    # What a correction or a deletion sends back (`PATCH …/update/`, `POST …/delete/`).
    version = serializers.IntegerField(read_only=True)


@routes.path("mentoring/matches/<int:pk>/meetings/", name="meeting_list")
@extend_schema(tags=["mentoring"])
class MeetingListApi(AuditedListApi):
    serializer_class = MeetingSerializer
    audit_fields = ("date", "minutes", "activity", "note")

    def rows(self, filters):
        match = selectors.match_get(fetched_by=self.request.user, pk=self.kwargs["pk"])
        require(self.request.user, "match.view", match)
        return selectors.meeting_list(match=match)


@routes.path("mentoring/matches/<int:pk>/meetings/new/", name="meeting_create")
@extend_schema(tags=["mentoring"], request=MeetingSerializer, responses={201: MeetingSerializer})
class MeetingCreateApi(ObjectActionApi):
    selector = selectors.match_get
    permission = "meeting.log"
    input_serializer = output_serializer = MeetingSerializer
    created = True
    service = services.meeting_log
    object_kwarg = "match"


VERSION_HELP = (
    "The `version` of the meeting the client read (from the meeting list); when someone "
    "changed the meeting since, the answer is 409 and nothing is written."
)
CONFLICT = OpenApiResponse(
    ErrorSerializer,
    description="Someone else changed the meeting since the client read its `version`: "
    "nothing was written.",
)


class MeetingUpdateInputSerializer(serializers.Serializer):
    """The fields to correct (those left out stay as they are) and the version read."""

    date = serializers.DateField(required=False)
    minutes = serializers.IntegerField(min_value=5, max_value=1440, required=False)
    activity = serializers.ChoiceField(choices=Activity.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)

    def validate_date(self, value):
        # As the page's form: a meeting is logged, or corrected, once it took place.
        if value > timezone.localdate():
            raise serializers.ValidationError(_("A meeting cannot be logged in the future."))
        return value


class MeetingDeleteInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


def _changeable_meeting(request, pk):
    """The meeting for whoever may see it (404 otherwise), if they may change it (403)."""
    meeting = selectors.meeting_get(fetched_by=request.user, pk=pk)
    require(request.user, "meeting.change", meeting)
    return meeting


@routes.path("mentoring/meetings/<int:pk>/update/", name="meeting_update")
@extend_schema(tags=["mentoring"])
class MeetingUpdateApi(APIView):
    """Correct a logged meeting: the mentor who logged it, or a coordinator of the match's
    organisation, while the match is active (as on the match's page)."""

    @extend_schema(
        request=MeetingUpdateInputSerializer, responses={200: MeetingSerializer, 409: CONFLICT}
    )
    def patch(self, request, pk: int):
        meeting = _changeable_meeting(request, pk)
        data = parse_input(MeetingUpdateInputSerializer, request)
        meeting = services.meeting_update(meeting=meeting, by=request.user, **data)
        return Response(MeetingSerializer(meeting).data)


@routes.path("mentoring/meetings/<int:pk>/delete/", name="meeting_delete")
@extend_schema(tags=["mentoring"])
class MeetingDeleteApi(APIView):
    """Delete a meeting logged by mistake (who may: as for correcting it). 204 when deleted."""

    @extend_schema(
        request=MeetingDeleteInputSerializer,
        responses={204: OpenApiResponse(description="Deleted."), 409: CONFLICT},
    )
    def post(self, request, pk: int):
        meeting = _changeable_meeting(request, pk)
        data = parse_input(MeetingDeleteInputSerializer, request)
        services.meeting_delete(meeting=meeting, by=request.user, version=data["version"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class MatchingRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatchingRun
        fields = [
            "id",
            "status",
            "progress",
            "started_at",
            "finished_at",
            "total_score",
            "proposal_count",
            "unmatched_count",
        ]


class ProposalSerializer(serializers.Serializer):
    participant = serializers.IntegerField(source="participant_id")
    mentor = serializers.IntegerField(source="mentor_id", allow_null=True)
    score = serializers.FloatField()
    explanation = serializers.SerializerMethodField()

    def get_explanation(self, proposal) -> str:
        """The reasons in the caller's language (stored as codes and numbers)."""
        return explain(proposal.parts) if proposal.mentor_id else unmatched_text(proposal.parts)


@routes.path("mentoring/proposals/", name="matching_proposals")
@extend_schema(
    tags=["mentoring"],
    parameters=[
        OpenApiParameter(
            "unmatched",
            bool,
            description="1: the people the run left without a mentor, with the reason.",
        )
    ],
)
class MatchingProposalsApi(AuditedListApi):
    """The stored proposals of the newest finished matching run for the coordinator's
    participants, best first, a page at a time; nothing is computed here (queue a run with
    `POST /api/mentoring/runs/`). `run` says how fresh they are, `pending` is a newer run
    still waiting or computing (with its progress); both are null when there is none."""

    serializer_class = ProposalSerializer
    permission = "matching.run"
    audit_fields = ("first_name", "last_name")
    runs = None

    def filters(self, params):
        return {"unmatched": flag_param(params, "unmatched")}

    def rows(self, filters):
        self.runs = selectors.matching_runs(fetched_by=self.request.user)
        run = self.runs.latest
        if run is None:
            return MatchProposal.objects.none()
        if filters["unmatched"]:
            return selectors.matching_unmatched(fetched_by=self.request.user, run=run)
        return selectors.matching_proposals(fetched_by=self.request.user, run=run)

    def shown(self, page):
        return [proposal.participant for proposal in page]

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        runs = self.runs
        response.data["run"] = runs.latest and MatchingRunSerializer(runs.latest).data
        response.data["pending"] = runs.pending and MatchingRunSerializer(runs.pending).data
        audit(request.user, "mosty.mentoring.matching.viewed", runs.latest, details={"api": True})
        return response


@routes.path("mentoring/runs/", name="matching_run_create")
@extend_schema(tags=["mentoring"], request=None, responses={202: MatchingRunSerializer})
class MatchingRunCreateApi(APIView):
    """Queue a new computation of the proposals (a run already waiting or computing for the
    same organisations is returned instead); follow it with `GET /api/mentoring/proposals/`."""

    def post(self, request):
        run = services.matching_recompute(by=request.user)
        return Response(MatchingRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)
