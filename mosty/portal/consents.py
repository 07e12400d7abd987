"""What the portal does when a participant's consent changes (people.signals)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from mosty.people.models import ConsentPurpose
from mosty.people.signals import consent_withdrawn
from mosty.portal.services import portal_access_end


@receiver(consent_withdrawn, dispatch_uid="mosty-portal-access-consent")
def access_end(sender: Any, *, consent: Any, by: Any, **kwargs: Any) -> None:
    """Consent to the portal withdrawn on the participant's page (by staff, on paper): the
    portal access ends as when the person withdraws it themself."""
    if consent.purpose == ConsentPurpose.PORTAL:
        portal_access_end(participant=consent.participant, by=by)
