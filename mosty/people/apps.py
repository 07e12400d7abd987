from django.utils.translation import gettext_lazy as _

from mosty.core import modules


class PeopleConfig(modules.ModuleConfig):
    name = "mosty.people"
    verbose_name = _("People")
