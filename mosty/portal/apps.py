from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "mosty.portal"
    label = "portal"
    verbose_name = _("Participant portal")

    def ready(self) -> None:
        from mosty.portal import consents, gdpr  # noqa: F401  (consents: signal receivers)

        gdpr.register()
