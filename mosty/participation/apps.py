from django.utils.translation import gettext_lazy as _

from mosty.core import modules


class ParticipationConfig(modules.ModuleConfig):
    name = "mosty.participation"
    verbose_name = _("Civic participation")
    gdpr_section = True

    def ready(self) -> None:
        super().ready()
        from mosty.participation import notices

        notices.register()
