"""Mails to registrants, rendered in the registrant's own language, and the events report's
kept figures."""

from typing import Any

from django.core.mail import send_mail
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from mosty.core.i18n import text_direction
from mosty.core.kept import keep, wanted_sets
from mosty.events.models import Event, Registration, RegistrationStatus, ReportFigure
from mosty.events.selectors import event_report
from mosty.events.tokens import cancel_token
from mosty.messaging.outbox import message_to_participant, participant_language

# "already": a visitor registered again with the address of a registration; it is told so.
KINDS = ("confirmation", "promoted", "reminder", "certificate", "already")


@task()
def registration_mail(*, registration_id: int, kind: str, base_url: str = "") -> int:
    """Confirmation, waiting-list promotion, reminder, certificate, or the notice that the
    address is already registered, for one registration."""
    registration = (
        Registration.objects.select_related("event", "participant").filter(pk=registration_id)
    ).first()
    if registration is None or kind not in KINDS:
        return 0
    if registration.status == RegistrationStatus.CANCELLED:
        return 0
    if kind in ("reminder", "certificate") and registration.status != RegistrationStatus.CONFIRMED:
        return 0
    if not registration.email:
        return _to_participant(registration, kind, base_url)
    with translation.override(registration.language):
        event = registration.event
        sessions = list(event.sessions.select_related("district"))
        path = reverse("events:registration_token", kwargs={"token": cancel_token(registration)})
        context = {
            "registration": registration,
            "event": event,
            "title": event.title,
            "sessions": sessions,
            "manage_url": base_url.rstrip("/") + path,
            "kind": kind,
            "dir": text_direction(registration.language),
        }
        if kind == "certificate":
            subject = _("Your certificate: %(title)s") % {"title": event.title}
        elif kind == "promoted":
            subject = _("A place has opened up for you: %(title)s") % {"title": event.title}
        elif kind == "reminder":
            subject = _("Reminder: %(title)s") % {"title": event.title}
        elif kind == "already":
            subject = _("You are already registered: %(title)s") % {"title": event.title}
        elif registration.status == RegistrationStatus.WAITLISTED:
            subject = _("You are on the waiting list: %(title)s") % {"title": event.title}
        else:
            subject = _("Your registration is confirmed: %(title)s") % {"title": event.title}
        body = render_to_string("events/mail/registration.txt", context)
    return send_mail(subject, body, None, [registration.email])


# What a person registered through their record is told, by kind (see `mosty.events.notices`).
# "already" is for a visitor's second registration with the same address: never a record's.
PARTICIPANT_TEMPLATES = {
    "promoted": "event_place_opened",
    "reminder": "event_reminder",
    "certificate": "event_certificate",
}


def _to_participant(registration: Registration, kind: str, base_url: str) -> int:
    """A registration without an e-mail address reaches its person only through their record
    (their caseworker registered them): through the channel they agreed to, in their language,
    or held until they agree to one. A visitor who gave only a phone number is not written to:
    anyone could type a number into the public form. Returns the number of messages queued."""
    participant = registration.participant
    if participant is None or participant.anonymised_at is not None:
        return 0
    if kind == "confirmation":
        waiting = registration.status == RegistrationStatus.WAITLISTED
        template = "event_waitlisted" if waiting else "event_registered"
    elif kind in PARTICIPANT_TEMPLATES:
        template = PARTICIPANT_TEMPLATES[kind]
    else:
        return 0
    key = f"event-registration:{registration.pk}:{template}"
    token = cancel_token(registration)
    # The title and the page's address in the language the message is written in.
    with translation.override(participant_language(participant)):
        path = reverse("events:registration_token", kwargs={"token": token})
        payload = {"title": registration.event.title, "link": base_url.rstrip("/") + path}
    message_to_participant(participant, template, payload, key=key)
    return 1


# Sets of organisations with fewer events are not kept: counted live, their report costs a few
# milliseconds (the large seed's 500-event organiser counts 100,000 attendance marks).
KEEP_FROM_EVENTS = 100


@task()
def report_figures_refresh() -> int:
    """Count the events report's totals again for every coordinator's set of organisations
    with `KEEP_FROM_EVENTS` events or more, and for all events (the administrator's report),
    and keep them (`ReportFigure`): nightly, from MOSTY_DAILY_TASKS. One transaction, so the
    page reads the old figures or the new ones; one audit event for the whole refresh
    (numbers about organisations). Returns the number of sets kept."""
    now = timezone.now()
    events_of = dict(
        Event.objects.order_by()
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )

    def count(organisations: list[int] | None) -> dict[str, Any]:
        events = Event.objects.all()
        if organisations is not None:
            events = events.filter(organisation_id__in=organisations)
        return event_report(events=events, now=now)

    # Sets nobody coordinates any more, or grown small, are no longer kept.
    return keep(
        ReportFigure,
        wanted_sets(
            lambda organisations: (
                sum(events_of.get(pk, 0) for pk in organisations) >= KEEP_FROM_EVENTS
            ),
            all_too=sum(events_of.values()) >= KEEP_FROM_EVENTS,
        ),
        count,
        set_field="organisations",
        event="mosty.event.report.refreshed",
    )
