"""Events API: the same policy as the pages; registrants' data only for the organiser."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from mosty.access.audit import audit_read
from mosty.access.policy import require
from mosty.core.api import AuditedDetailApi, AuditedListApi, parse_input, parse_query
from mosty.core.models import District, validate_language_code
from mosty.core.routing import Routes
from mosty.events import exports, selectors, services
from mosty.events.models import Audience, EventKind, Registration
from mosty.organisations.models import Organisation

routes = Routes()


class SessionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    district = serializers.CharField(
        source="district.code", default=None, read_only=True, allow_null=True
    )
    place = serializers.CharField()
    online_url = serializers.CharField()
    hours = serializers.FloatField()


def _language(value: str) -> str:
    validate_language_code(value)
    return value


def _audience(value: str) -> str:
    if value and value not in Audience.values:
        raise serializers.ValidationError(_("Choose audiences from the list."))
    return value


# Languages and audiences are plain strings in the schema (validated here and by the models),
# so the OpenAPI schema does not grow one enum per field name.
class TranslationSerializer(serializers.Serializer):
    language = serializers.CharField(max_length=10, validators=[_language])
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class EventOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    kind = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    source_language = serializers.CharField()
    translations = TranslationSerializer(many=True, source="translations.all")
    capacity = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    remaining = serializers.IntegerField()
    registration_opens = serializers.DateTimeField(allow_null=True)
    registration_closes = serializers.DateTimeField(allow_null=True)
    audiences = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    accessibility = serializers.CharField()
    is_public = serializers.BooleanField()
    # Null for an event without sessions yet.
    starts_at = serializers.DateTimeField(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)
    sessions = SessionOutputSerializer(many=True, source="sessions.all")


class EventFilterSerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all(), required=False)
    kind = serializers.ChoiceField(choices=EventKind.choices, required=False)
    audience = serializers.CharField(required=False, validators=[_audience])
    language = serializers.CharField(required=False, validators=[_language])


@routes.path("events/", name="event_list")
@extend_schema(tags=["events"], parameters=[EventFilterSerializer])
class EventListApi(AuditedListApi):
    """Public events; bad filter values are a 400 naming the parameter."""

    serializer_class = EventOutputSerializer
    permission = "event.browse"
    filter_serializer = EventFilterSerializer
    selector = selectors.event_public_list


@routes.path("events/<int:pk>/", name="event_detail")
@extend_schema(tags=["events"], responses=EventOutputSerializer)
class EventDetailApi(AuditedDetailApi):
    serializer_class = EventOutputSerializer
    permission = "event.view"
    selector = selectors.event_get


class SessionInputSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(), required=False, allow_null=True
    )
    place = serializers.CharField(required=False, allow_blank=True, default="")
    online_url = serializers.URLField(required=False, allow_blank=True, default="")


class EventCreateInputSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    kind = serializers.ChoiceField(choices=EventKind.choices)
    source_language = serializers.CharField(max_length=10, validators=[_language])
    capacity = serializers.IntegerField(min_value=1, max_value=100000)
    registration_opens = serializers.DateTimeField(required=False, allow_null=True)
    registration_closes = serializers.DateTimeField(required=False, allow_null=True)
    audiences = serializers.ListField(
        child=serializers.CharField(validators=[_audience]), required=False, default=list
    )
    languages = serializers.ListField(
        child=serializers.CharField(validators=[_language]), required=False, default=list
    )
    accessibility = serializers.CharField(required=False, allow_blank=True, default="")
    is_public = serializers.BooleanField(required=False, default=True)
    translations = TranslationSerializer(many=True, allow_empty=False)
    sessions = SessionInputSerializer(many=True, allow_empty=False)


@routes.path("events/create/", name="event_create")
@extend_schema(tags=["events"], request=EventCreateInputSerializer, responses=EventOutputSerializer)
class EventCreateApi(APIView):
    def post(self, request):
        require(request.user, "event.create")
        values = parse_input(EventCreateInputSerializer, request)
        event = services.event_create(
            by=request.user,
            organisation=values.pop("organisation"),
            translations=[dict(t) for t in values.pop("translations")],
            sessions=[dict(s) for s in values.pop("sessions")],
            **values,
        )
        event = selectors.event_managed_get(fetched_by=request.user, pk=event.pk)
        return Response(EventOutputSerializer(event).data, status=status.HTTP_201_CREATED)


class RegistrationOutputSerializer(serializers.ModelSerializer):
    # Plain strings: choice enums named "status"/"audience" would collide with other apps'.
    status = serializers.CharField(read_only=True)
    audience = serializers.CharField(read_only=True)
    attended = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    hours = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        # What the registrant gave (the service's fields), then what happened since.
        fields = [
            "id",
            "event",
            "status",
            *services.REGISTRATION_FIELDS,
            "created_at",
            "promoted_at",
            "cancelled_at",
            "attended",
            "hours",
        ]

    def get_hours(self, obj) -> float | None:
        minutes = getattr(obj, "attended_minutes", None)
        return None if minutes is None else round(minutes / 60, 2)


@routes.path("events/<int:pk>/registrations/", name="event_registration_list")
@extend_schema(tags=["events"])
class RegistrationListApi(AuditedListApi):
    """The organiser's list of an event's registrations (recorded as a read of the event's
    registrations, as on the page)."""

    serializer_class = RegistrationOutputSerializer

    def rows(self, filters):
        event = selectors.event_get(fetched_by=self.request.user, pk=self.kwargs["pk"])
        require(self.request.user, "event.view_registrations", event)
        audit_read(self.request.user, event, fields=["registrations"])
        return selectors.registration_list(event=event)


class RegistrationInputSerializer(serializers.Serializer):
    """Without `name`: the caller registers themself; with it, a person they support."""

    name = serializers.CharField(max_length=200, required=False)
    # No default: OpenAPI requires a default to be valid for the field, and "" is no e-mail.
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    language = serializers.CharField(required=False, validators=[_language])
    audience = serializers.CharField(
        required=False, allow_blank=True, default="", validators=[_audience]
    )
    institution = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    accessibility_needs = serializers.CharField(required=False, allow_blank=True, default="")
    consent = serializers.BooleanField()


@routes.path("events/<int:pk>/register/", name="event_registration_create")
@extend_schema(
    tags=["events"], request=RegistrationInputSerializer, responses=RegistrationOutputSerializer
)
class RegistrationCreateApi(APIView):
    def post(self, request, pk: int):
        event = selectors.event_get(fetched_by=request.user, pk=pk)
        values = {"email": "", **parse_input(RegistrationInputSerializer, request)}
        consent = values.pop("consent")
        for_person = bool(values.get("name"))
        if for_person:
            require(request.user, "event.register_person", event)
            if not values["email"] and not values["phone"]:
                return Response(
                    {"email": [_("Give an e-mail address or a phone number.")]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        else:
            require(request.user, "event.register", event)
            values = {
                k: v
                for k, v in values.items()
                if k in {"language", "audience", "institution", "accessibility_needs"}
            }
        registration = services.registration_create(
            event=event,
            by=request.user,
            user=None if for_person else request.user,
            consent=consent,
            base_url=request.build_absolute_uri("/"),
            **values,
        )
        return Response(
            RegistrationOutputSerializer(registration).data, status=status.HTTP_201_CREATED
        )


@routes.path("events/registrations/<int:pk>/cancel/", name="event_registration_cancel")
@extend_schema(tags=["events"], request=None, responses=RegistrationOutputSerializer)
class RegistrationCancelApi(APIView):
    def post(self, request, pk: int):
        registration = selectors.registration_get(fetched_by=request.user, pk=pk)
        require(request.user, "registration.cancel", registration)
        services.registration_cancel(
            registration=registration, by=request.user, base_url=request.build_absolute_uri("/")
        )
        registration.refresh_from_db()
        return Response(RegistrationOutputSerializer(registration).data)


class AttendanceOutputSerializer(serializers.Serializer):
    registration = serializers.IntegerField(source="registration.pk")
    name = serializers.CharField(source="registration.name")
    present = serializers.BooleanField()


@routes.path("events/sessions/<int:pk>/attendance/", name="event_attendance_list")
@extend_schema(tags=["events"], responses=AttendanceOutputSerializer(many=True))
class AttendanceListApi(APIView):
    def get(self, request, pk: int):
        session = selectors.session_get(fetched_by=request.user, pk=pk)
        require(request.user, "event.take_attendance", session.event)
        audit_read(request.user, session.event, fields=["attendance"])
        rows = selectors.attendance_sheet(session=session)
        return Response(AttendanceOutputSerializer(rows, many=True).data)


class AttendanceInputSerializer(serializers.Serializer):
    registration = serializers.IntegerField()
    present = serializers.BooleanField()


@routes.path("events/sessions/<int:pk>/attendance/set/", name="event_attendance_set")
@extend_schema(
    tags=["events"], request=AttendanceInputSerializer, responses=AttendanceOutputSerializer
)
class AttendanceSetApi(APIView):
    def post(self, request, pk: int):
        session = selectors.session_get(fetched_by=request.user, pk=pk)
        require(request.user, "event.take_attendance", session.event)
        data = parse_input(AttendanceInputSerializer, request)
        registration = get_object_or_404(session.event.registrations, pk=data["registration"])
        record = services.attendance_set(
            session=session,
            registration=registration,
            present=data["present"],
            by=request.user,
        )
        return Response(
            AttendanceOutputSerializer(
                {"registration": registration, "present": record.present}
            ).data
        )


class ReportFilterSerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    kind = serializers.ChoiceField(choices=EventKind.choices, required=False)


@routes.path("events/report/", name="event_report")
@extend_schema(tags=["events"], parameters=[ReportFilterSerializer])
class EventReportApi(APIView):
    @extend_schema(parameters=[ReportFilterSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        require(request.user, "event.report")
        filters = parse_query(ReportFilterSerializer, request.query_params)
        events = exports.report_events(user=request.user, filters=filters)
        return Response(selectors.event_report(events=events))
