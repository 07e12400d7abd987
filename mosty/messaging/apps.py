from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "mosty.messaging"
    label = "messaging"
    verbose_name = _("Messages")

    def ready(self) -> None:
        from mosty.messaging import consents, gdpr  # noqa: F401 (consents: signal receivers)

        gdpr.register()
