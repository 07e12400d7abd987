"""Message templates: what each trigger says, in the recipient's language.

The text lives here as translatable strings (the seven catalogues translate it), the values come
from the message's payload. A template has a subject (e-mail), a body (e-mail and the short
channels alike) and a line for the staff bell. Payload values are codes, numbers, organisation
names and links, never a person's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from mosty.cases.models import PlanStatus, ReferralStatus


@dataclass(frozen=True)
class Template:
    subject: Promise
    body: Promise
    # A module's own renderer, "dotted.path(payload, language) -> (subject, body)", for a
    # message whose text that module already writes (assistance's notices); `body` is then the
    # bell's line.
    renderer: str = ""


def _assistance(line: Promise) -> Template:
    return Template(line, line, renderer="mosty.assistance.tasks.notice_render")


TEMPLATES: dict[str, Template] = {
    "portal_invitation_email": Template(
        _("Your own page in Mosty"),
        _(
            "%(organisation)s invites you to your own page in Mosty: your plan, your "
            "appointments and a way to ask for help, in your language. Open this link to "
            "choose your password: %(link)s"
        ),
    ),
    "portal_invitation_sms": Template(
        _("Your own page in Mosty"),
        _("%(organisation)s invites you to Mosty. Your code: %(code)s. Enter it at %(link)s"),
    ),
    "referral_sent": Template(
        _("New referral"),
        _("%(organisation)s sent you a referral (%(code)s)."),
    ),
    "referral_answered": Template(
        _("Referral answered"),
        _("%(organisation)s answered the referral: %(status)s."),
    ),
    "referral_answered_participant": Template(
        _("News about your referral"),
        _("%(organisation)s answered your referral. Open your page in Mosty to see it."),
    ),
    "match_proposed": Template(
        _("A newcomer for you"),
        _("%(organisation)s proposes a newcomer to you (%(code)s). Please answer in Mosty."),
    ),
    "match_activated": Template(
        _("Your mentor"),
        _("You have a mentor now. Open your page in Mosty to see how to meet."),
    ),
    "match_activated_mentor": Template(
        _("The mentoring has started"),
        _("Your mentoring with %(code)s has started."),
    ),
    "programme_invitation": Template(
        _("An invitation to a programme"),
        _(
            "%(organisation)s asks your organisation to take part in the programme "
            "%(programme)s. Its figures count your records only if you accept."
        ),
    ),
    "programme_invitation_accepted": Template(
        _("A partner joined the programme"),
        _("%(organisation)s accepted to take part in the programme %(programme)s."),
    ),
    "programme_invitation_declined": Template(
        _("A partner declined"),
        _("%(organisation)s declined to take part in the programme %(programme)s."),
    ),
    "programme_partner_left": Template(
        _("A partner left the programme"),
        _("%(organisation)s no longer takes part in the programme %(programme)s."),
    ),
    "plan_requested": Template(
        _("A plan waits for approval"),
        _("The plan of case %(case)s waits for your approval."),
    ),
    "plan_decided": Template(
        _("The plan was decided"),
        _("The plan of case %(case)s was decided: %(status)s."),
    ),
    "plan_approved_participant": Template(
        _("Your plan is ready"),
        _("Your plan was approved. Open your page in Mosty to see your next steps."),
    ),
    "task_assigned": Template(
        _("A task for you"),
        _("A task in case %(case)s was given to you."),
    ),
    "task_due": Template(
        _("A task is due soon"),
        _("A task in case %(case)s is due soon."),
    ),
    "task_done_by_participant": Template(
        _("A task was done"),
        _("%(code)s: a task in case %(case)s is marked as done."),
    ),
    "event_cancelled": Template(
        _("Event cancelled"),
        _("We are sorry: %(title)s is cancelled."),
    ),
    "event_changed": Template(
        _("Your event has changed"),
        _("%(title)s has changed. Please check the date and place in Mosty."),
    ),
    "help_handled": Template(
        _("Your request for help"),
        _("Your caseworker has read your request for help and will contact you."),
    ),
    # The answer stays in Mosty: the message only says that one waits.
    "help_answered": Template(
        _("An answer to your request for help"),
        _("Your organisation answered your request for help. Open your page in Mosty to read it."),
    ),
    "help_requested": Template(
        _("Someone asks for help"),
        _("%(code)s asks for help."),
    ),
    "network_invitation": Template(
        _("An invitation to a thematic network"),
        ngettext_lazy(
            "%(organisation)s invites you to the thematic network %(network)s in Mosty. Open "
            "this link to join (it works once, for %(days)s day): %(link)s",
            "%(organisation)s invites you to the thematic network %(network)s in Mosty. Open "
            "this link to join (it works once, for %(days)s days): %(link)s",
            "days",
        ),
    ),
    "assistance_request": _assistance(
        _("A new request for assistance (%(code)s) waits for an assistant.")
    ),
    "assistance_offer": _assistance(
        _("You are asked to help (%(code)s). Please accept or decline.")
    ),
    "assistance_accepted": _assistance(_("An assistant accepted request %(code)s.")),
    "assistance_cancelled": _assistance(
        _("Request %(code)s was cancelled: you are no longer needed.")
    ),
    "assistance_withdrawn": _assistance(_("Your request %(code)s was cancelled.")),
    "assistance_reminder": _assistance(_("Reminder: your assignment %(code)s is tomorrow.")),
    "assistance_released": _assistance(
        _("Request %(code)s is open again: the assistant gave it back.")
    ),
}


# What an organiser may send to an event's registrants.
BROADCASTS = ("event_cancelled", "event_changed")


def render(code: str, payload: dict[str, Any], language: str) -> tuple[str, str]:
    """Subject and body of template `code` in `language`."""
    template = TEMPLATES[code]
    if template.renderer:
        rendered: tuple[str, str] = import_string(template.renderer)(payload, language)
        return rendered
    with translation.override(language):
        # `%` first: a body written with ngettext_lazy picks its form from the payload.
        return str(template.subject), str(template.body % payload)


def subjects() -> dict[str, str]:
    """What each template is about, in the active language (its subject), for the person's
    data export; a subject that needs the message's values is left out."""
    return {code: str(t.subject) for code, t in TEMPLATES.items() if "%(" not in str(t.subject)}


def _statuses() -> dict[str, str]:
    return {str(k): str(v) for k, v in [*ReferralStatus.choices, *PlanStatus.choices]}


def line(code: str, payload: dict[str, Any]) -> str:
    """The bell's line, in the reader's current language (statuses are stored as codes)."""
    template = TEMPLATES.get(code)
    if template is None:
        return code
    values = dict(payload)
    if "status" in values:
        values["status"] = str(_statuses().get(values["status"], values["status"]))
    try:
        return str(template.body % values)
    except (KeyError, TypeError, ValueError):
        return str(template.subject)
