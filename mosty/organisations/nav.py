from django.utils.translation import gettext_lazy as _

from mosty.core.navigation import ADMINISTRATION, nav_item

nav_item(
    _("Organisations"),
    "organisations:list",
    rule="organisation.list",
    order=80,
    group=ADMINISTRATION,
)
