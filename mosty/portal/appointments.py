"""What a participant has coming up, gathered from the modules that know it.

A registry, like the navigation's dashboard panels: a module adds a source with
`appointment_source(fn)`, where `fn(participant, today)` returns `Appointment`s. Case reviews,
event sessions and mentor meetings are registered below; assistance bookings (issue 18) add
their own source from their app the same way, without the portal changing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Appointment:
    when: dt.date | dt.datetime
    what: str
    where: str = ""
    url: str = ""

    @property
    def sort_key(self) -> dt.datetime:
        if isinstance(self.when, dt.datetime):
            return self.when
        return timezone.make_aware(dt.datetime.combine(self.when, dt.time.min))

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, dt.datetime)


Source = Callable[[Any, dt.date], list[Appointment]]
SOURCES: list[Source] = []


def appointment_source(fn: Source) -> Source:
    if fn not in SOURCES:
        SOURCES.append(fn)
    return fn


def upcoming(participant: Any, *, limit: int = 10) -> list[Appointment]:
    today = timezone.localdate()
    found = [a for source in SOURCES for a in source(participant, today)]
    return sorted(found, key=lambda a: a.sort_key)[:limit]


@appointment_source
def case_reviews(participant: Any, today: dt.date) -> list[Appointment]:
    from mosty.cases.models import Case, CaseStatus

    cases = (
        Case.objects.filter(participant=participant, review_date__gte=today)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("organisation")
    )
    return [
        Appointment(
            case.review_date,
            _("Meeting with your caseworker to review your plan"),
            case.organisation.name,
        )
        for case in cases
        if case.review_date is not None
    ]


@appointment_source
def event_sessions(participant: Any, today: dt.date) -> list[Appointment]:
    from mosty.events.models import RegistrationStatus, Session

    account = getattr(participant, "portal_account", None)
    user_id: int = account.user_id if account else 0
    sessions = (
        (
            Session.objects.filter(
                starts_at__date__gte=today,
                event__registrations__participant=participant,
                event__registrations__status=RegistrationStatus.CONFIRMED,
            )
            | Session.objects.filter(
                starts_at__date__gte=today,
                event__registrations__user_id=user_id,
                event__registrations__status=RegistrationStatus.CONFIRMED,
            )
        )
        .distinct()
        .select_related("event", "district")
        .prefetch_related("event__translations")[:20]
    )
    return [
        Appointment(session.starts_at, session.event.title, session.place or "")
        for session in sessions
    ]


@appointment_source
def mentor_meetings(participant: Any, today: dt.date) -> list[Appointment]:
    """Mentors log meetings after they happened: the last one is shown as a reminder that the
    mentoring runs, with the next one agreed between the two of them."""
    from mosty.mentoring.models import Match, MatchStatus, Meeting

    match = Match.objects.filter(participant=participant, status=MatchStatus.ACTIVE).first()
    if match is None:
        return []
    last = Meeting.objects.filter(match=match).order_by("-date").first()
    if last is None or last.date < today - dt.timedelta(days=31):
        return []
    return [Appointment(last.date, _("Last meeting with your mentor"))]
