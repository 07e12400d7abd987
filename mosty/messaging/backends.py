"""Channels as pluggable backends, chosen by settings.

- e-mail: Django's mail (whatever EMAIL_BACKEND says);
- SMS: the console backend (demo and tests: it prints the message and keeps it in `SENT`), or
  SMSAPI.pl when MOSTY_SMSAPI_TOKEN is set (a Polish gateway: Polish sender names and numbers,
  data processed in the EU, a plain HTTPS form post with a bearer token, so `urllib` suffices);
- WhatsApp: the WhatsApp Cloud API (Meta) when MOSTY_WHATSAPP_TOKEN and
  MOSTY_WHATSAPP_PHONE_NUMBER_ID are set. Mosty writes first, so it is nearly always outside
  the 24-hour window in which WhatsApp accepts free text: with MOSTY_WHATSAPP_TEMPLATE set (a
  utility template approved in each language, one body parameter) every message is sent as that
  template with the rendered text as its parameter; without it, free text is tried and WhatsApp's
  refusal (outside the window) is an ordinary send error: retried, then failed, visible to staff;
- Signal: a self-hosted signal-cli REST API (`POST /v2/send`) when MOSTY_SIGNAL_URL and
  MOSTY_SIGNAL_NUMBER are set;
- a chat channel without a configured adapter (and Telegram, Viber) falls back to SMS (see
  `mosty.messaging.outbox.choose_channel`).

Every HTTP adapter takes a `transport` (urllib's `urlopen` by default) so tests send nothing.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail

logger = logging.getLogger("mosty.messaging")

Transport = Callable[..., Any]


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


class HttpBackend:
    """One HTTPS POST per message; the provider's refusal or silence becomes a `SendError`
    (the message is retried, then marked failed). Errors name the provider and the HTTP status,
    never the message's text."""

    name = ""

    def __init__(self, *, timeout: float = 10, transport: Transport | None = None):
        self.timeout = timeout
        self.transport = transport

    def post(self, url: str, *, data: bytes, headers: dict[str, str]) -> dict[str, Any]:
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        opener = self.transport or urllib.request.urlopen
        try:
            with opener(request, timeout=self.timeout) as response:
                text = response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            raise SendError(f"{self.name}: HTTP {exc.code} {self._reason(exc)}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise SendError(f"{self.name}: {exc}") from exc
        try:
            answer = json.loads(text or "{}")
        except ValueError as exc:
            raise SendError(f"{self.name}: not JSON") from exc
        return answer if isinstance(answer, dict) else {}

    def post_json(self, url: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        headers = {"Content-Type": "application/json", **headers}
        return self.post(url, data=json.dumps(body).encode(), headers=headers)

    @staticmethod
    def _reason(exc: urllib.error.HTTPError) -> str:
        """The provider's error code and title, if its answer says them (never the body sent)."""
        try:
            answer = json.loads(exc.read().decode("utf-8") or "{}")
        except (ValueError, OSError, AttributeError):
            return ""
        error = answer.get("error") if isinstance(answer, dict) else None
        if isinstance(error, dict):
            return f"{error.get('code', '')} {error.get('message', '')}".strip()[:200]
        return str(error or "")[:200]


class SmsApiBackend(HttpBackend):
    """SMSAPI.pl's `sms.do` endpoint (https://www.smsapi.pl/docs)."""

    name = "SMSAPI"

    def __init__(self, *, token: str, sender: str = "", url: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        self.token = token
        self.sender = sender
        self.url = url or "https://api.smsapi.pl/sms.do"

    def send(self, *, address: str, subject: str, body: str) -> str:
        fields = {"to": address, "message": body, "format": "json", "encoding": "utf-8"}
        if self.sender:
            fields["from"] = self.sender
        answer = self.post(
            self.url,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Authorization": f"Bearer {self.token}"},
        )
        if "error" in answer:
            raise SendError(f"SMSAPI error {answer.get('error')}: {answer.get('message', '')}")
        items = answer.get("list") or []
        if not items:
            raise SendError("SMSAPI: empty answer")
        return str(items[0].get("id", ""))


class WhatsAppBackend(HttpBackend):
    """WhatsApp Cloud API: `POST {graph}/{phone-number-id}/messages` with a bearer token."""

    name = "WhatsApp"

    def __init__(
        self,
        *,
        token: str,
        phone_number_id: str,
        template: str = "",
        url: str = "",
        language: str = "",
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.token = token
        self.template = template
        self.language = language
        base = (url or "https://graph.facebook.com/v21.0").rstrip("/")
        self.url = f"{base}/{phone_number_id}/messages"

    def message(self, *, address: str, body: str) -> dict[str, Any]:
        to = "".join(ch for ch in address if ch.isdigit())
        if self.template:
            return {
                "messaging_product": "whatsapp",
                "to": to,
                "type": "template",
                "template": {
                    "name": self.template,
                    "language": {"code": self.language or settings.LANGUAGE_CODE},
                    "components": [
                        {"type": "body", "parameters": [{"type": "text", "text": body}]}
                    ],
                },
            }
        return {"messaging_product": "whatsapp", "to": to, "type": "text", "text": {"body": body}}

    def send(self, *, address: str, subject: str, body: str) -> str:
        answer = self.post_json(
            self.url,
            self.message(address=address, body=body),
            {"Authorization": f"Bearer {self.token}"},
        )
        items = answer.get("messages") or []
        if not items:
            raise SendError("WhatsApp: no message id in the answer")
        return str(items[0].get("id", ""))


class SignalBackend(HttpBackend):
    """signal-cli REST API (github.com/bbernhard/signal-cli-rest-api), self-hosted:
    `POST {url}/v2/send` from the installation's registered number."""

    name = "Signal"

    def __init__(self, *, url: str, number: str, token: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        self.url = url.rstrip("/") + "/v2/send"
        self.number = number
        self.token = token

    def send(self, *, address: str, subject: str, body: str) -> str:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        answer = self.post_json(
            self.url, {"message": body, "number": self.number, "recipients": [address]}, headers
        )
        return str(answer.get("timestamp", ""))


def sms_backend() -> Backend:
    token = getattr(settings, "MOSTY_SMSAPI_TOKEN", "")
    if token:
        return SmsApiBackend(
            token=token,
            sender=getattr(settings, "MOSTY_SMSAPI_SENDER", ""),
            url=getattr(settings, "MOSTY_SMSAPI_URL", ""),
        )
    return ConsoleSmsBackend()


def whatsapp_backend(language: str = "") -> WhatsAppBackend | None:
    token = getattr(settings, "MOSTY_WHATSAPP_TOKEN", "")
    number_id = getattr(settings, "MOSTY_WHATSAPP_PHONE_NUMBER_ID", "")
    if not (token and number_id):
        return None
    return WhatsAppBackend(
        token=token,
        phone_number_id=number_id,
        template=getattr(settings, "MOSTY_WHATSAPP_TEMPLATE", ""),
        url=getattr(settings, "MOSTY_WHATSAPP_URL", ""),
        language=language,
    )


def signal_backend() -> SignalBackend | None:
    url = getattr(settings, "MOSTY_SIGNAL_URL", "")
    number = getattr(settings, "MOSTY_SIGNAL_NUMBER", "")
    if not (url and number):
        return None
    return SignalBackend(url=url, number=number, token=getattr(settings, "MOSTY_SIGNAL_TOKEN", ""))


def configured_channels() -> set[str]:
    """The channels this installation can send on (e-mail and SMS always: SMS at worst to the
    console)."""
    channels = {"email", "sms"}
    if whatsapp_backend() is not None:
        channels.add("whatsapp")
    if signal_backend() is not None:
        channels.add("signal")
    return channels


def backend_for(channel: str, language: str = "") -> Backend | None:
    """The backend that sends `channel`, or None when the installation has none for it."""
    if channel == "email":
        return EmailBackend()
    if channel == "sms":
        return sms_backend()
    if channel == "whatsapp":
        return whatsapp_backend(language)
    if channel == "signal":
        return signal_backend()
    return None
