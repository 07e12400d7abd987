"""Labels of the "organisation" breakdown (mosty/core/indicators.py): a figure split by
organisation names each one, not its number."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from mosty.core.indicators import breakdown_labels
from mosty.organisations.models import Organisation


class _OrganisationNames(Mapping[str, str]):
    """An organisation's name by its id (a breakdown key is text), read when shown."""

    def __getitem__(self, key: str) -> str:
        if not str(key).isdigit():
            raise KeyError(key)
        name = Organisation.objects.filter(pk=int(key)).values_list("name", flat=True).first()
        if name is None:
            raise KeyError(key)
        return name

    def __iter__(self) -> Iterator[str]:
        return (str(pk) for pk in Organisation.objects.values_list("pk", flat=True))

    def __len__(self) -> int:
        return Organisation.objects.count()


breakdown_labels("organisation", _OrganisationNames())
