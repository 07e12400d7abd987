from tests.access_matrix import Route

ANY = frozenset({"*"})


def _enrolled(world):
    """Every user of organisation A has TOTP and recovery codes (each role is a right role)."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    for (org, _role), user in world.users.items():
        if org == "a":
            TOTP.activate(user, generate_totp_secret())
            RecoveryCodes.activate(user)
    return {}


def _asks_to_reauthenticate(response, world):
    assert "/reauthenticate/" in response["Location"], response["Location"]


def _enrolled_mfa_page(name):
    """An enrolled user must confirm who they are again before seeing or changing their
    second factor: the page sends them to reauthenticate."""
    return Route(
        name,
        allowed=ANY,
        kwargs=_enrolled,
        ok=(302,),
        extra_check=_asks_to_reauthenticate,
        note="enrolled user, no recent login: sent to reauthenticate",
    )


ROUTES = [
    Route("healthz", public=True),
    Route(
        "set_language",
        public=True,
        method="post",
        data=lambda w: {"language": "en", "next": "/pl/"},
        ok=(302,),
    ),
    Route("core:home", public=True),
    Route(
        "core:dashboard",
        allowed=ANY,
        reads_personal=True,
        note="for a caseworker: what participants wrote to the team",
    ),
    Route("api:schema", public=True, api=True),
    Route("api:docs", public=True, api=True),
    # django-allauth: public entrance pages and logged-in account pages.
    Route("account_login", public=True, logged_in_ok=(302,)),
    Route("account_logout", public=True, ok=(200, 302)),
    Route("account_inactive", public=True),
    Route(
        "account_signup",
        public=True,
        logged_in_ok=(302,),
        note="sign-up is closed: the page says so",
    ),
    Route("account_reauthenticate", allowed=ANY),
    # Reauthentication by e-mailed code (allauth 65.11+): off like login by code, so both pages
    # send a signed-in user back to the password form; tests/accounts/test_auth.py checks that
    # no code goes out and a guessed one unlocks nothing.
    Route(
        "account_request_reauthentication_code",
        allowed=ANY,
        ok=(302,),
        note="reauthentication by code is off: sends to the password form",
    ),
    Route(
        "account_confirm_reauthentication_code",
        allowed=ANY,
        ok=(302,),
        note="reauthentication by code is off: no code can be pending",
    ),
    Route("account_email", allowed=ANY),
    Route("account_email_verification_sent", public=True),
    Route("account_change_password", allowed=ANY),
    Route(
        "account_set_password",
        allowed=ANY,
        ok=(302,),
        note="users with a password are sent to 'change'",
    ),
    Route("account_reset_password", public=True),
    Route("account_confirm_login_code", public=True, ok=(302,), note="login by code is off"),
    Route(
        "account_confirm_email", public=True, kwargs=lambda w: {"key": "nonsense"}, ok=(200, 404)
    ),
    Route("account_reset_password_from_key_done", public=True),
    Route(
        "account_reset_password_from_key",
        public=True,
        kwargs=lambda w: {"uidb36": "1", "key": "bad-key"},
    ),
    Route("account_reset_password_done", public=True),
    Route("mfa_index", allowed=ANY),
    Route("mfa_authenticate", public=True, ok=(302,), note="only during a login with MFA"),
    Route("mfa_reauthenticate", allowed=ANY, ok=(200, 302)),
    Route("mfa_activate_totp", allowed=ANY, ok=(200, 302)),
    _enrolled_mfa_page("mfa_deactivate_totp"),
    _enrolled_mfa_page("mfa_view_recovery_codes"),
    _enrolled_mfa_page("mfa_generate_recovery_codes"),
    _enrolled_mfa_page("mfa_download_recovery_codes"),
]
