"""The events report reads totals kept ahead (issue 15): they must equal the live count at the
time of the refresh, say as of when, leave a period or kind chosen by hand to the live count,
and cost the same queries however many registrations and organisations there are."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.module_loading import import_string

from mosty.access.domains.events import reported_events
from mosty.accounts.models import Membership
from mosty.events import tasks
from mosty.events.models import Attendance, ReportFigure
from mosty.events.selectors import event_report, event_report_kept
from mosty.events.tasks import report_figures_refresh
from tests.events.factories import make_event, make_registration
from tests.factories import MembershipFactory, OrganisationFactory
from tests.utils import assert_constant_queries, count_queries

URL = "/en/events/manage/report/"


@pytest.fixture(autouse=True)
def keep_every_set(monkeypatch):
    """The tests' sets are small: keep them all (the nightly task keeps large ones only)."""
    monkeypatch.setattr(tasks, "KEEP_FROM_EVENTS", 1)


def _attended(organisation, *, kind="staff_training", institutions=("SP 100", "sp 100", "MOPS")):
    """A past event of two sessions with registrants of several audiences and institutions,
    present at some sessions, one waiting and one cancelled."""
    event = make_event(
        organisation, kind=kind, sessions=2, start=timezone.now() - timedelta(days=20)
    )
    people = [
        make_registration(event, name=f"P{n}", institution=name, audience=audience)
        for n, (name, audience) in enumerate(
            zip(institutions, ("staff", "newcomers", "staff"), strict=False)
        )
    ]
    make_registration(event, name="W", status="waitlisted")
    make_registration(event, name="C", status="cancelled")
    for n, session in enumerate(event.sessions.all()):
        for registration in people[: 3 - n]:
            Attendance.objects.create(session=session, registration=registration, present=True)
    return event


def _live(user, now):
    return event_report(events=reported_events(user), now=now)


def test_kept_totals_equal_the_live_count_for_a_coordinator_and_the_admin(world):
    _attended(world.org_a)
    _attended(world.org_a, kind="workshop", institutions=("Urząd", "MOPS"))
    _attended(world.org_b, institutions=("Szkoła 7",))
    make_event(world.org_a)  # upcoming: counted, no attendance expected yet
    report_figures_refresh.call()
    for user in (world.user("coordinator"), world.user("admin")):
        kept = event_report_kept(fetched_by=user)
        assert kept is not None
        refreshed = kept.pop("kept_at")
        assert kept == _live(user, refreshed)
    coordinator = world.user("coordinator")
    kept = event_report_kept(fetched_by=coordinator)
    assert kept["events"] == 3 and kept["institutions"] == 3  # SP 100 counted once
    assert event_report_kept(fetched_by=world.user("admin"))["events"] == 4
    # Someone coordinating both organisations: a new set, counted live until the next refresh.
    MembershipFactory(user=coordinator, organisation=world.org_b, role="coordinator")
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)  # roles are cached per object
    assert event_report_kept(fetched_by=coordinator) is None
    report_figures_refresh.call()
    both = event_report_kept(fetched_by=coordinator)
    assert both is not None
    assert both.pop("kept_at") and both["events"] == 4 and both["institutions"] == 4


def test_small_sets_are_not_kept_and_gone_sets_are_dropped(world, monkeypatch):
    _attended(world.org_a)
    monkeypatch.setattr(tasks, "KEEP_FROM_EVENTS", 2)
    assert report_figures_refresh.call() == 0  # one event: counted live when asked
    assert not ReportFigure.objects.exists()
    monkeypatch.setattr(tasks, "KEEP_FROM_EVENTS", 1)
    report_figures_refresh.call()
    assert event_report_kept(fetched_by=world.user("coordinator")) is not None
    Membership.objects.filter(organisation=world.org_a, role="coordinator").update(is_active=False)
    report_figures_refresh.call()
    assert list(ReportFigure.objects.values_list("key", flat=True)) == ["all"]


def test_page_shows_kept_totals_as_of_the_refresh_and_a_chosen_period_live(world, login):
    event = _attended(world.org_a)
    client = login("coordinator")
    before = client.get(URL)
    assert before.context["totals"]["kept_at"] is None
    assert "Figures as of" not in before.content.decode()  # never kept yet: counted now
    report_figures_refresh.call()
    make_registration(event, name="Late")  # after the refresh
    page = client.get(URL)
    assert "Figures as of" in page.content.decode()
    assert page.context["totals"]["kept_at"] is not None
    assert page.context["totals"]["confirmed"] == 3  # waits for the next refresh…
    # …but a period or a kind chosen by hand is counted now.
    day = timezone.localdate()
    for chosen in (
        {"date_from": (day - timedelta(days=30)).isoformat(), "date_to": day.isoformat()},
        {"kind": "staff_training"},
    ):
        response = client.get(URL, chosen)
        assert response.context["totals"]["confirmed"] == 4, chosen
        assert response.context["totals"]["kept_at"] is None
        assert "Figures counted now for the period you chose." in response.content.decode()
    # The rows per event are the page's own, counted now.
    assert list(page.context["page"])[0].confirmed == 4


def test_page_queries_do_not_grow_with_registrations_or_organisations(world, login):
    coordinator = world.user("coordinator")
    numbers = iter(range(100))

    def grow():
        n = next(numbers)
        organisation = OrganisationFactory(name=f"Dom sąsiedzki {n}", slug=f"dom-{n}")
        MembershipFactory(user=coordinator, organisation=organisation, role="coordinator")
        _attended(organisation, institutions=(f"Szkoła {n}", "MOPS"))
        _attended(world.org_a)
        report_figures_refresh.call()

    grow()
    client = login("coordinator")
    kept = assert_constant_queries(client, URL, grow)
    assert client.get(URL).context["totals"]["kept_at"] is not None
    # Reading the kept totals: one query instead of the six that count them.
    day = timezone.localdate().isoformat()
    assert kept < count_queries(client, URL, data={"date_to": day})
    assert kept <= 20


def test_the_refresh_runs_with_the_daily_jobs(settings):
    path = "mosty.events.tasks.report_figures_refresh"
    assert path in settings.MOSTY_DAILY_TASKS
    assert import_string(path) is report_figures_refresh
