"""Signed links of an alert subscription: confirm (double opt-in) and unsubscribe.

Their own module because the services (which mail the confirmation link), the alert task (which
puts the unsubscribe link in every alert) and the pages all need them; tasks never import
services.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing

from mosty.participation.models import AlertSubscription

CONFIRM_SALT = "mosty.participation.alert.confirm"
UNSUBSCRIBE_SALT = "mosty.participation.alert.unsubscribe"
# A confirmation link older than this confirms nothing: subscribe again.
CONFIRM_DAYS = 7


def confirm_token(subscription: AlertSubscription) -> str:
    return signing.dumps([subscription.pk, subscription.key], salt=CONFIRM_SALT)


def unsubscribe_token(subscription: AlertSubscription) -> str:
    return signing.dumps([subscription.pk, subscription.key], salt=UNSUBSCRIBE_SALT)


def _subscription(token: str, salt: str, max_age: timedelta | None) -> AlertSubscription | None:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not (isinstance(value, list) and len(value) == 2):
        return None
    pk, key = value
    # The key changes when the address subscribes again, so an old link stops working.
    return AlertSubscription.objects.filter(pk=pk, key=key).first()


def subscription_from_confirm_token(token: str) -> AlertSubscription | None:
    return _subscription(token, CONFIRM_SALT, timedelta(days=CONFIRM_DAYS))


def subscription_from_unsubscribe_token(token: str) -> AlertSubscription | None:
    return _subscription(token, UNSUBSCRIBE_SALT, None)
