import re

import pytest
from django.core.exceptions import PermissionDenied

from mosty.access.models import AuditEvent
from mosty.accounts.models import Membership, User
from mosty.organisations.models import Organisation
from mosty.organisations.services import organisation_create, organisation_update
from tests.factories import MembershipFactory, OrganisationFactory
from tests.utils import assert_constant_queries


def test_admin_creates_an_organisation_and_it_is_audited(world, login):
    client = login("admin")
    response = client.post(
        "/en/manage/organisations/new/",
        {
            "name": "Klub Sąsiedzki",
            "kind": "neighbourhood_centre",
            "district": world.district.pk,
            "languages": ["pl", "uk"],
            "email": "klub@example.org",
            "is_active": "on",
        },
    )
    organisation = Organisation.objects.get(name="Klub Sąsiedzki")
    assert response.status_code == 302
    assert organisation.languages == ["pl", "uk"]
    assert organisation.slug == "klub-sasiedzki"
    event = AuditEvent.objects.get(
        action="mosty.organisations.organisation.created", object_id=str(organisation.pk)
    )
    assert event.actor == world.user("admin")
    assert event.request_id


def test_bad_input_gets_field_errors_not_a_500(world, login):
    client = login("admin")
    response = client.post(
        "/en/manage/organisations/new/", {"name": "", "kind": "bank", "email": "not-an-email"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_name_errors"' in html
    assert 'id="id_kind_errors"' in html
    assert 'id="id_email_errors"' in html
    assert 'aria-invalid="true"' in html
    assert not Organisation.objects.filter(email="not-an-email").exists()


def test_coordinator_edits_own_organisation_but_cannot_deactivate_it(world, login):
    client = login("coordinator")
    page = client.get(f"/en/manage/organisations/{world.org_a.pk}/edit/").content.decode()
    assert 'name="is_active"' not in page
    response = client.post(
        f"/en/manage/organisations/{world.org_a.pk}/edit/",
        {
            "name": "Org A renamed",
            "kind": "ngo",
            "languages": ["pl"],
            "is_active": "",
        },
    )
    assert response.status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.name == "Org A renamed"
    assert world.org_a.is_active
    event = AuditEvent.objects.get(action="mosty.organisations.organisation.updated")
    assert "name" in event.fields


def test_coordinator_cannot_edit_another_organisation(world):
    with pytest.raises(PermissionDenied):
        organisation_update(
            organisation=world.org_b, by=world.user("coordinator", "a"), name="Hijacked"
        )


def test_only_admin_creates_organisations(world):
    with pytest.raises(PermissionDenied):
        organisation_create(by=world.user("coordinator"), name="X", kind="ngo")


def test_coordinator_adds_a_new_member_who_gets_an_account(world, login):
    client = login("coordinator")
    response = client.post(
        f"/en/manage/organisations/{world.org_a.pk}/members/",
        {
            "email": "New.Mentor@Example.org",
            "first_name": "Ola",
            "last_name": "K",
            "role": "mentor",
            "language": "uk",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.mentor@example.org")
    assert not user.has_usable_password()
    assert Membership.objects.filter(
        user=user, organisation=world.org_a, role="mentor", is_active=True
    ).exists()


def test_coordinator_cannot_grant_the_admin_role(world, login):
    client = login("coordinator")
    response = client.post(
        f"/en/manage/organisations/{world.org_a.pk}/members/",
        {
            "email": "x@example.org",
            "role": "admin",
            "language": "pl",
        },
    )
    assert response.status_code == 200
    assert 'id="id_role_errors"' in response.content.decode()
    assert not User.objects.filter(email="x@example.org").exists()


def test_adding_the_same_role_twice_is_a_field_error_and_atomic(world, login):
    client = login("coordinator")
    data = {"email": world.user("mentor").email, "role": "mentor", "language": "pl"}
    response = client.post(f"/en/manage/organisations/{world.org_a.pk}/members/", data)
    assert response.status_code == 200
    assert "already has this role" in response.content.decode()


def test_ending_a_membership_removes_access(world, login):
    client = login("coordinator")
    mentor = world.user("mentor")
    membership = Membership.objects.get(user=mentor, organisation=world.org_a)
    assert (
        client.post(f"/en/manage/organisations/memberships/{membership.pk}/end/").status_code == 302
    )
    membership.refresh_from_db()
    assert not membership.is_active
    client.force_login(mentor)
    assert client.get(f"/en/manage/organisations/{world.org_a.pk}/").status_code == 404


def test_lists_use_constant_queries(world, login):
    client = login("admin")
    assert_constant_queries(
        client,
        "/en/manage/organisations/",
        lambda: MembershipFactory(organisation=OrganisationFactory()),
    )
    assert_constant_queries(
        client,
        f"/en/manage/organisations/{world.org_a.pk}/members/",
        lambda: MembershipFactory(organisation=world.org_a),
    )
    assert_constant_queries(
        client,
        f"/en/manage/organisations/{world.org_a.pk}/",
        lambda: MembershipFactory(organisation=world.org_a),
    )


def test_organisation_list_filters(world, login):
    OrganisationFactory(name="Szkoła 7", kind="school")
    client = login("admin")
    html = client.get("/en/manage/organisations/?kind=school").content.decode()
    assert "Szkoła 7" in html
    assert "Org A" not in html


def test_api_lists_only_visible_organisations(world, client):
    client.force_login(world.user("caseworker"))
    data = client.get("/api/organisations/").json()
    assert [o["slug"] for o in data["results"]] == ["org-a"]
    client.force_login(world.user("admin"))
    assert data["count"] == 1
    assert client.get("/api/organisations/").json()["count"] == 2


def test_api_token_authentication(world, client):
    client.force_login(world.user("coordinator"))
    response = client.post("/en/manage/account/api-token/", {"action": "create"})
    key = response.context["token"].key
    client.logout()
    api = client.__class__()
    assert api.get("/api/organisations/").status_code == 401
    ok = api.get("/api/organisations/", HTTP_AUTHORIZATION=f"Token {key}")
    assert ok.status_code == 200
    assert ok.json()["results"][0]["slug"] == "org-a"
    assert api.get("/api/organisations/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_openapi_schema_lists_organisations(client, db):
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/organisations/" in schema["paths"]


def test_members_page_read_is_audited(world, login):
    client = login("coordinator")
    organisation = world.org("a")
    assert client.get(f"/en/manage/organisations/{organisation.pk}/members/").status_code == 200
    event = AuditEvent.objects.get(
        action="mosty.organisations.organisation.viewed", object_id=str(organisation.pk)
    )
    assert event.actor == world.user("coordinator")
    assert event.fields == ["members"]


@pytest.mark.parametrize("language", ["pl", "uk", "ar", "fr"])
def test_members_hint_quotes_the_login_pages_reset_link(world, client, language):
    """The hint tells a coordinator which link a new member uses; it quotes the very words of
    the link on the login page, in every language (it used to name a link that did not exist)."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        login_url = reverse("account_login")
        reset_url = reverse("account_reset_password")
        members_url = reverse("organisations:members", args=[world.org_a.pk])
    login_page = client.get(login_url).content.decode()
    link = re.search(rf'<a href="{re.escape(reset_url)}">([^<]+)</a>', login_page)
    assert link, "the login page links to the password reset"
    client.force_login(world.user("coordinator"))
    members_page = client.get(members_url).content.decode()
    assert link.group(1) in members_page


def test_two_editors_of_one_organisation_the_second_gets_a_conflict(world, login):
    """The form carries the version it showed; a save since makes the second save write
    nothing and say so at the top of the form."""
    client = login("coordinator")
    url = f"/en/manage/organisations/{world.org_a.pk}/edit/"
    form = client.get(url).context["form"]
    shown = form.initial["version"]
    organisation_update(
        organisation=world.org_a, by=world.user("admin"), version=shown, phone="+48 58 000 00 00"
    )
    response = client.post(
        url, {"name": "Stale rename", "kind": "ngo", "languages": ["pl"], "version": shown}
    )
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    world.org_a.refresh_from_db()
    assert world.org_a.name != "Stale rename"
    assert world.org_a.phone == "+48 58 000 00 00"
    assert world.org_a.updated_by == world.user("admin")
    fresh = client.get(url).context["form"].initial["version"]
    assert fresh == shown + 1
    saved = client.post(
        url, {"name": "Fresh rename", "kind": "ngo", "languages": ["pl"], "version": fresh}
    )
    assert saved.status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.name == "Fresh rename"
    assert world.org_a.updated_by == world.user("coordinator")
