"""The volunteer-hours certificate of an assistant as PDF, in their language and direction
(`mosty/core/certificates.py`)."""

from __future__ import annotations

import datetime
from typing import Any

from mosty.assistance.models import AssistantProfile
from mosty.core import certificates
from mosty.core.formats import join_list, language_name


def certificate_html(
    *,
    profile: AssistantProfile,
    hours: dict[str, Any],
    date_from: datetime.date,
    date_to: datetime.date,
) -> str:
    return certificates.certificate_html(
        "assistance/certificate.html",
        language=profile.user.language,
        hours=float(hours["hours"]),
        context=lambda: {
            "name": profile.user.get_full_name() or profile.user.email,
            "organisation": profile.organisation,
            "count": hours["count"],
            "institutions": hours["institutions"],
            "languages": join_list([language_name(code) for code in hours["languages"]]),
            "date_from": date_from,
            "date_to": date_to,
        },
    )


def certificate_pdf(**kwargs: Any) -> bytes:
    return certificates.certificate_pdf(certificate_html(**kwargs))
