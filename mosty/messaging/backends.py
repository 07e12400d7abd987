"""Channels as pluggable backends, chosen by settings.

- e-mail: Django's mail (whatever EMAIL_BACKEND says);
- SMS: the console backend (demo and tests: it prints the message and keeps it in `SENT`), or
  SMSAPI.pl when MOSTY_SMSAPI_TOKEN is set (a Polish gateway: Polish sender names and numbers,
  data processed in the EU, a plain HTTPS form post with a bearer token, so `urllib` suffices);
- WhatsApp, Signal and the other chat apps have no adapter yet: a message for them falls back to
  SMS (see `mosty.messaging.outbox.choose_channel`).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail

logger = logging.getLogger("mosty.messaging")


class SendError(Exception):
    """The provider refused or could not be reached; the message is tried again."""


class Backend(Protocol):
    def send(self, *, address: str, subject: str, body: str) -> str:
        """Send; return the provider's id of the message (may be empty)."""
        ...


class EmailBackend:
    def send(self, *, address: str, subject: str, body: str) -> str:
        try:
            send_mail(subject, body, None, [address])
        except OSError as exc:
            raise SendError(str(exc)) from exc
        return ""


# What the console backend "sent", newest last (read by tests and the benchmark).
SENT: list[dict[str, str]] = []


class ConsoleSmsBackend:
    def send(self, *, address: str, subject: str, body: str) -> str:
        SENT.append({"to": address, "body": body})
        logger.info("SMS to %s: %s", address[-3:], body)
        return f"console-{len(SENT)}"


class SmsApiBackend:
    """SMSAPI.pl's `sms.do` endpoint (https://www.smsapi.pl/docs)."""

    def __init__(self, *, token: str, sender: str = "", url: str = "", timeout: float = 10):
        self.token = token
        self.sender = sender
        self.url = url or "https://api.smsapi.pl/sms.do"
        self.timeout = timeout

    def send(self, *, address: str, subject: str, body: str) -> str:
        fields = {"to": address, "message": body, "format": "json", "encoding": "utf-8"}
        if self.sender:
            fields["from"] = self.sender
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Authorization": f"Bearer {self.token}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read().decode("utf-8") or "{}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise SendError(f"SMSAPI: {exc}") from exc
        if "error" in answer:
            raise SendError(f"SMSAPI error {answer.get('error')}: {answer.get('message', '')}")
        items = answer.get("list") or []
        if not items:
            raise SendError("SMSAPI: empty answer")
        return str(items[0].get("id", ""))


def sms_backend() -> Backend:
    token = getattr(settings, "MOSTY_SMSAPI_TOKEN", "")
    if token:
        return SmsApiBackend(
            token=token,
            sender=getattr(settings, "MOSTY_SMSAPI_SENDER", ""),
            url=getattr(settings, "MOSTY_SMSAPI_URL", ""),
        )
    return ConsoleSmsBackend()


def backend_for(channel: str) -> Backend | None:
    """The backend that sends `channel`, or None when the installation has none for it."""
    if channel == "email":
        return EmailBackend()
    if channel == "sms":
        return sms_backend()
    return None
