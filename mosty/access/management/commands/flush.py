"""`flush`, which on SQLite lifts the audit log's append-only triggers for the time it runs.

Flushing empties every table, the audit log included. PostgreSQL does it with TRUNCATE, which row
triggers do not see; SQLite does it with DELETE, which its triggers refuse. So on SQLite the
triggers are dropped for the flush and created again after it, and both databases behave alike
(test runs flush between transactional tests).
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

TRIGGERS = {
    "access_auditevent_no_update": "UPDATE",
    "access_auditevent_no_delete": "DELETE",
}


def _present(cursor) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'access_auditevent'"
    )
    return [row[0] for row in cursor.fetchall() if row[0] in TRIGGERS]


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with connection.cursor() as cursor:
            present = _present(cursor)
            for name in present:
                cursor.execute(f"DROP TRIGGER {name}")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for name in present:
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {TRIGGERS[name]} "
                        "ON access_auditevent "
                        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
                    )
