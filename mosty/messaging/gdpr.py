"""Messages in a participant's GDPR export and erasure (`mosty.people.gdpr`)."""

from typing import Any

from django.utils.translation import gettext_lazy as _


def export(participant: Any) -> list[dict[str, Any]]:
    from mosty.messaging.models import Message

    return [
        {
            "template": m.template,
            "channel": m.channel,
            "language": m.language,
            "status": m.status,
            "created_at": m.created_at.isoformat(),
            "sent_at": m.sent_at.isoformat() if m.sent_at else None,
        }
        for m in Message.objects.filter(recipient_participant=participant).order_by("created_at")
    ]


def erase(participant: Any) -> None:
    """Unsent payloads go; the staff bell's lines that name the person's code go."""
    from mosty.messaging.models import Message, Notification

    Message.objects.filter(recipient_participant=participant).update(payload="")
    Notification.objects.filter(payload__code=participant.code).delete()


def register() -> None:
    from mosty.people import gdpr

    gdpr.register_module(
        __name__,
        label=_("Messages sent to the person"),
        models=["messaging.Message", "messaging.Notification"],
        coded={"template": _template_subjects},
    )


def _template_subjects() -> dict[str, str]:
    from mosty.messaging.catalog import subjects

    return subjects()
