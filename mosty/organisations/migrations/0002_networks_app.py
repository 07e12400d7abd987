"""The thematic network models now belong to the `networks` app (its 0001 takes them over
with their tables): they leave this app's state only; no table is dropped."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_squashed_0003"),
        ("networks", "0001_initial"),
        # Programmes point to `networks.Network` before the old model leaves the state.
        ("reports", "0003_networks_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="NetworkMeeting"),
                migrations.DeleteModel(name="NetworkDocument"),
                migrations.DeleteModel(name="NetworkMembership"),
                migrations.DeleteModel(name="Network"),
            ],
        ),
    ]
