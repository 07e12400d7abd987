"""The intake search key now keeps the class of a name's first vowel ("Олена" no longer finds
"Ilunga"): recompute every participant's key, in batches, from the same fields as the model."""

from django.db import migrations

BATCH = 2000


def recompute(apps, schema_editor):
    from mosty.people.search import build_search_key

    Participant = apps.get_model("people", "Participant")
    fields = ("first_name", "last_name", "first_name_original", "last_name_original", "phone")
    batch = []
    for row in Participant.objects.only("pk", "search_key", *fields).iterator(chunk_size=BATCH):
        key = build_search_key(
            row.first_name,
            row.last_name,
            row.first_name_original,
            row.last_name_original,
            phone=row.phone,
        )
        if key != row.search_key:
            row.search_key = key
            batch.append(row)
        if len(batch) >= BATCH:
            Participant.objects.bulk_update(batch, ["search_key"])
            batch = []
    if batch:
        Participant.objects.bulk_update(batch, ["search_key"])


class Migration(migrations.Migration):
    dependencies = [("people", "0006_import_duplicate_choices")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
