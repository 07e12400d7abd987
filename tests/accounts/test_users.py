from mosty.access.models import AuditEvent
from mosty.accounts import services
from mosty.accounts.models import Membership, User
from tests.factories import MembershipFactory, UserFactory
from tests.utils import assert_constant_queries


def test_admin_creates_user_and_adds_membership(world, login):
    client = login("admin")
    response = client.post(
        "/en/manage/users/new/",
        {
            "email": "Nowa@Example.org",
            "first_name": "Nowa",
            "last_name": "Osoba",
            "language": "fa",
            "phone": "",
            "is_active": "on",
        },
    )
    user = User.objects.get(email="nowa@example.org")
    assert response.status_code == 302
    response = client.post(
        f"/en/manage/users/{user.pk}/memberships/new/",
        {"organisation": world.org_b.pk, "role": "assistant"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, organisation=world.org_b, role="assistant").exists()


def test_duplicate_email_is_a_field_error(world, login):
    client = login("admin")
    response = client.post(
        "/en/manage/users/new/", {"email": world.user("mentor").email.upper(), "language": "pl"}
    )
    assert response.status_code == 200
    assert 'id="id_email_errors"' in response.content.decode()


def test_user_detail_read_is_audited(world, login):
    client = login("coordinator")
    mentor = world.user("mentor")
    assert client.get(f"/en/manage/users/{mentor.pk}/").status_code == 200
    event = AuditEvent.objects.get(action="mosty.accounts.user.viewed", object_id=str(mentor.pk))
    assert event.actor == world.user("coordinator")
    assert "email" in event.fields


def test_coordinator_cannot_see_people_of_other_organisations(world, login):
    client = login("coordinator")
    assert client.get(f"/en/manage/users/{world.user('mentor', 'b').pk}/").status_code == 404


def test_admin_edits_user_and_change_is_audited_with_field_names_only(world, login):
    client = login("admin")
    mentor = world.user("mentor")
    response = client.post(
        f"/en/manage/users/{mentor.pk}/edit/",
        {
            "email": mentor.email,
            "first_name": "Zmieniona",
            "last_name": mentor.last_name,
            "language": "pl",
            "phone": "+48 600 000 000",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="mosty.accounts.user.updated").latest("id")
    assert set(event.fields) == {"first_name", "phone"}
    assert "Zmieniona" not in str(event.details)


def test_user_list_constant_queries(world, login):
    client = login("admin")
    assert_constant_queries(
        client,
        "/en/manage/users/",
        lambda: MembershipFactory(user=UserFactory(), organisation=world.org_a),
    )
    assert_constant_queries(
        client,
        f"/en/manage/users/{world.user('mentor').pk}/",
        lambda: MembershipFactory(user=world.user("mentor")),
    )


def test_membership_names_who_added_and_ended_it(world):
    admin, coordinator = world.user("admin"), world.user("coordinator")
    person = UserFactory()
    membership = services.membership_add(
        user=person, organisation=world.org_a, role="assistant", by=admin
    )
    services.membership_end(membership=membership, by=coordinator)
    membership.refresh_from_db()
    assert (membership.created_by, membership.updated_by) == (admin, coordinator)
    assert not membership.is_active
    # The audit log labels it by id: the membership's text names the person.
    event = AuditEvent.objects.filter(object_id=str(membership.pk)).latest("id")
    assert person.get_full_name() not in event.object_label
    assert str(membership.pk) in event.object_label


def test_membership_form_lists_a_searchable_few_of_many_organisations(world, login):
    """A city office's administrator chooses among thousands of organisations: the page lists
    at most 50, a search narrows them without saving, and an unlisted choice is still taken."""
    from tests.factories import OrganisationFactory

    OrganisationFactory.create_batch(60, name="Fundacja Zwykła")
    rare = OrganisationFactory(name="Stowarzyszenie Rzadkie")
    client = login("admin")
    person = UserFactory()
    url = f"/en/manage/users/{person.pk}/memberships/new/"
    page = client.get(url).content.decode()
    select = page.split('id="id_organisation"', 1)[1].split("</select>", 1)[0]
    assert select.count("<option") == 51  # the empty choice and 50 organisations
    assert "type a few letters" in page
    found = client.post(url, {"_search": "organisation", "organisation__q": "rzadk"})
    assert found.status_code == 200
    assert f'<option value="{rare.pk}"' in found.content.decode()
    assert not Membership.objects.filter(user=person).exists()
    saved = client.post(url, {"organisation": rare.pk, "role": "caseworker"})
    assert saved.status_code == 302
    assert Membership.objects.filter(user=person, organisation=rare, role="caseworker").exists()
