"""Rate limits on public forms: one place decides how many submissions a client may make.

Counted per client address in the cache with django-ratelimit (keys are hashed, so the cache
holds no addresses). Only accepted submissions count: someone correcting their mistakes is not
slowed down. The rate is `MOSTY_PUBLIC_FORM_RATE`.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited


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
