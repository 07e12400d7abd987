"""The demo has a pool, requests in every state and a demo assistant with work to do; the
large seed has the issue's shape (checked at 1/200 of its size)."""

import io

import pytest
from django.conf import settings

from mosty.access.policy import can
from mosty.accounts.models import User
from mosty.assistance import selectors
from mosty.assistance.models import AssistanceRequest, AssistantProfile, RequestStatus
from mosty.assistance.seed import seed_assistance
from mosty.core.citypack import city_init
from mosty.core.seeding import SeedContext
from mosty.organisations.seed import seed_organisations


@pytest.mark.django_db
def test_demo_assistant_has_offers_schedule_and_hours_and_staff_can_request():
    city_init(path=settings.DEMO_PACK)
    ctx = SeedContext(scale="demo", out=io.StringIO())
    seed_organisations(ctx)
    seed_assistance(ctx)
    assistant = User.objects.get(email="assistant@demo.mosty.local")
    assert selectors.offer_list(fetched_by=assistant).count() == 2
    assert selectors.schedule_list(fetched_by=assistant).count() == 2
    assert sum(m["hours"] for m in selectors.hours_by_month(fetched_by=assistant)) > 0
    staff = User.objects.get(email="staff@demo.mosty.local")
    assert can(staff, "assistance.request_create")
    coordinator = User.objects.get(email="coordinator2@demo.mosty.local")
    open_requests = selectors.request_open_list(fetched_by=coordinator, filters={})
    assert open_requests.count() >= 3
    assert selectors.proposals_for(request=open_requests.filter(language="uk").first())
    states = set(AssistanceRequest.objects.values_list("status", flat=True))
    assert states == set(RequestStatus.values)
    level = selectors.service_level(fetched_by=coordinator, date_from=None, date_to=None)
    assert [row["code"] for row in level["unanswered_by_language"]] == ["ti"]
    seed_assistance(ctx)  # a second run adds nothing
    assert AssistantProfile.objects.count() == 8


@pytest.mark.django_db
def test_small_large_seed(monkeypatch):
    city_init(path=settings.DEMO_PACK)
    ctx = SeedContext(scale="large", out=io.StringIO())
    monkeypatch.setattr(ctx, "size", lambda demo, large: max(1, large // 200))
    seed_organisations(ctx)
    seed_assistance(ctx)
    seeded = AssistantProfile.objects.filter(user__email__startswith="assistant.")
    assert seeded.count() == 5
    past = AssistanceRequest.objects.filter(status="done", provider__slug__startswith="seed-")
    assert past.count() == 250
    assert (
        AssistanceRequest.objects.filter(status="open", provider__slug__startswith="seed-").count()
        == 10
    )
