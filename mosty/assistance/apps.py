from django.utils.translation import gettext_lazy as _

from mosty.core import modules


class AssistanceConfig(modules.ModuleConfig):
    name = "mosty.assistance"
    verbose_name = _("Institution assistance")
