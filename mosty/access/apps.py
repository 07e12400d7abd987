from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "mosty.access"
    label = "access"
    verbose_name = _("Access and audit")

    def ready(self) -> None:
        from mosty.access import audit, policy

        policy.load_domains()
        audit.connect_model_signals()
        audit.attribute_services()
