from django.utils.translation import gettext_lazy as _

from mosty.core import modules


class EventsConfig(modules.ModuleConfig):
    name = "mosty.events"
    verbose_name = _("Events")
    gdpr_section = True

    def ready(self) -> None:
        super().ready()
        from mosty.events import notices

        notices.register()
