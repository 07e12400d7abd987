"""Partners named before partners were asked: the migration keeps those the programme's
creator coordinates and turns every other into an invitation waiting for an answer."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mosty.reports.models import InvitationState, PartnerInvitation, Programme

BEFORE = [("reports", "0005_city_snapshot"), ("accounts", "0002_squashed_0005")]


@pytest.mark.django_db(transaction=True)
def test_partners_the_creator_did_not_coordinate_are_asked_instead():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Organisation = old.get_model("organisations", "Organisation")
    User = old.get_model("accounts", "User")
    Membership = old.get_model("accounts", "Membership")
    OldProgramme = old.get_model("reports", "Programme")
    lead, own, other = (
        Organisation.objects.create(name=name, slug=name.lower(), kind="ngo")
        for name in ("Lead", "Own", "Other")
    )
    creator = User.objects.create(email="k@example.org", first_name="K", last_name="N")
    for org in (lead, own):
        Membership.objects.create(user=creator, organisation=org, role="coordinator")
    programme = OldProgramme.objects.create(
        organisation=lead,
        name="FAMI",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        created_by=creator,
    )
    programme.partners.set([own, other])

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)

    migrated = Programme.objects.get(pk=programme.pk)
    assert [org.pk for org in migrated.partners.all()] == [own.pk]
    invitation = PartnerInvitation.objects.get(programme=migrated)
    assert (invitation.organisation_id, invitation.state) == (other.pk, InvitationState.PENDING)
    assert invitation.invited_by_id == creator.pk
