"""Reads of the outbox and the bell."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mosty.messaging.models import Message, Notification


def message_address(message: Message, payload: dict[str, Any]) -> str:
    """Where `message` goes, read when it is sent (the person may have changed it since)."""
    explicit = payload.get("_to")
    if isinstance(explicit, str) and explicit:
        return explicit
    person: Any = message.recipient_participant or message.recipient_user
    if person is None:
        return ""
    if message.channel == "email":
        return str(person.email or "")
    return str(person.phone or "")


def notification_list(*, user: Any) -> QuerySet[Notification]:
    """The bell of `user`: their own notifications only."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(*, user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
