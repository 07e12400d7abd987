from django.utils.translation import gettext_lazy as _

from mosty.core.navigation import EVENTS, nav_item

# A plain link, so visitors keep a menu without dropdowns.
nav_item(_("Take part"), "participation:programme_list", order=45)
nav_item(
    _("Participation programmes"),
    "participation:manage",
    rule="civic_programme.manage_list",
    order=46,
    group=EVENTS,
)
nav_item(
    _("Ideas and opinions"), "participation:idea_list", rule="idea.list", order=47, group=EVENTS
)
nav_item(_("Groups"), "participation:group_list", rule="group.list", order=48, group=EVENTS)
