"""A logged meeting corrected or deleted through the API: the same people as on the match's
page (the mentor who logged it, a coordinator of the organisation, while the match runs), and
a client that read an older version is refused with a 409 that writes nothing."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation

from mosty.access.models import AuditEvent
from mosty.core.models import edit_conflict
from mosty.mentoring.models import MatchStatus, Meeting
from tests.factories import MembershipFactory, UserFactory
from tests.mentoring.factories import MatchFactory, MeetingFactory, MentorFactory
from tests.mentoring.routes import the_mentor

JSON = "application/json"


def _meeting(world, *, by=None, **kwargs):
    match = MatchFactory(mentor=the_mentor(world), status=MatchStatus.ACTIVE)
    by = by or world.user("mentor")
    return MeetingFactory(match=match, logged_by=by, note="Practised Polish.", **kwargs)


def _update(client, meeting, body, **extra):
    url = reverse("api:meeting_update", args=[meeting.pk])
    return client.patch(url, body, content_type=JSON, **extra)


def _delete(client, meeting, body, **extra):
    url = reverse("api:meeting_delete", args=[meeting.pk])
    return client.post(url, body, content_type=JSON, **extra)


def _conflict_in_polish():
    with translation.override("pl"):
        said = edit_conflict().messages[0]
    assert "Someone else" not in said  # really in Polish
    return said


def test_mentor_reads_the_version_corrects_then_deletes_their_meeting(world, login):
    meeting = _meeting(world, minutes=60, activity="language")
    client = login("mentor")
    listed = client.get(reverse("api:meeting_list", args=[meeting.match_id])).json()["results"]
    assert [(row["id"], row["version"]) for row in listed] == [(meeting.pk, 1)]

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = _update(
        client, meeting, {"date": yesterday.isoformat(), "minutes": 45, "version": 1}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["date"], body["minutes"], body["version"]) == (yesterday.isoformat(), 45, 2)
    meeting.refresh_from_db()
    # What was not sent stays as it was.
    assert (meeting.date, meeting.minutes, meeting.activity, meeting.note) == (
        yesterday,
        45,
        "language",
        "Practised Polish.",
    )
    assert AuditEvent.objects.filter(
        action="mosty.mentoring.meeting.updated",
        object_id=str(meeting.pk),
        actor=world.user("mentor"),
    ).exists()

    response = _delete(client, meeting, {"version": 2})
    assert response.status_code == 204
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert AuditEvent.objects.filter(
        action="mosty.mentoring.meeting.deleted",
        object_id=str(meeting.pk),
        actor=world.user("mentor"),
    ).exists()
    assert _delete(client, meeting, {"version": 2}).status_code == 404


def test_a_stale_version_is_a_409_and_writes_nothing(world, login):
    meeting = _meeting(world, minutes=60)
    coordinator = login("coordinator")
    assert _update(coordinator, meeting, {"minutes": 30, "version": 1}).status_code == 200

    client = login("mentor")
    said = _conflict_in_polish()
    response = _update(client, meeting, {"minutes": 90, "version": 1}, HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 409
    assert response.json() == {"non_field_errors": [said]}
    response = _delete(client, meeting, {"version": 1}, HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 409
    assert response.json() == {"non_field_errors": [said]}
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.version) == (30, 2)
    assert not AuditEvent.objects.filter(
        action="mosty.mentoring.meeting.updated", actor=world.user("mentor")
    ).exists()


def test_bad_input_is_refused_beside_the_field(world, login):
    meeting = _meeting(world, minutes=60)
    client = login("mentor")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    long_before = meeting.match.started_on - dt.timedelta(days=60)
    refused = {
        "minutes": {"minutes": 2, "version": 1},
        "activity": {"activity": "dancing", "version": 1},
        "version": {"minutes": 45},
        "date": {"date": tomorrow.isoformat(), "version": 1},
    }
    for field, body in refused.items():
        response = _update(client, meeting, body, HTTP_ACCEPT_LANGUAGE="pl")
        assert response.status_code == 400, field
        assert response.json()[field], field
    # The rule only the service knows (not long before the match started), beside the date.
    response = _update(
        client, meeting, {"date": long_before.isoformat(), "version": 1}, HTTP_ACCEPT_LANGUAGE="pl"
    )
    assert response.status_code == 400
    with translation.override("pl"):
        said = translation.gettext("This date is long before the match started.")
    assert response.json() == {"date": [said]}
    response = _delete(client, meeting, {}, HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 400 and response.json()["version"]
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.version) == (60, 1)


def test_who_may_not_correct_or_delete_a_meeting(world, login, client):
    # Logged by the coordinator: the mentor sees it, but it is not theirs to change.
    by_coordinator = _meeting(world, by=world.user("coordinator"))
    mentor = login("mentor")
    assert _update(mentor, by_coordinator, {"minutes": 10, "version": 1}).status_code == 403
    assert _delete(mentor, by_coordinator, {"version": 1}).status_code == 403

    # Another mentor of the organisation, a caseworker, another organisation's coordinator
    # and mentor: the meeting is not theirs to see.
    mine = _meeting(world)
    other = UserFactory(email="other.mentor@example.org")
    MembershipFactory(user=other, organisation=world.org_a, role="mentor")
    MentorFactory(organisation=world.org_a, user=other)
    strangers = [
        other,
        world.user("caseworker"),
        world.user("coordinator", "b"),
        world.user("mentor", "b"),
    ]
    for user in strangers:
        client.force_login(user)
        assert _update(client, mine, {"minutes": 10, "version": 1}).status_code == 404
        assert _delete(client, mine, {"version": 1}).status_code == 404

    # Once the match has ended, its meetings stay as they are.
    mine.match.status = MatchStatus.ENDED
    mine.match.save(update_fields=["status"])
    assert _update(login("mentor"), mine, {"minutes": 10, "version": 1}).status_code == 403
    assert _delete(login("coordinator"), mine, {"version": 1}).status_code == 403
    mine.refresh_from_db()
    by_coordinator.refresh_from_db()
    assert (mine.minutes, by_coordinator.minutes) == (60, 60)
    assert Meeting.objects.filter(pk__in=[mine.pk, by_coordinator.pk]).count() == 2
