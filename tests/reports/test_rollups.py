"""Kept figures (rollups): the pages read what a background task counted, the same figures as
counting live, refreshed nightly and on demand."""

import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mosty.core.citypack import city_init
from mosty.core.indicators import INDICATORS, Scope
from mosty.core.seeding import seed_run
from mosty.reports import rollups
from mosty.reports.models import CitySnapshot, Programme, RollupRun, RollupScope
from mosty.reports.tasks import rollups_refresh
from tests.reports.factories import attended, make_programme, past_event

pytestmark = pytest.mark.django_db


def _refresh() -> None:
    rollups_refresh.call()


def test_kept_figures_equal_live_ones_for_every_indicator_on_the_demo():
    city_init(path=settings.DEMO_PACK)
    seed_run(scale="demo", out=io.StringIO())
    _refresh()
    start, end = rollups.default_period()
    scopes = [Scope(start=start, end=end)]
    scopes += [p.scope() for p in Programme.objects.order_by("pk")]
    assert len(scopes) > 1
    compared = 0
    for scope in scopes:
        kept = rollups.read(scope)
        assert kept is not None, scope
        for code, indicator in INDICATORS.items():
            assert kept.values[code] == indicator.value(scope), (code, scope)
            for by in indicator.breakdowns:
                assert kept.splits[(code, by)] == indicator.split(scope, by), (code, by)
            compared += 1
    assert compared == len(scopes) * len(INDICATORS)
    assert RollupRun.objects.get().status == RollupRun.Status.DONE


def test_a_refresh_after_new_data_changes_the_figure(world, login):
    programme = make_programme(world, targets=(("events.participants", 10),))
    event = past_event(world.org_a)
    attended(event, name="Olena", email="olena@example.org")
    _refresh()
    scope = programme.scope()
    assert rollups.read(scope).values["events.participants"] == 1
    attended(event, name="Ahmad", email="ahmad@example.org")
    # Until the next refresh the page shows the kept figure, and says from when.
    client = login("coordinator")
    url = reverse("reports:programme_detail", args=[programme.pk])
    page = client.get(url)
    assert page.context["progress"][0].figure.value in (1, None)  # kept (suppressed: < 5)
    assert page.context["freshness"].kept_at is not None
    _refresh()
    assert rollups.read(scope).values["events.participants"] == 2
    assert INDICATORS["events.participants"].value(scope) == 2


def test_a_period_chosen_by_hand_is_counted_live(world, login):
    programme = make_programme(world)
    _refresh()
    client = login("coordinator")
    url = reverse("reports:programme_detail", args=[programme.pk])
    assert client.get(url).context["freshness"].kept_at is not None
    day = programme.ends_on.isoformat()
    page = client.get(url, {"start": day, "end": day})
    assert page.status_code == 200
    assert page.context["freshness"].kept_at is None


def test_refresh_now_queues_one_run_and_the_page_shows_it(world, login):
    client = login("coordinator")
    response = client.post(reverse("reports:refresh"), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == reverse("reports:dashboard")
    response = client.post(reverse("reports:refresh"), {"next": reverse("reports:programme_list")})
    assert response.url == reverse("reports:programme_list")
    run = RollupRun.objects.get()  # the second asked while the first was queued
    assert run.status == RollupRun.Status.QUEUED
    page = client.get(reverse("reports:dashboard"))
    assert page.context["freshness"].pending == run
    rollups_refresh.call(run.pk)
    run.refresh_from_db()
    assert run.status == RollupRun.Status.DONE and run.done == run.total > 0
    page = client.get(reverse("reports:dashboard"))
    assert page.context["freshness"].pending is None
    assert page.context["freshness"].kept_at is not None
    assert "mosty.reports.tasks.rollups_refresh" in settings.MOSTY_DAILY_TASKS


def test_scopes_no_page_opens_any_more_are_dropped(world):
    programme = make_programme(world)
    _refresh()
    key = rollups.scope_key(programme.scope())
    assert RollupScope.objects.filter(key=key).exists()
    programme.delete()
    _refresh()
    assert not RollupScope.objects.filter(key=key).exists()


def test_the_dashboard_reads_kept_figures_not_the_records(world, login):
    for _ in range(3):
        attended(past_event(world.org_a, sessions=2))
    client = login("admin")
    url = reverse("reports:dashboard")
    live = client.get(url)
    _refresh()
    kept = client.get(url)
    assert kept.context["freshness"].kept_at is not None
    assert [f.value for f, _p in kept.context["rows"]] == [
        f.value for f, _p in live.context["rows"]
    ]


def test_a_programme_linked_to_a_survey_keeps_that_survey_s_figure(world):
    from tests.research.factories import make_response, make_survey

    linked, other = make_survey(world.org_a), make_survey(world.org_a)
    for survey, n in ((linked, 2), (other, 3)):
        for _ in range(n):
            make_response(survey, {})
    programme = make_programme(world, targets=(("research.responses", 10),))
    programme.surveys.set([linked])
    _refresh()
    programme = Programme.objects.get(pk=programme.pk)
    kept = rollups.read(programme.scope())
    assert kept is not None and kept.values["research.responses"] == 2
    # The same organisations and period without the link are another scope, kept apart.
    unlinked = Scope(
        start=programme.starts_on, end=programme.ends_on, organisations=frozenset({world.org_a.pk})
    )
    assert rollups.scope_key(unlinked) != rollups.scope_key(programme.scope())
    assert INDICATORS["research.responses"].value(unlinked) == 5


def test_every_earlier_year_of_the_city_is_kept_and_exported_from_the_kept_figures(world, login):
    event = past_event(world.org_a, days_ago=800)  # two or three calendar years ago
    for n in range(6):
        attended(event, name=f"Person {n}", email=f"p{n}@example.org")
    year = event.sessions.get().starts_at.year
    scope = Scope(start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))
    _refresh()
    kept = rollups.read(scope)
    assert kept is not None
    assert kept.values["events.participants"] == 6 == INDICATORS["events.participants"].value(scope)
    response = login("admin").post(
        reverse("reports:city_export"),
        {"start": scope.start.isoformat(), "end": scope.end.isoformat(), "format": "csv"},
    )
    assert response.status_code == 200
    assert "Uczestnicy wydarzeń,,,6,osoby" in response.content.decode("utf-8-sig")
    assert CitySnapshot.objects.get().figures["counted_at"] == kept.refreshed_at.isoformat()


def test_this_year_s_public_statistics_are_kept_by_the_nightly_refresh(world, client):
    from django.core.cache import cache
    from django.utils import translation

    from tests.cases.factories import make_participant

    event = past_event(world.org_a, days_ago=0)  # this year, whatever the day
    for _ in range(6):
        attended(event, participant=make_participant(world, consents=("statistics",)))
    cache.clear()
    _refresh()
    for _ in range(3):  # after the night: the kept figures are shown until the next
        attended(event, participant=make_participant(world, consents=("statistics",)))
    for language in ("pl", "ar"):
        with translation.override(language):
            page = client.get(reverse("reports:public"))
        assert page.status_code == 200
        assert page.context["people"] == 6 and page.context["kept_at"] is not None
    # A period chosen by hand is counted when asked, and says nothing about the night.
    today = timezone.localdate()
    with translation.override("en"):
        chosen = client.get(
            reverse("reports:public"), {"start": today.replace(day=1), "end": today}
        )
    assert chosen.status_code == 200
    assert chosen.context["people"] == 9 and chosen.context["kept_at"] is None
