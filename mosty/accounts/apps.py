from django.utils.translation import gettext_lazy as _

from mosty.core import modules


class AccountsConfig(modules.ModuleConfig):
    name = "mosty.accounts"
    verbose_name = _("Accounts")
    loads = ("signals",)  # signal handlers
