"""What cases do when a participant's consent changes (people.signals)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import ngettext

from mosty.cases import services
from mosty.people.models import ConsentPurpose
from mosty.people.signals import consent_withdrawn


@receiver(consent_withdrawn, dispatch_uid="mosty-cases-referral-consent")
def referrals_withdraw(sender: Any, *, consent: Any, by: Any, **kwargs: Any) -> str | None:
    """Consent to referrals withdrawn: so are the person's open referrals."""
    if consent.purpose != ConsentPurpose.REFERRAL:
        return None
    count = services.referrals_withdraw_for_consent(consent=consent, by=by)
    if not count:
        return None
    return ngettext(
        "%(count)d open referral was withdrawn.",
        "%(count)d open referrals were withdrawn.",
        count,
    ) % {"count": count}
