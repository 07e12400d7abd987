from django.utils.translation import gettext_lazy as _

from mosty.core.navigation import RESOURCES, nav_item

nav_item(_("Networks"), "networks:list", rule="network.list", order=68, group=RESOURCES)
