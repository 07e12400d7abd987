from django.utils.translation import gettext_lazy as _

from mosty.core import modules


class MentoringConfig(modules.ModuleConfig):
    name = "mosty.mentoring"
    verbose_name = _("Mentoring")
    loads = ("engine_data",)  # the city pack's `matching` section
    gdpr_section = True
