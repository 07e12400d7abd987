import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail

from mosty.access.models import AuditEvent
from tests.conftest import PASSWORD


def log_in(client, email: str, password: str = PASSWORD):
    return client.post("/en/accounts/login/", {"login": email, "password": password})


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_login_and_logout_are_audited(client, world):
    user = world.user("caseworker")
    response = log_in(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == "/en/dashboard/"
    assert AuditEvent.objects.filter(action="mosty.auth.login", actor=user).exists()
    client.post("/en/accounts/logout/")
    assert AuditEvent.objects.filter(action="mosty.auth.logout", actor=user).exists()


def test_failed_logins_are_audited_and_then_locked_out(client, world, settings):
    user = world.user("caseworker")
    for _ in range(settings.LOGIN_FAILURES_ALLOWED):
        response = log_in(client, user.email, "wrong password")
        assert response.status_code == 200
    failures = AuditEvent.objects.filter(action="mosty.auth.login_failed")
    assert failures.count() == settings.LOGIN_FAILURES_ALLOWED
    assert failures.first().details["email"] == user.email
    # Locked: even the right password is refused for a while.
    response = log_in(client, user.email)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_password_reset_mail_goes_through_the_task_queue(client, transactional_db):
    # Transactional: the worker closes its database connection between tasks, as in production.
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from tests.conftest import build_world

    user = build_world().user("mentor")
    response = client.post("/en/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    # The mail was enqueued, not sent inside the request.
    assert len(mail.outbox) == 0
    assert DBTaskResult.objects.filter(task_path__endswith="send_email").count() == 1
    call_command("db_worker", batch=True, verbosity=0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_reauthentication_by_code_cannot_replace_the_password(client, world):
    """Security-relevant pages ask for the password again; the code route must not bypass it."""
    user = world.user("coordinator")
    log_in(client, user.email)
    mail.outbox.clear()
    response = client.post("/en/accounts/reauthenticate/code/", {"email": user.email})
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/reauthenticate/")
    assert mail.outbox == []  # no code was sent
    client.post("/en/accounts/reauthenticate/code/confirm/", {"code": "123456"})
    # Still not reauthenticated: enrolling MFA asks for the password.
    response = client.get("/en/accounts/2fa/totp/activate/")
    assert "/accounts/reauthenticate/" in response["Location"]


def test_totp_enrolment_with_recovery_codes(client, world):
    user = world.user("coordinator")
    log_in(client, user.email)
    # Enrolling asks for the password again first (allauth's reauthentication).
    response = client.get("/en/accounts/2fa/totp/activate/")
    assert "/accounts/reauthenticate/" in response["Location"]
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/en/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(
        "/en/accounts/2fa/totp/activate/",
        {"code": "000000" if totp_now(secret) != "000000" else "111111"},
    )
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    assert types == {"totp", "recovery_codes"}
    assert (
        AuditEvent.objects.filter(action="mosty.mfa.authenticator.created", actor=user).count() == 2
    )
    # From now on, a login asks for the second factor.
    client.post("/en/accounts/logout/")
    response = log_in(client, user.email)
    assert response["Location"].endswith("/accounts/2fa/authenticate/")
    response = client.post("/en/accounts/2fa/authenticate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert client.get("/en/dashboard/").status_code == 200


@pytest.mark.parametrize(
    ("role", "forced"),
    [
        ("admin", True),
        ("coordinator", True),
        ("caseworker", True),
        ("mentor", False),
        ("participant", False),
    ],
)
def test_production_requires_mfa_for_staff_roles(client, world, settings, role, forced):
    settings.REQUIRE_MFA = True
    client.force_login(world.user(role))
    response = client.get("/en/dashboard/")
    if forced:
        assert response.status_code == 302
        assert response["Location"].endswith("/accounts/2fa/totp/activate/")
        assert client.get("/api/organisations/").status_code == 403
    else:
        assert response.status_code == 200


def test_session_expires_after_inactivity(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60


def test_public_sign_up_is_closed(client, db):
    response = client.post(
        "/en/accounts/signup/",
        {
            "email": "x@example.org",
            "password1": "a-very-long-pass",
            "password2": "a-very-long-pass",
        },
    )
    from mosty.accounts.models import User

    assert not User.objects.filter(email="x@example.org").exists()
    assert response.status_code == 200
