"""The collation `mosty_names` (mosty/core/collation.py) on PostgreSQL: ICU's Polish order,
else ICU's root order, else the libc Polish locale, else the database's own collation."""

from django.db import migrations

from mosty.core.migration_ops import collation


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        collation(
            "mosty_names",
            [
                "provider = icu, locale = 'pl-PL'",
                "provider = icu, locale = 'und'",
                "locale = 'pl_PL.utf8'",
            ],
        ),
    ]
