from django.utils.translation import gettext_lazy as _

from mosty.core.navigation import nav_item

nav_item(_("Home"), "core:home", order=0)
nav_item(_("Dashboard"), "core:dashboard", rule="dashboard.view", order=10)
