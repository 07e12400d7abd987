"""The hours report reads figures kept ahead (issue 15): per assistant and per institution they
must equal the live table at the time of the refresh, the page says as of when, a period
chosen by hand and every download are counted now, and the page's queries do not grow."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from mosty.accounts.models import Membership
from mosty.assistance.exports import hours_table
from mosty.assistance.models import AssignmentLog, HoursFigure
from mosty.assistance.selectors import hours_kept, hours_report_kept
from mosty.assistance.tasks import hours_figures_refresh
from tests.assistance.factories import make_offer, make_profile, make_request
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.utils import assert_constant_queries

DAY = datetime.timedelta(days=1)


def _assistant(pool, key: str, first_name: str = "", last_name: str = ""):
    user = UserFactory(email=f"{key}@example.org", first_name=first_name, last_name=last_name)
    MembershipFactory(user=user, organisation=pool, role="assistant")
    return make_profile(pool, user)


def _logged(institution, pool, profile, minutes: int, travel: int = 0, days_ago: int = 3):
    request = make_request(
        institution, provider=pool, starts_at=timezone.now() - days_ago * DAY, language="uk"
    )
    offer = make_offer(request, profile, status="done")
    AssignmentLog.objects.create(
        assignment=offer, minutes=minutes, travel_minutes=travel, outcome="completed"
    )
    return request


def _hours(world) -> None:
    """Assistants of the pools of A and B (one without a name, one without hours), with
    hours for three institutions, one institution served by both pools."""
    school = OrganisationFactory(name="Szkoła nr 7", slug="szkola-7", district=world.district)
    anna = _assistant(world.org_a, "anna", "Anna", "Zielińska")
    bogdan = _assistant(world.org_a, "bogdan", "Bogdan", "Adamski")
    nameless = _assistant(world.org_a, "nameless")
    _assistant(world.org_a, "idle", "Ida", "Lenna")  # no hours: not listed
    boris = _assistant(world.org_b, "boris", "Borys", "Nowak")
    _logged(school, world.org_a, anna, 90, 30)
    _logged(world.org_b, world.org_a, anna, 45, days_ago=400)
    _logged(school, world.org_a, bogdan, 60)
    _logged(world.org_a, world.org_a, nameless, 0)  # a log of zero minutes counts
    _logged(school, world.org_b, boris, 120, 15)


def _table(user, by, kept=None):
    return hours_table(user=user, by=by, date_from=None, date_to=None, keys=[], kept=kept)


def test_kept_tables_equal_the_live_ones_for_coordinators_and_the_admin(world):
    _hours(world)
    hours_figures_refresh.call()
    coordinator = world.user("coordinator")
    for user in (coordinator, world.user("coordinator", "b"), world.user("admin")):
        kept = hours_kept(fetched_by=user)
        assert kept is not None
        for by in ("assistant", "institution"):
            live_keys: list[int] = []
            kept_keys: list[int] = []
            live = hours_table(user=user, by=by, date_from=None, date_to=None, keys=live_keys)
            assert live[1], (user, by)
            assert (
                hours_table(
                    user=user, by=by, date_from=None, date_to=None, keys=kept_keys, kept=kept
                )
                == live
            )
            assert kept_keys == live_keys
    header, rows = _table(coordinator, "assistant", hours_kept(fetched_by=coordinator))
    # In the live order (by last name): an account without a name shows its address.
    assert [row[0] for row in rows] == ["nameless@example.org", "Bogdan Adamski", "Anna Zielińska"]
    assert rows[2][3:] == [2, 2.25, 0.5]
    admin = _table(world.user("admin"), "institution", hours_kept(fetched_by=world.user("admin")))
    assert ["Szkoła nr 7", 3, 4.5, 0.75] in admin[1]


def test_the_report_reads_kept_figures_only_over_the_whole_time_on_screen(world):
    _hours(world)
    hours_figures_refresh.call()
    user = world.user("coordinator")
    kept = hours_kept(fetched_by=user)
    assert kept is not None

    def chosen(**choice):
        return hours_report_kept(
            fetched_by=user,
            date_from=choice.get("date_from"),
            date_to=choice.get("date_to"),
            download=choice.get("download", False),
        )

    assert chosen() == kept
    assert chosen(date_from=datetime.date(2026, 1, 1)) is None
    assert chosen(date_to=datetime.date(2026, 6, 30)) is None
    assert chosen(download=True) is None


def test_refresh_drops_sets_nobody_coordinates(world):
    _hours(world)
    hours_figures_refresh.call()
    assert hours_kept(fetched_by=world.user("coordinator")) is not None
    Membership.objects.filter(organisation=world.org_a, role="coordinator").update(is_active=False)
    hours_figures_refresh.call()
    coordinator = type(world.user("coordinator")).objects.get(pk=world.user("coordinator").pk)
    assert hours_kept(fetched_by=coordinator) is None
    assert HoursFigure.objects.filter(key="all").exists()


def test_page_shows_kept_hours_as_of_the_refresh_and_counts_a_period_and_downloads_now(
    world, login
):
    profile = _assistant(world.org_a, "ola", "Ola", "Kowalska")
    _logged(world.org_a, world.org_a, profile, 60)
    client = login("coordinator")
    url = reverse("assistance:hours_report").replace("/pl/", "/en/", 1)
    assert "Figures as of" not in client.get(url).content.decode()  # never kept: counted now
    hours_figures_refresh.call()
    _logged(world.org_a, world.org_a, profile, 30)  # after the refresh
    page = client.get(url).content.decode()
    assert "Figures as of" in page
    assert "<td>1.0</td>" in page or "<td>1</td>" in page  # one hour, as kept
    link = reverse("assistance:certificate", args=[profile.pk])
    assert link in page  # the certificate is linked from kept rows too
    # A period chosen by hand is counted now…
    day = timezone.localdate()
    chosen = client.get(
        url, {"date_from": (day - 30 * DAY).isoformat(), "date_to": day.isoformat()}
    ).content.decode()
    assert "<td>1.5</td>" in chosen and "Figures as of" not in chosen
    # …and so is every download (invoices).
    download = client.get(url, {"format": "csv"})
    body = b"".join(download.streaming_content) if download.streaming else download.content
    assert "1.5" in body.decode()


def test_page_queries_do_not_grow_with_assistants_pools_or_logs(world, login):
    coordinator = world.user("coordinator")
    numbers = iter(range(100))

    def grow():
        n = next(numbers)
        pool = OrganisationFactory(name=f"Pula {n}", slug=f"pula-{n}")
        MembershipFactory(user=coordinator, organisation=pool, role="coordinator")
        institution = OrganisationFactory(name=f"Szkoła {n}", slug=f"szkola-{n}")
        _logged(institution, pool, _assistant(pool, f"pool-{n}", f"A{n}", "B"), 60)
        _logged(institution, world.org_a, _assistant(world.org_a, f"a-{n}", f"C{n}", "D"), 30)
        hours_figures_refresh.call()

    grow()
    client = login("coordinator")
    url = reverse("assistance:hours_report").replace("/pl/", "/en/", 1)
    for query in ("", "?by=institution"):
        kept = assert_constant_queries(client, url + query, grow)
        assert kept <= 20
    assert "Figures as of" in client.get(url).content.decode()


def test_the_refresh_runs_with_the_daily_jobs(settings):
    path = "mosty.assistance.tasks.hours_figures_refresh"
    assert path in settings.MOSTY_DAILY_TASKS
    assert import_string(path) is hours_figures_refresh
