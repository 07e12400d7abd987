"""Bad input gets a 4xx with a readable message, never a 500 (each case here was a 500)."""

import json

import pytest
from django.urls import reverse

from mosty.core.api_limits import MAX_JSON_DEPTH
from tests.cases.factories import make_case


@pytest.mark.parametrize(
    "body",
    [
        {"status": "on_hold", "version": 1},  # intake -> on hold is not a transition
        {"status": "intake", "version": 1},  # nor is staying where it is
        {"status": "closed", "version": 1},  # closing needs a reason
    ],
)
def test_refused_case_status_change_is_a_400_with_the_reason(world, login, body):
    case = make_case(world)
    client = login("caseworker")
    response = client.post(
        reverse("api:case_status", args=[case.pk]), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) & {"status", "closure_reason"}


@pytest.mark.parametrize("year", ["²", "١٩٩٠x", "1990.5", "-1"])
def test_participant_list_api_refuses_a_birth_year_that_is_not_a_number(world, login, year):
    response = login("caseworker").get(reverse("api:participant_list"), {"birth_year": year})
    assert response.status_code == 400
    assert "birth_year" in response.json()


def test_participant_pages_ignore_a_birth_year_that_is_not_a_number(world, login):
    client = login("caseworker")
    assert client.get("/en/participants/new/", {"birth_year": "²"}).status_code == 200


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 5000, 200_000])
def test_json_nested_too_deep_is_a_400(world, login, depth):
    response = login("caseworker").post(
        reverse("api:participant_create"), _nested(depth), content_type="application/json"
    )
    assert response.status_code == 400
    assert str(MAX_JSON_DEPTH) in response.json()["detail"]


def test_json_within_the_depth_limit_is_read_as_usual(world, login):
    response = login("caseworker").post(
        reverse("api:participant_create"),
        {"first_name": "Olena", "languages": [{"code": "uk", "level": "native"}]},
        content_type="application/json",
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("path", "query", "json"),
    [
        ("/hsds/services", {"language": "x\x00"}, True),
        ("/api/v1/services/", {"q": "x\x00"}, True),
        ("/en/directory/", {"q": "x\x00y"}, False),
        ("/en/", {"x\x00": "1"}, False),
    ],
)
def test_a_nul_byte_in_the_query_string_is_a_400(db, client, path, query, json):
    """PostgreSQL refuses text with a NUL byte: the HSDS API's `language` filter reached the
    database with one and answered 500 there. Refused before any page reads it."""
    response = client.get(path, query)
    assert response.status_code == 400
    if json:
        assert response.json()["detail"]
    else:
        assert "text/html" in response["Content-Type"]


# --- API errors in the caller's language ------------------------------------------------------


def _ask(client, method, url, body, language="uk"):
    return client.generic(
        method, url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )


def test_api_body_that_is_not_json_says_where_in_the_callers_language(world, login):
    url = reverse("api:participant_create")
    response = _ask(login("caseworker"), "POST", url, '{"first_name": "Olena",\n  x}')
    assert response.status_code == 400
    assert response.json() == {"detail": "Тіло запиту не є коректним JSON (рядок 2, стовпець 3)."}


def test_api_body_of_null_is_a_translated_400(world, login):
    response = _ask(login("caseworker"), "POST", reverse("api:participant_create"), "null")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Дані не надіслано: тіло запиту порожнє."]}


def test_drfs_own_messages_reach_a_polish_caller_in_polish(world, login):
    """DRF's Polish catalogue lacks "Must be a valid boolean." (mosty/core/api_messages.py)."""
    participant = make_case(world).participant
    url = reverse("api:consent_record", args=[participant.pk])
    response = _ask(login("coordinator"), "POST", url, '{"text_shown": {"x": 1}}', "pl")
    assert response.status_code == 400
    assert response.json()["text_shown"] == ["Oczekiwano tekstu."]


def test_api_not_found_names_no_model_and_is_translated(world, login):
    response = _ask(login("caseworker"), "GET", reverse("api:case_detail", args=[999999]), "")
    assert response.status_code == 404
    assert response.json() == {"detail": "Не знайдено."}


def test_api_refusal_is_translated_and_the_audit_keeps_the_rule(world, login):
    """`require` refuses with the rule's name ("assistance.request_create"): the caller reads
    why in their language, and the audit log keeps the rule."""
    from mosty.access.models import AuditEvent

    url = reverse("api:assistance_request_create")
    response = _ask(login("admin"), "POST", url, "{}")
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "assistance" not in detail and "дозвол" in detail  # DRF's Ukrainian message
    denied = AuditEvent.objects.filter(action="mosty.access.denied").latest("pk")
    assert denied.details["rule"] == "assistance.request_create"


@pytest.mark.parametrize(
    ("url_name", "body"),
    [
        ("api:participant_create", {"last_name": "K", "district": "x\x00"}),
        ("api:participant_create", {"last_name": "K", "owner": "x\x00"}),
        ("api:housing_create", {"district": "x\x00"}),
    ],
)
def test_a_nul_byte_in_a_looked_up_value_is_a_400(world, login, url_name, body):
    """A slug field looks its value up in the database, which PostgreSQL refuses with a NUL
    byte in it (500 there; on SQLite the lookup simply finds nothing)."""
    response = _ask(login("coordinator"), "POST", reverse(url_name), json.dumps(body), "pl")
    assert response.status_code == 400
    assert "NUL" not in str(response.json())
