"""Run a write that takes a row lock, again when the database reports it is locked.

Events (capacity) and assistance (no double booking) count-then-write under a row lock
(`select_for_update()`: a row lock on PostgreSQL; on SQLite the IMMEDIATE BEGIN already holds
the database write lock). Under many writers SQLite answers "database is locked" and
PostgreSQL may report a deadlock or a serialisation failure: the attempt runs again.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection, transaction

T = TypeVar("T")

# Attempts when the database reports a lock (SQLite under many writers).
LOCK_RETRIES = 200


def is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "locked" in text or "deadlock" in text or "could not serialize" in text


def retrying(fn: Callable[[], T], *, retries: int = LOCK_RETRIES) -> T:
    """Run `fn` in its own transaction, again when the database says it is locked."""
    if connection.in_atomic_block:
        # Inside a caller's transaction the lock is already the caller's; a savepoint keeps
        # an IntegrityError from breaking it.
        with transaction.atomic():
            return fn()
    for attempt in range(retries):
        try:
            with transaction.atomic():
                return fn()
        except OperationalError as exc:
            if not is_lock_error(exc) or attempt == retries - 1:
                raise
            # Growing, jittered waits so that blocked writers spread out instead of
            # retrying in lockstep.
            time.sleep(min(0.2, 0.005 * (attempt + 1)) * (1 + random.random()))  # noqa: S311
    raise AssertionError("unreachable")
