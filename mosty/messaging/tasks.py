"""Sending: one message per task run, retried with a growing pause, never twice."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from mosty.access.audit import audit
from mosty.messaging import catalog
from mosty.messaging.backends import SendError, backend_for
from mosty.messaging.models import Message, MessageStatus
from mosty.messaging.selectors import choose_channel, consented_channels, message_address


def _payload(message: Message) -> dict[str, object]:
    import json

    try:
        value = json.loads(message.payload or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _still_consented(message: Message, payload: dict[str, object]) -> bool:
    """Consent is read again when the message goes (it may have been withdrawn since it was
    queued): another consented channel takes it, or it is held."""
    participant = message.recipient_participant
    if participant is None or payload.get("_fixed") or "_to" in payload:
        return True
    if message.channel in consented_channels(participant):
        return True
    message.channel = choose_channel(participant) or message.channel
    return message.channel in consented_channels(participant)


def deliver(message_id: int) -> str:
    """Send one queued message; returns its status afterwards. The row is locked while it is
    sent, so two workers given the same message send it once; a sent message is never sent
    again (its payload is gone, and its status says so)."""
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != MessageStatus.QUEUED:
            return message.status if message else ""
        message.attempts += 1
        payload = _payload(message)
        if not _still_consented(message, payload):
            message.status = MessageStatus.HELD
            message.payload = ""
            message.save(update_fields=["status", "attempts", "channel", "payload"])
            return message.status
        backend = backend_for(message.channel, message.language)
        address = message_address(message, payload)
        if backend is None or not address:
            message.status = MessageStatus.SKIPPED
            message.payload = ""
            message.save(update_fields=["status", "attempts", "payload"])
            return message.status
        subject, body = catalog.render(message.template, payload, message.language)
        try:
            provider_id = backend.send(address=address, subject=subject, body=body)
        except SendError as exc:
            message.error = str(exc)[:300]
            if message.attempts >= settings.MOSTY_MESSAGE_ATTEMPTS:
                message.status = MessageStatus.FAILED
                message.payload = ""
            message.save(update_fields=["status", "attempts", "error", "payload"])
            if message.status == MessageStatus.QUEUED:
                pause = timedelta(minutes=2**message.attempts)
                transaction.on_commit(
                    lambda: message_send.using(run_after=timezone.now() + pause).enqueue(
                        message_id=message_id
                    )
                )
            return message.status
        message.status = MessageStatus.SENT
        message.sent_at = timezone.now()
        message.provider_id = provider_id[:200]
        message.payload = ""
        message.error = ""
        message.save(
            update_fields=["status", "attempts", "sent_at", "provider_id", "payload", "error"]
        )
        audit(None, "mosty.messaging.message.sent", message, details={"channel": message.channel})
        return message.status


@task()
def message_send(*, message_id: int) -> str:
    return deliver(message_id)


@task()
def message_send_batch(*, message_ids: list[int]) -> int:
    """A batch of a broadcast: each message on its own (one failing does not stop the rest)."""
    return sum(deliver(pk) == MessageStatus.SENT for pk in message_ids)
