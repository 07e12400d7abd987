"""The Open Referral HSDS 3.0 read API, so other directories can consume Mosty.

Public (like the directory itself). Lists answer with HSDS's page object
(`total_items`, `total_pages`, `page_number`, `size`, `first_page`, `last_page`, `empty`,
`contents`); filters follow the HSDS OpenAPI (`search`, `taxonomy_term_id`, `organization_id`,
`modified_after`, `page`, `per_page`) plus Mosty's `language` and `district`.
"""

from __future__ import annotations

import math
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from mosty.access.policy import require
from mosty.directory import hsds, selectors
from mosty.directory.hsds.export import taxonomy_id, taxonomy_tables
from mosty.directory.models import (
    Category,
    HsdsOrganisation,
    HsdsRecord,
    ServiceAtLocation,
    ServiceCategory,
    ServiceStatus,
)
from mosty.organisations.models import Organisation

MAX_PER_PAGE = 200


def _page_params(request) -> tuple[int, int]:
    try:
        page = int(request.query_params.get("page", 1))
        per_page = int(request.query_params.get("per_page", 50))
    except ValueError:
        raise ValidationError({"page": [_("page and per_page must be whole numbers.")]})
    if page < 1 or per_page < 1:
        raise ValidationError({"page": [_("page and per_page start at 1.")]})
    return page, min(per_page, MAX_PER_PAGE)


def page_object(total: int, page: int, per_page: int, contents: list) -> dict:
    pages = max(1, math.ceil(total / per_page)) if total else 0
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not contents,
        "contents": contents,
    }


class JsonOnly(BaseContentNegotiation):
    """The HSDS API answers JSON whatever `format` says: Open Referral's API defines `format` as
    a query parameter of its own, which DRF would otherwise read as a renderer (404)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class HsdsApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []  # public data: no session, no CSRF
    content_negotiation_class = JsonOnly


def _organisation_pk(hsds_id: str) -> int | None:
    return (
        HsdsOrganisation.objects.filter(hsds_id=hsds_id)
        .values_list("organisation_id", flat=True)
        .first()
    )


def _param(name: str, kind=str, text: str = "") -> OpenApiParameter:
    return OpenApiParameter(name, kind, description=text)


# The query parameters of Open Referral's OpenAPI, described in Mosty's own schema.
PAGE = [
    _param("page", int, "Page number, from 1."),
    _param("per_page", int, f"Items per page (at most {MAX_PER_PAGE})."),
]
SEARCH = [_param("search", str, "Words in the name or description.")]
SERVICE_FILTERS = [
    *SEARCH,
    _param("taxonomy_term_id", str, "Only services with this taxonomy term."),
    _param("taxonomy_id", str, "Only services with a term of this taxonomy."),
    _param("organization_id", str, "Only services of this organization."),
    _param("modified_after", str, "Only services changed after this date or date-time."),
    _param("full", bool, "Nest everything (Mosty always does)."),
    _param("minimal", bool, "Accepted; Mosty always nests everything."),
    _param("format", str, "Accepted; Mosty answers JSON."),
]


def _term_ids_of_taxonomy(value: str) -> set[str]:
    names = [
        n
        for n in Category.objects.values_list("taxonomy", flat=True).distinct()
        if taxonomy_id(n) == value
    ]
    ids = set(Category.objects.filter(taxonomy__in=names).values_list("hsds_id", flat=True))
    ids.update(
        HsdsRecord.objects.filter(table="taxonomy_terms", data__taxonomy_id=value).values_list(
            "hsds_id", flat=True
        )
    )
    return ids


def _services(request):
    services = selectors.visible_services(request.user).filter(status=ServiceStatus.ACTIVE)
    params = request.query_params
    if params.get("search"):
        q = params["search"]
        services = services.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if params.get("taxonomy_term_id"):
        services = services.filter(
            Exists(
                ServiceCategory.objects.filter(
                    service=OuterRef("pk"), category__hsds_id=params["taxonomy_term_id"]
                )
            )
        )
    if params.get("taxonomy_id"):
        services = services.filter(
            Exists(
                ServiceCategory.objects.filter(
                    service=OuterRef("pk"),
                    category__hsds_id__in=_term_ids_of_taxonomy(params["taxonomy_id"]),
                )
            )
        )
    if params.get("organization_id"):
        services = services.filter(organisation_id=_organisation_pk(params["organization_id"]))
    if params.get("modified_after"):
        value = params["modified_after"]
        moment = parse_datetime(value) or (
            datetime.combine(parse_date(value), datetime.min.time()) if parse_date(value) else None
        )
        if moment is None:
            raise ValidationError({"modified_after": [_("Give a date or date-time (ISO 8601).")]})
        services = services.filter(updated_at__gt=moment)
    filters = {k: params.get(k) for k in ("language", "district") if params.get(k)}
    if filters:
        services = services.filter(
            pk__in=selectors.service_search(fetched_by=request.user, filters=filters).values("pk")
        )
    return services.order_by("name", "pk")


@extend_schema(tags=["hsds"], responses=OpenApiTypes.OBJECT)
class HsdsRootApi(HsdsApi):
    @extend_schema(operation_id="hsds_root")
    def get(self, request):
        return Response(
            {
                "version": hsds.HSDS_VERSION,
                "profile": "https://docs.openreferral.org/en/latest/hsds/",
                "openapi_url": request.build_absolute_uri("/api/schema/"),
            }
        )


@extend_schema(tags=["hsds"], responses=OpenApiTypes.OBJECT)
class HsdsServiceListApi(HsdsApi):
    @extend_schema(operation_id="hsds_services_list", parameters=[*SERVICE_FILTERS, *PAGE])
    def get(self, request):
        require(request.user, "service.list")
        page, per_page = _page_params(request)
        services = _services(request)
        total = services.count()
        ids = list(
            services.values_list("hsds_id", flat=True)[(page - 1) * per_page : page * per_page]
        )
        contents = []
        if ids:
            contents = hsds.service_objects(
                hsds.export_tables(selectors.visible_services(request.user).filter(hsds_id__in=ids))
            )
            order = {hsds_id: i for i, hsds_id in enumerate(ids)}
            contents.sort(key=lambda s: order[s["id"]])
        return Response(page_object(total, page, per_page, contents))


@extend_schema(tags=["hsds"], responses=OpenApiTypes.OBJECT)
class HsdsServiceDetailApi(HsdsApi):
    @extend_schema(operation_id="hsds_services_get")
    def get(self, request, hsds_id: str):
        require(request.user, "service.view")
        services = selectors.visible_services(request.user).filter(hsds_id=hsds_id)
        found = hsds.service_objects(hsds.export_tables(services))
        if not found:
            raise Http404
        return Response(found[0])


@extend_schema(tags=["hsds"], responses=OpenApiTypes.OBJECT)
class HsdsOrganizationListApi(HsdsApi):
    @extend_schema(
        operation_id="hsds_organizations_list",
        parameters=[
            *SEARCH,
            _param("full_service", bool, "Nest the organizations' services whole."),
            *PAGE,
        ],
    )
    def get(self, request):
        require(request.user, "service.list")
        page, per_page = _page_params(request)
        active = selectors.visible_services(request.user).filter(status=ServiceStatus.ACTIVE)
        orgs = Organisation.objects.filter(
            is_active=True, pk__in=active.values("organisation_id")
        ).order_by("name", "pk")
        if request.query_params.get("search"):
            orgs = orgs.filter(name__icontains=request.query_params["search"])
        total = orgs.count()
        pks = list(orgs.values_list("pk", flat=True)[(page - 1) * per_page : page * per_page])
        contents = []
        if pks:
            full = request.query_params.get("full_service", "").lower() in {"1", "true"}
            tables = hsds.export_tables(active.filter(organisation_id__in=pks))
            contents = hsds.organization_objects(tables)
            order = {o["id"]: i for i, o in enumerate(tables["organizations"])}
            if not full:
                for o in contents:
                    o["services"] = [{"id": s["id"], "name": s["name"]} for s in o["services"]]
            contents.sort(key=lambda o: order.get(o["id"], 0))
        return Response(page_object(total, page, per_page, contents))


@extend_schema(tags=["hsds"], responses=OpenApiTypes.OBJECT)
class HsdsOrganizationDetailApi(HsdsApi):
    @extend_schema(operation_id="hsds_organizations_get")
    def get(self, request, hsds_id: str):
        require(request.user, "service.view")
        pk = _organisation_pk(hsds_id)
        if pk is None:
            raise Http404
        active = selectors.visible_services(request.user).filter(
            status=ServiceStatus.ACTIVE, organisation_id=pk
        )
        found = hsds.organization_objects(hsds.export_tables(active))
        if not found:
            raise Http404
        return Response(found[0])


def _paged(request, items: list) -> Response:
    page, per_page = _page_params(request)
    contents = items[(page - 1) * per_page : page * per_page]
    return Response(page_object(len(items), page, per_page, contents))


def _taxonomy_objects() -> tuple[list[dict], list[dict]]:
    tables = taxonomy_tables()
    taxonomies = [hsds.package.typed("taxonomies", t) for t in tables["taxonomies"]]
    nester = hsds.package.Nester(tables)
    terms = [nester.obj("taxonomy_terms", t) for t in tables["taxonomy_terms"]]
    for term in terms:
        term.pop("attributes", None)  # the taxonomy_term schema has none
    return taxonomies, terms


def _matches(obj: dict, search: str) -> bool:
    text = f"{obj.get('name', '')} {obj.get('description', '')} {obj.get('code', '')}"
    return search.lower() in text.lower()


@extend_schema(tags=["hsds"], responses=OpenApiTypes.OBJECT)
class HsdsTaxonomyTermListApi(HsdsApi):
    @extend_schema(
        operation_id="hsds_taxonomy_terms_list",
        parameters=[
            *SEARCH,
            _param("taxonomy_id", str, "Only terms of this taxonomy."),
            _param("parent_id", str, "Only the children of this term."),
            _param("top_only", bool, "Only terms without a parent."),
            *PAGE,
        ],
    )
    def get(self, request):
        require(request.user, "service.list")
        params = request.query_params
        _taxonomies, terms = _taxonomy_objects()
        if params.get("search"):
            terms = [t for t in terms if _matches(t, params["search"])]
        if params.get("taxonomy_id"):
            terms = [t for t in terms if str(t.get("taxonomy_id")) == params["taxonomy_id"]]
        if params.get("parent_id"):
            terms = [t for t in terms if str(t.get("parent_id")) == params["parent_id"]]
        if params.get("top_only", "").lower() in {"1", "true"}:
            terms = [t for t in terms if not t.get("parent_id")]
        return _paged(request, terms)


def _by_id(objects: list[dict], hsds_id: str) -> dict:
    """The HSDS object with this id, or 404."""
    found = next((o for o in objects if o["id"] == hsds_id), None)
    if found is None:
        raise Http404
    return found


@extend_schema(tags=["hsds"], responses=OpenApiTypes.OBJECT)
class HsdsTaxonomyTermDetailApi(HsdsApi):
    @extend_schema(operation_id="hsds_taxonomy_terms_get")
    def get(self, request, hsds_id: str):
        require(request.user, "service.view")
        return Response(_by_id(_taxonomy_objects()[1], hsds_id))


@extend_schema(tags=["hsds"], responses=OpenApiTypes.OBJECT)
class HsdsTaxonomyListApi(HsdsApi):
    @extend_schema(operation_id="hsds_taxonomies_list", parameters=[*SEARCH, *PAGE])
    def get(self, request):
        require(request.user, "service.list")
        taxonomies = _taxonomy_objects()[0]
        if request.query_params.get("search"):
            taxonomies = [t for t in taxonomies if _matches(t, request.query_params["search"])]
        return _paged(request, taxonomies)


@extend_schema(tags=["hsds"], responses=OpenApiTypes.OBJECT)
class HsdsTaxonomyDetailApi(HsdsApi):
    @extend_schema(operation_id="hsds_taxonomies_get")
    def get(self, request, hsds_id: str):
        require(request.user, "service.view")
        return Response(_by_id(_taxonomy_objects()[0], hsds_id))


def _service_at_locations(request, pks: list[int]) -> list[dict]:
    """Full service_at_location objects of the given rows, in their order."""
    rows = list(
        ServiceAtLocation.objects.filter(pk__in=pks).values_list("pk", "hsds_id", "service_id")
    )
    services = selectors.visible_services(request.user).filter(
        pk__in={service for _pk, _h, service in rows}
    )
    wanted = {hsds_id for _pk, hsds_id, _s in rows}
    found = {
        obj["id"]: obj
        for obj in hsds.service_at_location_objects(hsds.export_tables(services))
        if obj["id"] in wanted
    }
    order = {pk: hsds_id for pk, hsds_id, _s in rows}
    return [found[order[pk]] for pk in pks if order.get(pk) in found]


@extend_schema(tags=["hsds"], responses=OpenApiTypes.OBJECT)
class HsdsServiceAtLocationListApi(HsdsApi):
    @extend_schema(
        operation_id="hsds_service_at_locations_list",
        parameters=[
            *SERVICE_FILTERS,
            _param("postcode", str, "Only locations with this postal code."),
            _param("proximity", str, "Accepted; Mosty does not sort by distance yet."),
            *PAGE,
        ],
    )
    def get(self, request):
        require(request.user, "service.list")
        page, per_page = _page_params(request)
        rows = ServiceAtLocation.objects.filter(
            service__in=_services(request).values("pk")
        ).order_by("service__name", "location__name", "pk")
        if request.query_params.get("postcode"):
            rows = rows.filter(location__postal_code__iexact=request.query_params["postcode"])
        total = rows.count()
        pks = list(rows.values_list("pk", flat=True)[(page - 1) * per_page : page * per_page])
        contents = _service_at_locations(request, pks) if pks else []
        return Response(page_object(total, page, per_page, contents))


@extend_schema(tags=["hsds"], responses=OpenApiTypes.OBJECT)
class HsdsServiceAtLocationDetailApi(HsdsApi):
    @extend_schema(operation_id="hsds_service_at_locations_get")
    def get(self, request, hsds_id: str):
        require(request.user, "service.view")
        pks = list(
            ServiceAtLocation.objects.filter(
                hsds_id=hsds_id,
                service__in=selectors.visible_services(request.user)
                .filter(status=ServiceStatus.ACTIVE)
                .values("pk"),
            ).values_list("pk", flat=True)
        )
        found = _service_at_locations(request, pks)
        if not found:
            raise Http404
        return Response(found[0])
