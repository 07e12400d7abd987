"""Shared API pieces: JSON errors with 4xx codes, denials audited, and the schema that
documents them (request limits: api_limits)."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import DataError
from django.http import Http404
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import get_doc
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from mosty.access.audit import audit_read, audit_reads
from mosty.access.middleware import audit_denial
from mosty.access.policy import require
from mosty.core import api_messages
from mosty.core.models import EditConflict


def _is_id_out_of_range(exc) -> bool:
    """A path id larger than the database's integers (`/articles/99999999999999999999/`):
    SQLite raises OverflowError, PostgreSQL a DataError. No such object, not a server error."""
    return isinstance(exc, OverflowError) or (
        isinstance(exc, DataError) and "out of range" in str(exc)
    )


def _is_nul_refused(exc) -> bool:
    """A NUL byte in a value a query looks up (a slug, a code): psycopg refuses to send it to
    PostgreSQL before the query runs, so the transaction is still usable."""
    return isinstance(exc, DataError) and "NUL (0x00)" in str(exc)


def exception_handler(exc, context):
    # Django's 404 says "No Case matches the given query." and `require` names the rule it
    # refused ("cases.case_view"), both in English: the caller gets DRF's translated message
    # instead, and the audit log keeps the rule.
    if _is_id_out_of_range(exc) or isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if _is_nul_refused(exc):
        exc = exceptions.ValidationError(
            {"non_field_errors": [ProhibitNullCharactersValidator.message]}
        )
    if isinstance(exc, EditConflict):
        # Someone saved the record after the client read its `version`: nothing was written.
        return Response({"non_field_errors": exc.messages}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail=detail)
    request = context.get("request")
    if (
        isinstance(exc, exceptions.PermissionDenied | DjangoPermissionDenied)
        and request is not None
    ):
        audit_denial(request, str(getattr(exc, "detail", exc)))
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        exc.detail = _translated(exc.detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    return response


def _translated(detail):
    """DRF's few untranslated messages (`api_messages.NO_DATA`), in the caller's language."""
    if isinstance(detail, dict):
        return {key: _translated(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_translated(value) for value in detail]
    english, ours = api_messages.NO_DATA
    if isinstance(detail, exceptions.ErrorDetail) and str(detail) == english:
        return exceptions.ErrorDetail(str(ours), code=detail.code)
    return detail


def validation_error(detail) -> Response:
    return Response(detail, status=status.HTTP_400_BAD_REQUEST)


class ErrorSerializer(serializers.Serializer):
    """Every 4xx answer (exception_handler above): `detail` says why a request was refused;
    invalid input names each field with its messages (`{"email": ["..."]}`), and problems
    that belong to no field are under `non_field_errors`."""

    detail = serializers.CharField(required=False)
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


class AutoSchema(SpectacularAutoSchema):
    """Names nested serializers after their view (HackSoft style: `CaseCreateApi.InputSerializer`
    becomes the component `CaseCreateInput`), so every endpoint's input has its own name.

    Every operation also documents the errors it can answer with, so clients (and
    schemathesis) know them: 400 for input, 401/403 where a login and a permission are
    needed, 404 where an object or a page is looked up, 429 where requests are throttled."""

    def _error_codes(self) -> dict[str, str]:
        codes = {}
        if self.method in ("POST", "PUT", "PATCH") or any(
            p.get("in") == "query" for p in self._get_parameters()
        ):
            codes["400"] = "Invalid input: messages by field name."
        if not all(isinstance(p, permissions.AllowAny) for p in self.view.get_permissions()):
            codes["401"] = "Not logged in: no valid session or API token."
            codes["403"] = "Logged in, but the access policy does not allow this."
        if "{" in self.path or self._is_list_view():
            codes["404"] = "No such object (or not visible to the caller), or no such page."
        if self.view.get_throttles():
            codes["429"] = "Too many requests; try again later."
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in self._error_codes().items():
            if code not in responses:
                responses[code] = {
                    **self._get_response_for_code(ErrorSerializer, code, direction=direction),
                    "description": description,
                }
        return responses

    def get_description(self):
        """The endpoint's own docstring, else its named service's: never the docstring of a
        shared base class (`ObjectActionApi`, `CreateApi`…), which would describe every
        endpoint built on it alike."""
        method = getattr(self.view, getattr(self.view, "action", None) or self.method.lower(), None)
        if method is not None and _own_module(getattr(method, "__module__", "")):
            doc = get_doc(method)
            if doc:
                return doc
        for cls in type(self.view).__mro__:
            if not _own_module(cls.__module__):
                continue
            doc = cls.__dict__.get("__doc__")
            if doc:
                return get_doc(cls)
        service = getattr(type(self.view), "service", None)
        return get_doc(service) if callable(service) else ""

    def get_serializer_name(self, serializer, direction):
        name = super().get_serializer_name(serializer, direction)
        cls = serializer if isinstance(serializer, type) else type(serializer)
        outer, _, inner = cls.__qualname__.rpartition(".")
        if outer and "<locals>" not in outer:
            return outer.split(".")[-1].removesuffix("Api") + inner
        return name


def _own_module(module: str) -> bool:
    """Whether code in `module` describes one endpoint (an app's), not every endpoint built on
    a shared base (this module, DRF, Django)."""
    return module.startswith("mosty.") and module != __name__


def parse_input(
    serializer_class: type[serializers.Serializer], request, *, partial: bool = False
) -> dict[str, Any]:
    """The request body, validated by `serializer_class` (an `InputSerializer`); bad input
    raises DRF's ValidationError, answered as a 400 with the messages by field."""
    return _validated(serializer_class, request.data, partial=partial)


def parse_query(serializer_class: type[serializers.Serializer], params) -> dict[str, Any]:
    """Query parameters validated by `serializer_class`; a bad value is a 400 with the
    messages by parameter, as for `parse_input`."""
    return _validated(serializer_class, params)


def _validated(serializer_class, data, *, partial: bool = False) -> dict[str, Any]:
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def choice_param(params, name: str, choices) -> str | None:
    """A query parameter restricted to `choices` (a TextChoices' `.values`), else None."""
    value = params.get(name)
    return value if value in choices else None


def flag_param(params, name: str) -> bool:
    return params.get(name) in {"1", "true", "yes"}


class ObjectActionApi(APIView):
    """A POST about one object: `selector` finds it for the caller (404 for what they may not
    see) → `require(permission, obj)` → the body validated by `input_serializer` →
    `act(obj, data)` (the service call, with `by=request.user`) → what it returns, in
    `output_serializer`, with 201 when `created` (a new record) and 200 otherwise.

    An action without a body (accept, cancel) leaves `input_serializer` out: `data` is empty.
    One that returns several records (offers to several people) sets `many`."""

    # (Comments, not the docstring: the docstring is the OpenAPI description of every
    # endpoint that has none of its own.) As on pages (`ObjectPage.service`), `act` calls the
    # named `service` by default, `service(<object_kwarg>=obj, by=request.user, **data)`; an
    # action that needs more overrides `act`.

    selector: Any = None
    permission: str | None = None
    input_serializer: type[serializers.Serializer] | None = None
    output_serializer: type[serializers.BaseSerializer]
    created = False
    many = False
    service: Any = None  # a function; Any lets each endpoint name its own
    object_kwarg: str = ""

    def act(self, obj, data: dict[str, Any]):
        service = type(self).service
        if service is None or not self.object_kwarg:
            raise NotImplementedError
        return service(**{self.object_kwarg: obj}, by=self.request.user, **data)

    def post(self, request, pk: int):
        obj = type(self).selector(fetched_by=request.user, pk=pk)
        if self.permission:
            require(request.user, self.permission, obj)
        data = parse_input(self.input_serializer, request) if self.input_serializer else {}
        result = self.act(obj, data)
        return Response(
            self.output_serializer(result, many=self.many).data,
            status=status.HTTP_201_CREATED if self.created else status.HTTP_200_OK,
        )


class AuditedListApi(ListAPIView):
    """The one flow of an API list: `require(permission)` → `filters(params)` → `rows()`
    (the selector, with `fetched_by`) → paginate → record reads of the page's people.

    Subclasses set `serializer_class`, `permission`, `audit_fields` (what each row shows of
    a person; empty when rows hold no personal data), `filter_serializer` where the list
    takes validated parameters (or define `filters(params)`), and name the `selector` of the
    rows (called with `fetched_by` and `filters`) or define `rows(filters)`."""

    permission: str | None = None
    audit_fields: tuple[str, ...] | list[str] = ()
    filter_serializer: type[serializers.Serializer] | None = None
    selector: Callable[..., Any] | None = None
    # False: the selector takes no filters and lists all the caller may see
    # (`selector(fetched_by=user)`).
    filtered: bool = True

    def filters(self, params) -> dict:
        if self.filter_serializer is None:
            return {}
        return parse_query(self.filter_serializer, params)

    def rows(self, filters: dict):
        selector = type(self).selector
        if selector is None:
            raise NotImplementedError
        if not self.filtered:
            return selector(fetched_by=self.request.user)
        return selector(fetched_by=self.request.user, filters=filters)

    def shown(self, page):
        return page

    def get_queryset(self):
        if self.permission:
            require(self.request.user, self.permission)
        return self.rows(self.filters(self.request.query_params))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if self.audit_fields:
            audit_reads(
                self.request.user,
                list(self.shown(queryset if page is None else page)),
                fields=list(self.audit_fields),
            )
        return page


class AuditedDetailApi(APIView):
    """GET one object: `selector` or `get_object(pk)` (a selector that knows who asks; 404 for what the
    caller may not see) → `require(permission, obj)` → record the read → serialise.

    `audit(obj)` and `serialize(obj)` are the steps a particular endpoint may extend: a read
    whose fields depend on the caller, an answer about a part of the object (a case's notes)."""

    serializer_class: type[serializers.BaseSerializer]
    permission: str | None = None
    read_fields: tuple[str, ...] | list[str] = ()
    # The URL's name for what identifies the object (`pk`, or `slug` for a public page).
    lookup_url_kwarg: str = "pk"
    # The selector that finds the object for the caller (`selector(fetched_by=user, pk=pk)`);
    # an endpoint that finds it otherwise overrides `get_object(pk)`.
    selector: Callable[..., Any] | None = None

    def get_object(self, pk):
        """`pk` is the URL's `lookup_url_kwarg` value (an int for `<int:pk>`)."""
        selector = type(self).selector
        if selector is None:
            raise NotImplementedError
        return selector(fetched_by=self.request.user, pk=pk)

    def shown(self, obj):
        """The personal record the answer shows (the object itself by default; a match shows
        its participant)."""
        return obj

    def audit(self, obj) -> None:
        if self.read_fields:
            audit_read(self.request.user, self.shown(obj), fields=list(self.read_fields))

    def serialize(self, obj):
        return self.serializer_class(obj, context={"request": self.request}).data

    def get(self, request, pk=None, **kwargs):
        obj = self.get_object(
            pk if self.lookup_url_kwarg == "pk" else kwargs[self.lookup_url_kwarg]
        )
        if self.permission:
            require(request.user, self.permission, obj)
        self.audit(obj)
        return Response(self.serialize(obj))


# Creating a record --------------------------------------------------------------------------


class CreateApi(APIView):
    """A POST that creates a record: `require(permission)` → the body validated by
    `input_serializer` → `create(data)` (by default `service(by=request.user, **data)`) → 201
    with what it returns in `output_serializer`. Subclasses declare the schema on the class
    (`@extend_schema(request=…, responses=…)`)."""

    permission: str | None = None
    input_serializer: type[serializers.Serializer]
    output_serializer: type[serializers.BaseSerializer]
    service: Any = None

    def create(self, data: dict[str, Any]) -> Any:
        service = type(self).service
        if service is None:
            raise NotImplementedError
        return service(by=self.request.user, **data)

    def post(self, request):
        if self.permission:
            require(request.user, self.permission)
        result = self.create(parse_input(self.input_serializer, request))
        return Response(
            self.output_serializer(result, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
