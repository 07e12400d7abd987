"""The "organisation" breakdown of the reports names each organisation (mosty/organisations/
indicators.py): read together, in one query however many organisations a figure is split by."""

import pytest
from django.core.signals import request_started
from django.db import close_old_connections
from django.utils import translation

from mosty.core.indicators import breakdown_label
from mosty.organisations.models import Organisation
from tests.factories import OrganisationFactory


def _new_request():
    """What a request's start does to the names, without closing the test's connection (the
    test client leaves `close_old_connections` out too: on PostgreSQL it would end the
    test's transaction)."""
    request_started.disconnect(close_old_connections)
    try:
        request_started.send(sender=None)
    finally:
        request_started.connect(close_old_connections)


def _labels(organisations):
    return [breakdown_label("organisation", str(o.pk)) for o in organisations]


@pytest.mark.django_db
def test_a_breakdown_names_its_organisations_in_one_query_however_many(
    django_assert_max_num_queries,
):
    organisations = [OrganisationFactory() for _ in range(2)]
    _new_request()
    with django_assert_max_num_queries(1):
        assert _labels(organisations) == [o.name for o in organisations]

    organisations += [OrganisationFactory() for _ in range(20)]
    _new_request()
    with django_assert_max_num_queries(1):
        assert _labels(organisations) == [o.name for o in organisations]
    # Keys of organisations deleted since the figure was counted read as themselves: the
    # names are read once more for the first (it might have been added since), not for each.
    with django_assert_max_num_queries(1):
        assert [breakdown_label("organisation", str(999_990 + n)) for n in range(5)] == [
            str(999_990 + n) for n in range(5)
        ]


@pytest.mark.django_db
def test_the_names_are_read_when_shown_not_kept_from_an_earlier_request():
    organisation = OrganisationFactory(name="Fundacja Przykład")
    _new_request()
    assert breakdown_label("organisation", str(organisation.pk)) == "Fundacja Przykład"
    # Renamed (the service's guarded UPDATE sends no post_save): the next request reads it.
    Organisation.objects.filter(pk=organisation.pk).update(name="Fundacja Nowa")
    _new_request()
    assert breakdown_label("organisation", str(organisation.pk)) == "Fundacja Nowa"
    # An organisation added in the same request is named too, also when added in bulk.
    added = OrganisationFactory(name="Klub Sąsiedzki")
    assert breakdown_label("organisation", str(added.pk)) == "Klub Sąsiedzki"
    (bulk,) = Organisation.objects.bulk_create(
        [Organisation(name="Spółdzielnia Socjalna", slug="spoldzielnia", kind="ngo")]
    )
    assert breakdown_label("organisation", str(bulk.pk)) == "Spółdzielnia Socjalna"
    with translation.override("pl"):
        assert breakdown_label("organisation", "") == translation.gettext("Not recorded")
