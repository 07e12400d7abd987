"""Limits on API requests, named in settings.REST_FRAMEWORK: bounded JSON bodies, throttling.

Kept apart from mosty.core.api because DRF imports these while `rest_framework.views` loads.
"""

import json

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, throttling

from mosty.core.ratelimit import client_ip

# Deepest nesting of arrays and objects a request body may have (Mosty's own inputs need 3).
MAX_JSON_DEPTH = 32


def _json_depth(data) -> int:
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                break
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's parser, with a 400 for bodies nested deeper than MAX_JSON_DEPTH (Python's parser
    would otherwise raise RecursionError, a 500, from a few thousand levels)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except exceptions.ParseError as exc:
            # DRF's message is "JSON parse error - " and the decoder's words, in English.
            cause = exc.__context__
            if isinstance(cause, json.JSONDecodeError):
                raise exceptions.ParseError(
                    _("The request body is not valid JSON (line %(line)s, column %(column)s).")
                    % {"line": cause.lineno, "column": cause.colno}
                ) from None
            raise exceptions.ParseError(_("The request body is not valid JSON.")) from None
        except RecursionError:
            data = None
            too_deep = True
        else:
            too_deep = _json_depth(data) > MAX_JSON_DEPTH
        if too_deep:
            raise exceptions.ParseError(
                _("The JSON is nested more than %(depth)s levels deep.") % {"depth": MAX_JSON_DEPTH}
            )
        return data


class _ClientIpIdent:
    """Throttles count by the same client address as every other limit (mosty.core.ratelimit)."""

    def get_ident(self, request):
        return client_ip(request) or "unknown"


class AnonymousApiThrottle(_ClientIpIdent, throttling.AnonRateThrottle):
    """Anonymous calls (the public HSDS API) per client address: MOSTY_API_ANON_RATE."""


class UserApiThrottle(_ClientIpIdent, throttling.UserRateThrottle):
    """Authenticated calls (token or session) per user: MOSTY_API_USER_RATE."""
