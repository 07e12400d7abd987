"""An event cancelled or moved: every registrant hears it in their language and channel, the
staff who registered people under their bell, and the pages say so."""

import datetime as dt

import pytest
from django.urls import reverse

from mosty.access.models import AuditEvent
from mosty.events import services as event_services
from mosty.messaging import backends
from mosty.messaging.models import Message, Notification
from tests.cases.factories import make_participant
from tests.events.factories import make_event, make_registration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _registered(world):
    event = make_event(world.org_a, district=world.district)
    participant = make_participant(
        world,
        "a",
        consents=("portal", "messages"),
        preferred_channel="sms",
        languages=[{"code": "uk", "level": "native"}],
    )
    caseworker = world.user("caseworker", "a")
    make_registration(event, participant=participant, registered_by=caseworker)
    make_registration(event, name="Anon", email="anon@example.org", language="fr")
    make_registration(event, name="Gone", email="gone@example.org", status="cancelled")
    return event, participant, caseworker


def test_cancelling_tells_each_registrant_and_the_registrar(
    world, login, django_capture_on_commit_callbacks
):
    event, participant, caseworker = _registered(world)
    backends.SENT.clear()
    client = login("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:cancel", args=[event.pk]))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.cancelled_at is not None and not event.registration_is_open()
    sent = {m.channel: m.language for m in Message.objects.filter(template="event_cancelled")}
    assert sent == {"sms": "uk", "email": "fr"}  # the cancelled registration hears nothing
    assert Message.objects.filter(status="sent").count() == 2
    assert "скасовано" in backends.SENT[0]["body"]
    bell = Notification.objects.get(user=caseworker)
    assert bell.template == "event_cancelled" and bell.url == reverse(
        "events:detail", args=[event.pk]
    )
    assert AuditEvent.objects.filter(action="mosty.event.cancelled").count() == 1
    # Twice is refused, and nobody hears it twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:cancel", args=[event.pk]))
    assert Message.objects.filter(template="event_cancelled").count() == 2
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "alert-danger" in page


def test_caseworker_cannot_cancel(world, login):
    event, _participant, _cw = _registered(world)
    response = login("caseworker").post(reverse("events:cancel", args=[event.pk]))
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.cancelled_at is None


def test_moving_a_session_tells_registrants_once_per_change(
    world, django_capture_on_commit_callbacks
):
    event, _participant, caseworker = _registered(world)
    coordinator = world.user("coordinator", "a")
    session = event.sessions.get()

    def edit(**session_fields):
        fresh = type(event).objects.get(pk=event.pk)
        with django_capture_on_commit_callbacks(execute=True):
            event_services.event_update(
                event=fresh,
                by=coordinator,
                sessions=[{"instance": session, **session_fields}],
                capacity=fresh.capacity + 1,
            )

    edit()  # only the capacity: nothing to tell
    assert not Message.objects.exists()
    edit(starts_at=session.starts_at + dt.timedelta(hours=1))
    assert Message.objects.filter(template="event_changed").count() == 2
    assert Notification.objects.filter(user=caseworker, template="event_changed").count() == 1
    edit(place="Biblioteka, ul. Krótka 2")
    assert Message.objects.filter(template="event_changed").count() == 4
