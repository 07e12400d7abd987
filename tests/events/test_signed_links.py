"""Signed links: a registration mail link has a maximum age; a calendar link can be revoked."""

import re
from datetime import timedelta
from unittest import mock

from django.core import signing

from mosty.access.models import AuditEvent
from mosty.events import services, tokens
from tests.events.factories import make_event, make_registration


def test_registration_link_stops_working_after_the_configured_days(world, client, settings):
    settings.MOSTY_REGISTRATION_LINK_DAYS = 30
    registration = make_registration(make_event(world.org_a))
    token = services.cancel_token(registration)
    assert client.get(f"/en/events/registration/{token}/").status_code == 200
    later = signing.time.time() + timedelta(days=31).total_seconds()
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert client.get(f"/en/events/registration/{token}/").status_code == 404
        assert client.post(f"/en/events/registration/{token}/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_a_new_calendar_address_revokes_the_old_one(world, client, login):
    user = world.user("participant")
    make_registration(make_event(world.org_a, title="Grupa wsparcia"), user=user)
    old = services.feed_token(user)
    assert b"Grupa wsparcia" in client.get(f"/pl/events/feed/{old}.ics").content
    response = login("participant").post("/en/events/mine/calendar-reset/")
    assert response.status_code == 302
    assert client.get(f"/pl/events/feed/{old}.ics").status_code == 404
    user.refresh_from_db()
    new = services.feed_token(user)
    assert new != old
    assert b"Grupa wsparcia" in client.get(f"/pl/events/feed/{new}.ics").content
    assert AuditEvent.objects.filter(action="mosty.event.calendar_feed.reset").exists()
    # The page shows a link of the new key (signed again, so its timestamp may differ
    # from `new` by a second when the machine is slow).
    page = client.get("/en/events/mine/").content.decode()
    shown = re.search(r"/events/feed/([^/\s\"']+)\.ics", page)
    assert shown is not None and shown.group(1) != old
    assert tokens.user_from_feed_token(shown.group(1)) == user


def test_a_calendar_link_made_before_revocation_existed_still_works_until_reset(world, client):
    user = world.user("participant")
    make_registration(make_event(world.org_a, title="Kurs"), user=user)
    legacy = signing.dumps(user.pk, salt=tokens.FEED_SALT)
    assert client.get(f"/pl/events/feed/{legacy}.ics").status_code == 200
    services.calendar_feed_reset(user=user, by=user)
    assert client.get(f"/pl/events/feed/{legacy}.ics").status_code == 404
