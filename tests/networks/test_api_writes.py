from mosty.networks.models import Network, NetworkMeeting, NetworkMembership
from tests.networks.routes import network_of_a


def test_coordinator_runs_a_network_through_the_api(world, login):
    client = login("coordinator")
    response = client.post(
        "/api/networks/create/",
        {
            "name": "Sieć Mieszkania",
            "theme": "housing",
            "purpose": "Lokale",
            "coordinator": world.org_a.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    network = Network.objects.get(pk=response.json()["id"])
    assert network.coordinator == world.org_a
    members = f"/api/networks/{network.pk}/members/"
    assert (
        client.post(
            members, {"organisation": world.org_b.pk}, content_type="application/json"
        ).status_code
        == 201
    )
    person = world.user("mentor", "b")
    added = client.post(members, {"email": person.email}, content_type="application/json")
    assert added.status_code == 201
    assert added.json()["kind"] == "person"
    assert NetworkMembership.objects.filter(network=network).count() == 3
    meeting = client.post(
        f"/api/networks/{network.pk}/meetings/",
        {"date": "2026-12-03", "title": "Pierwsze spotkanie", "minutes": "Ustalenia"},
        content_type="application/json",
    )
    assert meeting.status_code == 201
    assert NetworkMeeting.objects.get(network=network).title == "Pierwsze spotkanie"


def test_bad_input_gets_json_field_errors(world, login):
    client = login("coordinator")
    network = network_of_a(world)
    members = f"/api/networks/{network.pk}/members/"
    assert (
        "organisation"
        in client.post(members, {"organisation": 999999}, content_type="application/json").json()
    )
    assert (
        "email"
        in client.post(
            members, {"email": "nobody@example.org"}, content_type="application/json"
        ).json()
    )
    both = client.post(
        members,
        {"organisation": world.org_b.pk, "email": world.user("mentor").email},
        content_type="application/json",
    )
    assert both.status_code == 400
    twice = client.post(members, {"organisation": world.org_a.pk}, content_type="application/json")
    assert twice.status_code == 400
    bad_date = client.post(
        f"/api/networks/{network.pk}/meetings/",
        {"date": "soon", "title": "x"},
        content_type="application/json",
    )
    assert bad_date.status_code == 400 and "date" in bad_date.json()
    foreign = client.post(
        "/api/networks/create/",
        {"name": "X", "theme": "housing", "coordinator": world.org_b.pk},
        content_type="application/json",
    )
    assert foreign.status_code == 400 and "coordinator" in foreign.json()


def test_members_who_do_not_run_the_network_cannot_change_it(world, login):
    network = network_of_a(world)
    client = login("caseworker")
    response = client.post(
        f"/api/networks/{network.pk}/members/",
        {"organisation": world.org_b.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not NetworkMembership.objects.filter(network=network, organisation=world.org_b).exists()
