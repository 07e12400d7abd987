"""Moving the network models from `organisations` to `networks` keeps every row: a database
migrated up to the old state, holding a network with members, a meeting with attendees, a
document and a programme linked to it, is migrated to the new state and read back."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mosty.networks.models import Network, NetworkMeeting, NetworkRole
from mosty.reports.models import Programme

BEFORE = [("organisations", "0001_squashed_0003"), ("reports", "0001_initial")]


def _leaves(executor):
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_networks_survive_the_move_to_their_own_app():
    executor = MigrationExecutor(connection)
    leaves = _leaves(executor)
    # Back to before the move: networks' migrations and those that depend on them unapplied.
    executor.migrate([("networks", None)])
    old = executor.loader.project_state(BEFORE).apps
    Organisation = old.get_model("organisations", "Organisation")
    OldNetwork = old.get_model("organisations", "Network")
    OldMembership = old.get_model("organisations", "NetworkMembership")
    OldMeeting = old.get_model("organisations", "NetworkMeeting")
    OldDocument = old.get_model("organisations", "NetworkDocument")
    OldProgramme = old.get_model("reports", "Programme")
    lead = Organisation.objects.create(name="Centrum", slug="centrum", kind="ngo")
    school = Organisation.objects.create(name="Szkoła 5", slug="szkola-5", kind="school")
    network = OldNetwork.objects.create(
        name="Sieć edukacyjna", slug="siec", theme="education", coordinator=lead
    )
    members = [
        OldMembership.objects.create(network=network, organisation=org) for org in (lead, school)
    ]
    meeting = OldMeeting.objects.create(
        network=network, date=datetime.date(2026, 3, 1), title="Spotkanie", minutes="Ustalenia"
    )
    meeting.attendees.set(members)
    OldDocument.objects.create(network=network, title="Plan", url="https://example.org/plan")
    programme = OldProgramme.objects.create(
        organisation=lead,
        name="FAMI",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    programme.networks.add(network)

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)

    moved = Network.objects.get(pk=network.pk)
    assert (moved.name, moved.coordinator_id, moved.theme) == (
        "Sieć edukacyjna",
        lead.pk,
        "education",
    )
    assert sorted(moved.members.values_list("organisation_id", flat=True)) == sorted(
        [lead.pk, school.pk]
    )
    assert set(moved.members.values_list("role", flat=True)) == {NetworkRole.MEMBER}
    kept = NetworkMeeting.objects.get(pk=meeting.pk)
    assert kept.minutes == "Ustalenia"
    assert sorted(kept.attendees.values_list("pk", flat=True)) == sorted(m.pk for m in members)
    assert moved.documents.get().url == "https://example.org/plan"
    assert list(Programme.objects.get(pk=programme.pk).networks.all()) == [moved]
    # The new app writes to the same tables, invitations included (a new one).
    assert Network.objects.count() == 1 and moved.invitations.count() == 0
