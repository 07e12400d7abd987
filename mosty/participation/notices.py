"""The participation module's message templates, added to the messaging catalogue (the outbox
renders them in the recipient's language when it sends). Imported by the app's `ready()`, so
the worker knows them too. The values are links and the lists of calls, never a name."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mosty.messaging.catalog import TEMPLATES, Template

PARTICIPATION_TEMPLATES = {
    "participation_alert_confirm": Template(
        _("Confirm your alerts about participation programmes"),
        _(
            "Someone (we hope you) asked Mosty to send alerts about new participation calls and "
            "coming deadlines to this address. To start receiving them, confirm by opening this "
            "link: %(confirm_url)s\n\nIf it was not you, ignore this mail: nothing will be "
            "sent. To delete the address at once, open: %(unsubscribe_url)s"
        ),
    ),
    "participation_alert": Template(
        _("Participation: new calls and coming deadlines"),
        _("%(calls)s\n\nTo stop these alerts, open: %(unsubscribe_url)s"),
    ),
    "participation_idea_answered": Template(
        _("Your opinion has an answer"),
        _(
            "The authority has answered the opinion you sent through Mosty. Read the answer "
            "here: %(link)s"
        ),
    ),
}


def register() -> None:
    for code, template in PARTICIPATION_TEMPLATES.items():
        TEMPLATES.setdefault(code, template)
