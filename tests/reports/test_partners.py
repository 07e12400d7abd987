"""A programme's partners take part only when they accept: a lead cannot read another
organisation's activity by naming it a partner, and a partner can leave."""

import pytest
from django.urls import reverse
from django.utils import translation

from mosty.accounts.models import Membership, Role
from mosty.core.indicators import INDICATORS
from mosty.messaging.models import Notification
from mosty.networks.models import Network, NetworkMembership
from mosty.organisations.models import Organisation
from mosty.reports.models import InvitationState, PartnerInvitation, Programme
from tests.reports.factories import make_programme
from tests.reports.test_programme_links import _form
from tests.research.factories import make_response, make_survey

pytestmark = pytest.mark.django_db

RESPONSES = INDICATORS["research.responses"]


def _pl(text):
    """`text` as the Polish pages show it (the test users read Polish)."""
    with translation.override("pl"):
        return translation.gettext(text)


def _reload(programme):
    return Programme.objects.get(pk=programme.pk)


def _name_partner(client, programme, *orgs, **extra):
    return client.post(
        reverse("reports:programme_edit", args=[programme.pk]),
        _form(programme, partners=[org.pk for org in orgs], **extra),
    )


def test_naming_a_partner_asks_it_and_counts_nothing_of_it_until_it_accepts(world, login):
    make_response(make_survey(world.org_a), {})
    for _ in range(3):
        make_response(make_survey(world.org_b), {})
    programme = make_programme(world, targets=[("research.responses", 10)])

    lead = login("coordinator")
    assert _name_partner(lead, programme, world.org_b).status_code == 302
    programme = _reload(programme)
    assert list(programme.partners.all()) == []
    invitation = PartnerInvitation.objects.get(programme=programme)
    assert (invitation.organisation, invitation.state) == (world.org_b, InvitationState.PENDING)
    # The tester's case: the lead read org B's activity the moment it named org B.
    assert RESPONSES.value(programme.scope()) == 1
    page = lead.get(reverse("reports:programme_detail", args=[programme.pk])).content.decode()
    assert _pl("not counted until it accepts") in page
    # Org B's coordinators hear of it under the bell; org B does not see the programme yet.
    bell = Notification.objects.get(user=world.user("coordinator", "b"))
    assert bell.template == "programme_invitation"

    partner = login("coordinator", "b")
    detail = reverse("reports:programme_detail", args=[programme.pk])
    assert partner.get(detail).status_code in (403, 404)
    listing = partner.get(reverse("reports:programme_list")).content.decode()
    assert _pl("Invitations to take part") in listing and programme.name in listing

    response = partner.post(reverse("reports:partner_accept", args=[invitation.pk]))
    assert response.status_code == 302 and response["Location"] == detail
    programme = _reload(programme)
    assert list(programme.partners.all()) == [world.org_b]
    assert not PartnerInvitation.objects.exists()
    assert RESPONSES.value(programme.scope()) == 4
    assert partner.get(detail).status_code == 200
    told = Notification.objects.get(user=world.user("coordinator", "a"))
    assert told.template == "programme_invitation_accepted"


def test_only_the_organisation_asked_answers(world, login):
    programme = make_programme(world)
    invitation = PartnerInvitation.objects.create(programme=programme, organisation=world.org_b)
    lead = login("coordinator")
    assert lead.post(reverse("reports:partner_accept", args=[invitation.pk])).status_code == 404
    assert list(_reload(programme).partners.all()) == []


def test_a_declined_invitation_is_shown_and_not_asked_again_by_saving(world, login):
    programme = make_programme(world)
    lead = login("coordinator")
    _name_partner(lead, programme, world.org_b)
    invitation = PartnerInvitation.objects.get()

    partner = login("coordinator", "b")
    response = partner.post(reverse("reports:partner_decline", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.DECLINED
    assert invitation.answered_by == world.user("coordinator", "b")

    lead = login("coordinator")
    edit = lead.get(reverse("reports:programme_edit", args=[programme.pk]))
    assert edit.context["form"].initial["partners"] == []
    page = lead.get(reverse("reports:programme_detail", args=[programme.pk])).content.decode()
    assert _pl("declined") in page
    # Saving the form as shown keeps the answer; naming org B again asks again.
    _name_partner(lead, _reload(programme))
    assert PartnerInvitation.objects.get().state == InvitationState.DECLINED
    _name_partner(lead, _reload(programme), world.org_b)
    assert PartnerInvitation.objects.get().state == InvitationState.PENDING


def test_a_pending_invitation_survives_an_unchanged_save_and_is_withdrawn_when_unnamed(
    world, login
):
    programme = make_programme(world)
    lead = login("coordinator")
    _name_partner(lead, programme, world.org_b)
    edit = lead.get(reverse("reports:programme_edit", args=[programme.pk]))
    assert edit.context["form"].initial["partners"] == [world.org_b.pk]
    _name_partner(lead, _reload(programme), world.org_b)
    assert PartnerInvitation.objects.count() == 1
    assert Notification.objects.filter(template="programme_invitation").count() == 1
    _name_partner(lead, _reload(programme))
    assert not PartnerInvitation.objects.exists()


def test_an_organisation_the_lead_coordinates_joins_at_once(world, login):
    third = Organisation.objects.create(name="Fundacja Trzecia", slug="trzecia")
    Membership.objects.create(
        user=world.user("coordinator"), organisation=third, role=Role.COORDINATOR
    )
    programme = make_programme(world)
    _name_partner(login("coordinator"), programme, third, world.org_b)
    programme = _reload(programme)
    assert list(programme.partners.all()) == [third]
    assert [i.organisation for i in PartnerInvitation.objects.all()] == [world.org_b]


def test_a_partner_leaves_and_is_no_longer_counted(world, login):
    for _ in range(2):
        make_response(make_survey(world.org_b), {})
    programme = make_programme(world, targets=[("research.responses", 10)])
    programme.partners.add(world.org_b)
    assert RESPONSES.value(_reload(programme).scope()) == 2

    partner = login("coordinator", "b")
    detail = reverse("reports:programme_detail", args=[programme.pk])
    assert _pl("Leave the programme") in partner.get(detail).content.decode()
    response = partner.post(reverse("reports:programme_leave", args=[programme.pk]))
    assert response.status_code == 302
    programme = _reload(programme)
    assert list(programme.partners.all()) == []
    assert RESPONSES.value(programme.scope()) == 0
    assert partner.get(detail).status_code in (403, 404)
    told = Notification.objects.get(user=world.user("coordinator", "a"))
    assert told.template == "programme_partner_left"
    # The lead cannot "leave" its own programme that way.
    lead = login("coordinator")
    assert _pl("Leave the programme") not in lead.get(detail).content.decode()
    assert lead.post(reverse("reports:programme_leave", args=[programme.pk])).status_code == 403


def _network(world, coordinator):
    network = Network.objects.create(
        name="Sieć edukacyjna", slug="siec", theme="education", coordinator=coordinator
    )
    third = Organisation.objects.create(name="Fundacja Trzecia", slug="trzecia")
    NetworkMembership.objects.create(network=network, organisation=third)
    make_response(make_survey(third), {})
    return network


def test_members_of_another_organisations_network_are_never_counted(world, login):
    network = _network(world, coordinator=world.org_b)
    programme = make_programme(world, targets=[("research.responses", 10)])
    lead = login("coordinator")
    response = _name_partner(lead, programme, networks=[network.pk], count_network_members="on")
    assert response.status_code == 200
    error = _pl(
        "Members are counted only for networks coordinated by an organisation taking part in "
        "the programme. Add the coordinating organisation as a partner, or do not count the "
        "members."
    )
    assert error in response.content.decode()
    assert _reload(programme).count_network_members is False

    # Set behind the form's back (or before this rule): still not counted.
    programme.networks.set([network])
    programme.count_network_members = True
    programme.save()
    programme = _reload(programme)
    assert programme.counted_organisation_ids() == {world.org_a.pk}
    assert RESPONSES.value(programme.scope()) == 0
    page = lead.get(reverse("reports:programme_detail", args=[programme.pk])).content.decode()
    assert _pl("members not counted: its coordinating organisation does not take part") in page

    # Once the network's coordinating organisation takes part, its members count.
    programme.partners.add(world.org_b)
    assert RESPONSES.value(_reload(programme).scope()) == 1


def test_a_network_coordinator_asked_to_take_part_may_be_linked(world, login):
    network = _network(world, coordinator=world.org_b)
    programme = make_programme(world)
    response = _name_partner(
        login("coordinator"),
        programme,
        world.org_b,
        networks=[network.pk],
        count_network_members="on",
    )
    assert response.status_code == 302
    programme = _reload(programme)
    assert programme.count_network_members and list(programme.networks.all()) == [network]
    # Asked, not yet taking part: its network's members wait with it.
    assert programme.counted_organisation_ids() == {world.org_a.pk}
