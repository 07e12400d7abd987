"""Directory API under /api/: the same policy as the pages (public reads, staff writes)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from mosty.access.audit import audit_reads
from mosty.access.policy import require
from mosty.core.api import (
    AuditedDetailApi,
    AuditedListApi,
    CreateApi,
    ObjectActionApi,
    choice_param,
    flag_param,
    parse_input,
    parse_query,
)
from mosty.core.models import District
from mosty.core.routing import Routes
from mosty.directory import selectors, services
from mosty.directory.models import (
    Category,
    HousingKind,
    HousingOffer,
    HousingStatus,
    Linguist,
    Location,
    Service,
    ServiceStatus,
)
from mosty.organisations.models import Organisation

routes = Routes()

# Services ------------------------------------------------------------------------------------


class LocationOutputSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Location
        fields = ["id", "hsds_id", "name", *services.LOCATION_PLACE_FIELDS, "accessibility"]


class ServiceOutputSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    categories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    languages = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    locations = LocationOutputSerializer(many=True, read_only=True)
    shown = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = [
            "id",
            "hsds_id",
            "name",
            "organisation",
            "source_language",
            "shown",
            "eligibility",
            "required_documents",
            "is_free",
            "fees_description",
            "email",
            "url",
            "status",
            "categories",
            "languages",
            "locations",
            "last_checked_on",
            "version",
        ]

    def get_shown(self, service) -> dict:
        shown = selectors.service_text(service)
        return {
            "language": shown.language,
            "is_visitor_language": shown.is_visitor_language,
            "is_outdated": shown.is_outdated,
            "name": shown.name,
            "description": shown.description,
        }


class ServiceFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=100)
    category = serializers.CharField(required=False, max_length=100)
    language = serializers.CharField(required=False, max_length=3)
    district = serializers.CharField(required=False, max_length=50)
    free = serializers.BooleanField(required=False, default=False)
    open_now = serializers.BooleanField(required=False, default=False)
    lang = serializers.CharField(required=False, max_length=10)


class VisitorLanguageMixin:
    """`?lang=` picks the language of the texts in the answer (else the request's)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        lang = request.query_params.get("lang")
        if lang in dict(settings.LANGUAGES):
            translation.activate(lang)


@routes.path("directory/services/", name="service_list")
@extend_schema(tags=["directory"], parameters=[ServiceFilterSerializer])
class ServiceListApi(VisitorLanguageMixin, AuditedListApi):
    """Public search of the directory; `lang` picks the language of the texts."""

    permission_classes = [AllowAny]
    serializer_class = ServiceOutputSerializer
    permission = "service.list"
    filter_serializer = ServiceFilterSerializer

    def rows(self, filters):
        qs = selectors.service_search(fetched_by=self.request.user, filters=filters)
        return selectors.service_list_page_prefetch(qs)


@routes.path("directory/services/<int:pk>/", name="service_detail")
@extend_schema(tags=["directory"], responses=ServiceOutputSerializer)
class ServiceDetailApi(VisitorLanguageMixin, AuditedDetailApi):
    permission_classes = [AllowAny]
    serializer_class = ServiceOutputSerializer
    permission = "service.view"
    selector = selectors.service_get


class ServiceInputSerializer(serializers.Serializer):
    # Required on create; the update validates with partial=True.
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    name = serializers.CharField(max_length=200)
    source_language = serializers.CharField(max_length=10, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    eligibility = serializers.CharField(required=False, allow_blank=True)
    required_documents = serializers.CharField(required=False, allow_blank=True)
    is_free = serializers.BooleanField(required=False)
    fees_description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    url = serializers.URLField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=ServiceStatus.choices, required=False)
    categories = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Category.objects.all(), required=False
    )
    languages = serializers.ListField(child=serializers.CharField(max_length=3), required=False)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="On an update: the `version` the client read; a later change by someone "
        "else is refused (409) instead of overwritten.",
    )


@routes.path("directory/services/new/", name="service_create")
@extend_schema(
    tags=["directory"], request=ServiceInputSerializer, responses=ServiceOutputSerializer
)
class ServiceCreateApi(CreateApi):
    permission = "service.create"
    input_serializer = ServiceInputSerializer
    output_serializer = ServiceOutputSerializer

    def create(self, data):
        service = services.service_create(by=self.request.user, **data)
        return selectors.service_get(fetched_by=self.request.user, pk=service.pk)


@routes.path("directory/services/<int:pk>/update/", name="service_update")
@extend_schema(tags=["directory"])
class ServiceUpdateApi(APIView):
    @extend_schema(request=ServiceInputSerializer, responses=ServiceOutputSerializer)
    def patch(self, request, pk: int):
        service = selectors.editable_service_get(fetched_by=request.user, pk=pk)
        require(request.user, "service.change", service)
        values = parse_input(ServiceInputSerializer, request, partial=True)
        values.pop("organisation", None)
        services.service_update(service=service, by=request.user, **values)
        service = selectors.service_get(fetched_by=request.user, pk=pk)
        return Response(ServiceOutputSerializer(service).data)


@routes.path("directory/districts/<slug:code>/", name="district_detail")
@extend_schema(tags=["directory"], responses=OpenApiTypes.OBJECT)
class DistrictDetailApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request, code: str):
        require(request.user, "district.view")
        district = selectors.district_get(code=code)
        services_qs = selectors.service_search(
            fetched_by=request.user, filters={"district": code}
        ).values("id", "name")[:200]
        organisations = selectors.district_organisations(district, limit=200).values(
            "id", "name", "website", "address"
        )
        events = [
            {"event": s.event_id, "title": s.event.title, "starts_at": s.starts_at}
            for s in selectors.district_events(district)
        ]
        return Response(
            {
                "code": district.code,
                "name": district.name,
                "latitude": district.latitude,
                "longitude": district.longitude,
                "services": list(services_qs),
                "organisations": list(organisations),
                "events": events,
            }
        )


# Housing -------------------------------------------------------------------------------------


class HousingOfferSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=District.objects.all(), required=False, allow_null=True
    )
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())

    class Meta:
        model = HousingOffer
        fields = ["id", *services.HOUSING_FIELDS, "status", "status_note"]
        read_only_fields = ["status", "status_note"]


@routes.path("housing/", name="housing_list")
@extend_schema(tags=["housing"])
class HousingOfferListApi(AuditedListApi):
    """Filter by `status` and `kind`; an unknown value filters nothing."""

    serializer_class = HousingOfferSerializer
    permission = "housing.list"
    audit_fields = selectors.HOUSING_CONTACT_FIELDS
    selector = selectors.housing_offer_list

    def filters(self, params):
        return {
            "status": choice_param(params, "status", HousingStatus.values),
            "kind": choice_param(params, "kind", HousingKind.values),
        }


@routes.path("housing/new/", name="housing_create")
@extend_schema(tags=["housing"], request=HousingOfferSerializer, responses=HousingOfferSerializer)
class HousingOfferCreateApi(CreateApi):
    permission = "housing.create"
    input_serializer = HousingOfferSerializer
    output_serializer = HousingOfferSerializer
    service = services.housing_offer_create


@routes.path("housing/<int:pk>/", name="housing_detail")
@extend_schema(tags=["housing"], responses=HousingOfferSerializer)
class HousingOfferDetailApi(AuditedDetailApi):
    serializer_class = HousingOfferSerializer
    # housing_offer_read checks `housing.view` and records the read of the contact.
    selector = selectors.housing_offer_read


class HousingStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=HousingStatus.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


@routes.path("housing/<int:pk>/status/", name="housing_status")
@extend_schema(
    tags=["housing"], request=HousingStatusInputSerializer, responses=HousingOfferSerializer
)
class HousingOfferStatusApi(ObjectActionApi):
    selector = selectors.housing_offer_get
    permission = "housing.set_status"
    input_serializer = HousingStatusInputSerializer
    output_serializer = HousingOfferSerializer
    service = services.housing_offer_set_status
    object_kwarg = "offer"


class HousingNeedSerializer(serializers.Serializer):
    size = serializers.IntegerField(min_value=1, max_value=30)
    budget = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, min_value=0)
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=District.objects.all(), required=False
    )
    needs_step_free = serializers.BooleanField(required=False, default=False)
    has_children = serializers.BooleanField(required=False, default=False)
    has_pets = serializers.BooleanField(required=False, default=False)


@routes.path("housing/match/", name="housing_match")
@extend_schema(tags=["housing"], parameters=[HousingNeedSerializer], responses=OpenApiTypes.OBJECT)
class HousingMatchApi(APIView):
    def get(self, request):
        require(request.user, "housing.list")
        data = parse_query(HousingNeedSerializer, request.query_params)
        matches = selectors.housing_matches(
            fetched_by=request.user, need=selectors.HousingNeed.from_cleaned(data)
        )
        audit_reads(
            request.user, [o for o, _s, _r in matches], fields=selectors.HOUSING_CONTACT_FIELDS
        )
        return Response(
            {
                "results": [
                    {"offer": HousingOfferSerializer(o).data, "score": s, "reasons": r}
                    for o, s, r in matches
                ]
            }
        )


# Linguists -----------------------------------------------------------------------------------


class LinguistSerializer(serializers.ModelSerializer):
    pairs = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.name")

    class Meta:
        model = Linguist
        fields = [
            "id",
            "name",
            "organisation",
            "email",
            "phone",
            "pairs",
            *services.LINGUIST_OFFER_FIELDS,
            "is_active",
        ]

    def get_pairs(self, linguist) -> list[dict]:
        return [
            {"source": p.source, "target": p.target, "both_ways": p.both_ways}
            for p in linguist.pairs.all()
        ]


@routes.path("linguists/", name="linguist_list")
@extend_schema(tags=["linguists"])
class LinguistListApi(AuditedListApi):
    """Search by `source`, `target` (ISO codes), `mode` (written, consecutive, remote), `sworn`."""

    serializer_class = LinguistSerializer
    permission = "linguist.list"
    audit_fields = selectors.LINGUIST_CONTACT_FIELDS
    selector = selectors.linguist_search

    def filters(self, params):
        return {
            "source": (params.get("source") or "").lower()[:3],
            "target": (params.get("target") or "").lower()[:3],
            "mode": choice_param(params, "mode", ("written", "consecutive", "remote")),
            "sworn": flag_param(params, "sworn"),
        }


@routes.path("linguists/<int:pk>/", name="linguist_detail")
@extend_schema(tags=["linguists"], responses=LinguistSerializer)
class LinguistDetailApi(AuditedDetailApi):
    serializer_class = LinguistSerializer
    # linguist_read checks `linguist.view` and records the read of the contact.
    selector = selectors.linguist_read


class LinguistInputSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    pairs = serializers.CharField(help_text="e.g. 'uk-pl, fa>pl'")

    class Meta:
        model = Linguist
        # The form's fields, but new linguists are always active.
        fields = [*(f for f in services.LINGUIST_FORM_FIELDS if f != "is_active"), "pairs"]


@routes.path("linguists/new/", name="linguist_create")
@extend_schema(tags=["linguists"], request=LinguistInputSerializer, responses=LinguistSerializer)
class LinguistCreateApi(CreateApi):
    permission = "linguist.create"
    input_serializer = LinguistInputSerializer
    output_serializer = LinguistSerializer

    def create(self, data):
        data["pairs"] = services.parse_pairs(data["pairs"])
        linguist = services.linguist_create(by=self.request.user, **data)
        return selectors.linguist_get(fetched_by=self.request.user, pk=linguist.pk)


# HSDS import (admins) ------------------------------------------------------------------------


@routes.path("directory/hsds-import/", name="hsds_import")
@extend_schema(
    tags=["hsds"],
    request=OpenApiTypes.OBJECT,
    responses=OpenApiTypes.OBJECT,
    parameters=[
        OpenApiParameter("source", str, description="Where the data comes from (default: api)."),
        OpenApiParameter("preview", bool, description="Report what would change; write nothing."),
    ],
)
class HsdsImportApi(APIView):
    """POST any HSDS 3.0 JSON form; all or nothing, matched only within `source`.

    400 with `errors` (table, row, field, message, where) when any row is wrong."""

    def post(self, request):
        from django.core.exceptions import ValidationError

        from mosty.directory import hsds

        require(request.user, "hsds.import")
        source = request.query_params.get("source", "").strip() or "api"
        preview = request.query_params.get("preview", "").lower() in {"1", "true", "yes"}
        try:
            tables = hsds.flatten(request.data, name="request")
            if not any(tables.values()):
                raise ValidationError(_("The file holds no HSDS records; nothing was imported."))
            report = hsds.hsds_import(
                tables=tables, by=request.user, source=source, preview=preview
            )
        except ValidationError as exc:
            return Response({"non_field_errors": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
        except hsds.HsdsImportError as exc:
            return Response(
                {
                    "errors": [
                        {
                            "table": e.table,
                            "row": e.row,
                            "field": e.field,
                            "message": e.message,
                            "where": e.where,
                        }
                        for e in exc.report.errors
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {
                "preview": report.preview,
                "created": dict(report.created),
                "updated": dict(report.updated),
                "left_alone": dict(report.left_alone),
                "warnings": report.warnings,
            }
        )
