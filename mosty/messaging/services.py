"""Writes of the bell (the outbox is written by `mosty.messaging.outbox`, called by the
services whose action causes a message)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from mosty.access.policy import require
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
