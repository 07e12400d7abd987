"""Signed links of the events module: a registrant's cancel link and a user's calendar feed.

Their own module because both the services (which hand the links out) and the registration mail
task (which puts the cancel link in the mail) need them; tasks never import services.
"""

from __future__ import annotations

from django.core import signing

from mosty.accounts.models import User
from mosty.events.models import Registration

CANCEL_SALT = "mosty.events.registration.cancel"
FEED_SALT = "mosty.events.feed"


def cancel_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=CANCEL_SALT)


def registration_from_token(token: str) -> Registration | None:
    try:
        pk = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    return Registration.objects.select_related("event").filter(pk=pk).first()


def feed_token(user: User) -> str:
    return signing.dumps(user.pk, salt=FEED_SALT)


def user_from_feed_token(token: str) -> User | None:
    try:
        pk = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()
