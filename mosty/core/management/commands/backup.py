import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from mosty.access.audit import audit


def pg_run(program: str, *args: str) -> None:
    """Run a PostgreSQL client program (pg_dump, pg_restore) against the default database's
    server and database; a failure is a `CommandError` with what the program said."""
    db = settings.DATABASES["default"]
    connect = [
        "-h",
        db.get("HOST") or "127.0.0.1",
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        db.get("USER") or "postgres",
        "-d",
        db["NAME"],
    ]
    result = subprocess.run(
        [program, *connect, *args],
        env={"PGPASSWORD": db.get("PASSWORD") or ""},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise CommandError(result.stderr.strip())


class Command(BaseCommand):
    help = "Back up the whole database to FILE (SQLite: an online copy; PostgreSQL: pg_dump custom format)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        file.parent.mkdir(parents=True, exist_ok=True)
        # The copy keeps sensitive text encrypted: it is the database's own bytes.
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(file) as target:
                connection.connection.backup(target)
        elif connection.vendor == "postgresql":
            if not shutil.which("pg_dump"):
                raise CommandError("pg_dump is not installed (apt-get install postgresql-client).")
            pg_run("pg_dump", "-Fc", "-f", str(file))
        else:
            raise CommandError(f"backups of {connection.vendor} databases are not supported")
        audit(None, "mosty.system.backup.created", details={"file": file.name})
        self.stdout.write(
            self.style.SUCCESS(f"backup written to {file} ({file.stat().st_size:,} bytes)")
        )
