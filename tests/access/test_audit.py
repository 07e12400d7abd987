import csv
import io

import pytest
from django.db import connection

from mosty.access.audit import audit
from mosty.access.models import AppendOnlyError, AuditEvent
from mosty.access.policy import UnknownAction, can
from mosty.accounts.models import MembershipGrant
from tests.utils import assert_constant_queries


def test_audit_log_is_append_only(world):
    event = audit(world.user("admin"), "mosty.test.done")
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="x")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
def test_database_refuses_to_change_audit_rows_on_postgresql(world):
    from django.db import DatabaseError, transaction

    event = audit(world.user("admin"), "mosty.test.done")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_auditevent WHERE id = %s", [event.pk])


def test_permission_denials_are_audited(world, login):
    client = login("mentor")
    assert client.get("/en/manage/organisations/new/").status_code == 403
    event = AuditEvent.objects.get(action="mosty.access.denied")
    assert event.actor == world.user("mentor")
    assert event.details["path"] == "/en/manage/organisations/new/"
    assert event.details["rule"] == "organisation.create"


def test_api_denials_are_audited(world, login):
    client = login("mentor")
    assert client.get("/api/organisations/").status_code == 200
    client = login("mentor")
    from mosty.accounts.models import Membership

    Membership.objects.filter(user=world.user("mentor")).update(is_active=False)
    assert client.get("/api/organisations/").status_code == 403
    assert AuditEvent.objects.filter(
        action="mosty.access.denied", actor=world.user("mentor")
    ).exists()


def test_only_the_data_controller_sees_the_audit_log(world, login):
    admin = world.user("admin")
    assert can(admin, "audit.view")
    MembershipGrant.objects.filter(membership__user=admin).delete()
    admin = type(admin).objects.get(pk=admin.pk)
    assert not can(admin, "audit.view")
    assert not can(world.user("coordinator"), "audit.view")


def test_audit_log_filters_and_export(world, login):
    audit(world.user("caseworker"), "mosty.cases.case.viewed", world.org_a)
    audit(world.user("mentor"), "mosty.mentoring.match.viewed", world.org_b)
    client = login("admin")
    html = client.get("/en/audit/?actor=caseworker.a&action=mosty.cases").content.decode()
    assert "mosty.cases.case.viewed" in html
    assert "mosty.mentoring.match.viewed" not in html
    response = client.get("/en/audit/export.csv?action=mosty.mentoring")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["created_at", "actor_label", "action"]
    assert [r[2] for r in rows[1:]] == ["mosty.mentoring.match.viewed"]
    assert AuditEvent.objects.filter(action="mosty.access.audit.exported").exists()


def test_audit_filter_errors_are_shown_next_to_the_field(world, login):
    """A wrong period shows its error and no entries (not the whole log as if it were the
    period), and exports nothing."""
    audit(world.user("caseworker"), "mosty.cases.case.viewed", world.org_a)
    client = login("admin")
    wrong = "date_from=2026-05-02&date_to=2026-05-01"
    html = client.get(f"/en/audit/?{wrong}").content.decode()
    assert 'id="id_date_to_errors"' in html
    assert "mosty.cases.case.viewed" not in html
    response = client.get(f"/en/audit/export.csv?{wrong}")
    assert response.status_code == 302 and response["Location"] == f"/en/audit/?{wrong}"
    page = client.get(response["Location"]).content.decode()
    assert "Correct the filter before exporting the log." in page
    assert not AuditEvent.objects.filter(action="mosty.access.audit.exported").exists()


def test_audit_log_constant_queries(world, login):
    client = login("admin")
    assert_constant_queries(
        client, "/en/audit/", lambda: audit(world.user("admin"), "mosty.test.ping")
    )


def test_unknown_actions_are_programming_errors(world):
    with pytest.raises(UnknownAction):
        can(world.user("admin"), "no.such.action")


def test_request_id_is_returned_and_recorded(world, login):
    client = login("admin")
    response = client.get("/en/manage/organisations/new/", HTTP_X_REQUEST_ID="req-123")
    assert response["X-Request-ID"] == "req-123"
    client.post(
        "/en/manage/organisations/new/", {"name": "Z", "kind": "ngo"}, HTTP_X_REQUEST_ID="req-456"
    )
    assert AuditEvent.objects.get(
        action="mosty.organisations.organisation.created", request_id="req-456"
    )
