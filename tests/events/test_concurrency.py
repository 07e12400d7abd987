"""Capacity holds when many people register at the same moment (SQLite and PostgreSQL)."""

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from mosty.events.models import Registration
from mosty.events.services import registration_create
from tests.events.factories import make_event
from tests.factories import CityFactory, DistrictFactory, OrganisationFactory

THREADS = 200
PLACES = 50
# PostgreSQL here allows 100 clients shared with other test runs: at most this many of the 200
# threads hold a connection at once (all of them still race for the same places).
PG_OPEN_CONNECTIONS = 40


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_registrations_at_50_places(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    district = DistrictFactory(city=CityFactory())
    event = make_event(OrganisationFactory(district=district), capacity=PLACES)
    start = threading.Barrier(THREADS)
    gate = threading.BoundedSemaphore(
        PG_OPEN_CONNECTIONS if connection.vendor == "postgresql" else THREADS
    )
    errors: list[BaseException] = []
    results: list[str] = []
    lock = threading.Lock()

    def register(i: int) -> None:
        try:
            start.wait()
            with gate:
                registration = _register(i)
            with lock:
                results.append(registration.status)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            with lock:
                errors.append(exc)

    def _register(i: int):
        try:
            return registration_create(
                event=event,
                consent=True,
                name=f"Person {i}",
                email=f"person{i}@example.org",
                language="uk",
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Counter(results) == {"confirmed": PLACES, "waitlisted": THREADS - PLACES}
    stored = Counter(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert stored == {"confirmed": PLACES, "waitlisted": THREADS - PLACES}
    emails = list(Registration.objects.filter(event=event).values_list("email", flat=True))
    assert len(emails) == len(set(emails)) == THREADS
    assert connection.vendor in {"sqlite", "postgresql"}
