from django.utils.translation import gettext_lazy as _

from mosty.core import modules


class NetworksConfig(modules.ModuleConfig):
    name = "mosty.networks"
    verbose_name = _("Thematic networks")
    gdpr_section = True
