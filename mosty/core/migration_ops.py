"""Migration operations for what Django's schema editor does not write: SQL that differs by
database (search indexes, triggers), PostgreSQL trigram indexes and collations.

Migrations import these instead of each writing its own `RunPython` with a vendor switch. Keep
them stable: a change here changes what old migrations do on a fresh database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import DatabaseError, migrations, transaction

SqlByVendor = Mapping[str, Sequence[str]]


def for_vendor(forwards: SqlByVendor, backwards: SqlByVendor) -> migrations.RunPython:
    """Runs the statements listed for the connection's vendor ("sqlite", "postgresql"); a
    vendor not listed has nothing to do."""

    def run(statements: SqlByVendor) -> Any:
        def apply(apps: Any, schema_editor: Any) -> None:
            for sql in statements.get(schema_editor.connection.vendor, ()):
                schema_editor.execute(sql)

        return apply

    return migrations.RunPython(run(forwards), run(backwards), elidable=False)


def _trigram_available(connection: Any) -> bool:
    """pg_trgm is installed, or this role may install it. Without it a scan still answers."""
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


def trigram_indexes(indexes: Sequence[tuple[str, str, str]]) -> migrations.RunPython:
    """On PostgreSQL, GIN trigram indexes `(name, table, expression)` for `LIKE '%text%'`
    searches; other databases keep their b-tree indexes and scans."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        if not _trigram_available(schema_editor.connection):
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, expression in indexes:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} gin_trgm_ops)"
            )

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for name, _table, _expression in indexes:
                schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(forwards, backwards, elidable=False)


def collation(name: str, definitions: Sequence[str]) -> migrations.RunPython:
    """On PostgreSQL, the collation `name` made from the first of `definitions` (what goes
    between the parentheses of `CREATE COLLATION`) the server accepts: a server built without
    ICU, or without the libc locale asked for, refuses some. When it refuses them all, a copy
    of the database's own collation, so that migrating never fails and queries naming the
    collation sort as they did without it. SQLite knows collations only per connection: the
    app registers them when it connects."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [name])
            if cursor.fetchone() is not None:
                return
            cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
            own = cursor.fetchone()[0].replace("'", "''")
        quoted = connection.ops.quote_name(name)
        for definition in [*definitions, f"locale = '{own}'"]:
            try:
                with transaction.atomic(using=connection.alias):
                    schema_editor.execute(f"CREATE COLLATION {quoted} ({definition})")
                return
            except DatabaseError:
                continue
        schema_editor.execute(f'CREATE COLLATION {quoted} FROM "C"')

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            quoted = schema_editor.connection.ops.quote_name(name)
            schema_editor.execute(f"DROP COLLATION IF EXISTS {quoted}")

    return migrations.RunPython(forwards, backwards, elidable=False)
