"""Portal API for staff: the requests for help newcomers send from their portal and the
answer to one, and the tasks they mark done with their notes, under the same policy as the
staff pages; every read of a request or a note is audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mosty.access.audit import audit_read
from mosty.access.policy import require
from mosty.core.api import AuditedListApi, ErrorSerializer, parse_input
from mosty.core.routing import Routes
from mosty.portal import selectors, services
from mosty.portal.models import HELP_REPLY_MAX, HelpRequest, HelpStatus, TaskReport

routes = Routes()

# DRF's serializers are generic only in the type stubs.
if TYPE_CHECKING:
    Serializer = serializers.Serializer[Any]
else:
    Serializer = serializers.Serializer

# What a staff member reads of a request: the question and, once answered, the answer.
READ_FIELDS = ("text", "reply")


class HelpRequestOutputSerializer(Serializer):
    id = serializers.IntegerField()
    participant = serializers.IntegerField(source="participant_id")
    participant_code = serializers.CharField(source="participant.code")
    case = serializers.IntegerField(
        source="case_id",
        allow_null=True,
        help_text="The case whose team it reached; null: the organisation's intake queue.",
    )
    organisation = serializers.IntegerField(source="organisation_id")
    text = serializers.CharField()
    language = serializers.CharField(help_text="The language the person asked in.")
    status = serializers.CharField(help_text="`open` (waiting for an answer) or `handled`.")
    created_at = serializers.DateTimeField()
    handled_at = serializers.DateTimeField(allow_null=True)
    handled_by = serializers.IntegerField(
        source="handled_by_id",
        allow_null=True,
        help_text="The user of the team who answered it or marked it handled (null: open, or "
        "the account is gone).",
    )
    reply = serializers.CharField(help_text="The answer given in Mosty (empty if none).")
    replied_at = serializers.DateTimeField(allow_null=True)


class HelpRequestFilterSerializer(Serializer):
    state = serializers.ChoiceField(
        choices=[
            ("open", gettext_lazy("Waiting for an answer")),
            ("closed", gettext_lazy("Answered or handled")),
        ],
        required=False,
        help_text="`open` (the default): waiting for an answer, newest first; `closed`: "
        "answered or marked handled, with the answer, the latest handled first.",
    )


@routes.path("help-requests/", name="help_request_list")
@extend_schema(tags=["portal"], parameters=[HelpRequestFilterSerializer])
class HelpRequestListApi(AuditedListApi):
    """The requests for help the caller's cases and organisations' intake queues received
    (coordinators and caseworkers), as on the staff page."""

    serializer_class = HelpRequestOutputSerializer
    permission = "help_request.list"
    audit_fields = READ_FIELDS
    filter_serializer = HelpRequestFilterSerializer
    selector = selectors.help_request_list


class HelpReplyInputSerializer(Serializer):
    reply = serializers.CharField(
        max_length=HELP_REPLY_MAX,
        help_text="In a language the person understands. They read it on their portal page; "
        "the message that tells them of it does not carry it.",
    )


ALREADY_HANDLED = OpenApiResponse(
    ErrorSerializer,
    description="The request was answered or marked handled already (by a colleague, or "
    "by an earlier call): it is answered once, and nothing was written.",
)


def _already_handled() -> Response:
    return Response(
        {"non_field_errors": [services.already_handled_message()]},
        status=status.HTTP_409_CONFLICT,
    )


@routes.path("help-requests/<int:pk>/reply/", name="help_request_reply")
@extend_schema(tags=["portal"])
class HelpRequestReplyApi(APIView):
    """Answer a request for help, which handles it: the person reads the answer on their
    portal page and is told, through their own channel, that an answer waits."""

    @extend_schema(
        request=HelpReplyInputSerializer,
        responses={200: HelpRequestOutputSerializer, 409: ALREADY_HANDLED},
    )
    def post(self, request: Request, pk: int) -> Response:
        found: HelpRequest = selectors.help_request_get(fetched_by=request.user, pk=pk)
        # As the page: a request answered or handled since is said so, not refused.
        if found.status != HelpStatus.OPEN:
            return _already_handled()
        require(request.user, "help_request.handle", found)
        data = parse_input(HelpReplyInputSerializer, request)
        try:
            answered = services.help_request_reply(
                help_request=found, reply=data["reply"], by=request.user
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "handled":  # a colleague answered meanwhile
                return _already_handled()
            raise
        audit_read(request.user, answered, fields=list(READ_FIELDS))
        return Response(HelpRequestOutputSerializer(answered).data)


@routes.path("help-requests/<int:pk>/handled/", name="help_request_handle")
@extend_schema(tags=["portal"])
class HelpRequestHandleApi(APIView):
    """Mark a request for help handled without an answer in Mosty (the team called the person
    back, or met them): it leaves the waiting list, and the person is told it is handled."""

    @extend_schema(request=None, responses={200: HelpRequestOutputSerializer, 409: ALREADY_HANDLED})
    def post(self, request: Request, pk: int) -> Response:
        found: HelpRequest = selectors.help_request_get(fetched_by=request.user, pk=pk)
        if found.status != HelpStatus.OPEN:  # as for an answer: said, not refused
            return _already_handled()
        require(request.user, "help_request.handle", found)
        handled = services.help_request_handle(help_request=found, by=request.user)
        audit_read(request.user, handled, fields=list(READ_FIELDS))
        return Response(HelpRequestOutputSerializer(handled).data)


class TaskReportOutputSerializer(Serializer):
    id = serializers.IntegerField()
    participant = serializers.IntegerField(source="participant_id")
    participant_code = serializers.CharField(source="participant.code")
    case = serializers.IntegerField(source="task.goal.case_id")
    task = serializers.IntegerField(source="task_id")
    task_title = serializers.CharField(source="task.title")
    note = serializers.CharField(help_text="What the person wrote for the team (may be empty).")
    created_at = serializers.DateTimeField(help_text="When the person marked the task done.")
    read_at = serializers.DateTimeField(
        source="seen_at", allow_null=True, help_text="When the team marked it read; null: new."
    )
    read_by = serializers.IntegerField(
        source="seen_by_id",
        allow_null=True,
        help_text="The user of the team who marked it read (null: new, or the account is gone).",
    )


class TaskReportFilterSerializer(Serializer):
    state = serializers.ChoiceField(
        choices=[("new", gettext_lazy("Not read yet")), ("read", gettext_lazy("Read by the team"))],
        required=False,
        help_text="`new` (the default): not read by the team yet, newest first; `read`: "
        "marked read, the latest read first.",
    )


@routes.path("task-reports/", name="task_report_list")
@extend_schema(tags=["portal"], parameters=[TaskReportFilterSerializer])
class TaskReportListApi(AuditedListApi):
    """The tasks participants marked done from their page on the cases the caller sees, with
    the note each left for the team (coordinators and caseworkers), as on the dashboard."""

    serializer_class = TaskReportOutputSerializer
    permission = "help_request.list"
    audit_fields = ("note",)
    filter_serializer = TaskReportFilterSerializer
    selector = selectors.task_report_list


@routes.path("task-reports/<int:pk>/read/", name="task_report_read")
@extend_schema(tags=["portal"])
class TaskReportReadApi(APIView):
    """Mark a task the participant reported done as read by the team: it leaves the `new`
    list. Marking it again changes nothing and answers the same."""

    @extend_schema(request=None, responses={200: TaskReportOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        found: TaskReport = selectors.task_report_get(fetched_by=request.user, pk=pk)
        read = services.task_report_read(report=found, by=request.user)
        audit_read(request.user, read, fields=["note"])
        return Response(TaskReportOutputSerializer(read).data)
