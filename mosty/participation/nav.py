from django.utils.translation import gettext_lazy as _

from mosty.core.navigation import EVENTS, nav_item

nav_item(_("Take part"), "participation:programme_list", order=45, group=EVENTS)
nav_item(
    _("Participation programmes"),
    "participation:manage",
    rule="programme.manage_list",
    order=46,
    group=EVENTS,
)
