"""The plain text snippets are cut from, stored beside its folded form (search_body), so a
search does not parse every hit's Markdown again. Existing translations get it here."""

from django.db import migrations, models

from mosty.core.migration_ops import for_vendor
from mosty.knowledge.search_index import SQLITE_TRIGGERS
from mosty.knowledge.text import plain_text

BATCH = 500


def fill(apps, schema_editor):
    ArticleTranslation = apps.get_model("knowledge", "ArticleTranslation")
    rows = ArticleTranslation.objects.only("pk", "summary", "body").order_by("pk")
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        row.search_text = plain_text(f"{row.summary}\n{row.body}")
        batch.append(row)
        if len(batch) == BATCH:
            ArticleTranslation.objects.bulk_update(batch, ["search_text"])
            batch = []
    ArticleTranslation.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_squashed_0005")]

    operations = [
        migrations.AddField(
            model_name="articletranslation",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        # Adding a column rebuilds the table on SQLite, which drops the search triggers.
        for_vendor({"sqlite": SQLITE_TRIGGERS}, {}),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
