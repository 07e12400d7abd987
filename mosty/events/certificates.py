"""Certificate of completion as PDF, in the person's language and direction
(`mosty/core/certificates.py`)."""

from __future__ import annotations

from mosty.core import certificates


def certificate_html(*, registration, progress: dict) -> str:
    event = registration.event
    sessions = list(event.sessions.all())
    return certificates.certificate_html(
        "events/certificate.html",
        language=registration.language,
        hours=float(progress.get("hours") or 0),
        context=lambda: {
            "registration": registration,
            "event": event,
            "title": event.title,
            "organisation": event.organisation,
            "progress": progress,
            "first": sessions[0] if sessions else None,
            "last": sessions[-1] if sessions else None,
        },
    )


def certificate_pdf(*, registration, progress: dict) -> bytes:
    return certificates.certificate_pdf(
        certificate_html(registration=registration, progress=progress)
    )
