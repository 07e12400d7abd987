"""Full-text search index: an FTS5 table kept by triggers on SQLite, a GIN index on PostgreSQL.

Both read the diacritic-free columns `search_title` and `search_body` the service layer fills.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE knowledge_search USING fts5("
    "title, body, language UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')",
    # Only published translations are searchable; every write re-files the row.
    "CREATE TRIGGER knowledge_search_ai AFTER INSERT ON knowledge_articletranslation "
    "WHEN new.status = 'published' BEGIN "
    "INSERT INTO knowledge_search(rowid, title, body, language) "
    "VALUES (new.id, new.search_title, new.search_body, new.language); END",
    "CREATE TRIGGER knowledge_search_au AFTER UPDATE ON knowledge_articletranslation BEGIN "
    "DELETE FROM knowledge_search WHERE rowid = old.id; "
    "INSERT INTO knowledge_search(rowid, title, body, language) "
    "SELECT new.id, new.search_title, new.search_body, new.language "
    "WHERE new.status = 'published'; END",
    "CREATE TRIGGER knowledge_search_ad AFTER DELETE ON knowledge_articletranslation BEGIN "
    "DELETE FROM knowledge_search WHERE rowid = old.id; END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS knowledge_search_ai",
    "DROP TRIGGER IF EXISTS knowledge_search_au",
    "DROP TRIGGER IF EXISTS knowledge_search_ad",
    "DROP TABLE IF EXISTS knowledge_search",
]
# The same expression Django's SearchVector("search_title", "search_body", config="simple")
# compiles to, so the planner uses the index.
POSTGRES_UP = [
    "CREATE INDEX knowledge_tr_search_gin ON knowledge_articletranslation USING gin ("
    "to_tsvector('simple'::regconfig, "
    "COALESCE((search_title)::text, '') || ' ' || COALESCE((search_body)::text, '')))"
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS knowledge_tr_search_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
