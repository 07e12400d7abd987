from django.utils.translation import gettext_lazy as _

from mosty.core import modules


class ResearchConfig(modules.ModuleConfig):
    name = "mosty.research"
    verbose_name = _("Research")
