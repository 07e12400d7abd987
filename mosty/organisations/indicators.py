"""Labels of the "organisation" breakdown (mosty/core/indicators.py): a figure split by
organisation names each one, not its number.

A breakdown's keys are organisation ids as text. The reports ask for the labels of all the keys
they show at once (`breakdown_label_map`), so `organisation_names` reads the names of those
organisations only, in one query, when they are shown: nothing is kept, so a rename (however
it was made) shows at once. A key that names no organisation (one deleted since the figure was
counted, an empty key) is left to `breakdown_label_map`, which shows the key itself or "Not
recorded".
"""

from __future__ import annotations

from collections.abc import Collection

from mosty.core.indicators import breakdown_labels
from mosty.organisations.models import Organisation

# A key past what a database integer holds names no organisation (and would fail the query).
_LARGEST_ID = 2**63 - 1


def organisation_names(keys: Collection[str]) -> dict[str, str]:
    """The name of the organisation each of `keys` (an id as text) names, for those that do."""
    ids = {key: int(key) for key in keys if str(key).isdecimal() and int(key) <= _LARGEST_ID}
    if not ids:
        return {}
    names = dict(
        Organisation.objects.filter(pk__in=set(ids.values())).order_by().values_list("pk", "name")
    )
    return {key: names[pk] for key, pk in ids.items() if pk in names}


breakdown_labels("organisation", organisation_names)
