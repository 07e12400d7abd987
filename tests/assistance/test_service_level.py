"""The service-level page reads figures kept ahead (issue 15): they must equal the live count
at the time of the refresh, say as of when, and cost the same queries however many requests
there are."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from mosty.access.domains.assistance import coordinated_requests
from mosty.accounts.models import Membership
from mosty.assistance.models import (
    AssignmentLog,
    AssistanceRequest,
    RequestStatus,
    ServiceLevelFigure,
)
from mosty.assistance.selectors import service_level_kept, service_level_of
from mosty.assistance.tasks import service_level_refresh
from tests.assistance.factories import make_offer, make_profile, make_request
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.utils import assert_constant_queries, count_queries

DAY = datetime.timedelta(days=1)


def _answered(request, *, late: bool) -> None:
    when = request.answer_by + (DAY if late else -datetime.timedelta(minutes=1))
    AssistanceRequest.objects.filter(pk=request.pk).update(answered_at=when)


def _logged(request, profile, minutes: int) -> None:
    offer = make_offer(request, profile, status="done")
    AssignmentLog.objects.create(assignment=offer, minutes=minutes, outcome="completed")


def _mixed_requests(world) -> None:
    """Requests to the pools of A and B from three institutions, in three languages: answered
    in time, late, never (past and future), cancelled, with and without logged hours (one
    log of zero minutes)."""
    other = OrganisationFactory(name="Szkoła nr 7", slug="szkola-7", district=world.district)
    user = UserFactory(email="pool@example.org")
    MembershipFactory(user=user, organisation=world.org_a, role="assistant")
    profile = make_profile(world.org_a, user)
    past = timezone.now() - 10 * DAY
    future = timezone.now() + 10 * DAY
    for provider in (world.org_a, world.org_b):
        for institution, language in ((world.org_a, "uk"), (world.org_b, "ar"), (other, "uk")):
            on_time = make_request(institution, provider=provider, language=language)
            _answered(on_time, late=False)
            _logged(on_time, profile, 90)
            late = make_request(institution, provider=provider, language=language, starts_at=past)
            _answered(late, late=True)
            _logged(late, profile, 0)
            make_request(institution, provider=provider, language=language, starts_at=past)
            make_request(institution, provider=provider, language="ru", starts_at=future)
            gone = make_request(institution, provider=provider, language="fa", starts_at=past)
            AssistanceRequest.objects.filter(pk=gone.pk).update(status=RequestStatus.CANCELLED)


def _live(user, now):
    return service_level_of(coordinated_requests(user), now=now)


def test_kept_figures_equal_the_live_count_for_one_pool_and_for_two(world):
    _mixed_requests(world)
    service_level_refresh.call()
    coordinator = world.user("coordinator")
    kept = service_level_kept(fetched_by=coordinator)
    assert kept is not None
    refreshed = kept.pop("kept_at")
    live = _live(coordinator, refreshed)
    live.pop("kept_at")
    assert kept == live
    assert kept["requests"] == 12 and kept["institutions_served"] == 3
    assert kept["unanswered_by_language"][0]["name"]  # named in the reader's language
    # Someone coordinating both pools: institutions served by either count once.
    MembershipFactory(user=coordinator, organisation=world.org_b, role="coordinator")
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)  # roles are cached per object
    assert service_level_kept(fetched_by=coordinator) is None  # a new set: counted live
    service_level_refresh.call()
    both = service_level_kept(fetched_by=coordinator)
    assert both is not None
    live = _live(coordinator, both.pop("kept_at"))
    live.pop("kept_at")
    assert both == live
    assert both["requests"] == 24 and both["institutions_served"] == 3


def test_refresh_drops_sets_nobody_coordinates(world):
    make_request(world.org_a, language="ar")
    service_level_refresh.call()
    coordinator = world.user("coordinator")
    assert service_level_kept(fetched_by=coordinator)["requests"] == 1
    Membership.objects.filter(user=coordinator, role="coordinator").update(is_active=False)
    service_level_refresh.call()
    assert not ServiceLevelFigure.objects.exists()


def test_page_shows_kept_figures_as_of_the_refresh_and_a_chosen_period_live(world, login):
    make_request(world.org_a, starts_at=timezone.now() + 3 * DAY)
    client = login("coordinator")
    url = reverse("assistance:service_level").replace("/pl/", "/en/", 1)
    before = client.get(url).content.decode()
    assert "Figures as of" not in before  # never counted ahead yet: counted now
    service_level_refresh.call()
    make_request(world.org_a, starts_at=timezone.now() + 4 * DAY)
    page = client.get(url).content.decode()
    assert "Figures as of" in page
    # The request added after the refresh waits for the next one…
    assert '<p class="h4 mb-0">1</p>' in page
    # …but a period chosen by hand is counted now.
    day = timezone.localdate()
    chosen = client.get(
        url,
        {"date_from": day.isoformat(), "date_to": (day + 30 * DAY).isoformat()},
    ).content.decode()
    assert '<p class="h4 mb-0">2</p>' in chosen and "Figures as of" not in chosen


def test_page_queries_do_not_grow_with_requests_pools_or_institutions(world, login):
    coordinator = world.user("coordinator")
    numbers = iter(range(100))

    def grow():
        n = next(numbers)
        institution = OrganisationFactory(name=f"Szkoła {n}", slug=f"szkola-{n}")
        pool = OrganisationFactory(name=f"Pula {n}", slug=f"pula-{n}")
        MembershipFactory(user=coordinator, organisation=pool, role="coordinator")
        make_request(institution, provider=pool, language="uk")
        make_request(institution, provider=world.org_a, language="ar")
        service_level_refresh.call()

    grow()
    client = login("coordinator")
    url = reverse("assistance:service_level")
    assert_constant_queries(client, url, grow)
    # Reading the kept figures: a handful of queries, not one per pool.
    assert count_queries(client, url) <= 20


def test_the_refresh_runs_with_the_daily_jobs(settings):
    """The page says the figures are counted again every night: they are."""
    path = "mosty.assistance.tasks.service_level_refresh"
    assert path in settings.MOSTY_DAILY_TASKS
    assert import_string(path) is service_level_refresh
