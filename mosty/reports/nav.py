from django.utils.translation import gettext_lazy as _

from mosty.core.navigation import nav_item

nav_item(_("Reports"), "reports:dashboard", rule="report.view", order=80)
