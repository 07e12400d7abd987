"""Rate limits and the client's address: one place decides both.

Public forms: counted per client address in the cache with django-ratelimit (keys are hashed,
so the cache holds no addresses). Only accepted submissions count: someone correcting their
mistakes is not slowed down. The rate is `MOSTY_PUBLIC_FORM_RATE`.

The cache is shared by every app-server process (the database cache by default, Redis when
`MOSTY_REDIS_URL` is set), so a limit holds however many processes serve the requests.
`client_ip()` is the address that django-ratelimit, allauth's login lockout, DRF throttling and
the audit log all use.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited


def client_ip(request) -> str | None:
    """The client's address: `MOSTY_CLIENT_IP_HEADER` behind a reverse proxy, else the peer.

    For a list header (X-Forwarded-For) the last entry counts: it is the one our proxy added;
    entries before it come from the client and can be forged."""
    header = settings.MOSTY_CLIENT_IP_HEADER
    if header:
        value = request.META.get(header, "").rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            pass  # header missing or garbled: fall back to the peer address
    return request.META.get("REMOTE_ADDR") or None


def public_form_spent(request, group: str) -> bool:
    """Count one accepted submission of `group` from this client; True if over the limit."""
    return is_ratelimited(
        request,
        group=f"mosty.{group}",
        key="ip",
        rate=settings.MOSTY_PUBLIC_FORM_RATE,
        method="POST",
        increment=True,
    )


def spent_message() -> str:
    return _(
        "Too many submissions have come from your network in a short time. Please try again later."
    )
