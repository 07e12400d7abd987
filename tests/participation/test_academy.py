"""The Participatory Migrant Academy (an events course of kind "academy") and what its
participants did next: ideas, selected ideas, opinions, groups. Counts only, for staff."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mosty.participation import selectors
from mosty.participation.models import GroupMember
from tests.cases.factories import make_participant
from tests.events.factories import make_event, make_registration
from tests.participation.factories import make_consultation, make_group, make_idea
from tests.utils import assert_constant_queries, logged_in

pytestmark = pytest.mark.django_db


def _course(world, people: int):
    """An academy course that began a week ago, with `people` participants who each went on to
    submit an idea (the first selected), send an opinion and join a group."""
    start = timezone.now() - timedelta(days=7)
    course = make_event(world.org_a, kind="academy", title="Akademia Partycypacji", start=start)
    consultation = make_consultation(world)
    group = make_group(world)
    for n in range(people):
        participant = make_participant(world)
        make_registration(course, name=f"Osoba {n}", participant=participant)
        make_idea(world, participant=participant, status="selected" if n == 0 else "submitted")
        make_idea(
            world, participant=participant, kind="response", call=consultation, status="submitted"
        )
        GroupMember.objects.create(
            group=group, participant=participant, role="member", starts_on=timezone.localdate()
        )
    # Someone else's idea, and a registrant who did nothing: neither counts as an outcome.
    make_idea(world, status="submitted")
    make_registration(course, name="Bez dalszych kroków", participant=make_participant(world))
    return course


def test_outcomes_of_a_course_counted_once_per_person(world):
    course = _course(world, 6)
    outcomes = selectors.academy_outcomes(course=course, exact=True)
    assert outcomes == {"participants": 7, "ideas": 6, "selected": 1, "opinions": 6, "groups": 6}


def test_earlier_ideas_and_drafts_do_not_count(world):
    course = _course(world, 1)
    later = make_participant(world)
    make_registration(course, name="Later", participant=later)
    make_idea(world, participant=later)  # a draft
    old = make_idea(world, participant=later, status="submitted")
    type(old).objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=60))
    assert selectors.academy_outcomes(course=course, exact=True)["ideas"] == 1


def test_the_course_page_shows_the_section_to_staff_suppressed_outside(world, settings):
    settings.MOSTY_STATS_MIN_CELL = 5
    course = _course(world, 6)
    url = reverse("events:detail", args=[course.pk])
    own = logged_in(world.user("coordinator")).get(url).content.decode()
    assert (
        'id="academy-outcomes"' in own
        and reverse("participation:academy_outcomes", args=[course.pk]) in own
    )
    # Staff of another organisation: one selected idea is a small cell, suppressed.
    outcomes = logged_in(world.user("caseworker", "b")).get(
        reverse("participation:academy_outcomes", args=[course.pk])
    )
    assert outcomes.status_code == 200
    # participants, ideas, selected, opinions, groups
    values = [value for _label, value in outcomes.context["rows"]]
    assert values == [7, 6, None, 6, 6]
    assert "&lt; 5" in outcomes.content.decode()
    # Visitors and non-staff see the course, never the figures.
    for client in (Client(), logged_in(world.user("participant")), logged_in(world.user("mentor"))):
        assert 'id="academy-outcomes"' not in client.get(url).content.decode()


def test_not_an_academy_course_has_no_outcomes_page(world):
    event = make_event(world.org_a, kind="workshop")
    response = logged_in(world.user("coordinator")).get(
        reverse("participation:academy_outcomes", args=[event.pk])
    )
    assert response.status_code == 404


def test_outcomes_cost_the_same_for_any_number_of_participants(world):
    client = logged_in(world.user("coordinator"))
    course = _course(world, 1)

    def grow():
        participant = make_participant(world)
        make_registration(course, name="Nowa osoba", participant=participant)
        make_idea(world, participant=participant, status="submitted")

    assert_constant_queries(
        client, reverse("participation:academy_outcomes", args=[course.pk]), grow, times=3
    )
