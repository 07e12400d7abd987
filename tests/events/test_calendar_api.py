import pytest
from icalendar import Calendar

from mosty.events import services
from mosty.events.models import Attendance, Event, Registration
from tests.events.factories import make_event, make_registration
from tests.ical import parse_feed

REQUIRED_EVENT_PROPERTIES = ("UID", "DTSTAMP", "DTSTART")


def _parse(response) -> Calendar:
    return parse_feed(response)


def _vevents(calendar):
    events = list(calendar.walk("VEVENT"))
    for vevent in events:
        for prop in REQUIRED_EVENT_PROPERTIES:
            assert prop in vevent, prop
        assert vevent.decoded("DTEND") > vevent.decoded("DTSTART")
    uids = [str(v["UID"]) for v in events]
    assert len(uids) == len(set(uids))
    return events


def test_public_feed_lists_public_sessions_only(world, client):
    course = make_event(
        world.org_a,
        title="Kurs polskiego A1 — długi tytuł, który trzeba zawinąć w pliku iCalendar",
        sessions=3,
        district=world.district,
    )
    make_event(world.org_a, title="Wewnętrzne", is_public=False)
    vevents = _vevents(_parse(client.get("/pl/events/calendar.ics")))
    assert len(vevents) == 3
    assert str(vevents[0]["SUMMARY"]).startswith("Kurs polskiego A1")
    assert "Centrum" in str(vevents[0]["LOCATION"])
    assert course.sessions.first().starts_at == vevents[0].decoded("DTSTART")


def test_organisation_feed_and_event_download(world, client):
    mine = make_event(world.org_a, title="Film")
    make_event(world.org_b, title="Other organisation")
    vevents = _vevents(
        _parse(client.get(f"/en/events/organisations/{world.org_a.pk}/calendar.ics"))
    )
    assert [str(v["SUMMARY"]) for v in vevents] == ["Film (en)"]
    single = _vevents(_parse(client.get(f"/en/events/{mine.pk}/event.ics")))
    assert len(single) == 1


def test_personal_feed_by_secret_token(world, client):
    user = world.user("participant")
    internal = make_event(world.org_a, title="Grupa wsparcia", is_public=False)
    make_registration(internal, user=user)
    make_registration(make_event(world.org_a, title="Waiting"), user=user, status="waitlisted")
    token = services.feed_token(user)
    vevents = _vevents(_parse(client.get(f"/pl/events/feed/{token}.ics")))
    assert [str(v["SUMMARY"]) for v in vevents] == ["Grupa wsparcia"]
    assert client.get(f"/pl/events/feed/{token[:-2]}xx.ics").status_code == 404


def test_a_cancelled_event_stays_in_the_feeds_as_cancelled(world, client):
    user = world.user("participant")
    event = make_event(world.org_a, title="Warsztaty", sessions=2)
    make_registration(event, user=user)
    feed = f"/pl/events/feed/{services.feed_token(user)}.ics"
    before = _vevents(_parse(client.get(feed)))
    assert {str(v["STATUS"]) for v in before} == {"CONFIRMED"}
    services.event_cancel(event=event, by=world.user("coordinator"))
    for url in (feed, "/pl/events/calendar.ics", f"/pl/events/{event.pk}/event.ics"):
        after = _vevents(_parse(client.get(url)))
        assert len(after) == 2  # still there, so subscribed calendars update them
        assert {str(v["STATUS"]) for v in after} == {"CANCELLED"}
        assert after[0]["SEQUENCE"] > before[0]["SEQUENCE"]


def _api(client, user):
    client.force_login(user)
    return client


def test_api_lists_events_with_remaining_places_and_no_names(world, client):
    event = make_event(world.org_a, capacity=3)
    make_registration(event, name="Secret Person")
    data = _api(client, world.user("mentor", "b")).get("/api/events/").json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item["remaining"] == 2 and item["confirmed"] == 1
    assert "Secret Person" not in str(data)
    assert client.get("/api/events/?kind=nonsense").status_code == 400


def test_api_registrations_only_for_the_organiser(world, client):
    event = make_event(world.org_a)
    make_registration(event, name="Olena")
    assert (
        _api(client, world.user("coordinator", "b"))
        .get(f"/api/events/{event.pk}/registrations/")
        .status_code
        == 403
    )
    response = _api(client, world.user("caseworker")).get(f"/api/events/{event.pk}/registrations/")
    assert response.status_code == 200
    assert response.json()["results"][0]["name"] == "Olena"


def test_api_create_register_attend_cancel(world, client):
    api = _api(client, world.user("coordinator"))
    payload = {
        "organisation": world.org_a.pk,
        "kind": "language_course",
        "source_language": "pl",
        "capacity": 1,
        "audiences": ["newcomers"],
        "languages": ["pl", "uk"],
        "translations": [{"language": "pl", "title": "Polski A1"}],
        "sessions": [
            {
                "starts_at": "2030-01-10T17:00:00+01:00",
                "ends_at": "2030-01-10T18:30:00+01:00",
                "place": "Szkoła",
            }
        ],
    }
    response = api.post("/api/events/create/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    event = Event.objects.get(pk=response.json()["id"])
    assert event.sessions.get().minutes == 90
    # Bad input is a 400 with field errors, never a 500.
    bad = api.post(
        "/api/events/create/",
        {**payload, "capacity": 0, "sessions": []},
        content_type="application/json",
    )
    assert bad.status_code == 400 and {"capacity", "sessions"} <= set(bad.json())
    other_org = api.post(
        "/api/events/create/",
        {**payload, "organisation": world.org_b.pk},
        content_type="application/json",
    )
    assert other_org.status_code == 403

    participant = _api(client, world.user("participant"))
    first = participant.post(
        f"/api/events/{event.pk}/register/", {"consent": True}, content_type="application/json"
    )
    assert first.status_code == 201 and first.json()["status"] == "confirmed"
    again = participant.post(
        f"/api/events/{event.pk}/register/", {"consent": True}, content_type="application/json"
    )
    assert again.status_code == 400
    no_consent = _api(client, world.user("mentor")).post(
        f"/api/events/{event.pk}/register/", {"consent": False}, content_type="application/json"
    )
    assert no_consent.status_code == 400 and "consent" in no_consent.json()
    # A mentor may not register other people; a caseworker may.
    person = {"consent": True, "name": "Dmytro", "phone": "+48 500 000 000", "language": "uk"}
    assert (
        client.post(
            f"/api/events/{event.pk}/register/", person, content_type="application/json"
        ).status_code
        == 403
    )
    caseworker = _api(client, world.user("caseworker", "b"))
    waiting = caseworker.post(
        f"/api/events/{event.pk}/register/", person, content_type="application/json"
    )
    assert waiting.status_code == 201 and waiting.json()["status"] == "waitlisted"

    staff = _api(client, world.user("caseworker"))
    session = event.sessions.get()
    mine = Registration.objects.get(user=world.user("participant"))
    marked = staff.post(
        f"/api/events/sessions/{session.pk}/attendance/set/",
        {"registration": mine.pk, "present": True},
        content_type="application/json",
    )
    assert marked.status_code == 200 and Attendance.objects.get().present
    sheet = staff.get(f"/api/events/sessions/{session.pk}/attendance/").json()
    assert sheet == [{"registration": mine.pk, "name": mine.name, "present": True}]

    cancelled = _api(client, world.user("participant")).post(
        f"/api/events/registrations/{mine.pk}/cancel/"
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert Registration.objects.get(name="Dmytro").status == "confirmed"  # promoted

    report = _api(client, world.user("coordinator")).get("/api/events/report/").json()
    assert report["events"] == 1 and report["present"] == 1


@pytest.mark.parametrize("path", ["/api/events/", "/api/events/report/"])
def test_api_requires_login(client, world, path):
    assert client.get(path).status_code in (401, 403)
