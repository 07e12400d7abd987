from django.utils.translation import gettext_lazy as _

from mosty.core import modules


class PortalConfig(modules.ModuleConfig):
    name = "mosty.portal"
    verbose_name = _("Participant portal")
    loads = ("consents",)  # receivers of people's consent signals
    gdpr_section = True
