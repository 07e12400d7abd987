from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "mosty.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from mosty.events import gdpr

        gdpr.register()
