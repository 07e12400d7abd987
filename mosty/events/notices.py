"""The events module's message templates for a registrant the organiser knows through their
record: a person their caseworker registered, with no e-mail address on the registration. Added
to the messaging catalogue by the app's `ready()`, so the worker knows them; the outbox sends
each through the channel the person agreed to (a text message, say), in their language, or
holds it until they agree to one. Short, for a text message; the values are the event's title
and the registration's link, never a name."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mosty.messaging.catalog import TEMPLATES, Template

EVENT_TEMPLATES = {
    "event_registered": Template(
        _("Your place is confirmed"),
        _("Your place at %(title)s is confirmed. To see or cancel your registration: %(link)s"),
    ),
    "event_waitlisted": Template(
        _("You are on the waiting list"),
        _(
            "%(title)s is full: you are on the waiting list. We will write to you if a place "
            "opens up. Your registration: %(link)s"
        ),
    ),
    "event_place_opened": Template(
        _("A place has opened up for you"),
        _(
            "A place has opened up for you: your registration for %(title)s is confirmed. If "
            "you cannot come, please cancel: %(link)s"
        ),
    ),
    "event_reminder": Template(
        _("Your event starts soon"),
        _("Reminder: %(title)s starts soon. If you cannot come, please cancel: %(link)s"),
    ),
    "event_certificate": Template(
        _("Your certificate"),
        _("You completed %(title)s. Your certificate: %(link)s"),
    ),
}


def register() -> None:
    for code, template in EVENT_TEMPLATES.items():
        TEMPLATES.setdefault(code, template)
