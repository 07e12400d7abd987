"""Mentoring in the GDPR registry: retention waits for an open match; the export says the
matching's proposal in words."""

import html
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation

from mosty.cases.models import Case
from mosty.mentoring.matching import explain, unmatched_text
from mosty.mentoring.models import Match, MatchProposal
from mosty.people import gdpr
from mosty.people.models import Participant
from tests.cases.factories import make_case, make_participant
from tests.mentoring.factories import MatchFactory, MentorFactory, queued_run


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


def test_the_export_page_explains_the_matching_proposal_in_the_readers_language(world, login):
    """The newest matching's proposal for the person is said as the matching page says it,
    in the reader's language, not as the engine stores it (its keys and codes)."""
    run = queued_run([world.org_a.pk], status="done", finished_at=timezone.now())
    matched = {"languages": ["uk"], "interests": ["cooking"], "slots": ["tue-evening"], "km": 1.2}
    unmatched = {"why": "taken", "languages": ["uk"], "count": 3}
    people = []
    for rank, (mentor, parts) in enumerate(
        [(MentorFactory(organisation=world.org_a), matched), (None, unmatched)], start=1
    ):
        person = make_participant(world, consents=("mentoring",))
        MatchProposal.objects.create(
            run=run, participant=person, mentor=mentor, rank=rank, score=0.5, parts=parts
        )
        people.append((person, parts, explain if mentor else unmatched_text))
    client = login("coordinator")
    for person, parts, said in people:
        with translation.override("uk"):
            page = html.unescape(
                client.get(reverse("people:export", args=[person.pk])).content.decode()
            )
            expected = said(parts)
            label = str(Match._meta.get_field("explanation").verbose_name).capitalize()
        assert expected and expected in page
        assert label in page
        assert ">reasons<" not in page and ">why<" not in page and ">km<" not in page
    # The sentences name what the engine matched on.
    with translation.override("en"):
        assert "both like cooking" in explain(matched)
        assert "3 suitable mentors were proposed to others" in unmatched_text(unmatched)
