"""No double booking when one assistant accepts several overlapping offers at the same moment
(SQLite and PostgreSQL)."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from mosty.assistance.models import Assignment, AssignmentStatus
from mosty.assistance.services import assignment_accept
from tests.assistance.factories import make_offer, make_profile, make_request
from tests.factories import (
    CityFactory,
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

THREADS = 12


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_of_overlapping_offers_book_one(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    org = OrganisationFactory(district=DistrictFactory(city=CityFactory()))
    user = UserFactory(email="racer@example.org")
    MembershipFactory(user=user, organisation=org, role="assistant")
    profile = make_profile(org, user)
    first = make_request(org)
    offers = [
        make_offer(
            make_request(org, starts_at=first.starts_at + datetime.timedelta(minutes=5 * i)),
            profile,
        )
        for i in range(THREADS)
    ]
    start = threading.Barrier(THREADS)
    accepted, refused, errors = [], [], []
    lock = threading.Lock()

    def accept(offer):
        try:
            start.wait()
            try:
                assignment_accept(assignment=offer, by=user)
                with lock:
                    accepted.append(offer.pk)
            except ValidationError:
                with lock:
                    refused.append(offer.pk)
            finally:
                connections.close_all()
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=accept, args=(offer,)) for offer in offers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(accepted) == 1
    assert len(refused) == THREADS - 1
    stored = Assignment.objects.filter(assistant=profile, status=AssignmentStatus.ACCEPTED)
    assert list(stored.values_list("pk", flat=True)) == accepted
    assert connection.vendor in {"sqlite", "postgresql"}
