from django.utils.translation import gettext_lazy as _

from mosty.core import modules


class MessagingConfig(modules.ModuleConfig):
    name = "mosty.messaging"
    verbose_name = _("Messages")
    loads = ("consents",)  # receivers of people's consent signals
    gdpr_section = True
