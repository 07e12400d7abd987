import datetime

from django.utils import timezone

from mosty.networks.models import (
    Network,
    NetworkDocument,
    NetworkInvitation,
    NetworkMeeting,
    NetworkMembership,
    token_hash,
)
from tests.access_matrix import Route
from tests.factories import OrganisationFactory

# Staff of a member organisation take part in its networks (access/domains/networks.py).
MEMBERS = frozenset({"admin", "coordinator", "caseworker", "institution_staff", "assistant"})
RUNNERS = frozenset({"admin", "coordinator"})


def network_of_a(world, *, public: bool = True) -> Network:
    network = Network.objects.create(
        name="Sieć edukacyjna",
        slug=f"siec-{Network.objects.count() + 1}",
        theme="education",
        purpose="Szkoły i NGO razem.",
        coordinator=world.org_a,
        is_public=public,
    )
    NetworkMembership.objects.create(network=network, organisation=world.org_a)
    return network


def _network(world):
    return {"pk": network_of_a(world).pk}


def _public(world):
    return {"slug": network_of_a(world).slug}


def _membership(world):
    network = network_of_a(world)
    other = OrganisationFactory()
    return {"pk": NetworkMembership.objects.create(network=network, organisation=other).pk}


def _meeting(world):
    meeting = NetworkMeeting.objects.create(
        network=network_of_a(world), date=datetime.date(2026, 3, 1), title="Spotkanie"
    )
    return {"pk": meeting.pk}


def _document(world):
    document = NetworkDocument.objects.create(
        network=network_of_a(world), title="Plan", url="https://example.org/plan.pdf"
    )
    return {"pk": document.pk}


def pending_invitation(world, *, token: str = "matrix-token", email: str = "nowa@example.org"):
    return NetworkInvitation.objects.create(
        network=network_of_a(world),
        email=email,
        language="pl",
        token_hash=token_hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )


def _invitation(world):
    return {"pk": pending_invitation(world).pk}


def _invitation_link(world):
    pending_invitation(world, token="matrix-link")
    return {"token": "matrix-link"}


ROUTES = [
    Route("networks:public_list", public=True),
    Route("networks:public", public=True, kwargs=_public),
    Route("networks:list", allowed=MEMBERS, org_scoped=False),
    Route("networks:create", allowed=RUNNERS, org_scoped=False),
    Route("networks:detail", reads_personal=True, allowed=MEMBERS, kwargs=_network),
    Route("networks:edit", allowed=RUNNERS, kwargs=_network),
    Route("networks:members", reads_personal=True, allowed=RUNNERS, kwargs=_network),
    Route("networks:member_remove", allowed=RUNNERS, method="post", kwargs=_membership, ok=(302,)),
    Route("networks:meeting_create", allowed=RUNNERS, kwargs=_network),
    Route("networks:meeting", allowed=MEMBERS, kwargs=_meeting),
    Route("networks:meeting_edit", allowed=RUNNERS, kwargs=_meeting),
    Route("networks:document_share", allowed=RUNNERS, kwargs=_network),
    Route("networks:document", allowed=MEMBERS, kwargs=_document, ok=(302,)),
    Route("networks:invitations", reads_personal=True, allowed=RUNNERS, kwargs=_network),
    Route(
        "networks:invitation_revoke",
        allowed=RUNNERS,
        method="post",
        kwargs=_invitation,
        ok=(302,),
    ),
    Route(
        "networks:invitation_accept",
        public=True,
        allowed=frozenset({"*"}),
        kwargs=_invitation_link,
        note="the link is the permission: a visitor gets the account form, anyone logged in "
        "with another address is told the link is not for them (nothing written on GET)",
    ),
    Route("api:network_list", allowed=MEMBERS, api=True, org_scoped=False),
    Route("api:network_detail", allowed=MEMBERS, api=True, kwargs=_network),
    Route(
        "api:network_create",
        allowed=RUNNERS,
        api=True,
        org_scoped=False,
        method="post",
        data=lambda w: {"name": "Sieć API", "theme": "housing", "coordinator": w.org_a.pk},
        ok=(201,),
        denied=(400, 403),
        note="a coordinator of B is refused for org A's network on the coordinator field (400)",
    ),
    Route(
        "api:network_member_add",
        allowed=RUNNERS,
        api=True,
        method="post",
        kwargs=_network,
        data=lambda w: {"organisation": w.org_b.pk},
        ok=(201,),
    ),
    Route(
        "api:network_meeting_create",
        allowed=RUNNERS,
        api=True,
        method="post",
        kwargs=_network,
        data=lambda w: {"date": "2026-12-01", "title": "Spotkanie sieci"},
        ok=(201,),
    ),
]
