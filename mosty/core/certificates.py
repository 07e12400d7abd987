"""Certificates as PDF (WeasyPrint), in the holder's language and direction.

The layout is `core/certificate.html` (frame, heading, the issuing organisation and date); a
module's template extends it with its title, its sentences and its page (events: completion of
a course; assistance: volunteer hours). Fonts: DejaVu Sans covers Latin, Cyrillic and Arabic
script (Debian: fonts-dejavu-core); Noto Naskh Arabic is preferred for Arabic and Persian when
installed (fonts-noto-core).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from mosty.core.formats import number
from mosty.core.i18n import text_direction


def certificate_html(
    template: str, *, language: str, hours: float, context: Callable[[], dict[str, Any]]
) -> str:
    """`template` rendered in `language`: `context()` runs in that language too (language
    names, lists), and the hours are shown as a whole number when they are one."""
    with translation.override(language):
        return render_to_string(
            template,
            {
                **context(),
                "hours": number(hours, decimals=0 if hours.is_integer() else 1),
                "issued": timezone.localdate(),
                "language": language,
                "dir": text_direction(language),
            },
        )


def certificate_pdf(html: str) -> bytes:
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
