from django.utils.translation import gettext_lazy as _

from mosty.core.navigation import ADMINISTRATION, nav_item

nav_item(_("Users"), "accounts:user_list", rule="user.list", order=90, group=ADMINISTRATION)
nav_item(_("Grants"), "accounts:grant_list", rule="grant.list", order=92, group=ADMINISTRATION)
nav_item(
    _("API tokens"),
    "accounts:api_token_list",
    rule="api_token.list",
    order=93,
    group=ADMINISTRATION,
)
nav_item(_("Audit log"), "access:audit_log", rule="audit.view", order=95, group=ADMINISTRATION)
