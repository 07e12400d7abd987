"""Network invitations and memberships in a participant's GDPR export and erasure
(`mosty.people.gdpr`).

An invitation names a person only by the e-mail address it was sent to: a participant invited
to a network (with the address on their record or their portal login) finds it in their export,
and erasure deletes it. A participant whose portal account joined a network as a person is a
member by that account: the export lists those memberships, and erasure ends them (an erased
person left in a network's member list read "erased-7@invalid").
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from mosty.networks.models import NetworkInvitation, NetworkMembership


def _addresses(participant: Any) -> list[str]:
    addresses = [participant.email or ""]
    account = getattr(participant, "portal_account", None)
    if account is not None:
        addresses.append(account.user.email or "")
    return [a for a in addresses if a]


def _invitations(participant: Any) -> QuerySet[NetworkInvitation]:
    condition = Q()
    for address in _addresses(participant):
        condition |= Q(email__iexact=address)
    if not condition:
        return NetworkInvitation.objects.none()
    return NetworkInvitation.objects.filter(condition).select_related("network")


def _memberships(participant: Any) -> QuerySet[NetworkMembership]:
    account = getattr(participant, "portal_account", None)
    if account is None:
        return NetworkMembership.objects.none()
    return NetworkMembership.objects.filter(user_id=account.user_id).select_related("network")


def export(participant: Any) -> list[dict[str, Any]]:
    invitations = [
        {
            "network": invitation.network.name,
            "email": invitation.email,
            "role": invitation.role,
            "state": invitation.state,
            "sent_at": invitation.created_at.isoformat(),
        }
        for invitation in _invitations(participant).order_by("created_at")
    ]
    memberships = [
        {
            "network": membership.network.name,
            "role": membership.role,
            "joined_at": membership.joined_at.isoformat(),
        }
        for membership in _memberships(participant).order_by("joined_at")
    ]
    return invitations + memberships


def erase(participant: Any) -> None:
    """Invitations go whole: once sent they only matter to the person they name; so do the
    memberships of their portal account."""
    _invitations(participant).delete()
    _memberships(participant).delete()


def register() -> None:
    from mosty.people import gdpr

    gdpr.register_module(
        __name__,
        label=_("Thematic networks: invitations and memberships"),
        models=["networks.NetworkInvitation", "networks.NetworkMembership"],
        # `state` is worked out from the dates (`NetworkInvitation.state`), not stored.
        renamed={"state": "people.ParticipantImport.status"},
    )
