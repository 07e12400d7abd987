"""Labels of the "organisation" breakdown (mosty/core/indicators.py): a figure split by
organisation names each one, not its number.

The reports ask for one label at a time (`breakdown_label`), row after row, so the names are
read together: the first label asked for reads every organisation's name in one query, and the
other rows of that page, export or report take theirs from it (a split by 300 organisations
cost 300 queries). Names are still read when shown, never kept from one request to the next:
they are forgotten when a request starts or ends and when a background task starts, and after
an organisation is saved or deleted here. A key missing from what was read (an organisation
added in bulk since) reads them all once more, so a page costs two queries at most.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save
from django_tasks.signals import task_started

from mosty.core.indicators import breakdown_labels
from mosty.organisations.models import Organisation

# Every organisation's name by its id as text (a breakdown key), once read in this request,
# and whether they were read again for a key that was missing.
_names: ContextVar[tuple[dict[str, str], bool] | None] = ContextVar(
    "mosty_organisation_names", default=None
)


def _read() -> dict[str, str]:
    rows = Organisation.objects.order_by().values_list("pk", "name").iterator()
    return {str(pk): name for pk, name in rows}


def _all_names() -> dict[str, str]:
    kept = _names.get()
    if kept is None:
        kept = (_read(), False)
        _names.set(kept)
    return kept[0]


def _name(key: str) -> str:
    names = _all_names()
    if key not in names:
        kept = _names.get()
        if kept is not None and not kept[1]:
            names = _read()
            _names.set((names, True))
    return names[key]


def forget_names(**_kwargs: Any) -> None:
    """Read the names again when next asked (a new request or task, a changed organisation)."""
    _names.set(None)


request_started.connect(forget_names, dispatch_uid="mosty_organisation_names_request")
request_finished.connect(forget_names, dispatch_uid="mosty_organisation_names_finished")
task_started.connect(forget_names, dispatch_uid="mosty_organisation_names_task")
post_save.connect(forget_names, sender=Organisation, dispatch_uid="mosty_organisation_names_save")
post_delete.connect(
    forget_names, sender=Organisation, dispatch_uid="mosty_organisation_names_delete"
)


class _OrganisationNames(Mapping[str, str]):
    """An organisation's name by its id (a breakdown key is text), read when shown."""

    def __getitem__(self, key: str) -> str:
        if not str(key).isdecimal():
            raise KeyError(key)
        return _name(str(int(key)))

    def __iter__(self) -> Iterator[str]:
        return iter(_all_names())

    def __len__(self) -> int:
        return len(_all_names())


breakdown_labels("organisation", _OrganisationNames())
