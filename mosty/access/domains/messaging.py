"""Messages and the staff bell (issue 19).

- A notification is read only by the user it is for; everyone signed in has a bell.
- Who is told when something reaches an organisation (a referral, a request for help without a
  case, a plan to approve) is decided here: its active coordinators and caseworkers, or only
  its coordinators.
- A broadcast to an event's registrants is sent by those who organise the event.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import QuerySet

from mosty.access.domains.events import organises_event
from mosty.access.policy import POLICY
from mosty.access.roles import is_authenticated
from mosty.accounts.models import Role


def organisation_staff(organisation_id: int, *roles: str) -> QuerySet:
    """Active users holding one of `roles` (coordinator and caseworker by default) in the
    organisation: who is told when something reaches it."""
    from mosty.accounts.models import User

    return User.objects.filter(
        is_active=True,
        memberships__organisation_id=organisation_id,
        memberships__organisation__is_active=True,
        memberships__role__in=roles or (Role.COORDINATOR, Role.CASEWORKER),
        memberships__is_active=True,
    ).distinct()


@rules.predicate
def owns_notification(user: Any, notification: Any) -> bool:
    return notification is not None and notification.user_id == getattr(user, "pk", None)


POLICY.add_rule("notification.list", is_authenticated)
POLICY.add_rule("notification.read", owns_notification)
POLICY.add_rule("event.broadcast", organises_event)
