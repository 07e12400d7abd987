from django.utils.translation import gettext_lazy as _

from mosty.core import modules


class OrganisationsConfig(modules.ModuleConfig):
    name = "mosty.organisations"
    verbose_name = _("Organisations")
