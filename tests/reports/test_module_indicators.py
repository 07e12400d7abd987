"""Indicators that each module registers in its own indicators.py (the reports app names none
of them): assessment change, interpreting bookings and hours, survey responses, ideas."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from mosty.assistance.models import AssignmentLog
from mosty.cases.models import Assessment, AssessmentScore
from mosty.core.indicators import INDICATORS, Scope
from tests.assistance.factories import make_offer, make_profile, make_request
from tests.cases.factories import make_case
from tests.participation.factories import make_idea
from tests.research.factories import make_response, make_survey

pytestmark = pytest.mark.django_db


def _scope(world, *, org="a"):
    today = timezone.localdate()
    return Scope(
        start=today - datetime.timedelta(days=400),
        end=today + datetime.timedelta(days=60),
        organisations=frozenset({world.org(org).pk}),
    )


def test_every_module_registers_its_own_indicators():
    modules = {indicator.module for indicator in INDICATORS.values()}
    assert {"cases", "events", "mentoring", "directory", "people"} <= modules
    assert {"assistance", "research", "participation"} <= modules
    assert "cases.assessment_change" in INDICATORS


def test_assessment_change_per_domain_between_first_and_last(world):
    today = timezone.localdate()
    scores = {  # case -> [(days ago, housing, work)]
        0: [(90, 1, 2), (45, 2, None), (10, 4, 3)],  # housing +3, work +1
        1: [(30, 2, 4), (5, 3, 2)],  # housing +1, work -2
        2: [(20, 3, 3)],  # one assessment: no change to count
    }
    for rows in scores.values():
        case = make_case(world)
        for days, housing, work in rows:
            assessment = Assessment.objects.create(
                case=case, assessed_on=today - datetime.timedelta(days=days)
            )
            for domain, score in (("housing", housing), ("work", work)):
                if score is not None:
                    AssessmentScore.objects.create(
                        assessment=assessment, domain=domain, score=score
                    )
    change = INDICATORS["cases.assessment_change"]
    scope = _scope(world)
    assert change.value(scope) == Decimal("0.8")  # (3 + 1 + 1 - 2) / 4
    assert change.split(scope, "domain") == {"housing": Decimal("2.0"), "work": Decimal("-0.5")}
    assert change.value(_scope(world, org="b")) == 0


def test_interpreting_bookings_and_hours_count_for_the_providing_pool(world):
    profile = make_profile(world.org_a, world.user("caseworker"))
    done = make_offer(make_request(world.org_b, provider=world.org_a), profile, status="done")
    AssignmentLog.objects.create(
        assignment=done, minutes=90, travel_minutes=30, outcome="completed"
    )
    make_offer(make_request(world.org_b, provider=world.org_a, language="ar"), profile)
    scope = _scope(world)
    assert INDICATORS["assistance.bookings"].value(scope) == 1
    assert INDICATORS["assistance.hours"].value(scope) == Decimal("1.5")
    assert INDICATORS["assistance.hours"].split(scope, "language") == {"uk": Decimal("1.5")}
    assert INDICATORS["assistance.bookings"].value(_scope(world, org="b")) == 0


def test_survey_responses_and_ideas_are_counted(world):
    survey = make_survey(world.org_a)
    make_response(survey, {})
    make_response(survey, {})
    make_response(survey, {}, submitted=False)
    make_idea(world, status="submitted")
    make_idea(world)  # a draft
    scope = _scope(world)
    assert INDICATORS["research.responses"].value(scope) == 2
    # Every breakdown answers (a response has a `key` field: no clash with the grouping).
    for by in INDICATORS["research.responses"].breakdowns:
        assert sum(INDICATORS["research.responses"].split(scope, by).values()) == 2
    assert INDICATORS["participation.ideas_submitted"].value(scope) == 1
    assert INDICATORS["participation.groups_met"].value(scope) == 0
