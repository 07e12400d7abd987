"""Thematic networks: creation, invitations, meetings, documents, public page, privacy."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mosty.access.models import AuditEvent
from mosty.networks.models import Network, NetworkDocument, NetworkMeeting, NetworkMembership
from tests.factories import OrganisationFactory, UserFactory
from tests.networks.routes import network_of_a
from tests.utils import assert_constant_queries


def test_coordinator_runs_a_network_end_to_end(login, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login("coordinator")
    response = client.post(
        reverse("networks:create"),
        {
            "coordinator": world.org_a.pk,
            "name": "Sieć mieszkaniowa",
            "theme": "housing",
            "purpose": "Mieszkania dla rodzin.",
            "is_public": "on",
        },
    )
    network = Network.objects.get(name="Sieć mieszkaniowa")
    assert response.status_code == 302 and network.coordinator == world.org_a
    assert network.members.filter(organisation=world.org_a).exists()
    # Invite organisation B and one person.
    members_url = reverse("networks:members", kwargs={"pk": network.pk})
    client.post(members_url, {"organisation": world.org_b.pk})
    person = UserFactory(email="tlumacz@example.org", phone="+48 600 000 000")
    client.post(members_url, {"email": "tlumacz@example.org"})
    assert network.members.count() == 3
    # Errors are field-level, never a 500.
    response = client.post(members_url, {"email": "nobody@example.org"})
    assert "email" in response.context["form"].errors
    response = client.post(members_url, {"organisation": "", "email": ""})
    assert response.context["form"].non_field_errors()
    # A meeting with attendees, and a shared document.
    member_b = network.members.get(organisation=world.org_b)
    response = client.post(
        reverse("networks:meeting_create", kwargs={"pk": network.pk}),
        {
            "date": "2026-12-01",
            "title": "Spotkanie grudniowe",
            "agenda": "1. Zima",
            "minutes": "Ustalono dyżury.",
            "attendees": [member_b.pk],
        },
    )
    meeting = NetworkMeeting.objects.get()
    assert response.status_code == 302 and list(meeting.attendees.all()) == [member_b]
    client.post(
        reverse("networks:document_share", kwargs={"pk": network.pk}),
        {"title": "Regulamin", "file": SimpleUploadedFile("regulamin.txt", b"Zasady sieci")},
    )
    document = NetworkDocument.objects.get()
    # The person invited individually sees contacts, meetings and can download.
    client.force_login(person)
    page = client.get(reverse("networks:detail", kwargs={"pk": network.pk}))
    assert page.status_code == 200
    assert world.org_b.email in page.content.decode()
    download = client.get(reverse("networks:document", kwargs={"pk": document.pk}))
    assert b"".join(download.streaming_content) == b"Zasady sieci"
    assert AuditEvent.objects.filter(action="mosty.networks.network.viewed").exists()
    # A staff member of a non-member organisation sees nothing.
    outsider = OrganisationFactory()
    from tests.factories import MembershipFactory

    stranger = MembershipFactory(organisation=outsider, role="coordinator").user
    client.force_login(stranger)
    assert client.get(reverse("networks:detail", kwargs={"pk": network.pk})).status_code == 404
    assert client.get(reverse("networks:document", kwargs={"pk": document.pk})).status_code == 404


def test_public_page_shows_only_name_purpose_and_organisations(client, world):
    network = network_of_a(world)
    person = UserFactory(email="private@example.org")
    NetworkMembership.objects.create(network=network, user=person)
    NetworkMeeting.objects.create(network=network, date=datetime.date(2026, 1, 1), title="Tajne")
    page = client.get(reverse("networks:public", kwargs={"slug": network.slug})).content.decode()
    assert "Org A" in page and "Szkoły i NGO razem." in page
    assert "private@example.org" not in page and "Tajne" not in page
    private = network_of_a(world, public=False)
    assert client.get(reverse("networks:public", kwargs={"slug": private.slug})).status_code == 404


def test_coordinator_stays_and_document_needs_file_or_link(login, world):
    network = network_of_a(world)
    client = login("coordinator")
    own = network.members.get(organisation=world.org_a)
    client.post(reverse("networks:member_remove", kwargs={"pk": own.pk}))
    assert network.members.filter(pk=own.pk).exists()
    response = client.post(
        reverse("networks:document_share", kwargs={"pk": network.pk}), {"title": "Pusty"}
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_network_pages_constant_queries(login, world):
    network = network_of_a(world)
    client = login("coordinator")

    def grow():
        NetworkMembership.objects.create(network=network, organisation=OrganisationFactory())
        NetworkMembership.objects.create(network=network, user=UserFactory())
        NetworkMeeting.objects.create(network=network, date=datetime.date(2026, 2, 1), title="M")
        NetworkDocument.objects.create(network=network, title="D", url="https://example.org/")

    assert_constant_queries(client, reverse("networks:detail", kwargs={"pk": network.pk}), grow)
    assert_constant_queries(
        client,
        reverse("networks:public", kwargs={"slug": network.slug}),
        lambda: NetworkMembership.objects.create(
            network=network, organisation=OrganisationFactory()
        ),
    )
    assert_constant_queries(client, reverse("networks:list"), lambda: network_of_a(world))


def test_network_and_meeting_edits_conflict_when_someone_saved_since(login, world):
    from mosty.networks import services as network_services

    network = network_of_a(world)
    meeting = network_services.network_meeting_save(
        network=network, by=world.user("coordinator"), date=datetime.date(2026, 3, 1), title="M"
    )
    client = login("coordinator")
    edit = reverse("networks:edit", kwargs={"pk": network.pk})
    shown = client.get(edit).context["form"].initial["version"]
    network_services.network_update(
        network=network, by=world.user("coordinator"), version=shown, purpose="Nowy cel."
    )
    stale = {"name": "Stara nazwa", "theme": "education", "purpose": "x", "version": shown}
    response = client.post(edit, stale)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    network.refresh_from_db()
    assert (network.name, network.purpose) == ("Sieć edukacyjna", "Nowy cel.")

    meeting_edit = reverse("networks:meeting_edit", kwargs={"pk": meeting.pk})
    shown = client.get(meeting_edit).context["form"].initial["version"]
    network_services.network_meeting_save(
        network=network,
        by=world.user("coordinator"),
        meeting=meeting,
        version=shown,
        date=meeting.date,
        title="Zmieniony",
        agenda="",
        minutes="Ustalenia.",
    )
    response = client.post(
        meeting_edit, {"date": "2026-03-01", "title": "Stary", "minutes": "", "version": shown}
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    meeting.refresh_from_db()
    assert (meeting.title, meeting.minutes) == ("Zmieniony", "Ustalenia.")
    response = client.post(
        meeting_edit, {"date": "2026-03-01", "title": "Nowy", "version": shown + 1}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Nowy" and meeting.version == shown + 2


def test_a_meeting_posted_twice_is_recorded_once(login, world):
    """A double click, Back and Save, or the form open in two tabs: one meeting, and the
    second post is told so on the meeting recorded first."""
    from django.utils import translation

    network = network_of_a(world)
    client = login("coordinator")
    with translation.override("uk"):
        create = reverse("networks:meeting_create", kwargs={"pk": network.pk})
        said = translation.gettext(
            "This meeting was already recorded, so it was not saved a second time."
        )
    data = {"date": "2026-12-15", "title": "Spotkanie grudniowe", "agenda": "Zima."}
    first = client.post(create, data)
    meeting = NetworkMeeting.objects.get()
    assert first.status_code == 302 and first.url.endswith(f"/meetings/{meeting.pk}/")
    second = client.post(create, data, follow=True)
    assert NetworkMeeting.objects.count() == 1
    assert second.redirect_chain[-1][0].endswith(f"/meetings/{meeting.pk}/")
    assert said in second.content.decode()
    # Another meeting the same day (another title) is a meeting of its own.
    client.post(create, {**data, "title": "Spotkanie zespołu"})
    assert NetworkMeeting.objects.count() == 2


def test_a_document_shared_twice_is_shared_once(login, world, settings, tmp_path):
    from django.utils import translation

    settings.MEDIA_ROOT = tmp_path
    network = network_of_a(world)
    client = login("coordinator")
    with translation.override("pl"):
        share = reverse("networks:document_share", kwargs={"pk": network.pk})
        said = translation.gettext(
            "This document was already shared, so it was not shared a second time."
        )
    link = {"title": "Lista mieszkań", "url": "https://example.org/lista"}
    client.post(share, link)
    second = client.post(share, link, follow=True)
    assert NetworkDocument.objects.count() == 1
    assert said in second.content.decode()
    # The same file twice (a double click on Save) is one document too.
    for _ in range(2):
        upload = SimpleUploadedFile("regulamin.txt", b"Zasady sieci")
        client.post(share, {"title": "Regulamin", "file": upload})
    assert NetworkDocument.objects.count() == 2
    # Another link, or another file under the same title, is a document of its own.
    client.post(share, {**link, "url": "https://example.org/lista-2027"})
    upload = SimpleUploadedFile("regulamin.txt", b"Zasady sieci, wersja 2")
    client.post(share, {"title": "Regulamin", "file": upload})
    assert NetworkDocument.objects.count() == 4
