"""A group's meeting is recorded once: the same form posted again (Back and Save, a double
click) lands on the meeting already recorded instead of recording it twice."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mosty.participation import services
from mosty.participation.models import GroupMeeting
from mosty.participation.views import GROUP_PAGE_ROWS
from tests.participation.factories import make_group
from tests.utils import logged_in

pytestmark = pytest.mark.django_db

NOTICE = "To spotkanie zostało już zapisane, więc nie zapisano go ponownie."


def _form(**changes) -> dict:
    return {
        "date": str(timezone.localdate() - datetime.timedelta(days=1)),
        "place": "Biblioteka",
        "decisions": "Piszemy opinię.",
        "minutes": "Obecnych 7 osób.",
        **changes,
    }


def test_the_same_meeting_posted_again_is_recorded_once(world):
    leader = world.user("participant")
    group = make_group(world, leader=leader)
    client = logged_in(leader)
    url = reverse("participation:group_meeting_add", args=[group.pk])

    first = client.post(url, _form(), follow=True)
    meeting = GroupMeeting.objects.get(group=group)
    assert first.redirect_chain[-1][0].endswith(f"#meeting-{meeting.pk}")
    assert [str(m) for m in first.context["messages"]] == ["Spotkanie zapisano."]

    # Back to the form, Save again: no second meeting, the user is shown the first one.
    again = client.post(url, _form(), follow=True)

    assert GroupMeeting.objects.filter(group=group).count() == 1
    landed, _status = again.redirect_chain[-1]
    detail = reverse("participation:group_detail", args=[group.pk])
    assert landed == f"{detail}#meeting-{meeting.pk}"
    assert f'id="meeting-{meeting.pk}"' in again.content.decode()
    assert [str(m) for m in again.context["messages"]] == [NOTICE]


def test_a_different_meeting_is_still_recorded(world):
    leader = world.user("participant")
    group = make_group(world, leader=leader)
    client = logged_in(leader)
    url = reverse("participation:group_meeting_add", args=[group.pk])
    client.post(url, _form())
    client.post(url, _form(minutes="Obecnych 9 osób."))  # the same day, other minutes
    client.post(url, _form(date=str(timezone.localdate())))  # another day
    assert GroupMeeting.objects.filter(group=group).count() == 3


def test_a_meeting_posted_again_lands_on_it_among_all_meetings_when_it_is_not_shown_first(
    world,
):
    leader = world.user("participant")
    group = make_group(world, leader=leader)
    client = logged_in(leader)
    url = reverse("participation:group_meeting_add", args=[group.pk])
    old = _form(date="2020-01-10")
    client.post(url, old)
    today = timezone.localdate()
    GroupMeeting.objects.bulk_create(
        GroupMeeting(group=group, date=today - datetime.timedelta(days=n))
        for n in range(GROUP_PAGE_ROWS)
    )
    again = client.post(url, old)
    meeting = GroupMeeting.objects.get(group=group, date=datetime.date(2020, 1, 10))
    assert again["Location"].endswith(f"?all=meetings#meeting-{meeting.pk}")


def test_the_service_refuses_a_second_identical_meeting(world):
    leader = world.user("participant")
    group = make_group(world, leader=leader)
    data = {"date": datetime.date(2026, 2, 1), "place": "Biblioteka", "decisions": "Tak."}
    meeting = services.group_meeting_record(group=group, by=leader, **data)
    with pytest.raises(ValidationError) as refused:
        services.group_meeting_record(group=group, by=world.user("coordinator"), **data)
    assert refused.value.meeting == meeting
    assert GroupMeeting.objects.filter(group=group).count() == 1
