"""Responses that may carry personal data are never stored by browsers or proxies; a query
string no page can read is refused before any page reads it."""

from django.core.exceptions import BadRequest
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response that can hold personal data: anything a
    signed-in user (session or API token) receives, every API answer, and pages reached
    through a personal link (a `token` in the URL: calendar feed, registration, certificate).
    A shared computer's browser cache or a proxy then keeps no copy of a participant's file.
    Public pages (home, directory, knowledge, public events, HSDS) stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # DRF sets it here for token authentication too
        match = getattr(request, "resolver_match", None)
        if (
            (user is not None and user.is_authenticated)
            or request.path_info.startswith("/api/")
            or (match is not None and "token" in match.kwargs)
        ):
            add_never_cache_headers(response)
        return response


class NulQueryMiddleware:
    """A NUL byte in the query string answers 400 Bad Request. No search, filter, code or
    page number holds one, and PostgreSQL refuses to compare text with it: a query that
    reached the database would be a server error (the HSDS API's `language`, a directory
    translation page's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("A NUL byte in the query string.")
        return self.get_response(request)
