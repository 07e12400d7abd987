"""API tokens: MFA cannot be bypassed with one, they expire, and they can be revoked."""

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from mosty.access.models import AuditEvent
from mosty.accounts import services


def _api(token):
    return Client().get(
        "/api/organisations/", HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="en"
    )


def _enrol_totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})


@pytest.mark.parametrize("role", ["admin", "coordinator", "caseworker"])
def test_with_mfa_required_a_staff_token_without_mfa_gets_403(world, settings, role):
    settings.REQUIRE_MFA = True
    user = world.user(role)
    token = services.api_token_regenerate(user=user)
    response = _api(token)
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]
    _enrol_totp(user)
    assert _api(token).status_code == 200


def test_with_mfa_required_tokens_of_other_roles_still_work(world, settings):
    settings.REQUIRE_MFA = True
    token = services.api_token_regenerate(user=world.user("mentor"))
    assert _api(token).status_code == 200


def test_without_mfa_required_a_staff_token_works(world, settings):
    settings.REQUIRE_MFA = False
    token = services.api_token_regenerate(user=world.user("coordinator"))
    assert _api(token).status_code == 200


def test_a_token_expires_after_the_configured_days(world, settings):
    settings.MOSTY_API_TOKEN_DAYS = 30
    token = services.api_token_regenerate(user=world.user("coordinator"))
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=29))
    assert _api(token).status_code == 200
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=31))
    response = _api(token)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_own_page_shows_when_the_token_expires(world, login, settings):
    settings.MOSTY_API_TOKEN_DAYS = 30
    client = login("mentor")
    client.post("/en/manage/account/api-token/", {"action": "create"})
    page = client.get("/en/manage/account/api-token/").content.decode()
    assert "Your token works until" in page
    Token.objects.update(created=timezone.now() - timedelta(days=31))
    page = client.get("/en/manage/account/api-token/").content.decode()
    assert "Your token expired on" in page


def test_admin_lists_and_revokes_anyones_token(world, login):
    mentor = world.user("mentor", "b")
    token = services.api_token_regenerate(user=mentor)
    client = login("admin")
    page = client.get("/en/manage/api-tokens/").content.decode()
    assert mentor.email in page or str(mentor) in page
    assert token.key not in page
    response = client.post("/en/manage/api-tokens/", {"user": mentor.pk})
    assert response.status_code == 302
    assert not Token.objects.filter(user=mentor).exists()
    assert _api(token).status_code == 401
    event = AuditEvent.objects.get(action="mosty.accounts.api_token.revoked")
    assert event.actor == world.user("admin")
    assert event.object_id == str(mentor.pk)


def test_only_an_admin_revokes_someone_elses_token(world, login):
    mentor = world.user("mentor")
    services.api_token_regenerate(user=mentor)
    response = login("coordinator").post("/en/manage/api-tokens/", {"user": mentor.pk})
    assert response.status_code == 403
    assert Token.objects.filter(user=mentor).exists()
