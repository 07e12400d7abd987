from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "mosty.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from mosty.cases import gdpr

        gdpr.register()
