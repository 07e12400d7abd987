from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "mosty.participation"
    label = "participation"
    verbose_name = _("Civic participation")

    def ready(self) -> None:
        from mosty.participation import gdpr, notices

        gdpr.register()
        notices.register()
