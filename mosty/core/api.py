"""Shared API pieces: JSON errors with 4xx codes, denials audited (request limits: api_limits)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from mosty.access.middleware import audit_denial


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail=detail)
    response = drf_exception_handler(exc, context)
    request = context.get("request")
    if (
        isinstance(exc, exceptions.PermissionDenied | DjangoPermissionDenied)
        and request is not None
    ):
        audit_denial(request, str(getattr(exc, "detail", exc)))
    if response is None:
        return None
    if isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    return response


def validation_error(detail) -> Response:
    return Response(detail, status=status.HTTP_400_BAD_REQUEST)


class AutoSchema(SpectacularAutoSchema):
    """Names nested serializers after their view (HackSoft style: `CaseCreateApi.InputSerializer`
    becomes the component `CaseCreateInput`), so every endpoint's input has its own name."""

    def get_serializer_name(self, serializer, direction):
        name = super().get_serializer_name(serializer, direction)
        cls = serializer if isinstance(serializer, type) else type(serializer)
        outer, _, inner = cls.__qualname__.rpartition(".")
        if outer and "<locals>" not in outer:
            return outer.split(".")[-1].removesuffix("Api") + inner
        return name
