"""Participants and consents over the API, under the same policy as the pages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from mosty.access.domains.people import sensitive_visible_in_list
from mosty.access.policy import require
from mosty.core.api import (
    AuditedDetailApi,
    AuditedListApi,
    CreateApi,
    ObjectActionApi,
    parse_input,
)
from mosty.core.models import District
from mosty.core.routing import Routes
from mosty.organisations.models import Organisation
from mosty.people import gdpr, selectors, services
from mosty.people.models import (
    Channel,
    Consent,
    ConsentPurpose,
    Gender,
    LegalBasis,
    LegalStatus,
    Participant,
    PolishLevel,
    contact_channel_choices,
    validate_country_code,
    validate_languages_with_levels,
)

routes = Routes()

PUBLIC_FIELDS = [
    "id",
    *selectors.PARTICIPANT_READ_FIELDS,
    "owner",
    "version",
    "created_at",
    "updated_at",
    "anonymised_at",
]
# What the API shows besides the record itself (recorded in the read audit too).
RECORD_FIELDS = [f for f in PUBLIC_FIELDS if f not in selectors.PARTICIPANT_READ_FIELDS]


class ParticipantOutputSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    owner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    legal_status = serializers.SerializerMethodField()
    # ISO 3166 codes ("UA"), as the input takes them.
    country_of_origin = serializers.CharField(read_only=True)
    citizenship = serializers.CharField(read_only=True)

    class Meta:
        model = Participant
        fields = [*PUBLIC_FIELDS, "legal_status"]

    def get_legal_status(self, obj) -> str | None:
        """Present only when the caller may see sensitive fields; null otherwise."""
        user = self.context["request"].user
        # Every row here came through visible_participants(); skip the per-row visibility query.
        if sensitive_visible_in_list(user, obj):
            return obj.legal_status
        return None


class ParticipantInputSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    first_name_original = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name_original = serializers.CharField(max_length=150, required=False, allow_blank=True)
    birth_year = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, allow_null=True
    )
    gender = serializers.ChoiceField(Gender.choices, required=False, allow_blank=True)
    country_of_origin = serializers.CharField(
        max_length=2, required=False, allow_blank=True, validators=[validate_country_code]
    )
    citizenship = serializers.CharField(
        max_length=2, required=False, allow_blank=True, validators=[validate_country_code]
    )
    languages = serializers.JSONField(required=False, validators=[validate_languages_with_levels])
    polish_level = serializers.ChoiceField(PolishLevel.choices, required=False, allow_blank=True)
    legal_status = serializers.ChoiceField(LegalStatus.choices, required=False, allow_blank=True)
    arrival_date = serializers.DateField(required=False, allow_null=True)
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=District.objects.all(), required=False, allow_null=True
    )
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    preferred_channel = serializers.ChoiceField(Channel.choices, required=False, allow_blank=True)


class ParticipantCreateInputSerializer(ParticipantInputSerializer):
    owner = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False
    )


class ParticipantUpdateInputSerializer(ParticipantInputSerializer):
    version = serializers.IntegerField(min_value=1)


@routes.path("participants/", name="participant_list")
@extend_schema(
    tags=["people"],
    parameters=[
        OpenApiParameter("q", str, description="Name in any script, phone or code"),
        OpenApiParameter("birth_year", int),
    ],
)
class ParticipantListApi(AuditedListApi):
    serializer_class = ParticipantOutputSerializer
    permission = "participant.list"
    audit_fields = selectors.PARTICIPANT_READ_FIELDS
    selector = selectors.participant_list

    def filters(self, params):
        year = params.get("birth_year")
        if year and not year.isdecimal():
            raise ValidationError({"birth_year": [_("Enter a whole number.")]})
        return {"q": params.get("q"), "birth_year": year}

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        # A search shows who matched the name asked for: recorded apart from the reads.
        if self.request.query_params.get("q") and page is not None:
            selectors.participant_search_audit(fetched_by=self.request.user, shown=page)
        return page


@routes.path("participants/create/", name="participant_create")
@extend_schema(
    tags=["people"],
    request=ParticipantCreateInputSerializer,
    responses={201: ParticipantOutputSerializer},
)
class ParticipantCreateApi(CreateApi):
    permission = "participant.create"
    input_serializer = ParticipantCreateInputSerializer
    output_serializer = ParticipantOutputSerializer

    def create(self, data):
        owner = data.pop("owner", None)
        if owner is None:
            # Without a choice, the one organisation the user registers for (if only one).
            mine = selectors.participant_owner_choices(fetched_by=self.request.user)
            owner = mine[0] if len(mine) == 1 else None
        return services.participant_create(by=self.request.user, owner=owner, **data)


@routes.path("participants/<int:pk>/", name="participant_detail")
@extend_schema(tags=["people"], responses=ParticipantOutputSerializer)
class ParticipantDetailApi(AuditedDetailApi):
    serializer_class = ParticipantOutputSerializer
    permission = "participant.view"
    selector = selectors.participant_get

    def audit(self, participant):
        # The sensitive fields are part of the read only for whoever may see them.
        selectors.participant_read_audit(
            participant=participant, read_by=self.request.user, extra=RECORD_FIELDS
        )


@routes.path("participants/<int:pk>/update/", name="participant_update")
@extend_schema(
    tags=["people"],
    request=ParticipantUpdateInputSerializer,
    responses={200: ParticipantOutputSerializer, 409: OpenApiTypes.OBJECT},
)
class ParticipantUpdateApi(APIView):
    def patch(self, request, pk: int):
        participant = selectors.participant_get(fetched_by=request.user, pk=pk)
        require(request.user, "participant.change", participant)
        data = parse_input(ParticipantUpdateInputSerializer, request, partial=True)
        if "version" not in data:
            raise ValidationError({"version": [_("Send the version number you read.")]})
        participant = services.participant_update(
            participant=participant, by=request.user, version=data.pop("version"), **data
        )
        return Response(ParticipantOutputSerializer(participant, context={"request": request}).data)


class ConsentOutputSerializer(serializers.ModelSerializer):
    participant = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "participant",
            "purpose",
            "channel",
            "legal_basis",
            "text_shown",
            "language",
            "given_at",
            "withdrawn_at",
        ]


class ConsentInputSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(ConsentPurpose.choices)
    channel = serializers.ChoiceField(
        contact_channel_choices(), required=False, allow_blank=True, default=""
    )
    legal_basis = serializers.ChoiceField(LegalBasis.choices, default=LegalBasis.CONSENT)
    text_shown = serializers.CharField(max_length=5000)
    language = serializers.CharField(max_length=10, required=False, allow_blank=True)
    given_at = serializers.DateTimeField(required=False, allow_null=True)


@routes.path("participants/<int:pk>/consents/", name="participant_consent_list")
@extend_schema(tags=["people"])
class ParticipantConsentListApi(AuditedListApi):
    """The consents of one participant: reading them is a read of the participant."""

    serializer_class = ConsentOutputSerializer
    audit_fields = ("consents",)

    def rows(self, filters):
        participant = selectors.participant_get(fetched_by=self.request.user, pk=self.kwargs["pk"])
        require(self.request.user, "participant.view", participant)
        self.participant = participant
        return selectors.participant_consents(participant=participant).select_related("participant")

    def shown(self, page):
        return [self.participant]


@routes.path("participants/<int:pk>/consents/create/", name="consent_record")
@extend_schema(
    tags=["people"], request=ConsentInputSerializer, responses={201: ConsentOutputSerializer}
)
class ConsentRecordApi(ObjectActionApi):
    selector = selectors.participant_get
    permission = "participant.consent.record"
    input_serializer = ConsentInputSerializer
    output_serializer = ConsentOutputSerializer
    created = True
    service = services.consent_record
    object_kwarg = "participant"


@routes.path("consents/<int:pk>/withdraw/", name="consent_withdraw")
@extend_schema(tags=["people"], request=None, responses=ConsentOutputSerializer)
class ConsentWithdrawApi(APIView):
    def post(self, request, pk: int):
        consent = selectors.consent_get(fetched_by=request.user, pk=pk)
        require(request.user, "consent.withdraw", consent)
        consent = services.consent_withdraw(consent=consent, by=request.user)
        return Response(ConsentOutputSerializer(consent).data)


@routes.path("participants/<int:pk>/export/", name="participant_export")
@extend_schema(tags=["people"], responses=OpenApiTypes.OBJECT)
class ParticipantExportApi(APIView):
    """Everything held on a participant (GDPR art. 15/20), by section."""

    def get(self, request, pk: int):
        participant = selectors.participant_get(fetched_by=request.user, pk=pk)
        require(request.user, "participant.export", participant)
        return Response(gdpr.export_participant(participant, by=request.user))
