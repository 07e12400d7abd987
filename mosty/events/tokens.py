"""Signed links of the events module: a registrant's cancel link and a user's calendar feed.

Their own module because both the services (which hand the links out) and the registration mail
task (which puts the cancel link in the mail) need them; tasks never import services.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing

from mosty.accounts.models import User
from mosty.events.models import Registration

CANCEL_SALT = "mosty.events.registration.cancel"
FEED_SALT = "mosty.events.feed"


def cancel_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=CANCEL_SALT)


def registration_from_token(token: str) -> Registration | None:
    """The registration a mail link names, while the link is younger than
    MOSTY_REGISTRATION_LINK_DAYS (an expired or forged link names none)."""
    try:
        pk = signing.loads(
            token,
            salt=CANCEL_SALT,
            max_age=timedelta(days=settings.MOSTY_REGISTRATION_LINK_DAYS),
        )
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return Registration.objects.select_related("event").filter(pk=pk).first()


def feed_token(user: User) -> str:
    return signing.dumps([user.pk, user.calendar_key], salt=FEED_SALT)


def user_from_feed_token(token: str) -> User | None:
    """The user of a calendar-feed link, unless they have since made a new link."""
    try:
        value = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    # Links made before links could be revoked hold the user id alone: version 0.
    pk, key = value if isinstance(value, list) and len(value) == 2 else (value, 0)
    return User.objects.filter(pk=pk, calendar_key=key, is_active=True).first()
