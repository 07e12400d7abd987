"""The write steps every module's services share: a record is validated as its model does
(`full_clean()`) before it is written, and an edit is one guarded UPDATE that raises
`EditConflict` when someone saved since the form read `version` (`Versioned.save_changes`).

The callers have asked the policy (`require`) and hold the atomic block, so a refusal here
leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

R = TypeVar("R", bound=Any)


def save_validated(record: R) -> R:
    """Validate a record (a new one, or one whose fields the caller set), then write it."""
    record.full_clean()
    record.save()
    return record


def create_fields(record: R, fields: Iterable[str], data: Mapping[str, Any]) -> R:
    """Set those of `fields` that `data` holds on a new record, validate it and write it."""
    for field in fields:
        if field in data:
            setattr(record, field, data[field])
    return save_validated(record)


def save_changes(record: R, changes: Mapping[str, Any], *, version: int | None, by: Any) -> R:
    """Set `changes` (field name → value) on a `Versioned` record, validate it and write them
    at once, or raise `EditConflict` when `version` is stale."""
    for name, value in changes.items():
        setattr(record, name, value)
    record.full_clean()
    record.save_changes(version=version, by=by, **changes)
    return record


def save_fields(
    record: R, fields: Iterable[str], data: Mapping[str, Any], *, version: int | None, by: Any
) -> R:
    """`save_changes` with those of `fields` that `data` holds (what a form may edit)."""
    allowed = set(fields)
    changes = {name: value for name, value in data.items() if name in allowed}
    return save_changes(record, changes, version=version, by=by)


def document_save(document: R, file: Any) -> R:
    """Save a shared file-or-link record (its model's `clean()` refuses both or neither)."""
    if file:
        document.file = file
    return save_validated(document)
