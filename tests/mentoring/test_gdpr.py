"""Mentoring in the GDPR registry: retention waits for an open match."""

from datetime import timedelta

from django.utils import timezone

from mosty.cases.models import Case
from mosty.mentoring.models import Match
from mosty.people import gdpr
from mosty.people.models import Participant
from tests.cases.factories import make_case
from tests.mentoring.factories import MatchFactory


def test_retention_waits_while_a_mentor_still_meets_the_participant(world, settings):
    settings.MOSTY_RETENTION_DAYS = 30
    long_ago = timezone.now() - timedelta(days=400)
    match = MatchFactory(mentor__organisation=world.org_a, status="active")
    participant = match.participant
    make_case(world, participant=participant, status="closed", closure_reason="goals_achieved")
    Case.objects.update(closed_at=long_ago)
    Participant.objects.update(created_at=long_ago)

    # The case closed long ago, but the match is open.
    assert participant.pk not in gdpr.retention_due()

    Match.objects.filter(pk=match.pk).update(status="ended", ended_at=long_ago)
    assert participant.pk in gdpr.retention_due()

    Match.objects.filter(pk=match.pk).update(ended_at=timezone.now() - timedelta(days=3))
    assert participant.pk not in gdpr.retention_due()
