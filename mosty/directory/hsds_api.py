"""The Open Referral HSDS 3.0 read API, so other directories can consume Mosty.

Public (like the directory itself). Each view is one operation of Open Referral's OpenAPI
(`hsds_path`): it is routed at that path (`hsds_urls.py`) and documented in Mosty's OpenAPI with
that operation's query parameters and the official schemas of its answer (`HsdsSchema`, from
the vendored files: `mosty.directory.hsds.openapi`). Lists answer with HSDS's page object
(`total_items`, `total_pages`, `page_number`, `size`, `first_page`, `last_page`, `empty`,
`contents`); Mosty adds the `language` and `district` filters of its own directory.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mosty.access.policy import require
from mosty.core.api import AutoSchema
from mosty.directory import hsds, selectors
from mosty.directory.hsds import openapi
from mosty.directory.hsds.export import taxonomy_id, taxonomy_tables
from mosty.directory.models import (
    Category,
    HsdsOrganisation,
    HsdsRecord,
    Service,
    ServiceAtLocation,
    ServiceCategory,
    ServiceStatus,
)
from mosty.organisations.models import Organisation

MAX_PER_PAGE = 200
# The furthest a page may start (SQLite's and PostgreSQL's OFFSET are 64-bit integers).
MAX_OFFSET = 2**62
Obj = dict[str, Any]  # an HSDS object as JSON
# What Mosty does with an official parameter it accepts but does not follow to the letter,
# added to Open Referral's description in the schema.
NOTES = {
    "minimal": "Mosty accepts it and answers whole objects.",
    "full": "Mosty accepts it and always nests whole objects.",
    "format": "Mosty accepts it and answers JSON.",
    "proximity": "Mosty accepts it and does not sort by distance yet.",
}
WHOLE_SERVICES = {
    **NOTES,
    # The compiled organization schema requires each nested service whole (status included).
    "full_service": "Mosty accepts it and nests the services whole.",
}
# Mosty's own filters of its directory, beside the official ones.
LANGUAGE_AND_DISTRICT = [
    OpenApiParameter("language", str, description="Only services offered in this language."),
    OpenApiParameter("district", str, description="Only services in this district (its code)."),
]


def _page_params(request: Request) -> tuple[int, int]:
    page, per_page = (
        request.query_params.get("page", "1"),
        request.query_params.get("per_page", "50"),
    )
    if not (page.isdecimal() and per_page.isdecimal()):
        raise ValidationError({"page": [_("page and per_page must be whole numbers.")]})
    if int(page) < 1 or int(per_page) < 1:
        raise ValidationError({"page": [_("page and per_page start at 1.")]})
    return int(page), min(int(per_page), MAX_PER_PAGE)


def page_object(total: int, page: int, per_page: int, contents: list[Obj]) -> Obj:
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

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser:
        return next(iter(parsers))

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class HsdsSchema(AutoSchema):
    """An HSDS operation as Open Referral's OpenAPI documents it: its query parameters and
    the official schemas of its answer (components named as Open Referral's files:
    `service`, `service_list`, `Page` …), plus the errors Mosty documents for every operation."""

    @property
    def operation(self) -> type[HsdsApi]:
        assert isinstance(self.view, HsdsApi)
        return type(self.view)

    def get_operation_id(self) -> str:
        collection = self.operation.hsds_path.strip("/").split("/")[0] or "root"
        kind = "get" if "{" in self.operation.hsds_path else "list"
        return f"hsds_{collection}_{kind}" if collection != "root" else "hsds_root"

    def get_tags(self) -> list[str]:
        return ["hsds"]

    def get_override_parameters(self) -> list[Any]:
        official = [
            OpenApiParameter(
                p["name"],
                copy.deepcopy(p["schema"]),
                OpenApiParameter.QUERY,
                required=p.get("required", False),
                description=" ".join(
                    filter(None, [p.get("description"), self.operation.notes.get(p["name"])])
                ),
            )
            for p in openapi.query_parameters(self.operation.hsds_path)
        ]
        return [*official, *self.operation.extra_parameters]

    def get_response_serializers(self) -> Any:
        # The components themselves are added by openapi.add_components (a postprocessing
        # hook in SPECTACULAR_SETTINGS), after drf-spectacular's own hooks.
        description, schema = openapi.response(self.operation.hsds_path)
        return {200: OpenApiResponse(response=schema, description=description)}


class HsdsApi(APIView):
    """One operation of Open Referral's OpenAPI, at `hsds_path` there."""

    permission_classes = [AllowAny]
    authentication_classes = []  # public data: no session, no CSRF
    content_negotiation_class = JsonOnly
    schema = HsdsSchema()
    hsds_path: ClassVar[str]
    url_name: ClassVar[str]
    extra_parameters: ClassVar[list[OpenApiParameter]] = []
    notes: ClassVar[dict[str, str]] = NOTES


class HsdsListApi(HsdsApi):
    """A list operation: one page of `contents` in HSDS's page object."""

    def get(self, request: Request) -> Response:
        require(request.user, "service.list")
        page, per_page = _page_params(request)
        start, end = (page - 1) * per_page, page * per_page
        if start > MAX_OFFSET:  # empty, as any page past the end; no database skips so far
            start = end = 0
        total, contents = self.page(request, start, end)
        return Response(page_object(total, page, per_page, contents))

    def page(self, request: Request, start: int, end: int) -> tuple[int, list[Obj]]:
        """The number of all matching objects, and the objects from `start` to `end`."""
        raise NotImplementedError


class HsdsDetailApi(HsdsApi):
    """A detail operation: the object with this HSDS id, or 404."""

    def get(self, request: Request, hsds_id: str) -> Response:
        require(request.user, "service.view")
        found = self.find(request, hsds_id)
        if found is None:
            raise Http404
        return Response(found)

    def find(self, request: Request, hsds_id: str) -> Obj | None:
        raise NotImplementedError


def _sliced(rows: QuerySet[Any], start: int, end: int, field: str = "pk") -> tuple[int, list[Any]]:
    return rows.count(), list(rows.values_list(field, flat=True)[start:end])


def _in_order(objects: list[Obj], ids: list[str]) -> list[Obj]:
    order = {hsds_id: i for i, hsds_id in enumerate(ids)}
    return sorted(objects, key=lambda o: order.get(o["id"], len(order)))


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in {"1", "true"}


def _organisation_pk(hsds_id: str) -> int | None:
    return (
        HsdsOrganisation.objects.filter(hsds_id=hsds_id)
        .values_list("organisation_id", flat=True)
        .first()
    )


def _term_ids_of_taxonomy(value: str) -> set[str]:
    # Unordered: the categories' own order (by name) would make DISTINCT keep a row per name.
    names = [
        n
        for n in Category.objects.order_by().values_list("taxonomy", flat=True).distinct()
        if taxonomy_id(n) == value
    ]
    ids = set(Category.objects.filter(taxonomy__in=names).values_list("hsds_id", flat=True))
    ids.update(
        HsdsRecord.objects.filter(table="taxonomy_terms", data__taxonomy_id=value).values_list(
            "hsds_id", flat=True
        )
    )
    return ids


def _with_term(services: QuerySet[Service], term_ids: Iterable[str]) -> QuerySet[Service]:
    return services.filter(
        Exists(
            ServiceCategory.objects.filter(service=OuterRef("pk"), category__hsds_id__in=term_ids)
        )
    )


def _moment(value: str) -> datetime:
    """A date or date-time (ISO 8601), else a 400 (also for a well-formed impossible date)."""
    try:
        moment = parse_datetime(value)
        day = None if moment else parse_date(value)
    except ValueError:
        moment = day = None
    if day is not None:
        moment = datetime.combine(day, datetime.min.time())
    if moment is None:
        raise ValidationError({"modified_after": [_("Give a date or date-time (ISO 8601).")]})
    # A date or a time without an offset is the city's local time.
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _services(request: Request) -> QuerySet[Service]:
    """The active services the official filters (and Mosty's own) leave, in name order."""
    services = selectors.visible_services(request.user).filter(status=ServiceStatus.ACTIVE)
    params = request.query_params
    if params.get("search"):
        q = params["search"]
        services = services.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if params.get("taxonomy_term_id"):
        services = _with_term(services, [params["taxonomy_term_id"]])
    if params.get("taxonomy_id"):
        services = _with_term(services, _term_ids_of_taxonomy(params["taxonomy_id"]))
    if params.get("organization_id"):
        services = services.filter(organisation_id=_organisation_pk(params["organization_id"]))
    if params.get("modified_after"):
        services = services.filter(updated_at__gt=_moment(params["modified_after"]))
    filters = {k: params.get(k) for k in ("language", "district") if params.get(k)}
    if filters:
        services = services.filter(
            pk__in=selectors.service_search(fetched_by=request.user, filters=filters).values("pk")
        )
    return services.order_by("name", "pk")


class HsdsRootApi(HsdsApi):
    hsds_path = "/"
    url_name = "root"

    def get(self, request: Request) -> Response:
        return Response(
            {
                "version": hsds.HSDS_VERSION,
                "profile": "https://docs.openreferral.org/en/latest/hsds/",
                "openapi_url": request.build_absolute_uri("/api/schema/"),
            }
        )


def _service_objects(request: Request, ids: list[str]) -> list[Obj]:
    services = selectors.visible_services(request.user).filter(hsds_id__in=ids)
    return _in_order(hsds.service_objects(hsds.export_tables(services)), ids)


class HsdsServiceListApi(HsdsListApi):
    hsds_path = "/services"
    url_name = "services"
    extra_parameters = LANGUAGE_AND_DISTRICT

    def page(self, request: Request, start: int, end: int) -> tuple[int, list[Obj]]:
        total, ids = _sliced(_services(request), start, end, "hsds_id")
        return total, _service_objects(request, ids) if ids else []


class HsdsServiceDetailApi(HsdsDetailApi):
    hsds_path = "/services/{id}"
    url_name = "service"

    def find(self, request: Request, hsds_id: str) -> Obj | None:
        return next(iter(_service_objects(request, [hsds_id])), None)


def _organization_objects(request: Request, pks: list[int], *, full: bool) -> list[Obj]:
    """The organizations (in this order) with their active services: whole when `full`,
    otherwise only each service's id and name (Open Referral's `full_service`)."""
    active = selectors.visible_services(request.user).filter(
        status=ServiceStatus.ACTIVE, organisation_id__in=pks
    )
    tables = hsds.export_tables(active)
    found = hsds.organization_objects(tables)
    if not full:
        for o in found:
            o["services"] = [{"id": s["id"], "name": s["name"]} for s in o["services"]]
    return _in_order(found, [o["id"] for o in tables["organizations"]])


class HsdsOrganizationListApi(HsdsListApi):
    hsds_path = "/organizations"
    url_name = "organizations"

    def page(self, request: Request, start: int, end: int) -> tuple[int, list[Obj]]:
        active = selectors.visible_services(request.user).filter(status=ServiceStatus.ACTIVE)
        orgs = Organisation.objects.filter(
            is_active=True, pk__in=active.values("organisation_id")
        ).order_by("name", "pk")
        if request.query_params.get("search"):
            orgs = orgs.filter(name__icontains=request.query_params["search"])
        total, pks = _sliced(orgs, start, end)
        full = _flag(request, "full_service")
        return total, _organization_objects(request, pks, full=full) if pks else []


class HsdsOrganizationDetailApi(HsdsDetailApi):
    hsds_path = "/organizations/{id}"
    url_name = "organization"
    notes = WHOLE_SERVICES

    def find(self, request: Request, hsds_id: str) -> Obj | None:
        pk = _organisation_pk(hsds_id)
        if pk is None:
            return None
        return next(iter(_organization_objects(request, [pk], full=True)), None)


def _taxonomy_objects() -> tuple[list[Obj], list[Obj]]:
    tables = taxonomy_tables()
    taxonomies = [hsds.package.typed("taxonomies", t) for t in tables["taxonomies"]]
    nester = hsds.package.Nester(tables)
    terms = [nester.obj("taxonomy_terms", t) for t in tables["taxonomy_terms"]]
    for term in terms:
        term.pop("attributes", None)  # the taxonomy_term schema has none
    return taxonomies, terms


def _matches(obj: Obj, search: str) -> bool:
    text = f"{obj.get('name', '')} {obj.get('description', '')} {obj.get('code', '')}"
    return search.lower() in text.lower()


def _by_id(objects: list[Obj], hsds_id: str) -> Obj | None:
    return next((o for o in objects if o["id"] == hsds_id), None)


class HsdsTaxonomyTermListApi(HsdsListApi):
    hsds_path = "/taxonomy_terms"
    url_name = "taxonomy_terms"

    def page(self, request: Request, start: int, end: int) -> tuple[int, list[Obj]]:
        params = request.query_params
        terms = _taxonomy_objects()[1]
        if params.get("search"):
            terms = [t for t in terms if _matches(t, params["search"])]
        if params.get("taxonomy_id"):
            terms = [t for t in terms if str(t.get("taxonomy_id")) == params["taxonomy_id"]]
        if params.get("parent_id"):
            terms = [t for t in terms if str(t.get("parent_id")) == params["parent_id"]]
        if _flag(request, "top_only"):
            terms = [t for t in terms if not t.get("parent_id")]
        return len(terms), terms[start:end]


# A taxonomy or a term by id among the objects `_taxonomy_objects` builds (`which`: 0 the
# taxonomies, 1 the terms). A comment, not a docstring: the OpenAPI description of its
# operations stays HsdsDetailApi's.
class _TaxonomyDetailApi(HsdsDetailApi):
    which: ClassVar[int]

    def find(self, request: Request, hsds_id: str) -> Obj | None:
        return _by_id(_taxonomy_objects()[self.which], hsds_id)


class HsdsTaxonomyTermDetailApi(_TaxonomyDetailApi):
    hsds_path = "/taxonomy_terms/{id}"
    url_name = "taxonomy_term"
    which = 1


class HsdsTaxonomyListApi(HsdsListApi):
    hsds_path = "/taxonomies"
    url_name = "taxonomies"

    def page(self, request: Request, start: int, end: int) -> tuple[int, list[Obj]]:
        taxonomies = _taxonomy_objects()[0]
        if request.query_params.get("search"):
            taxonomies = [t for t in taxonomies if _matches(t, request.query_params["search"])]
        return len(taxonomies), taxonomies[start:end]


class HsdsTaxonomyDetailApi(_TaxonomyDetailApi):
    hsds_path = "/taxonomies/{id}"
    url_name = "taxonomy"
    which = 0


def _service_at_locations(request: Request, pks: list[int]) -> list[Obj]:
    """Full service_at_location objects of the given rows, in their order."""
    rows = list(
        ServiceAtLocation.objects.filter(pk__in=pks).values_list("pk", "hsds_id", "service_id")
    )
    services = selectors.visible_services(request.user).filter(
        pk__in={service for _pk, _h, service in rows}
    )
    wanted = {hsds_id for _pk, hsds_id, _s in rows}
    found = [
        obj
        for obj in hsds.service_at_location_objects(hsds.export_tables(services))
        if obj["id"] in wanted
    ]
    by_pk = dict((pk, hsds_id) for pk, hsds_id, _s in rows)
    return _in_order(found, [by_pk[pk] for pk in pks if pk in by_pk])


class HsdsServiceAtLocationListApi(HsdsListApi):
    hsds_path = "/service_at_locations"
    url_name = "service_at_locations"
    extra_parameters = LANGUAGE_AND_DISTRICT

    def page(self, request: Request, start: int, end: int) -> tuple[int, list[Obj]]:
        rows = ServiceAtLocation.objects.filter(
            service__in=_services(request).values("pk")
        ).order_by("service__name", "location__name", "pk")
        if request.query_params.get("postcode"):
            rows = rows.filter(location__postal_code__iexact=request.query_params["postcode"])
        total, pks = _sliced(rows, start, end)
        return total, _service_at_locations(request, pks) if pks else []


class HsdsServiceAtLocationDetailApi(HsdsDetailApi):
    hsds_path = "/service_at_locations/{id}"
    url_name = "service_at_location"

    def find(self, request: Request, hsds_id: str) -> Obj | None:
        active = selectors.visible_services(request.user).filter(status=ServiceStatus.ACTIVE)
        pks = list(
            ServiceAtLocation.objects.filter(
                hsds_id=hsds_id, service__in=active.values("pk")
            ).values_list("pk", flat=True)
        )
        return next(iter(_service_at_locations(request, pks)), None)


# Every operation of Open Referral's OpenAPI, in its order (`hsds_urls.py` routes them).
OPERATIONS: list[type[HsdsApi]] = [
    HsdsRootApi,
    HsdsServiceListApi,
    HsdsServiceDetailApi,
    HsdsOrganizationListApi,
    HsdsOrganizationDetailApi,
    HsdsTaxonomyTermListApi,
    HsdsTaxonomyTermDetailApi,
    HsdsTaxonomyListApi,
    HsdsTaxonomyDetailApi,
    HsdsServiceAtLocationListApi,
    HsdsServiceAtLocationDetailApi,
]
