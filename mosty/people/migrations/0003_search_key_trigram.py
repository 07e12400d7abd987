"""On PostgreSQL, a trigram index makes the intake search (`search_key LIKE '%skeleton%'`) an
index scan instead of a scan of every participant. Other databases keep the b-tree index."""

from django.db import migrations

INDEX = "people_participant_search_key_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        installed = cursor.fetchone() is not None
        cursor.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user UNION ALL "
            "SELECT false LIMIT 1"
        )
        superuser = bool(cursor.fetchone()[0])
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        available = cursor.fetchone() is not None
    if not installed and not (superuser and available):
        return  # without the extension the b-tree index and a scan still answer correctly
    if not installed:
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_participant "
        "USING gin (search_key gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_import")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
