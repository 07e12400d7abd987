"""Mails to registrants, rendered in the registrant's own language."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from mosty.core.i18n import text_direction
from mosty.events.models import Registration, RegistrationStatus
from mosty.events.tokens import cancel_token

KINDS = ("confirmation", "promoted", "reminder", "certificate")


@task()
def registration_mail(*, registration_id: int, kind: str, base_url: str = "") -> int:
    """Confirmation, waiting-list promotion or reminder for one registration."""
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or not registration.email or kind not in KINDS:
        return 0
    if registration.status == RegistrationStatus.CANCELLED:
        return 0
    if kind in ("reminder", "certificate") and registration.status != RegistrationStatus.CONFIRMED:
        return 0
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
        elif registration.status == RegistrationStatus.WAITLISTED:
            subject = _("You are on the waiting list: %(title)s") % {"title": event.title}
        else:
            subject = _("Your registration is confirmed: %(title)s") % {"title": event.title}
        body = render_to_string("events/mail/registration.txt", context)
    return send_mail(subject, body, None, [registration.email])
