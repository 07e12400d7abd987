from django.utils.translation import gettext_lazy as _

from mosty.core import modules


class ReportsConfig(modules.ModuleConfig):
    name = "mosty.reports"
    verbose_name = _("Reports")
    gdpr_section = True
