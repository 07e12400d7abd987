"""Writes of the bell (the outbox is written by `mosty.messaging.outbox`, called by the
services whose action causes a message)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mosty.access.audit import audit
from mosty.access.policy import require
from mosty.messaging.broadcasts import event_broadcast_expand
from mosty.messaging.catalog import BROADCASTS
from mosty.messaging.models import Notification


@transaction.atomic
def notification_read(*, notification: Notification, by: Any) -> Notification:
    require(by, "notification.read", notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_read_all(*, by: Any) -> int:
    require(by, "notification.list")
    return Notification.objects.filter(user=by, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def event_broadcast(*, event: Any, template: str, by: Any, sending: uuid.UUID | None = None) -> str:
    """Tell every registrant of `event` (cancelled, changed) in their own language and channel.
    Returns the broadcast's key; the messages are written and sent by the worker. `sending`
    names one sending (the form that asks carries it): asked again with it (a double click,
    the form posted again after Back), each registrant still gets one message."""
    require(by, "event.broadcast", event)
    if template not in BROADCASTS:
        raise ValidationError({"template": _("Choose a message from the list.")})
    key = f"event:{event.pk}:{template}:{(sending or uuid.uuid4()).hex}"
    transaction.on_commit(
        lambda: event_broadcast_expand.enqueue(event_id=event.pk, template=template, key=key)
    )
    audit(by, "mosty.messaging.broadcast.queued", event, details={"template": template})
    return key
