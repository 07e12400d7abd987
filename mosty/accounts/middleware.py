from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from mosty.access.domains.accounts import must_enrol_mfa

# Paths a staff member without MFA may still reach: enrolment, logout, static files, health.
_OPEN_PREFIXES = ("/static/", "/healthz", "/api/schema")


class RequireMfaMiddleware:
    """In production, admins, coordinators and caseworkers must enrol MFA before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.REQUIRE_MFA
            and request.user.is_authenticated
            and not self._is_open(request.path)
        ):
            if must_enrol_mfa(request.user):
                if request.path.startswith("/api/"):
                    from django.http import JsonResponse
                    from django.utils.translation import gettext as _

                    return JsonResponse(
                        {"detail": _("Enrol two-factor authentication before using the API.")},
                        status=403,
                    )
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        if path.startswith(_OPEN_PREFIXES):
            return True
        # Language-prefixed account pages: /pl/accounts/..., including MFA enrolment itself.
        parts = path.split("/", 3)
        return len(parts) > 2 and parts[2] == "accounts" or path == reverse("account_logout")
