"""One page per person for staff: the participant page shows the blocks other modules register
(cases and referrals, mentoring, events, the portal), each only to those allowed, and audited."""

import pytest
from django.urls import reverse

from mosty.access.models import AuditEvent
from mosty.events.models import Registration
from tests.cases.factories import make_case, make_participant, make_referral
from tests.events.factories import make_event, make_registration

pytestmark = pytest.mark.django_db


def test_coordinator_sees_cases_referrals_events_and_links_to_act(world, login):
    participant = make_participant(world, "a")
    case = make_case(world, "a", participant=participant)
    referral = make_referral(case)
    event = make_event(world.org_a, district=world.district)
    make_registration(event, participant=participant)
    page = login("coordinator").get(reverse("people:detail", args=[participant.pk])).content
    page = page.decode()
    assert reverse("cases:referral_detail", args=[referral.pk]) in page
    assert reverse("cases:referral_create", args=[case.pk]) in page
    assert reverse("events:registrations", args=[event.pk]) in page
    assert f"{reverse('cases:create')}?participant={participant.pk}" in page
    assert reverse("mentoring:matching") in page
    assert reverse("portal:invite", args=[participant.pk]) in page
    reads = set(
        AuditEvent.objects.filter(action__endswith=".viewed").values_list("object_type", flat=True)
    )
    assert {"cases.referral", "events.registration"} <= reads


def test_caseworker_of_another_case_sees_no_registrations_they_do_not_organise(world, login):
    participant = make_participant(world, "a")
    event = make_event(world.org_b, district=world.district)
    make_registration(event, participant=participant)
    assert Registration.objects.count() == 1
    page = login("caseworker").get(reverse("people:detail", args=[participant.pk])).content
    assert reverse("events:registrations", args=[event.pk]).encode() not in page


def _history(world, participant, events=1):
    from django.utils import timezone

    from mosty.cases.models import SupportLog
    from mosty.events.models import Attendance

    case = make_case(world, "a", participant=participant)
    for kind, minutes in (("legal", 30), ("legal", 45), ("psychological", 50)):
        SupportLog.objects.create(
            case=case, kind=kind, minutes=minutes, happened_on=timezone.localdate(), summary="x"
        )
    for _ in range(events):
        event = make_event(world.org_a, district=world.district)
        registration = make_registration(event, participant=participant)
        Attendance.objects.create(session=event.sessions.first(), registration=registration)
    return case


def test_attendance_and_support_summaries_are_checked_audited_and_bounded(
    world, login, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    participant = make_participant(world, "a")
    case = _history(world, participant)
    client = login("coordinator")
    url = reverse("people:detail", args=[participant.pk])
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert 'id="participant-summary-heading"' in page
    assert "75" in page and "50" in page  # legal 30 + 45, psychological 50
    reads = AuditEvent.objects.filter(action__endswith=".viewed", object_type="cases.case")
    assert reads.filter(object_id=str(case.pk)).exists()
    attendance = AuditEvent.objects.filter(
        action__endswith=".viewed", object_type="people.participant", fields=["attendance"]
    )
    assert attendance.filter(object_id=str(participant.pk)).count() == 1
    _history(world, participant, events=4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url.replace("/pl/", "/en/", 1)).content.decode()
    assert "5 sessions · 5 events" in page
    # However long the history, one read of the person is recorded per view, not one a
    # registration.
    assert attendance.filter(object_id=str(participant.pk)).count() == 2
