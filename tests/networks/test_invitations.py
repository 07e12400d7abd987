"""A coordinator invites a person by e-mail into a network; every way the link can be used."""

import datetime
import json

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mosty.access.models import AuditEvent
from mosty.accounts.models import User
from mosty.messaging import tasks as messaging_tasks
from mosty.messaging.models import Message
from mosty.networks import gdpr as networks_gdpr
from mosty.networks.models import NetworkInvitation, NetworkMembership, NetworkRole
from mosty.networks.texts import MESSAGES
from tests.factories import UserFactory
from tests.networks.routes import network_of_a

PASSWORD = "Zielony-Most-2026"


def _invite(client, network, email, role=NetworkRole.MEMBER, language="uk"):
    response = client.post(
        reverse("networks:invitations", kwargs={"pk": network.pk}),
        {"email": email, "role": role, "language": language},
    )
    assert response.status_code == 302, response.context["form"].errors
    invitation = NetworkInvitation.objects.get(network=network, email__iexact=email)
    message = Message.objects.get(idempotency_key=f"network-invitation:{invitation.pk}:0")
    return invitation, message, json.loads(message.payload)["link"]


def _path(link):
    """The link's path (the page is tested through the test client, not a server)."""
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_a_person_without_an_account_joins_through_the_link(login, world):
    client = Client()  # the invitee's browser (`login` signs in the shared `client`)
    network = network_of_a(world)
    coordinator = login("coordinator")
    invitation, message, link = _invite(
        coordinator, network, "Nowa.Osoba@Example.org", NetworkRole.COORDINATOR
    )
    # Stored lower-cased, only the link's hash is kept, and the mail goes in Ukrainian.
    assert invitation.email == "nowa.osoba@example.org"
    assert link.split("/")[-2] not in invitation.token_hash and len(invitation.token_hash) == 64
    assert "/uk/networks/invitations/accept/" in link
    assert message.language == "uk" and message.recipient_participant is None
    assert messaging_tasks.deliver(message.pk) == "sent"
    assert mail.outbox[-1].to == ["nowa.osoba@example.org"]
    assert network.name in mail.outbox[-1].body
    # The coordinator sees it waiting.
    page = coordinator.get(reverse("networks:invitations", kwargs={"pk": network.pk}))
    assert "nowa.osoba@example.org" in page.content.decode()

    path = _path(link)
    form = client.get(path)
    assert form.status_code == 200 and "form" in form.context
    mismatch = client.post(path, {"first_name": "Olena", "password1": "x", "password2": "y"})
    assert "password2" in mismatch.context["form"].errors
    assert not User.objects.filter(email="nowa.osoba@example.org").exists()
    done = client.post(
        path,
        {"first_name": "Olena", "last_name": "K.", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert done.status_code == 302 and done.url == reverse("account_login")
    user = User.objects.get(email="nowa.osoba@example.org")
    assert user.language == "uk" and user.check_password(PASSWORD)
    membership = NetworkMembership.objects.get(network=network, user=user)
    assert membership.role == NetworkRole.COORDINATOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    accepted = AuditEvent.objects.get(action="mosty.networks.invitation.accepted")
    assert accepted.actor_id == user.pk
    assert AuditEvent.objects.filter(action="mosty.networks.invitation.sent").exists()
    # A co-coordinator runs the network.
    client.force_login(user)
    assert client.get(reverse("networks:invitations", kwargs={"pk": network.pk})).status_code == 200
    # The link works once.
    client.logout()
    reused = client.get(path)
    assert reused.status_code == 410 and reused.context["problem"] is MESSAGES["link_used"]
    again = client.post(path, {"first_name": "X", "password1": PASSWORD, "password2": PASSWORD})
    assert again.status_code == 410 and User.objects.filter(first_name="X").count() == 0


def test_a_person_with_an_account_logs_in_and_joins(login, world):
    client = Client()  # the invitee's browser (`login` signs in the shared `client`)
    network = network_of_a(world)
    person = UserFactory(email="tlumacz@example.org")
    _invitation, _message, link = _invite(login("coordinator"), network, "tlumacz@example.org")
    path = _path(link)
    anonymous = client.get(path)
    assert anonymous.status_code == 200 and "login_url" in anonymous.context
    assert "form" not in anonymous.context
    client.force_login(person)
    assert client.get(path).context["may_accept"] is True
    joined = client.post(path)
    assert joined.status_code == 302
    assert joined.url == reverse("networks:detail", kwargs={"pk": network.pk})
    assert NetworkMembership.objects.get(network=network, user=person).role == NetworkRole.MEMBER
    assert client.get(joined.url).status_code == 200
    assert client.post(path).status_code == 410


def test_someone_else_logged_in_cannot_use_the_link(login, world):
    client = Client()  # the invitee's browser (`login` signs in the shared `client`)
    network = network_of_a(world)
    _invitation, _message, link = _invite(login("coordinator"), network, "olena@example.org")
    intruder = UserFactory(email="ktos@example.org")
    client.force_login(intruder)
    for response in (client.get(_path(link)), client.post(_path(link))):
        assert response.status_code == 200
        assert response.context["problem"] is MESSAGES["wrong_person"]
    assert not NetworkMembership.objects.filter(user=intruder).exists()
    assert NetworkInvitation.objects.get().accepted_at is None


def test_an_expired_link_says_so(login, world):
    client = Client()  # the invitee's browser (`login` signs in the shared `client`)
    network = network_of_a(world)
    invitation, _message, link = _invite(login("coordinator"), network, "olena@example.org")
    NetworkInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    for response in (client.get(_path(link)), client.post(_path(link), {"first_name": "O"})):
        assert response.status_code == 410
        assert response.context["problem"] is MESSAGES["link_expired"]
    assert not User.objects.filter(email="olena@example.org").exists()


def test_a_revoked_link_says_so_and_an_unknown_one_is_a_404(login, world):
    client = Client()  # the invitee's browser (`login` signs in the shared `client`)
    network = network_of_a(world)
    coordinator = login("coordinator")
    invitation, _message, link = _invite(coordinator, network, "olena@example.org")
    revoke = reverse("networks:invitation_revoke", kwargs={"pk": invitation.pk})
    assert coordinator.post(revoke).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(action="mosty.networks.invitation.revoked").exists()
    page = coordinator.get(reverse("networks:invitations", kwargs={"pk": network.pk}))
    assert list(page.context["invitations"]) == []
    # Revoking twice is a message, not a 500.
    assert coordinator.post(revoke, follow=True).status_code == 200
    response = client.get(_path(link))
    assert response.status_code == 410 and response.context["problem"] is MESSAGES["link_revoked"]
    unknown = client.get(reverse("networks:invitation_accept", kwargs={"token": "nie-ma"}))
    assert unknown.status_code == 404 and unknown.context["problem"] is MESSAGES["link_unknown"]


def test_invitation_form_refuses_duplicates_beside_the_field(login, world):
    network = network_of_a(world)
    coordinator = login("coordinator")
    _invite(coordinator, network, "olena@example.org")
    url = reverse("networks:invitations", kwargs={"pk": network.pk})
    twice = coordinator.post(
        url, {"email": "OLENA@example.org", "role": "member", "language": "pl"}
    )
    assert "email" in twice.context["form"].errors
    member = UserFactory(email="czlonek@example.org")
    NetworkMembership.objects.create(network=network, user=member)
    again = coordinator.post(url, {"email": member.email, "role": "member", "language": "pl"})
    assert "email" in again.context["form"].errors
    bad = coordinator.post(url, {"email": "x@example.org", "role": "boss", "language": "pl"})
    assert "role" in bad.context["form"].errors
    assert NetworkInvitation.objects.count() == 1


def test_a_member_who_does_not_run_the_network_cannot_invite(login, world):
    network = network_of_a(world)
    caseworker = login("caseworker")
    url = reverse("networks:invitations", kwargs={"pk": network.pk})
    response = caseworker.post(url, {"email": "x@example.org", "role": "member", "language": "pl"})
    assert response.status_code == 403 and not NetworkInvitation.objects.exists()


def test_gdpr_export_and_erasure_cover_invitations(login, world):
    from tests.people.factories import ParticipantFactory

    network = network_of_a(world)
    participant = ParticipantFactory(owner=world.org_a, email="olena@example.org")
    _invite(login("coordinator"), network, "olena@example.org")
    exported = networks_gdpr.export(participant)
    assert [row["network"] for row in exported] == [network.name]
    assert exported[0]["state"] == "pending"
    networks_gdpr.erase(participant)
    assert not NetworkInvitation.objects.filter(email="olena@example.org").exists()


def test_an_erased_participants_account_leaves_the_networks_it_joined(login, world):
    """A participant whose portal account joined a network as a person: the export lists the
    membership, and erasure ends it (it stayed in the member list as "erased-7@invalid")."""
    from mosty.networks.models import NetworkMembership
    from mosty.people.gdpr import anonymise_participant, export_participant
    from tests.portal.factories import link

    network = network_of_a(world)
    participant = link(world)
    account = world.user("participant")
    NetworkMembership.objects.create(network=network, user=account)
    exported = networks_gdpr.export(participant)
    assert [(row["network"], row["role"]) for row in exported] == [(network.name, "member")]
    assert export_participant(participant, by=world.user("coordinator"))
    anonymise_participant(participant, by=world.user("coordinator"))
    assert not NetworkMembership.objects.filter(user=account).exists()
    assert NetworkMembership.objects.filter(network=network, user__isnull=True).exists()
