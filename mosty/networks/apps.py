from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "mosty.networks"
    label = "networks"
    verbose_name = _("Thematic networks")

    def ready(self) -> None:
        from mosty.networks import gdpr

        gdpr.register()
