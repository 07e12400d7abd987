from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mosty.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("nav")
        # Indicators each module reports (mosty/core/indicators.py).
        autodiscover_modules("indicators")
        post_migrate.connect(_create_cache_table, sender=self)
        from django.db.backends.signals import connection_created

        from mosty.core.sqlite import connected

        connection_created.connect(connected, dispatch_uid="mosty-sqlite-like")


def _create_cache_table(using: str = "default", verbosity: int = 1, **kwargs: object) -> None:
    """`migrate` also creates the database cache's table (rate-limit counters live there when
    no Redis is configured); it does nothing when the table exists or the cache is Redis."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
