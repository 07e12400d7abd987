"""The large seed has a real city's skew (issue 15), checked at 1/200 of its size."""

import io

import pytest
from django.conf import settings
from django.db.models import Count

from mosty.accounts.models import Membership, Role, User
from mosty.cases.models import Case
from mosty.cases.seed import seed_cases
from mosty.core.citypack import city_init
from mosty.core.seeding import (
    HEAVY_ORGANISATIONS,
    HEAVY_USERS,
    SeedContext,
    ngo_caseworker_emails,
    seed_run,
)
from mosty.events.models import Event
from mosty.events.seed import seed_events
from mosty.mentoring.models import Mentor
from mosty.mentoring.seed import seed_mentoring
from mosty.organisations.models import Organisation
from mosty.organisations.seed import seed_organisations
from mosty.people.models import Participant
from mosty.people.seed import seed_people


@pytest.mark.django_db
def test_small_large_seed_has_the_heavy_organisations_and_users(monkeypatch):
    city_init(path=settings.DEMO_PACK)
    ctx = SeedContext(scale="large", out=io.StringIO())
    monkeypatch.setattr(ctx, "size", lambda demo, large: max(1, large // 200))
    for run in (seed_organisations, seed_people, seed_cases, seed_mentoring, seed_events):
        run(ctx)

    orgs = {key: Organisation.objects.get(slug=slug) for key, slug in HEAVY_ORGANISATIONS.items()}
    assert Organisation.objects.filter(slug__startswith="seed-").count() == 15
    # The large NGO: 50 of the 250 participants, 15 open and 5 closed cases, the open ones
    # shared by its 20 caseworkers (150 each at full size).
    assert Participant.objects.filter(owner=orgs["ngo"]).count() == 50
    assert Participant.objects.count() == 250
    ngo_cases = Case.objects.filter(organisation=orgs["ngo"])
    assert ngo_cases.exclude(status="closed").count() == 15
    assert ngo_cases.filter(status="closed").count() == 5
    leads = ngo_cases.exclude(status="closed").values("lead__email").annotate(n=Count("pk"))
    assert {row["lead__email"] for row in leads} == set(ngo_caseworker_emails()[:15])
    # The mentoring organisation is the largest; the organiser has its share of events.
    # (The demo organisation's two dozen demo mentors are left out.)
    seeded = Mentor.objects.filter(organisation__slug__startswith="seed-")
    per_org = seeded.values("organisation").annotate(n=Count("pk")).order_by("-n")
    assert per_org[0] == {"organisation": orgs["mentoring"].pk, "n": 10}
    assert seeded.count() == 50
    assert Event.objects.filter(organisation=orgs["events"]).count() == 2
    assert Event.objects.count() == 25
    # The city-office coordinator coordinates every seeded organisation (300 of 3,000 at
    # full size), the large NGO included.
    city = Membership.objects.filter(
        user__email="city.coordinator@seed.mosty.local", role=Role.COORDINATOR
    )
    assert city.count() == 15
    assert city.filter(organisation=orgs["ngo"]).exists()
    # They are active readers: the nightly refresh keeps their dashboards' figures.
    from mosty.reports.rollups import wanted_scopes

    heavy = User.objects.filter(
        email__in=[u.email for u in HEAVY_USERS if u.email.endswith("@seed.mosty.local")]
    )
    assert heavy.exists() and not heavy.filter(last_login__isnull=True).exists()
    ngo_scope = frozenset({orgs["ngo"].pk})
    assert any(scope.organisations == ngo_scope for scope in wanted_scopes())


@pytest.mark.django_db
def test_large_seed_prints_the_heavy_users(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr("mosty.core.seeding.SEEDERS", {})
    monkeypatch.setattr("mosty.core.seeding.autodiscover_modules", lambda name: None)
    seed_run(scale="large", out=out)
    for user in HEAVY_USERS:
        assert user.email in out.getvalue()
