"""What messaging does when a participant's consent changes (people.signals)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import ngettext

from mosty.messaging.outbox import release_held
from mosty.people.models import ConsentPurpose
from mosty.people.signals import consent_recorded


@receiver(consent_recorded, dispatch_uid="mosty-messaging-release-held")
def held_release(sender: Any, *, consent: Any, by: Any, **kwargs: Any) -> str | None:
    """A channel agreed to (or the portal, which covers e-mail): held messages go out."""
    if consent.purpose not in (ConsentPurpose.MESSAGES, ConsentPurpose.PORTAL):
        return None
    count = release_held(consent.participant)
    if not count:
        return None
    return ngettext(
        "%(count)d held message is being sent.",
        "%(count)d held messages are being sent.",
        count,
    ) % {"count": count}
