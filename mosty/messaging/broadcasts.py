"""A message to every registrant of an event, expanded in the worker: the organiser's page only
hands over the event and the template, so 5,000 registrants do not hold the page up."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task

from mosty.events.models import Event, RegistrationStatus
from mosty.messaging.outbox import broadcast


def recipients(event: Event) -> list[dict[str, Any]]:
    """Each registrant once, through what Mosty knows of them: their participant record (their
    channel and consent), their account, or the address they registered with."""
    found: list[dict[str, Any]] = []
    registrations = (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("participant", "user", "participant__portal_account__user")
        .order_by("pk")
    )
    for registration in registrations:
        if registration.participant is not None:
            found.append({"participant": registration.participant})
        elif registration.user is not None:
            found.append({"user": registration.user})
        elif registration.email:
            found.append({"to": registration.email, "language": registration.language})
    return found


@task()
def event_broadcast_expand(*, event_id: int, template: str, key: str) -> int:
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    with transaction.atomic():
        return broadcast(recipients(event), template, {"title": event.title}, key=key)
