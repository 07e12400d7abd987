from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mosty.mentoring"
    label = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self):
        # Registers the city pack's `matching` section.
        from mosty.mentoring import (
            engine_data,  # noqa: F401
            gdpr,
        )

        gdpr.register()
