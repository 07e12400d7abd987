"""API tokens that expire, and that a staff member without MFA cannot use when MFA is required."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from mosty.access.domains.accounts import must_enrol_mfa


def token_expires_at(token):
    return token.created + timedelta(days=settings.MOSTY_API_TOKEN_DAYS)


def token_is_expired(token, now=None) -> bool:
    return (now or timezone.now()) >= token_expires_at(token)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …` as DRF reads it, plus two refusals: an expired token is a 401,
    and with MOSTY_REQUIRE_MFA a staff member who has not enrolled MFA gets a 403, as their
    session would (RequireMfaMiddleware cannot see a token: DRF authenticates after it)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            raise exceptions.AuthenticationFailed(
                _("This API token has expired. Create a new one on your API token page.")
            )
        if settings.REQUIRE_MFA and must_enrol_mfa(user):
            raise exceptions.PermissionDenied(
                _("Enrol two-factor authentication before using the API.")
            )
        return user, token
