"""The "organisation" breakdown of the reports names each organisation (mosty/organisations/
indicators.py): the names of the organisations asked for, read in one query however many, and
read when shown, so a rename shows at once."""

import pytest
from django.utils import translation

from mosty.core.indicators import breakdown_label, breakdown_label_map
from mosty.organisations.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _organisations(n: int) -> list[Organisation]:
    return Organisation.objects.bulk_create(
        [
            Organisation(name=f"Fundacja {i:03d}", slug=f"fundacja-{i:03d}", kind="ngo")
            for i in range(n)
        ]
    )


def test_a_split_by_300_organisations_names_them_in_one_query(django_assert_num_queries):
    organisations = _organisations(300)
    keys = [str(o.pk) for o in organisations]
    # Keys of organisations deleted since the figure was counted read as themselves, an empty
    # one as "Not recorded"; none of them costs a query of its own.
    gone = [str(organisations[-1].pk + 1000 + n) for n in range(5)]
    with translation.override("pl"), django_assert_num_queries(1):
        labels = breakdown_label_map("organisation", [*keys, *gone, "", "None", "x1"])
    assert [labels[k] for k in keys] == [o.name for o in organisations]
    assert [labels[k] for k in gone] == gone
    with translation.override("pl"):
        not_recorded = translation.gettext("Not recorded")
    assert labels[""] == labels["None"] == not_recorded and labels["x1"] == "x1"
    # The labels come in the order asked for, each key once.
    assert list(labels) == [*keys, *gone, "", "None", "x1"]
    # Only what is asked for is read: keys that name no organisation ask nothing.
    with translation.override("en"), django_assert_num_queries(0):
        assert breakdown_label_map("organisation", ["", "x1"]) == {"": "Not recorded", "x1": "x1"}


def test_a_rename_shows_at_once():
    organisation = OrganisationFactory(name="Fundacja Przykład")
    key = str(organisation.pk)
    assert breakdown_label("organisation", key) == "Fundacja Przykład"
    # Renamed by a queryset update (no signal): the very next label reads the new name.
    Organisation.objects.filter(pk=organisation.pk).update(name="Fundacja Nowa")
    assert breakdown_label_map("organisation", [key]) == {key: "Fundacja Nowa"}
    # An organisation added in bulk is named too.
    (added,) = _organisations(1)
    assert breakdown_label("organisation", str(added.pk)) == added.name
