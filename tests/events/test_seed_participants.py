"""The large seed links event registrations to the participants who registered (issue 15),
checked at 1/200 of its size."""

import io

import pytest
from django.conf import settings
from django.db.models import Count, F

from mosty.core.citypack import city_init
from mosty.core.seeding import SeedContext
from mosty.events.models import Registration
from mosty.events.seed import PARTICIPANT_EVENTS, PARTICIPANT_SHARE, seed_events
from mosty.organisations.seed import seed_organisations
from mosty.people.seed import seed_people


@pytest.mark.django_db
def test_large_seed_registers_participants_of_the_events_organisation(monkeypatch):
    city_init(path=settings.DEMO_PACK)
    ctx = SeedContext(scale="large", out=io.StringIO())
    monkeypatch.setattr(ctx, "size", lambda demo, large: max(1, large // 200))
    for run in (seed_organisations, seed_people, seed_events):
        run(ctx)

    # The yardstick keeps its size: 25 events of 50 registrants each.
    assert Registration.objects.count() == 25 * 50
    linked = Registration.objects.filter(participant__isnull=False)
    assert linked.count() > 0
    # Each linked one is a participant of the event's own organisation, once per event,
    # named as the participant is.
    assert not linked.exclude(participant__owner=F("event__organisation")).exists()
    twice = linked.values("event", "participant").annotate(n=Count("pk")).filter(n__gt=1)
    assert not twice.exists()
    sample = linked.select_related("participant").first()
    assert sample.participant.first_name in sample.name
    # No event has more linked registrants than its share.
    most = linked.values("event").annotate(n=Count("pk")).order_by("-n").first()
    assert most["n"] <= round(50 * PARTICIPANT_SHARE)
    # Nobody is sent to more than a newcomer's share of events, even by a busy organiser.
    busiest = linked.values("participant").annotate(n=Count("pk")).order_by("-n").first()
    assert busiest["n"] <= PARTICIPANT_EVENTS
