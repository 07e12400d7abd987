"""A translation carries the `version` its form was shown at, so a second save of the same
translation (another tab, another editor) is refused instead of overwriting the first."""

from django.db import migrations, models

from mosty.core.migration_ops import for_vendor
from mosty.knowledge.search_index import SQLITE_TRIGGERS


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0008_article_view_counts")]

    operations = [
        # Adding (and, going back, removing) a column rebuilds the table on SQLite, which
        # drops the search triggers: made again after the rebuild, whichever way it runs.
        for_vendor({}, {"sqlite": SQLITE_TRIGGERS}),
        migrations.AddField(
            model_name="articletranslation",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
        for_vendor({"sqlite": SQLITE_TRIGGERS}, {}),
    ]
