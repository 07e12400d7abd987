"""What other modules do when a participant's consent changes.

People sits below the modules that process a person's data on the strength of a consent (cases
refer them, messaging writes to them), so it cannot call them: it sends these signals from its
consent services, inside their transaction, and the modules connect receivers (`loads` in their
`apps.py`). A receiver gets `consent` and `by` (who recorded the change) and may return a
sentence for that person, shown after the change ("2 open referrals were withdrawn."), or None.
"""

from django.dispatch import Signal

# Sent by `consent_withdraw` once the consent is withdrawn.
consent_withdrawn = Signal()
# Sent by `consent_record` once the new consent is saved.
consent_recorded = Signal()
