"""Programmes link to networks in their new app (`networks.Network`); the link table and its
rows stay as they are, so only Django's state changes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_rollups"),
        ("networks", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="programme",
                    name="networks",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="programmes",
                        to="networks.network",
                        verbose_name="networks",
                    ),
                ),
            ],
        ),
    ]
