"""Sensitive-data and audit-log rights are membership grants an administrator gives and takes."""

import pytest
from django.core.exceptions import PermissionDenied

from mosty.access.models import AuditEvent
from mosty.access.policy import can
from mosty.accounts import services
from mosty.accounts.models import Grant, Membership, MembershipGrant
from tests.people.factories import ParticipantFactory


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def _membership(world, role, org="a"):
    return Membership.objects.get(user=world.user(role, org), organisation=world.org(org))


def test_admin_grants_sensitive_data_on_the_page_and_it_is_audited(world, login):
    caseworker = world.user("caseworker")
    participant = ParticipantFactory(owner=world.org_a, created_by=caseworker)
    assert not can(caseworker, "participant.view_sensitive", participant)

    client = login("admin")
    page = client.get(f"/en/manage/users/{caseworker.pk}/grants/").content.decode()
    assert "Sensitive data" in page
    assert "Audit log (data controller)" not in page  # not for a caseworker's membership
    membership = _membership(world, "caseworker")
    response = client.post(
        f"/en/manage/users/{caseworker.pk}/grants/",
        {"membership": membership.pk, "grant": Grant.VIEW_SENSITIVE, "action": "add"},
    )
    assert response.status_code == 302
    assert can(_fresh(caseworker), "participant.view_sensitive", participant)
    event = AuditEvent.objects.get(action="mosty.accounts.membership.granted")
    assert event.actor == world.user("admin")
    assert event.details == {"grant": "view_sensitive", "organisation": world.org_a.pk}
    assert "Org A" in client.get("/en/manage/grants/").content.decode()

    response = client.post(
        f"/en/manage/users/{caseworker.pk}/grants/",
        {"membership": membership.pk, "grant": Grant.VIEW_SENSITIVE, "action": "remove"},
    )
    assert response.status_code == 302
    assert not can(_fresh(caseworker), "participant.view_sensitive", participant)
    assert AuditEvent.objects.filter(action="mosty.accounts.membership.grant_revoked").exists()


def test_grant_holds_only_in_its_organisation_and_ends_with_the_membership(world):
    caseworker = world.user("caseworker", "b")
    participant_a = ParticipantFactory(owner=world.org_a)
    membership = _membership(world, "caseworker", "b")
    services.membership_grant_add(
        membership=membership, grant=Grant.VIEW_SENSITIVE, by=world.user("admin")
    )
    assert not can(_fresh(caseworker), "participant.view_sensitive", participant_a)
    participant_b = ParticipantFactory(owner=world.org_b, created_by=caseworker)
    assert can(_fresh(caseworker), "participant.view_sensitive", participant_b)
    services.membership_end(membership=membership, by=world.user("admin"))
    assert not can(_fresh(caseworker), "participant.view_sensitive", participant_b)


def test_audit_log_grant_makes_the_data_controller(world, login):
    admin_b = world.user("admin", "b")
    MembershipGrant.objects.filter(membership__user=admin_b).delete()
    admin_b = _fresh(admin_b)
    assert not can(admin_b, "audit.view")
    assert login("admin", "b").get("/en/audit/").status_code == 403
    services.membership_grant_add(
        membership=_membership(world, "admin", "b"),
        grant=Grant.VIEW_AUDIT_LOG,
        by=world.user("admin"),
    )
    assert login("admin", "b").get("/en/audit/").status_code == 200


@pytest.mark.parametrize(
    ("role", "grant"),
    [("mentor", Grant.VIEW_SENSITIVE), ("coordinator", Grant.VIEW_AUDIT_LOG)],
)
def test_a_grant_that_does_not_fit_the_role_is_refused(world, role, grant):
    with pytest.raises(PermissionDenied):
        services.membership_grant_add(
            membership=_membership(world, role), grant=grant, by=world.user("admin")
        )
    assert not MembershipGrant.objects.filter(membership__user=world.user(role)).exists()


def test_only_an_admin_grants(world):
    with pytest.raises(PermissionDenied):
        services.membership_grant_add(
            membership=_membership(world, "caseworker"),
            grant=Grant.VIEW_SENSITIVE,
            by=world.user("coordinator"),
        )


def test_a_forged_membership_is_a_400_with_a_message(world, login):
    caseworker = world.user("caseworker")
    other = _membership(world, "caseworker", "b")
    response = login("admin").post(
        f"/en/manage/users/{caseworker.pk}/grants/",
        {"membership": other.pk, "grant": Grant.VIEW_SENSITIVE, "action": "add"},
    )
    assert response.status_code == 400
    assert "Choose one of this person" in response.content.decode()
    assert not MembershipGrant.objects.filter(membership=other).exists()


def test_demo_administrator_is_the_data_controller_through_a_grant(db):
    from mosty.accounts.models import User
    from mosty.organisations.seed import demo_users_create
    from tests.factories import OrganisationFactory

    OrganisationFactory(slug="urzad-miasta-demo")
    OrganisationFactory(slug="fundacja-most")
    demo_users_create()
    demo_users_create()  # a second run adds nothing
    admin = User.objects.get(email="admin@demo.mosty.local")
    assert can(admin, "audit.view")
    assert MembershipGrant.objects.filter(grant=Grant.VIEW_AUDIT_LOG).count() == 1
    assert not can(User.objects.get(email="coordinator@demo.mosty.local"), "audit.view")
