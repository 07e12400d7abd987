"""The API's own OpenAPI schema: valid, and what the API really answers."""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from mosty.wsgi import application


def _schema(client) -> dict:
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_valid_openapi(client, db):
    validate(_schema(client))  # raises on the first error


def test_every_operation_documents_its_errors(client, db):
    spec = _schema(client)
    assert "Error" in spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            if {} not in operation.get("security", [{}]):  # {} = may be called anonymously
                assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "put", "patch"):
                assert "400" in codes, (method, path)


def _load() -> schemathesis.BaseSchema:
    # Generated in-process (the lazy pytest fixture loader does not work with pytest 9);
    # the same document /api/schema/ serves.
    spec = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(spec)))
    loaded.app = application
    return loaded


schema = _load()
# Examples per operation: enough to try each operation's parameters and bodies, small enough
# for the suite (about 80 operations). MOSTY_API_EXAMPLES=50 for a deeper run by hand.
EXAMPLES = int(os.environ.get("MOSTY_API_EXAMPLES", "3"))


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Schemathesis calls the real WSGI application, whose request signals close the database
    connection (and so the test's transaction on PostgreSQL); Django's test client
    disconnects them the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_no_operation_is_described_by_a_shared_base_class(client, db):
    """An endpoint built on a shared base (`ObjectActionApi`, `AuditedListApi`…) and without a
    docstring of its own has no description rather than the base's, which would tell a client
    how Mosty's code works instead of what the endpoint does."""
    import inspect

    from mosty.core import api as core_api

    base_docs = {
        inspect.cleandoc(cls.__doc__)
        for cls in vars(core_api).values()
        if inspect.isclass(cls) and cls.__module__ == core_api.__name__ and cls.__doc__
    }
    assert base_docs
    for path, operations in _schema(client)["paths"].items():
        for method, operation in operations.items():
            description = operation.get("description", "")
            assert description not in base_docs, (method, path)


def test_api_answers_as_its_schema_says(world):
    """A few generated requests per operation (schemathesis), as a logged-in coordinator: no
    server error, and every answer (status, content type, body) is one the schema documents.
    One test over all operations, so the fixtures are built once and it stays fast."""
    token, _created = Token.objects.get_or_create(user=world.user("coordinator"))
    headers = {"Authorization": f"Token {token.key}"}
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            # A real server always sets REMOTE_ADDR (the rate limits read it); the WSGI test
            # client does not.
            case.call_and_validate(
                headers=headers, checks=CHECKS, environ_base={"REMOTE_ADDR": "127.0.0.1"}
            )

        try:
            call()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect them all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert operations >= 70
    assert not failures, "\n\n".join(failures)


def test_an_id_beyond_the_database_integers_is_not_found(world, client):
    client.force_login(world.user("coordinator"))
    url = reverse("api:knowledge_translation_publish", args=[2**70, "uk"])
    response = client.post(url)
    assert response.status_code == 404 and "detail" in response.json()


def test_answers_with_empty_optional_values_match_the_schema(world):
    """Values that are often missing (a session without a district) are typed nullable, so
    a client generated from the schema accepts the real answers."""
    from tests.events.factories import make_event
    from tests.people.factories import ParticipantFactory

    make_event(world.org_a, district=None)
    token, _created = Token.objects.get_or_create(user=world.user("coordinator"))
    case = schema["/api/events/"]["GET"].Case()
    response = case.call(
        headers={"Authorization": f"Token {token.key}"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["sessions"][0]["district"] is None
    case.validate_response(response, checks=[response_schema_conformance])

    ParticipantFactory(owner=world.org_a, district=None)
    case = schema["/api/participants/"]["GET"].Case()
    response = case.call(
        headers={"Authorization": f"Token {token.key}"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert response.json()["results"][0]["district"] is None
    case.validate_response(response, checks=[response_schema_conformance])
