from django.utils.translation import gettext_lazy as _

from mosty.core.navigation import ADMINISTRATION, nav_item

# Beside the organisations under Administration: a coordinator's menu stays on one line.
nav_item(_("Reports"), "reports:dashboard", rule="report.view", order=81, group=ADMINISTRATION)
