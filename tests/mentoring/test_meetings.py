"""A logged meeting is corrected or deleted by the mentor who logged it or a coordinator of
the match's organisation, while the match runs; a stale form writes nothing."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from mosty.access.models import AuditEvent
from mosty.core.models import EditConflict
from mosty.mentoring import services
from mosty.mentoring.models import MatchStatus, Meeting
from tests.factories import MembershipFactory, UserFactory
from tests.mentoring.factories import MatchFactory, MeetingFactory, MentorFactory
from tests.mentoring.routes import the_mentor
from tests.utils import assert_constant_queries


def _meeting(world, *, by=None, **kwargs):
    match = MatchFactory(mentor=the_mentor(world), status=MatchStatus.ACTIVE)
    by = by or world.user("mentor")
    return MeetingFactory(match=match, logged_by=by, note="Practised Polish.", **kwargs)


def _urls(meeting):
    with translation.override("en"):
        return (
            reverse("mentoring:match_detail", args=[meeting.match_id]),
            reverse("mentoring:meeting_edit", args=[meeting.pk]),
            reverse("mentoring:meeting_delete", args=[meeting.pk]),
        )


def _form(meeting, **changes):
    data = {
        "date": meeting.date.isoformat(),
        "minutes": str(meeting.minutes),
        "activity": meeting.activity,
        "note": meeting.note,
        "version": str(meeting.version),
    }
    return {**data, **changes}


def _errors(html, field):
    found = re.search(rf'id="id_{field}_errors"[^>]*>(.*?)</', html, re.S)
    return found.group(1) if found else ""


def test_mentor_corrects_then_deletes_a_meeting_they_logged(login, world):
    meeting = _meeting(world, minutes=60, activity="language")
    match_url, edit_url, delete_url = _urls(meeting)
    client = login("mentor")
    page = client.get(match_url).content.decode()
    assert edit_url in page and delete_url in page
    form_page = client.get(edit_url).content.decode()
    assert "Practised Polish." in form_page

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(
        edit_url,
        _form(meeting, date=yesterday.isoformat(), minutes="45", note="Went to the office."),
    )
    assert response.status_code == 302 and response["Location"] == match_url
    meeting.refresh_from_db()
    assert (meeting.date, meeting.minutes, meeting.note) == (yesterday, 45, "Went to the office.")
    assert meeting.version == 2
    assert AuditEvent.objects.filter(
        action="mosty.mentoring.meeting.updated",
        object_id=str(meeting.pk),
        actor=world.user("mentor"),
    ).exists()
    # Bad input: beside the field, nothing written.
    response = client.post(edit_url, _form(meeting, minutes="2"))
    assert response.status_code == 200 and _errors(response.content.decode(), "minutes")
    meeting.refresh_from_db()
    assert meeting.minutes == 45

    assert client.get(delete_url).status_code == 200
    response = client.post(delete_url, {"version": str(meeting.version)})
    assert response.status_code == 302 and response["Location"] == match_url
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert AuditEvent.objects.filter(
        action="mosty.mentoring.meeting.deleted",
        object_id=str(meeting.pk),
        actor=world.user("mentor"),
    ).exists()
    assert "Meeting deleted." in client.get(match_url).content.decode()


def test_a_stale_form_writes_nothing(login, world):
    meeting = _meeting(world)
    _match_url, edit_url, delete_url = _urls(meeting)
    shown = _form(meeting)  # what both forms were built from
    coordinator = login("coordinator")
    assert coordinator.post(edit_url, {**shown, "minutes": "30"}).status_code == 302
    client = login("mentor")
    response = client.post(edit_url, {**shown, "minutes": "90"})
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    response = client.post(delete_url, {"version": shown["version"]})
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == 30
    with pytest.raises(EditConflict):
        services.meeting_delete(meeting=meeting, by=world.user("mentor"), version=1)
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_coordinator_of_the_organisation_corrects_a_mentors_meeting(login, world):
    meeting = _meeting(world)
    match_url, edit_url, delete_url = _urls(meeting)
    coordinator = login("coordinator")
    page = coordinator.get(match_url).content.decode()
    assert edit_url in page and delete_url in page
    response = coordinator.post(edit_url, _form(meeting, activity="office"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.activity == "office"
    assert AuditEvent.objects.filter(
        action="mosty.mentoring.meeting.updated", actor=world.user("coordinator")
    ).exists()


def test_who_may_not_change_a_meeting(login, world):
    # Logged by the coordinator: the mentor sees it but may not change it.
    by_coordinator = _meeting(world, by=world.user("coordinator"))
    match_url, edit_url, delete_url = _urls(by_coordinator)
    mentor = login("mentor")
    page = mentor.get(match_url).content.decode()
    assert edit_url not in page and delete_url not in page
    assert mentor.get(edit_url).status_code == 403
    assert mentor.post(delete_url, {"version": "1"}).status_code == 403
    # Another mentor of the organisation, a caseworker, another organisation's coordinator:
    # the meeting is not theirs to see.
    other = UserFactory(email="other.mentor@example.org")
    MembershipFactory(user=other, organisation=world.org_a, role="mentor")
    MentorFactory(organisation=world.org_a, user=other)
    mine = _meeting(world)
    _match_url, mine_edit, mine_delete = _urls(mine)
    refused = [login("caseworker"), login("coordinator", "b"), login("mentor", "b")]
    for client in refused:
        assert client.get(mine_edit).status_code == 404
        assert client.post(mine_delete, {"version": "1"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.meeting_update(meeting=mine, by=other, minutes=10, version=mine.version)
    with pytest.raises(PermissionDenied):
        services.meeting_delete(meeting=mine, by=other)
    # Once the match has ended, its meetings stay as they are.
    mine.match.status = MatchStatus.ENDED
    mine.match.save(update_fields=["status"])
    assert login("mentor").get(mine_edit).status_code == 403
    assert login("coordinator").post(mine_delete, {"version": "1"}).status_code == 403
    mine.refresh_from_db()
    assert mine.minutes == 60


def test_the_match_page_links_more_meetings_with_no_more_queries(login, world):
    meeting = _meeting(world)
    match_url, _edit, _delete = _urls(meeting)
    client = login("mentor")
    assert_constant_queries(
        client, match_url, lambda: MeetingFactory(match=meeting.match, logged_by=meeting.logged_by)
    )
    assert client.get(match_url).content.decode().count("/edit/") == 11
