"""Network invitations in a participant's GDPR export and erasure (`mosty.people.gdpr`).

An invitation names a person only by the e-mail address it was sent to: a participant invited
to a network (with the address on their record or their portal login) finds it in their export,
and erasure deletes it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from mosty.networks.models import NetworkInvitation


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


def export(participant: Any) -> list[dict[str, Any]]:
    return [
        {
            "network": invitation.network.name,
            "email": invitation.email,
            "role": invitation.role,
            "state": invitation.state,
            "sent_at": invitation.created_at.isoformat(),
        }
        for invitation in _invitations(participant).order_by("created_at")
    ]


def erase(participant: Any) -> None:
    """Invitations go whole: once sent they only matter to the person they name."""
    _invitations(participant).delete()


def register() -> None:
    from mosty.people import gdpr

    gdpr.register_module(
        __name__,
        label=_("Invitations to thematic networks"),
        models=["networks.NetworkInvitation"],
        # `state` is worked out from the dates (`NetworkInvitation.state`), not stored.
        renamed={"state": "people.ParticipantImport.status"},
    )
