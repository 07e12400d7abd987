"""PostgreSQL: a stored, weighted tsvector (title A, text B) so ranking does not re-parse every
matching article; SQLite keeps its FTS5 table. The column is the database's own business
(generated from the diacritic-free columns), so the Django model does not declare it."""

from django.db import migrations

POSTGRES_UP = [
    "ALTER TABLE knowledge_articletranslation ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, COALESCE(search_title, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, COALESCE(search_body, '')), 'B')) STORED",
    "CREATE INDEX knowledge_tr_search_vector_gin ON knowledge_articletranslation "
    "USING gin (search_vector)",
    "DROP INDEX IF EXISTS knowledge_tr_search_gin",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS knowledge_tr_search_vector_gin",
    "ALTER TABLE knowledge_articletranslation DROP COLUMN IF EXISTS search_vector",
    "CREATE INDEX knowledge_tr_search_gin ON knowledge_articletranslation USING gin ("
    "to_tsvector('simple'::regconfig, "
    "COALESCE((search_title)::text, '') || ' ' || COALESCE((search_body)::text, '')))",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_search_index")]

    operations = [migrations.RunPython(_run(POSTGRES_UP), _run(POSTGRES_DOWN))]
