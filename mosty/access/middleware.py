import re
import uuid

from django.core.exceptions import PermissionDenied

from mosty.access.audit import AuditContext, audit, reset_context, set_context
from mosty.core.ratelimit import client_ip

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Gives every request an id (or keeps a sane X-Request-ID) and opens the audit context."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        # The context holds the request, not its user: the user is read when an event is written,
        # so it is whoever authenticated by then (session here, a token inside a DRF view).
        token = set_context(
            AuditContext(None, "anonymous", request.request_id, client_ip(request), request)
        )
        try:
            response = self.get_response(request)
        finally:
            reset_context(token)
        response["X-Request-ID"] = request.request_id
        return response


class AuditDenialMiddleware:
    """Audits permission denials raised by views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            audit_denial(request, str(exception))
        return None


def audit_denial(request, action: str = "") -> None:
    audit(
        request.user if request.user.is_authenticated else None,
        "mosty.access.denied",
        details={"path": request.path[:300], "method": request.method, "rule": action[:120]},
    )
