import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from mosty.core.management.commands.backup import pg_run


class Command(BaseCommand):
    help = "Restore a backup made by `mosty backup`, replacing the current database."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, file: Path, yes: bool, **options):
        if not file.exists():
            raise CommandError(f"{file} does not exist")
        if (
            not yes
            and input("This replaces the whole database. Type 'yes' to go on: ").strip() != "yes"
        ):
            raise CommandError("restore cancelled")
        if connection.vendor == "sqlite":
            try:
                with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as source:
                    source.execute("SELECT count(*) FROM django_migrations").fetchone()
                    connection.ensure_connection()
                    source.backup(connection.connection)
            except sqlite3.DatabaseError as exc:
                raise CommandError(f"{file} is not a Mosty SQLite backup: {exc}")
        elif connection.vendor == "postgresql":
            connection.close()
            pg_run("pg_restore", "--clean", "--if-exists", "--no-owner", str(file))
        else:
            raise CommandError(f"restoring {connection.vendor} databases is not supported")
        self.stdout.write(self.style.SUCCESS(f"restored from {file}"))
