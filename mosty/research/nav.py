from django.utils.translation import gettext_lazy as _

from mosty.core.navigation import KNOWLEDGE, nav_item

nav_item(_("Surveys"), "research:list", rule="survey.list", order=65, group=KNOWLEDGE)
nav_item(
    _("Focus groups"), "research:focus_list", rule="focus_group.list", order=66, group=KNOWLEDGE
)
