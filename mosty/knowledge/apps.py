from django.utils.translation import gettext_lazy as _

from mosty.core import modules


class KnowledgeConfig(modules.ModuleConfig):
    name = "mosty.knowledge"
    verbose_name = _("Knowledge")
    loads = ("citypack",)  # the `articles:` pack section
