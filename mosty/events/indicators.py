"""The events module's indicators (mosty/core/indicators.py).

They count what a donor asks about, not what is easy to sum: participants are **distinct
people** (one person at three trainings counts once), programme hours are the sessions' own
hours (not hours times attendees), and institutions trained are organisation records where the
registrant is known to belong to one, free-text names folded once otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mosty.accounts.models import Membership
from mosty.core.indicators import (
    PeopleFound,
    Scope,
    Unit,
    aggregate_indicator,
    breakdown_labels,
    contact_key,
    hours,
    indicator,
    people_source,
)
from mosty.events.models import Attendance, Audience, Event, EventKind, Registration, Session
from mosty.organisations.models import Organisation
from mosty.people.search import build_search_key, phone_digits

breakdown_labels("kind", dict(EventKind.choices))
breakdown_labels("audience", dict(Audience.choices))

_SPACES = re.compile(r"\s+")


def events_in(scope: Scope) -> Any:
    """The scope's events: those a programme is linked to, else every event of its
    organisations."""
    if scope.events is not None:
        return Event.objects.filter(pk__in=scope.events)
    return scope.filter_organisations(Event.objects.all(), "organisation_id")


def sessions_in(scope: Scope) -> Any:
    """The scope's sessions held in the period: those that began by now, of events not
    cancelled before them. A session planned for next week, or one of a course cancelled
    before it, did not take place: a report for the donor must not count its hours."""
    held = Session.objects.filter(event__in=events_in(scope), starts_at__lte=timezone.now())
    return scope.filter_period(
        held.exclude(event__cancelled_at__lte=F("starts_at")), "starts_at", moments=True
    )


def attendees(scope: Scope) -> Any:
    """Registrations present at one or more of the scope's sessions."""
    present = Attendance.objects.filter(session__in=sessions_in(scope), present=True)
    return Registration.objects.filter(pk__in=present.values("registration_id"))


def person_key(row: dict[str, Any]) -> str:
    """Who a registration is: its participant record, else its account, else its contact."""
    if row["participant_id"]:
        return f"pt:{row['participant_id']}"
    if row["user_id"]:
        return f"u:{row['user_id']}"
    return (
        contact_key(
            email=row["email"],
            phone_digits=phone_digits(row["phone"]),
            name_key=build_search_key(row["name"]),
        )
        or f"r:{row['pk']}"
    )


_PERSON_FIELDS = ("pk", "participant_id", "user_id", "email", "phone", "name")


def participants(scope: Scope, by: str | None = None) -> Any:
    """Distinct people present; by audience or by the language they registered in (a person
    counts once, under what their first registration says)."""
    field = {"audience": "audience", "language": "language"}.get(by or "", "audience")
    rows = attendees(scope).values(*_PERSON_FIELDS, field).order_by("pk")
    if by is None:
        return len({person_key(row) for row in rows})
    people: dict[str, str] = {}
    for row in rows:
        people.setdefault(person_key(row), row[field] or "")
    return dict(sorted(Counter(people.values()).items()))


def participants_all(scope: Scope) -> dict[str | None, Any]:
    """`participants` whole and by audience and language, from one pass over the rows."""
    rows = attendees(scope).values(*_PERSON_FIELDS, "audience", "language").order_by("pk")
    people: dict[str, tuple[str, str]] = {}
    for row in rows:
        people.setdefault(person_key(row), (row["audience"] or "", row["language"] or ""))
    return {
        None: len(people),
        "audience": dict(sorted(Counter(a for a, _l in people.values()).items())),
        "language": dict(sorted(Counter(lang for _a, lang in people.values()).items())),
    }


def fold_name(text: str) -> str:
    """An institution's name as typed, folded so that case and spacing do not matter."""
    return _SPACES.sub(" ", (text or "").strip()).casefold()


def institutions(scope: Scope) -> set[str]:
    """Keys of the institutions whose staff attended: `o:<id>` for an organisation record
    (the registrant's account belongs to it, or the typed name is an organisation's name),
    `t:<folded name>` for a name no record carries."""
    # One attendance subquery with the two conditions beside it: OR-ing two querysets
    # repeated the subquery in each branch, which PostgreSQL ran as a nested scan for minutes
    # on the large seed.
    staff = attendees(scope).filter(
        Q(audience=Audience.STAFF) | Q(event__kind=EventKind.STAFF_TRAINING)
    )
    rows = list(staff.values("user_id", "institution"))
    user_orgs: dict[int, int] = {}
    for user_id, org_id in (
        Membership.objects.filter(user_id__in={r["user_id"] for r in rows if r["user_id"]})
        .order_by("pk")
        .values_list("user_id", "organisation_id")
    ):
        user_orgs.setdefault(user_id, org_id)
    names = {fold_name(r["institution"]) for r in rows if r["institution"]}
    named: dict[str, int] = {}
    if names:
        for pk, name in Organisation.objects.values_list("pk", "name"):
            if fold_name(name) in names:
                named.setdefault(fold_name(name), pk)
    keys: set[str] = set()
    for row in rows:
        folded = fold_name(row["institution"])
        if row["user_id"] in user_orgs:
            keys.add(f"o:{user_orgs[row['user_id']]}")
        elif folded in named:
            keys.add(f"o:{named[folded]}")
        elif folded:
            keys.add(f"t:{folded}")
    return keys


def institutions_trained(scope: Scope, by: str | None = None) -> Any:
    return len(institutions(scope))


def event_people(scope: Scope) -> PeopleFound:
    rows = attendees(scope).values(*_PERSON_FIELDS)
    linked = (
        attendees(scope).filter(participant__isnull=False).values_list("participant_id", flat=True)
    )
    contacts = frozenset(person_key(row) for row in rows if not row["participant_id"])
    return PeopleFound(participants=linked, contacts=contacts)


people_source("events", event_people)

indicator(
    "events.participants",
    name=_("Event participants"),
    definition=_(
        "People present at one or more sessions held in the period; a person at several "
        "events counts once."
    ),
    unit=Unit.PEOPLE,
    distinct_people=True,
    breakdowns=("audience", "language"),
    count=participants,
    count_all=participants_all,
)
aggregate_indicator(
    "events.programme_hours",
    name=_("Programme hours"),
    definition=_(
        "Hours of the sessions held in the period, each session counted once however many "
        "people attended."
    ),
    unit=Unit.HOURS,
    rows=sessions_in,
    breakdowns={"month": "starts_at", "kind": "event__kind"},
    total=Sum("minutes"),
    convert=hours,
)
aggregate_indicator(
    "events.sessions_held",
    name=_("Sessions held"),
    definition=_("Sessions (meetings, workshops, lessons) that took place in the period."),
    unit=Unit.RECORDS,
    rows=sessions_in,
    breakdowns={"kind": "event__kind"},
)
aggregate_indicator(
    "events.events_held",
    name=_("Events and trainings held"),
    definition=_("Events with at least one session in the period, by kind."),
    unit=Unit.RECORDS,
    rows=lambda scope: events_in(scope).filter(pk__in=sessions_in(scope).values("event_id")),
    breakdowns={"kind": "kind"},
)
indicator(
    "events.institutions_trained",
    name=_("Institutions trained"),
    definition=_(
        "Institutions whose staff attended a training in the period: the organisation a "
        "registrant's account belongs to, or the organisation whose name they typed; other "
        "typed names count once each, ignoring case and spacing."
    ),
    unit=Unit.ORGANISATIONS,
    count=institutions_trained,
)
