"""Certificate of completion as PDF (WeasyPrint), in the person's language and direction.

Fonts: DejaVu Sans covers Latin, Cyrillic and Arabic script (Debian: fonts-dejavu-core);
Noto Naskh Arabic is preferred for Arabic and Persian when installed (fonts-noto-core).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from mosty.core.formats import number
from mosty.core.i18n import text_direction


def certificate_html(*, registration, progress: dict) -> str:
    language = registration.language
    with translation.override(language):
        event = registration.event
        sessions = list(event.sessions.all())
        hours = float(progress.get("hours") or 0)
        return render_to_string(
            "events/certificate.html",
            {
                "registration": registration,
                "event": event,
                "title": event.title,
                "organisation": event.organisation,
                "progress": progress,
                "hours": number(hours, decimals=0 if hours.is_integer() else 1),
                "first": sessions[0] if sessions else None,
                "last": sessions[-1] if sessions else None,
                "issued": timezone.localdate(),
                "language": language,
                "dir": text_direction(language),
            },
        )


def certificate_pdf(*, registration, progress: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=certificate_html(registration=registration, progress=progress)).write_pdf()
