"""The knowledge base's full-text index, which Django's schema editor does not write: the SQL
its migrations run (`mosty/core/migration_ops.for_vendor`).

On SQLite an FTS5 table is kept by triggers on `knowledge_articletranslation`. A migration that
changes that table on SQLite may rebuild it, and a rebuild drops its triggers: such a migration
runs `SQLITE_TRIGGERS` again after its schema operations
(`tests/knowledge/test_public.py` fails when they are missing).
"""

# SQLite: an FTS5 table kept by triggers; only published translations are searchable.
SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS knowledge_search_ai "
    "AFTER INSERT ON knowledge_articletranslation "
    "WHEN new.status = 'published' BEGIN "
    "INSERT INTO knowledge_search(rowid, title, body, language) "
    "VALUES (new.id, new.search_title, new.search_body, new.language); END",
    "CREATE TRIGGER IF NOT EXISTS knowledge_search_au "
    "AFTER UPDATE ON knowledge_articletranslation BEGIN "
    "DELETE FROM knowledge_search WHERE rowid = old.id; "
    "INSERT INTO knowledge_search(rowid, title, body, language) "
    "SELECT new.id, new.search_title, new.search_body, new.language "
    "WHERE new.status = 'published'; END",
    "CREATE TRIGGER IF NOT EXISTS knowledge_search_ad "
    "AFTER DELETE ON knowledge_articletranslation BEGIN "
    "DELETE FROM knowledge_search WHERE rowid = old.id; END",
]
SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE knowledge_search USING fts5("
    "title, body, language UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')",
    *SQLITE_TRIGGERS,
]
SQLITE_SEARCH_DROP = [
    "DROP TRIGGER IF EXISTS knowledge_search_ai",
    "DROP TRIGGER IF EXISTS knowledge_search_au",
    "DROP TRIGGER IF EXISTS knowledge_search_ad",
    "DROP TABLE IF EXISTS knowledge_search",
]
# PostgreSQL: a stored, weighted tsvector (title A, text B) with a GIN index. The column is the
# database's own business, so the Django model does not declare it.
POSTGRES_SEARCH = [
    "ALTER TABLE knowledge_articletranslation ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, COALESCE(search_title, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, COALESCE(search_body, '')), 'B')) STORED",
    "CREATE INDEX knowledge_tr_search_vector_gin ON knowledge_articletranslation "
    "USING gin (search_vector)",
]
POSTGRES_SEARCH_DROP = [
    "DROP INDEX IF EXISTS knowledge_tr_search_vector_gin",
    "ALTER TABLE knowledge_articletranslation DROP COLUMN IF EXISTS search_vector",
]
