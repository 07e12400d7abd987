"""A task the newcomer marks done from their page reaches the case team with its note: on the
dashboard until someone marks it read, on the case's page for good, and through the API."""

import pytest
from django.urls import reverse
from django.utils import translation

from mosty.access.models import AuditEvent
from mosty.portal import services
from mosty.portal.models import TaskReport
from tests.portal.factories import task_report, with_plan
from tests.utils import assert_constant_queries, logged_in

pytestmark = pytest.mark.django_db

NOTE = "Złożyłam wniosek w urzędzie, numer sprawy 12/2026."


def _last_event() -> int:
    return AuditEvent.objects.order_by("pk").last().pk


def test_the_note_reaches_the_team_and_leaves_the_dashboard_once_read(world):
    task = with_plan(world, "a")
    newcomer = logged_in(world.user("participant", "a"))
    newcomer.post(reverse("portal:task_done", args=[task.pk]), {"note": NOTE})
    report = TaskReport.objects.get(task=task)
    caseworker = world.user("caseworker", "a")
    staff = logged_in(caseworker)
    case_url = reverse("cases:detail", args=[task.goal.case_id])
    read_url = reverse("portal:task_report_read", args=[report.pk])

    before = _last_event()
    dashboard = staff.get(reverse("core:dashboard")).content.decode()
    assert NOTE in dashboard and f"{read_url}?from=dashboard" in dashboard
    read = AuditEvent.objects.get(pk__gt=before, actor=caseworker, object_type="portal.taskreport")
    assert read.object_id == str(report.pk) and read.fields == ["note"]

    before = _last_event()
    page = staff.get(case_url).content.decode()
    assert 'id="case-done-heading"' in page and NOTE in page and read_url in page
    assert AuditEvent.objects.filter(
        pk__gt=before, actor=caseworker, object_type="portal.taskreport"
    ).exists()

    response = staff.post(read_url)

    assert response.status_code == 302
    assert response["Location"] == case_url + "#case-done-heading"
    assert TaskReport.objects.get(pk=report.pk).seen_at is not None
    page = staff.get(case_url).content.decode()
    assert NOTE in page and read_url not in page  # still on the case, nothing left to do
    assert caseworker.get_full_name() in page  # who read it, for the rest of the team
    assert NOTE not in staff.get(reverse("core:dashboard")).content.decode()


def test_marking_read_on_the_dashboard_comes_back_to_it_and_twice_changes_nothing(world):
    report = task_report(world, "a", note=NOTE)
    staff = logged_in(world.user("coordinator", "a"))
    url = reverse("portal:task_report_read", args=[report.pk]) + "?from=dashboard"

    response = staff.post(url)

    assert response["Location"] == reverse("core:dashboard")
    first = TaskReport.objects.get(pk=report.pk).seen_at
    staff.post(url)  # a second tab
    assert TaskReport.objects.get(pk=report.pk).seen_at == first


def test_a_colleague_who_marks_it_read_later_does_not_take_the_first_readers_name(world):
    report = task_report(world, "a", note=NOTE)
    caseworker, coordinator = world.user("caseworker", "a"), world.user("coordinator", "a")
    shown_to_coordinator = TaskReport.objects.get(pk=report.pk)  # their page, loaded unread

    services.task_report_read(report=TaskReport.objects.get(pk=report.pk), by=caseworker)
    first = TaskReport.objects.get(pk=report.pk)
    answer = services.task_report_read(report=shown_to_coordinator, by=coordinator)

    assert answer.seen_by == caseworker and answer.seen_at == first.seen_at
    stored = TaskReport.objects.get(pk=report.pk)
    assert stored.seen_by == caseworker and stored.seen_at == first.seen_at


def test_staff_of_another_organisation_neither_see_nor_mark_it(world):
    report = task_report(world, "a", note=NOTE)
    other = logged_in(world.user("caseworker", "b"))
    assert NOTE not in other.get(reverse("core:dashboard")).content.decode()
    url = reverse("portal:task_report_read", args=[report.pk])
    assert other.post(url).status_code == 404
    assert TaskReport.objects.get(pk=report.pk).seen_at is None
    # The newcomer themself cannot mark what their team read.
    newcomer = logged_in(world.user("participant", "a"))
    assert newcomer.post(url).status_code in (403, 404)


def test_the_case_page_shows_ten_with_the_same_queries_however_many(world):
    report = task_report(world, "a", note=NOTE)
    staff = logged_in(world.user("caseworker", "a"))
    goal = report.task.goal

    def grow():
        from tests.cases.factories import make_task

        task = make_task(goal, title="Kolejne zadanie")
        TaskReport.objects.create(task=task, participant=report.participant, note="Zrobione.")

    url = reverse("cases:detail", args=[goal.case_id])
    assert_constant_queries(staff, url, grow, times=12)
    page = staff.get(url).content.decode()
    section = page[page.index('id="case-done-heading"') :]
    assert section.count("Zrobione.") == 10 and NOTE not in section  # the newest ten
    assert reverse("portal:task_report_list") in section  # and the way to the rest


def test_the_api_lists_new_ones_and_marks_them_read(world):
    report = task_report(world, "a", note=NOTE)
    caseworker = world.user("caseworker", "a")
    api = logged_in(caseworker)
    listed = api.get(reverse("api:task_report_list")).json()
    assert [r["id"] for r in listed["results"]] == [report.pk]
    row = listed["results"][0]
    assert row["note"] == NOTE and row["case"] == report.task.goal.case_id
    assert row["read_at"] is None

    answer = api.post(reverse("api:task_report_read", args=[report.pk]))

    assert answer.status_code == 200 and answer.json()["read_at"]
    assert answer.json()["read_by"] == caseworker.pk
    assert api.get(reverse("api:task_report_list")).json()["results"] == []
    read = api.get(reverse("api:task_report_list"), {"state": "read"}).json()["results"]
    assert [r["id"] for r in read] == [report.pk]
    bad = api.get(reverse("api:task_report_list"), {"state": "seen"})
    assert bad.status_code == 400 and "state" in bad.json()
    other = logged_in(world.user("coordinator", "b"))
    assert other.post(reverse("api:task_report_read", args=[report.pk])).status_code == 404


def test_the_newcomer_sees_their_note_and_whether_the_team_read_it(world):
    report = task_report(world, "a", note=NOTE)
    newcomer = logged_in(world.user("participant", "a"))
    with translation.override("en"):
        plan = reverse("portal:plan")
    user = world.user("participant", "a")
    before = _last_event()
    page = newcomer.get(plan).content.decode()
    assert NOTE in page and "has not read it yet" in page
    read = AuditEvent.objects.get(pk__gt=before, actor=user, object_type="portal.taskreport")
    assert read.object_id == str(report.pk) and read.fields == ["note"]

    logged_in(world.user("caseworker", "a")).post(
        reverse("portal:task_report_read", args=[report.pk])
    )

    page = newcomer.get(plan).content.decode()
    assert NOTE in page and "has not read it yet" not in page and "has read it" in page


def test_the_note_is_in_the_persons_export_and_erased_with_them(world):
    from mosty.people import gdpr

    report = task_report(world, "a", note=NOTE)
    coordinator = world.user("coordinator", "a")
    services.task_report_read(report=report, by=coordinator)
    data = gdpr.export_participant(report.participant, by=coordinator)
    [exported] = data["portal"]["tasks_done"]
    assert exported["note"] == NOTE and exported["task"] == report.task.title
    assert exported["read_by_team_at"]

    gdpr.anonymise_participant(report.participant, by=coordinator)

    assert TaskReport.objects.get(pk=report.pk).note == ""


def test_the_staff_list_has_every_unread_one_and_the_read_ones_apart(world):
    report = task_report(world, "a", note=NOTE)
    caseworker = world.user("caseworker", "a")
    staff = logged_in(caseworker)
    listing = reverse("portal:task_report_list")
    assert listing in staff.get(reverse("core:dashboard")).content.decode()

    before = _last_event()
    page = staff.get(listing).content.decode()
    read_url = reverse("portal:task_report_read", args=[report.pk])
    assert NOTE in page and f"{read_url}?from=list" in page
    assert AuditEvent.objects.filter(
        pk__gt=before, actor=caseworker, object_type="portal.taskreport"
    ).exists()

    response = staff.post(f"{read_url}?from=list")

    assert response["Location"] == listing
    assert NOTE not in staff.get(listing).content.decode()
    assert NOTE in staff.get(listing, {"state": "read"}).content.decode()
    assert NOTE not in logged_in(world.user("caseworker", "b")).get(listing).content.decode()


def test_two_taps_on_done_at_once_make_one_note_for_the_team(world):
    """Both taps were let in by a page showing the task open: the second finds the first's
    report and returns it, so the team reads one note and gets one notification."""
    from mosty.cases.models import Task
    from mosty.messaging.models import Notification

    task = with_plan(world, "a")
    newcomer = world.user("participant", "a")
    first_tap, second_tap = Task.objects.get(pk=task.pk), Task.objects.get(pk=task.pk)

    one = services.task_mark_done(task=first_tap, note=NOTE, by=newcomer)
    two = services.task_mark_done(task=second_tap, note=NOTE, by=newcomer)

    assert one.pk == two.pk and TaskReport.objects.filter(task=task).count() == 1
    caseworker = world.user("caseworker", "a")
    assert (
        Notification.objects.filter(user=caseworker, template="task_done_by_participant").count()
        == 1
    )
