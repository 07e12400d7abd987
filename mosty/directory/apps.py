from django.utils.translation import gettext_lazy as _

from mosty.core import modules


class DirectoryConfig(modules.ModuleConfig):
    name = "mosty.directory"
    verbose_name = _("Directory")
