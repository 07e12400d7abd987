"""Demo life in the city pack's thematic networks: a recorded meeting with the member
organisations as attendees, and one invitation by e-mail waiting for an answer (its link is
never sent nor kept: only the hash of a random secret is stored)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.utils import timezone

from mosty.core.seeding import seeder
from mosty.networks.models import (
    INVITATION_DAYS,
    Network,
    NetworkInvitation,
    NetworkMeeting,
    NetworkRole,
    token_hash,
)

DEMO_INVITEE = "invited.expert@example.org"


@seeder("networks", order=45)  # type: ignore[untyped-decorator]
def seed_networks(ctx: Any) -> str:
    networks = list(Network.objects.order_by("pk")[: ctx.size(demo=10, large=10)])
    if not networks:
        return "networks: none in the city pack"
    meetings = 0
    today = timezone.localdate()
    for network in networks:
        if network.meetings.exists():
            continue
        meeting = NetworkMeeting.objects.create(
            network=network,
            date=today - dt.timedelta(days=ctx.rng.randint(7, 60)),
            title=f"{network.name} · {today:%Y}",
            agenda="1. Plan of the year\n2. Needs of newcomers in the network's area",
            minutes="The members agreed on the plan and the next meeting.",
        )
        meeting.attendees.set(network.members.filter(organisation__isnull=False))
        meetings += 1
    invitations = 0
    first = networks[0]
    if not NetworkInvitation.objects.filter(network=first, email=DEMO_INVITEE).exists():
        NetworkInvitation.objects.create(
            network=first,
            email=DEMO_INVITEE,
            role=NetworkRole.MEMBER,
            language="uk",
            token_hash=token_hash(secrets.token_urlsafe(32)),
            expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
        )
        invitations = 1
    return f"networks: {meetings} meetings, {invitations} pending invitation"
