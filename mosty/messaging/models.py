"""The outbox: every message to a person (e-mail, text message, chat app) and every in-app
notification to a staff member.

A message keeps what it is (template code, channel, language, status, attempts, the provider's
id), never its text: the body is rendered from the template when it is sent, and the values it
needs (`payload`, which may hold a one-time code) are encrypted and cleared once it went out.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.core.crypto import EncryptedTextField
from mosty.core.models import Labelled, optional_part_of


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")
    WHATSAPP = "whatsapp", "WhatsApp"
    SIGNAL = "signal", "Signal"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", pgettext_lazy("message", "Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent: no channel or no consent")
    HELD = "held", _("Held: no channel the person agreed to can reach them")


class Message(Labelled):
    recipient_user = optional_part_of(settings.AUTH_USER_MODEL, None, "messages_received")
    recipient_participant = optional_part_of("people.Participant", None, "messages_received")
    channel = models.CharField(_("channel"), max_length=20, choices=MessageChannel.choices)
    template = models.CharField(_("template"), max_length=60)
    language = models.CharField(_("language"), max_length=10)
    payload = EncryptedTextField(blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    idempotency_key = models.CharField(max_length=200, unique=True)
    provider_id = models.CharField(_("provider's id"), max_length=200, blank=True)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="message_status_created")]

    def __str__(self) -> str:
        return f"{self.template} #{self.pk}"

    @property
    def audit_label(self) -> str:
        return f"message #{self.pk} ({self.template}, {self.channel})"


class Notification(Labelled):
    """A line under the bell of a staff member: what happened (a template and its values, ids
    and codes only), where to act, and whether it was read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    template = models.CharField(max_length=60)
    payload = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return f"{self.template} #{self.pk}"
