"""The volunteer-hours certificate of an assistant as PDF (WeasyPrint), in their language and
direction (fonts as for the events' certificates, `mosty/events/certificates.py`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from mosty.assistance.models import AssistantProfile
from mosty.core.formats import join_list, language_name, number
from mosty.core.i18n import text_direction


def certificate_html(
    *,
    profile: AssistantProfile,
    hours: dict[str, Any],
    date_from: datetime.date,
    date_to: datetime.date,
) -> str:
    language = profile.user.language
    with translation.override(language):
        total = float(hours["hours"])
        return render_to_string(
            "assistance/certificate.html",
            {
                "name": profile.user.get_full_name() or profile.user.email,
                "organisation": profile.organisation,
                "hours": number(total, decimals=0 if total.is_integer() else 1),
                "count": hours["count"],
                "institutions": hours["institutions"],
                "languages": join_list([language_name(code) for code in hours["languages"]]),
                "date_from": date_from,
                "date_to": date_to,
                "issued": timezone.localdate(),
                "language": language,
                "dir": text_direction(language),
            },
        )


def certificate_pdf(**kwargs: Any) -> bytes:
    pdf: bytes = HTML(string=certificate_html(**kwargs)).write_pdf()
    return pdf
