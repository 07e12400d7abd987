"""Reads of the outbox and the bell."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mosty.messaging.backends import configured_channels
from mosty.messaging.models import Message, MessageChannel, Notification
from mosty.people.models import Consent

PHONE_CHANNELS = {"sms", "whatsapp", "telegram", "signal", "viber", "phone"}


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


def consented_channels(participant: Any) -> set[str]:
    """The channels `participant` agreed to be contacted on: each active consent to messages
    names one; the consent to their own portal page covers e-mail about it."""
    rows = Consent.objects.filter(
        participant=participant, purpose__in=("messages", "portal"), withdrawn_at__isnull=True
    ).values_list("purpose", "channel")
    channels = {channel for purpose, channel in rows if purpose == "messages" and channel}
    if any(purpose == "portal" for purpose, _channel in rows):
        channels.add(MessageChannel.EMAIL)
    return channels


def choose_channel(participant: Any) -> str:
    """The channel a message to `participant` takes, or "" when none may be used (the message
    is then held). Never a channel without their consent: the one they prefer; for a chat app
    this installation has no adapter for, a text message; else any other consented channel
    they can be reached on."""
    consented = consented_channels(participant)
    configured = configured_channels()

    def usable(channel: str) -> bool:
        address = participant.email if channel == MessageChannel.EMAIL else participant.phone
        return bool(address) and channel in consented and channel in configured

    preferred = participant.preferred_channel or ""
    candidates = [preferred]
    if preferred in PHONE_CHANNELS:
        candidates.append(MessageChannel.SMS)
    candidates += [MessageChannel.EMAIL, MessageChannel.SMS, *sorted(configured)]
    return next((channel for channel in candidates if usable(channel)), "")


def notification_list(*, user: Any) -> QuerySet[Notification]:
    """The bell of `user`: their own notifications only."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(*, user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
