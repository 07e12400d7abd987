"""REST API of cases: one class per operation, the same policy as the pages."""

from collections.abc import Callable
from typing import ClassVar

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from mosty.access.audit import audit_read
from mosty.access.policy import can, require
from mosty.accounts.models import User
from mosty.cases import selectors, services
from mosty.cases.models import (
    AssigneeKind,
    Case,
    CaseStatus,
    ClosureReason,
    Domain,
    Goal,
    NoteVisibility,
    Referral,
    SharedField,
    SupportKind,
    Task,
    TaskStatus,
)
from mosty.core.api import (
    AuditedDetailApi,
    AuditedListApi,
    ObjectActionApi,
    choice_param,
    parse_input,
)
from mosty.core.routing import Routes
from mosty.organisations.models import Organisation

routes = Routes()

TAGS = ["cases"]


class CaseOutputSerializer(serializers.ModelSerializer):
    participant_code = serializers.CharField(source="participant.code", read_only=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "organisation",
            "participant",
            "participant_code",
            "lead",
            "members",
            "status",
            "closure_reason",
            "opened_on",
            "closed_at",
            "review_date",
            "plan_status",
            "plan_comment",
            "version",
            "updated_at",
        ]

    def get_members(self, obj) -> list[int]:
        return [m.pk for m in obj.members.all()]


@routes.path("cases/", name="case_list")
@extend_schema(tags=TAGS)
class CaseListApi(AuditedListApi):
    serializer_class = CaseOutputSerializer
    permission = "case.list"
    audit_fields = CaseOutputSerializer.Meta.fields

    def filters(self, params):
        return {"status": choice_param(params, "status", CaseStatus.values), "q": params.get("q")}

    def rows(self, filters):
        return selectors.case_list(fetched_by=self.request.user, filters=filters).prefetch_related(
            "members"
        )


def _case(request, pk) -> Case:
    return selectors.case_get(fetched_by=request.user, pk=pk)


@routes.path("cases/create/", name="case_create")
class CaseCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        organisation = serializers.IntegerField()
        participant = serializers.IntegerField()
        lead = serializers.IntegerField()
        members = serializers.ListField(child=serializers.IntegerField(), required=False)
        review_date = serializers.DateField(required=False, allow_null=True)

    @extend_schema(tags=TAGS, request=InputSerializer, responses=CaseOutputSerializer)
    def post(self, request):
        require(request.user, "case.create")
        v = parse_input(self.InputSerializer, request)
        organisation = Organisation.objects.filter(pk=v["organisation"]).first()
        if organisation is not None:
            require(request.user, "case.create", organisation)
        participant = selectors.case_participant_find(fetched_by=request.user, pk=v["participant"])
        lead = User.objects.filter(pk=v["lead"]).first()
        errors = {}
        if organisation is None:
            errors["organisation"] = [_("Unknown organisation.")]
        if participant is None:
            errors["participant"] = [_("There is no participant with this number.")]
        if lead is None:
            errors["lead"] = [_("There is no account with this number.")]
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        members = list(User.objects.filter(pk__in=v.get("members", [])))
        case = services.case_open(
            organisation=organisation,
            participant=participant,
            lead=lead,
            members=members,
            review_date=v.get("review_date"),
            by=request.user,
        )
        return Response(CaseOutputSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseReadApi(AuditedDetailApi):
    """A GET about one case the caller may view (the case, or one part of it)."""

    permission = "case.view"

    def get_object(self, pk: int) -> Case:
        return _case(self.request, pk)


class CaseRecordCreateApi(ObjectActionApi):
    # A POST that adds a record to a case (a goal, a note, a support session): the named
    # `service`, with the case and the validated body; 201 with the new record. (A comment:
    # a docstring would become these endpoints' OpenAPI description.)
    selector = selectors.case_get
    object_kwarg = "case"
    created = True


@routes.path("cases/<int:pk>/", name="case_detail")
@extend_schema(tags=TAGS, responses=CaseOutputSerializer)
class CaseDetailApi(CaseReadApi):
    serializer_class = CaseOutputSerializer
    read_fields = ("case",)


@routes.path("cases/<int:pk>/status/", name="case_status")
class CaseStatusApi(APIView):
    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=CaseStatus.choices)
        closure_reason = serializers.ChoiceField(
            choices=ClosureReason.choices, required=False, allow_blank=True
        )
        version = serializers.IntegerField(min_value=1)

    @extend_schema(tags=TAGS, request=InputSerializer, responses=CaseOutputSerializer)
    def post(self, request, pk: int):
        case = _case(request, pk)
        v = parse_input(self.InputSerializer, request)
        try:
            services.case_change_status(
                case=case,
                status=v["status"],
                closure_reason=v.get("closure_reason", ""),
                version=v["version"],
                by=request.user,
            )
        except services.ValidationError as exc:
            # Errors given as a dict (a refused transition) carry no code of their own.
            conflict = getattr(exc, "code", None) == "conflict"
            code = status.HTTP_409_CONFLICT if conflict else status.HTTP_400_BAD_REQUEST
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            return Response(detail, status=code)
        return Response(CaseOutputSerializer(case).data)


class ScoreSerializer(serializers.Serializer):
    domain = serializers.ChoiceField(choices=Domain.choices)
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True)


class AssessmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    assessed_on = serializers.DateField()
    scores = serializers.SerializerMethodField()

    def get_scores(self, obj) -> list[dict]:
        return [
            {"domain": s.domain, "score": s.score, "comment": s.comment} for s in obj.scores.all()
        ]


@routes.path("cases/<int:pk>/assessments/", name="case_assessments")
@extend_schema(tags=TAGS, responses=AssessmentOutputSerializer(many=True))
class AssessmentListApi(CaseReadApi):
    read_fields = ("assessments",)

    def serialize(self, case):
        return AssessmentOutputSerializer(selectors.case_assessments(case), many=True).data


class AssessmentCreateInputSerializer(serializers.Serializer):
    assessed_on = serializers.DateField()
    scores = ScoreSerializer(many=True)


@routes.path("cases/<int:pk>/assessments/create/", name="case_assessment_create")
@extend_schema(
    tags=TAGS, request=AssessmentCreateInputSerializer, responses=AssessmentOutputSerializer
)
class AssessmentCreateApi(CaseRecordCreateApi):
    input_serializer = AssessmentCreateInputSerializer
    output_serializer = AssessmentOutputSerializer

    def act(self, case, data):
        scores = {s["domain"]: (s["score"], s.get("comment", "")) for s in data["scores"]}
        return services.assessment_record(
            case=case, assessed_on=data["assessed_on"], scores=scores, by=self.request.user
        )


class TaskOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "assignee_kind",
            "assignee_user",
            "assignee_organisation",
            "due_date",
            "status",
        ]


class GoalOutputSerializer(serializers.ModelSerializer):
    tasks = TaskOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Goal
        fields = ["id", "domain", "title", "target_date", "status", "version", "tasks"]


@routes.path("cases/<int:pk>/plan/", name="case_plan")
@extend_schema(tags=TAGS, responses=GoalOutputSerializer(many=True))
class PlanApi(CaseReadApi):
    read_fields = ("plan",)

    def serialize(self, case):
        return {
            "plan_status": case.plan_status,
            "plan_comment": case.plan_comment,
            "goals": GoalOutputSerializer(selectors.case_plan(case), many=True).data,
        }


class GoalInputSerializer(serializers.Serializer):
    domain = serializers.ChoiceField(choices=Domain.choices)
    title = serializers.CharField(max_length=300)
    target_date = serializers.DateField(required=False, allow_null=True)


@routes.path("cases/<int:pk>/goals/", name="case_goal_create")
@extend_schema(tags=TAGS, request=GoalInputSerializer, responses=GoalOutputSerializer)
class GoalCreateApi(CaseRecordCreateApi):
    input_serializer = GoalInputSerializer
    output_serializer = GoalOutputSerializer
    service = services.goal_add


class TaskCreateInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    assignee_kind = serializers.ChoiceField(choices=AssigneeKind.choices)
    assignee_user = serializers.IntegerField(required=False, allow_null=True)
    assignee_organisation = serializers.IntegerField(required=False, allow_null=True)
    due_date = serializers.DateField(required=False, allow_null=True)


@routes.path("cases/goals/<int:pk>/tasks/", name="case_task_create")
@extend_schema(tags=TAGS, request=TaskCreateInputSerializer, responses=TaskOutputSerializer)
class TaskCreateApi(ObjectActionApi):
    selector = selectors.goal_get
    input_serializer = TaskCreateInputSerializer
    output_serializer = TaskOutputSerializer
    created = True

    def act(self, goal, data):
        user_id, org_id = data.get("assignee_user"), data.get("assignee_organisation")
        return services.task_add(
            goal=goal,
            title=data["title"],
            assignee_kind=data["assignee_kind"],
            assignee_user=User.objects.filter(pk=user_id).first() if user_id else None,
            assignee_organisation=(
                Organisation.objects.filter(pk=org_id).first() if org_id else None
            ),
            due_date=data.get("due_date"),
            by=self.request.user,
        )


class PlanDecideInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "return", "request"])
    comment = serializers.CharField(required=False, allow_blank=True)


class PlanDecideOutputSerializer(serializers.Serializer):
    plan_status = serializers.CharField()
    plan_comment = serializers.CharField()


@routes.path("cases/<int:pk>/plan/decide/", name="case_plan_decide")
@extend_schema(tags=TAGS, request=PlanDecideInputSerializer, responses=PlanDecideOutputSerializer)
class PlanDecideApi(ObjectActionApi):
    selector = selectors.case_get
    input_serializer = PlanDecideInputSerializer
    output_serializer = PlanDecideOutputSerializer

    def act(self, case, data):
        if data["decision"] == "request":
            return services.plan_request_approval(case=case, by=self.request.user)
        return services.plan_decide(
            case=case,
            approve=data["decision"] == "approve",
            comment=data.get("comment", ""),
            by=self.request.user,
        )


class ReferralOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Referral
        fields = [
            "id",
            "from_organisation",
            "to_organisation",
            "to_service",
            "domain",
            "shared_fields",
            "message",
            "status",
            "decision_reason",
            "outcome",
            "created_at",
            "updated_at",
        ]


@routes.path("referrals/", name="referral_list")
@extend_schema(tags=TAGS)
class ReferralListApi(AuditedListApi):
    serializer_class = ReferralOutputSerializer
    permission = "referral.list"

    def filters(self, params):
        return {"direction": choice_param(params, "direction", ("outgoing",)) or "incoming"}

    def rows(self, filters):
        return selectors.referral_list(fetched_by=self.request.user, **filters)


@routes.path("referrals/<int:pk>/", name="referral_detail")
@extend_schema(tags=TAGS, responses=ReferralOutputSerializer)
class ReferralDetailApi(AuditedDetailApi):
    permission = "referral.view"
    selector = selectors.referral_get

    def shows_shared(self, referral: Referral) -> bool:
        return can(self.request.user, "referral.view_shared", referral)

    def audit(self, referral):
        # The partner reads what the referral shares of the participant, nothing else.
        if self.shows_shared(referral):
            audit_read(self.request.user, referral, fields=list(referral.shared_fields))

    def serialize(self, referral):
        data = dict(ReferralOutputSerializer(referral).data)
        data["shared"] = None
        if self.shows_shared(referral):
            data["shared"] = {
                str(label): value for label, value in selectors.referral_shared_data(referral)
            }
        data["history"] = [
            {
                "status": e.status,
                "comment": e.comment,
                "at": e.at,
                "organisation": e.organisation_id,
            }
            for e in selectors.referral_history(referral)
        ]
        return data


@routes.path("cases/<int:pk>/referrals/", name="case_referral_create")
class ReferralCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        to_organisation = serializers.IntegerField(required=False)
        to_service = serializers.IntegerField(required=False)
        domain = serializers.ChoiceField(choices=Domain.choices)
        shared_fields = serializers.ListField(
            child=serializers.ChoiceField(choices=SharedField.choices), required=False
        )
        message = serializers.CharField()

    @extend_schema(tags=TAGS, request=InputSerializer, responses=ReferralOutputSerializer)
    def post(self, request, pk: int):
        case = _case(request, pk)
        v = parse_input(self.InputSerializer, request)
        to = service = None
        if "to_organisation" in v:
            to = Organisation.objects.filter(pk=v["to_organisation"]).first()
            if to is None:
                return Response({"to_organisation": [_("Unknown organisation.")]}, status=400)
        if "to_service" in v:
            from mosty.directory.models import Service

            service = (
                Service.objects.select_related("organisation").filter(pk=v["to_service"]).first()
            )
            if service is None:
                return Response({"to_service": [_("Unknown service.")]}, status=400)
        referral = services.referral_send(
            case=case,
            to_organisation=to,
            to_service=service,
            domain=v["domain"],
            shared_fields=v.get("shared_fields", []),
            message=v["message"],
            by=request.user,
        )
        return Response(ReferralOutputSerializer(referral).data, status=status.HTTP_201_CREATED)


class ReferralRespondInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["accept", "decline", "complete", "withdraw"])
    comment = serializers.CharField(required=False, allow_blank=True, default="")


@routes.path("referrals/<int:pk>/respond/", name="referral_respond")
@extend_schema(
    tags=TAGS, request=ReferralRespondInputSerializer, responses=ReferralOutputSerializer
)
class ReferralRespondApi(ObjectActionApi):
    """Partner's answer: accept, decline (reason required) or complete (outcome required)."""

    selector = selectors.referral_get
    input_serializer = ReferralRespondInputSerializer
    output_serializer = ReferralOutputSerializer

    # Each answer's service, and the name under which it takes the comment.
    ANSWERS: ClassVar[dict[str, tuple[Callable[..., Referral], str]]] = {
        "accept": (services.referral_accept, "comment"),
        "decline": (services.referral_decline, "reason"),
        "complete": (services.referral_complete, "outcome"),
        "withdraw": (services.referral_withdraw, "reason"),
    }

    def act(self, referral, data):
        answer, text = self.ANSWERS[data["action"]]
        answer(referral=referral, by=self.request.user, **{text: data["comment"]})
        return referral


class NoteOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.IntegerField(source="author_id")
    visibility = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


@routes.path("cases/<int:pk>/notes/", name="case_notes")
@extend_schema(tags=TAGS, responses=NoteOutputSerializer(many=True))
class NoteListApi(CaseReadApi):
    read_fields = ("notes",)

    def serialize(self, case):
        notes = selectors.note_list(case=case, fetched_by=self.request.user)[:200]
        return NoteOutputSerializer(notes, many=True).data


class NoteInputSerializer(serializers.Serializer):
    body = serializers.CharField()
    visibility = serializers.ChoiceField(
        choices=NoteVisibility.choices, default=NoteVisibility.TEAM
    )


@routes.path("cases/<int:pk>/notes/create/", name="case_note_create")
@extend_schema(tags=TAGS, request=NoteInputSerializer, responses=NoteOutputSerializer)
class NoteCreateApi(CaseRecordCreateApi):
    input_serializer = NoteInputSerializer
    output_serializer = NoteOutputSerializer
    service = services.note_add


class TaskStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices)


@routes.path("cases/tasks/<int:pk>/status/", name="case_task_status")
@extend_schema(tags=TAGS, request=TaskStatusInputSerializer, responses=TaskOutputSerializer)
class TaskStatusApi(ObjectActionApi):
    selector = selectors.task_get
    input_serializer = TaskStatusInputSerializer
    output_serializer = TaskOutputSerializer
    service = services.task_set_status
    object_kwarg = "task"


class SupportLogOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    happened_on = serializers.DateField()
    minutes = serializers.IntegerField()
    summary = serializers.SerializerMethodField()
    summary_restricted = serializers.SerializerMethodField()
    by = serializers.IntegerField(source="by_id")

    def get_summary_restricted(self, log) -> bool:
        # Psychological and legal summaries follow the restricted-note rule (support.view_summary).
        return bool(getattr(log, "summary_restricted", False))

    def get_summary(self, log) -> str:
        return "" if self.get_summary_restricted(log) else log.summary


@routes.path("cases/<int:pk>/support/", name="case_support")
@extend_schema(tags=TAGS, responses=SupportLogOutputSerializer(many=True))
class SupportLogListApi(CaseReadApi):
    read_fields = ("support",)

    def serialize(self, case):
        logs = selectors.support_log_list(case=case, fetched_by=self.request.user)[:200]
        return SupportLogOutputSerializer(logs, many=True).data


class SupportLogInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SupportKind.choices)
    happened_on = serializers.DateField()
    minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    summary = serializers.CharField(required=False, allow_blank=True, default="")


@routes.path("cases/<int:pk>/support/create/", name="case_support_create")
@extend_schema(tags=TAGS, request=SupportLogInputSerializer, responses=SupportLogOutputSerializer)
class SupportLogCreateApi(CaseRecordCreateApi):
    input_serializer = SupportLogInputSerializer
    output_serializer = SupportLogOutputSerializer
    service = services.support_log_add
