"""On PostgreSQL, trigram indexes serve the directory's text search (`icontains`, which Django
writes as `UPPER(col::text) LIKE UPPER('%text%')`) and its count, instead of a scan of every
service's description. Other databases have nothing to do: SQLite scans, which at 20,000
services is fast enough there."""

from django.db import migrations

# (index name, table, column): the columns `service_search` matches the text against.
INDEXES = [
    ("directory_service_name_trgm", "directory_service", "name"),
    ("directory_service_description_trgm", "directory_service", "description"),
    ("directory_servicetranslation_name_trgm", "directory_servicetranslation", "name"),
    ("organisations_organisation_name_trgm", "organisations_organisation", "name"),
]


def _trigram_available(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is not None:
            return True
        cursor.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user UNION ALL "
            "SELECT false LIMIT 1"
        )
        superuser = bool(cursor.fetchone()[0])
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        return superuser and cursor.fetchone() is not None


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    if not _trigram_available(schema_editor.connection):
        return  # without the extension a scan still answers correctly
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _table, _column in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_shared_record_pieces"),
        ("organisations", "0002_networkmeeting_networkdocument"),
        ("people", "0003_search_key_trigram"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
