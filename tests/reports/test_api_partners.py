"""Programme partners through the API, as on the programmes pages: the organisation asked
reads its invitations and accepts or declines; a partner leaves; the lead reads who was
asked and what they answered."""

import pytest
from django.urls import reverse

from mosty.access.models import AuditEvent
from mosty.core.indicators import INDICATORS
from mosty.messaging.models import Notification
from mosty.reports.models import InvitationState, PartnerInvitation, Programme
from tests.reports.factories import make_programme
from tests.research.factories import make_response, make_survey

pytestmark = pytest.mark.django_db

RESPONSES = INDICATORS["research.responses"]


def _asked(world, **kwargs):
    """Org A's programme, asking org B to take part (as the lead's form does)."""
    programme = make_programme(world, **kwargs)
    invitation = PartnerInvitation.objects.create(
        programme=programme, organisation=world.org_b, invited_by=world.user("coordinator")
    )
    return programme, invitation


def _detail(client, programme):
    return client.get(reverse("api:programme_detail", args=[programme.pk]))


def _reload(programme):
    return Programme.objects.get(pk=programme.pk)


def test_the_organisation_asked_reads_its_invitation_and_accepts(world, login):
    for _ in range(3):
        make_response(make_survey(world.org_b), {})
    programme, invitation = _asked(world, targets=[("research.responses", 10)])
    assert RESPONSES.value(_reload(programme).scope()) == 0

    partner = login("coordinator", "b")
    listed = partner.get(reverse("api:programme_invitation_list"))
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [invitation.pk]
    row = listed.json()["results"][0]
    assert (row["programme"], row["programme_name"], row["state"]) == (
        programme.pk,
        programme.name,
        "pending",
    )
    assert row["lead"] == {"id": world.org_a.pk, "name": world.org_a.name}
    assert row["organisation"] == {"id": world.org_b.pk, "name": world.org_b.name}
    # Not taking part yet: the programme is not org B's to read.
    assert _detail(partner, programme).status_code == 404

    response = partner.post(reverse("api:programme_invitation_accept", args=[invitation.pk]))
    assert response.status_code == 200
    assert response.json()["id"] == programme.pk
    programme = _reload(programme)
    assert list(programme.partners.all()) == [world.org_b]
    assert not PartnerInvitation.objects.exists()
    assert RESPONSES.value(programme.scope()) == 3
    assert AuditEvent.objects.filter(
        action="mosty.report.partner.accepted", actor=world.user("coordinator", "b")
    ).exists()
    told = Notification.objects.get(user=world.user("coordinator", "a"))
    assert told.template == "programme_invitation_accepted"
    assert partner.get(reverse("api:programme_invitation_list")).json()["results"] == []
    detail = _detail(partner, programme)
    assert detail.status_code == 200
    assert detail.json()["partners"] == [{"id": world.org_b.pk, "name": world.org_b.name}]


def test_a_declined_invitation_is_shown_to_the_lead(world, login):
    programme, invitation = _asked(world)
    lead = login("coordinator")
    asked = _detail(lead, programme).json()
    assert asked["partners"] == []
    assert asked["invitations"] == [
        {"organisation": {"id": world.org_b.pk, "name": world.org_b.name}, "state": "pending"}
    ]

    partner = login("coordinator", "b")
    response = partner.post(reverse("api:programme_invitation_decline", args=[invitation.pk]))
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["state"]) == (invitation.pk, "declined")
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.DECLINED
    assert invitation.answered_by == world.user("coordinator", "b")
    told = Notification.objects.get(user=world.user("coordinator", "a"))
    assert told.template == "programme_invitation_declined"
    # Answered: no longer waiting, so neither listed nor answerable again.
    assert partner.get(reverse("api:programme_invitation_list")).json()["results"] == []
    again = partner.post(reverse("api:programme_invitation_accept", args=[invitation.pk]))
    assert again.status_code == 404
    assert list(_reload(programme).partners.all()) == []

    lead = login("coordinator")
    assert _detail(lead, programme).json()["invitations"] == [
        {"organisation": {"id": world.org_b.pk, "name": world.org_b.name}, "state": "declined"}
    ]


def test_only_the_organisation_asked_answers(world, login):
    programme, invitation = _asked(world)
    for role, org in (("coordinator", "a"), ("caseworker", "b"), ("admin", "a")):
        client = login(role, org)
        listed = client.get(reverse("api:programme_invitation_list"))
        if role == "caseworker":
            assert listed.status_code == 403
        else:
            assert listed.status_code == 200 and listed.json()["results"] == [], role
        for name in ("api:programme_invitation_accept", "api:programme_invitation_decline"):
            response = client.post(reverse(name, args=[invitation.pk]))
            assert response.status_code in (403, 404), (role, org, name)
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.PENDING
    assert list(_reload(programme).partners.all()) == []


def test_a_partner_leaves_and_the_lead_may_not(world, login):
    for _ in range(2):
        make_response(make_survey(world.org_b), {})
    programme = make_programme(world, targets=[("research.responses", 10)])
    programme.partners.add(world.org_b)
    assert RESPONSES.value(_reload(programme).scope()) == 2
    url = reverse("api:programme_leave", args=[programme.pk])

    # The lead and the administrator see the programme, but have no partner organisation to
    # take out of it; a caseworker of the partner does not see it at all.
    assert login("coordinator").post(url).status_code == 403
    assert login("admin").post(url).status_code == 403
    assert login("caseworker", "b").post(url).status_code == 404

    partner = login("coordinator", "b")
    response = partner.post(url)
    assert response.status_code == 200
    assert response.json()["id"] == programme.pk
    programme = _reload(programme)
    assert list(programme.partners.all()) == []
    assert RESPONSES.value(programme.scope()) == 0
    assert _detail(partner, programme).status_code == 404
    told = Notification.objects.get(user=world.user("coordinator", "a"))
    assert told.template == "programme_partner_left"
    # Gone: there is nothing left to leave.
    assert partner.post(url).status_code == 404


def test_invitations_are_listed_and_shown_with_no_more_queries(world, login):
    from mosty.organisations.models import Organisation
    from tests.utils import assert_constant_queries

    asked = []

    def ask_org_b_again():
        programme = make_programme(world, name=f"Programme {len(asked)}")
        asked.append(
            PartnerInvitation.objects.create(programme=programme, organisation=world.org_b)
        )

    ask_org_b_again()  # a page with rows, then a page with more
    partner = login("coordinator", "b")
    assert_constant_queries(partner, reverse("api:programme_invitation_list"), ask_org_b_again)

    programme = make_programme(world)
    url = reverse("api:programme_detail", args=[programme.pk])

    def ask_one_more():
        n = PartnerInvitation.objects.filter(programme=programme).count()
        org = Organisation.objects.create(name=f"Fundacja {n}", slug=f"fundacja-{n}")
        PartnerInvitation.objects.create(programme=programme, organisation=org)
        programme.partners.add(Organisation.objects.create(name=f"Partner {n}", slug=f"p-{n}"))

    assert_constant_queries(login("coordinator"), url, ask_one_more, times=3)
