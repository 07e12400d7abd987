from django.utils.translation import gettext_lazy as _

from mosty.core import modules


class CasesConfig(modules.ModuleConfig):
    name = "mosty.cases"
    verbose_name = _("Cases")
    loads = ("consents",)  # receivers of people's consent signals
    gdpr_section = True
