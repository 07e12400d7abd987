"""Putting messages in the outbox: called by the services whose action causes them (inside
their transaction; the message is sent after the commit, through the worker).

Below the services of every app and above the messaging tasks: a service of cases or events
imports this, never the other way round.

Channel and language come from the person: a participant's `preferred_channel` (a chat app
whose adapter is not configured falls back to a text message), on condition of their active
consent for that channel (consent to `messages` is recorded per channel; the `portal` consent
covers e-mail); withdrawing it is the opt-out. Without a consented channel they can be reached on,
the message is kept as held, visible to staff on the person's page. The language is the one they chose in the portal, else their first language Mosty
speaks, else the city's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction

from mosty.messaging.models import Message, MessageChannel, MessageStatus, Notification
from mosty.messaging.selectors import choose_channel, consented_channels  # noqa: F401
from mosty.messaging.tasks import message_send, message_send_batch

BATCH = 500


def _languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def participant_language(participant: Any) -> str:
    account = getattr(participant, "portal_account", None)
    if account is not None and account.user.language:
        return str(account.user.language)
    known = _languages()
    for item in participant.languages or []:
        code = item.get("code") if isinstance(item, dict) else None
        if code in known:
            return str(code)
    return str(settings.LANGUAGE_CODE)


def _enqueue(message: Message, created: bool) -> Message:
    if created and message.status == MessageStatus.QUEUED:
        transaction.on_commit(lambda: message_send.enqueue(message_id=message.pk))
    return message


def message_to_participant(
    participant: Any, template: str, payload: dict[str, Any], *, key: str, channel: str = ""
) -> Message:
    """A message to `participant`; kept as held (and not sent) when no channel they agreed to
    can reach them. `key` makes a second call for the same cause a no-op. An explicit `channel`
    (the portal invitation, whose consent is recorded with it) is kept as it is."""
    if channel:
        payload = {**payload, "_fixed": True}
    channel = channel or choose_channel(participant)
    message, created = Message.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "recipient_participant": participant,
            "channel": channel or MessageChannel.EMAIL,
            "template": template,
            "language": participant_language(participant),
            "payload": json.dumps(payload),
            "status": MessageStatus.QUEUED if channel else MessageStatus.HELD,
        },
    )
    return _enqueue(message, created)


def release_held(participant: Any) -> int:
    """Send the messages held for `participant` now that a channel they agreed to reaches them
    (a consent was recorded): each takes that channel and goes through the worker like any
    other. A held message whose values were cleared (its consent was withdrawn before it went)
    cannot go: it is marked skipped. The number released."""
    channel = choose_channel(participant)
    if not channel:
        return 0
    held = Message.objects.select_for_update().filter(
        recipient_participant=participant, status=MessageStatus.HELD
    )
    released: list[int] = []
    for message in held.order_by("pk"):
        if not message.payload:
            message.status = MessageStatus.SKIPPED
            message.save(update_fields=["status"])
            continue
        message.channel = channel
        message.status = MessageStatus.QUEUED
        message.save(update_fields=["channel", "status"])
        released.append(message.pk)
    if released:
        transaction.on_commit(lambda: _send_each(released))
    return len(released)


def _send_each(message_ids: list[int]) -> None:
    for pk in message_ids:
        message_send.enqueue(message_id=pk)


def message_to_user(user: Any, template: str, payload: dict[str, Any], *, key: str) -> Message:
    """An e-mail to a user (a mentor with an account, a participant's portal login)."""
    message, created = Message.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "recipient_user": user,
            "channel": MessageChannel.EMAIL,
            "template": template,
            "language": user.language or settings.LANGUAGE_CODE,
            "payload": json.dumps(payload),
        },
    )
    return _enqueue(message, created)


def broadcast(
    recipients: Iterable[dict[str, Any]], template: str, payload: dict[str, Any], *, key: str
) -> int:
    """Messages to many people at once (an event's registrants): rows written in batches of
    500, each batch handed to the worker as one task, so the page that asks returns at once.
    Each recipient is {"participant": …} or {"user": …} or {"to": address, "channel": …,
    "language": …}; `key` + the recipient's position makes each message's idempotency key."""
    count = 0
    batch: list[Message] = []

    def flush() -> None:
        if not batch:
            return
        keys = [m.idempotency_key for m in batch]
        Message.objects.bulk_create(batch, ignore_conflicts=True)
        ids = list(
            Message.objects.filter(
                idempotency_key__in=keys, status=MessageStatus.QUEUED
            ).values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: message_send_batch.enqueue(message_ids=ids))
        batch.clear()

    for index, recipient in enumerate(recipients):
        data = dict(payload)
        participant = recipient.get("participant")
        user = recipient.get("user")
        if participant is not None:
            channel = choose_channel(participant)
            fields: dict[str, Any] = {
                "recipient_participant": participant,
                "language": participant_language(participant),
            }
        elif user is not None:
            channel = MessageChannel.EMAIL
            fields = {"recipient_user": user, "language": user.language}
        else:
            channel = recipient.get("channel", MessageChannel.EMAIL)
            data["_to"] = recipient["to"]
            fields = {"language": recipient.get("language") or settings.LANGUAGE_CODE}
        batch.append(
            Message(
                channel=channel or MessageChannel.EMAIL,
                template=template,
                payload=json.dumps(data),
                status=MessageStatus.QUEUED if channel else MessageStatus.HELD,
                idempotency_key=f"{key}:{index}",
                **fields,
            )
        )
        count += 1
        if len(batch) >= BATCH:
            flush()
    flush()
    return count


def notify(users: Iterable[Any], template: str, payload: dict[str, Any], *, url: str = "") -> int:
    """A line under the bell of each of `users` (staff), once per user."""
    seen: set[int] = set()
    rows = []
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, template=template, payload=payload, url=url))
    Notification.objects.bulk_create(rows)
    return len(rows)
