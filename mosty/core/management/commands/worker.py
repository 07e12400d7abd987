"""`mosty worker`: django-tasks' database worker that outlives a locked database.

On SQLite one writer holds the database at a time; a long write (a 50,000-row import, a
backup) can hold it longer than the 30-second busy timeout. django_tasks_db's worker then
exits with "database is locked" (claiming the next task, or recording a result), and the
background work stops until someone restarts it. This worker waits and carries on. A task
interrupted that way is found by its own stale detection (participant imports: see
`mosty.people.imports.participant_import_fail_stale`).
"""

from __future__ import annotations

import logging
import time

from django.db import connections
from django.db.utils import OperationalError
from django_tasks_db.management.commands import db_worker
from django_tasks_db.utils import is_locked_database_exception

logger = logging.getLogger("mosty.worker")
# Seconds to wait after "database is locked" before trying again.
LOCK_RETRY_SECONDS = 5.0


class Worker(db_worker.Worker):
    def run(self) -> None:
        while True:
            try:
                return super().run()
            except OperationalError as exc:
                if not (is_locked_database_exception(exc) and self.running):
                    raise
                logger.warning(
                    "The database is locked; the worker tries again in %s s.", LOCK_RETRY_SECONDS
                )
                connections.close_all()
                time.sleep(LOCK_RETRY_SECONDS)


class Command(db_worker.Command):
    help = "Run background tasks (django-tasks' db_worker that survives a locked database)."

    def handle(self, *args, **options):
        # db_worker.Command.handle builds `Worker` by its module-level name.
        original = db_worker.Worker
        db_worker.Worker = Worker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
