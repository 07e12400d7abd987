"""Labels of the network meeting and document models (`mosty/organisations/models.py`), kept
here so they are translated in the directory catalogue with the rest of the networks pages.
No model imports: the organisations app imports this module."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DATE = _("date")
TITLE = _("title")
AGENDA = _("agenda")
MINUTES = pgettext_lazy("meeting record", "minutes")
ATTENDEES = _("attendees")
MEETING = _("network meeting")
MEETINGS = _("network meetings")
FILE = _("file")
LINK = _("link")
DOCUMENT = _("network document")
DOCUMENTS = _("network documents")
