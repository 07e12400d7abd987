"""Inviting to the portal from where staff meet the person: a mentoring match (the newcomer and
their family with a participant record) and the reconciliation of registrants."""

import pytest
from django.urls import reverse

from mosty.people.models import Household, HouseholdMember
from mosty.portal.selectors import portal_invitables
from tests.cases.factories import make_case, make_participant
from tests.mentoring.factories import MatchFactory, MentorFactory
from tests.reports.factories import attended, past_event

pytestmark = pytest.mark.django_db


def test_match_page_offers_the_family_an_invitation(world, login):
    mentor = MentorFactory(organisation=world.org_a)
    match = MatchFactory(mentor=mentor)
    household = Household.objects.create(label="K.", owner=world.org_a)
    match.participant.household = household
    match.participant.save()
    sister = make_participant(world, "a", household=household)
    HouseholdMember.objects.create(household=household, participant=match.participant)
    HouseholdMember.objects.create(household=household, participant=sister)
    HouseholdMember.objects.create(household=household, name="Child", birth_year=2020)
    page = login("coordinator").get(reverse("mentoring:match_detail", args=[match.pk]))
    text = page.content.decode()
    assert reverse("portal:invite", args=[sister.pk]) in text
    assert reverse("portal:invite", args=[match.participant.pk]) in text
    # Org B's coordinator may invite neither.
    assert portal_invitables(fetched_by=world.user("coordinator", "b"), participants=[sister]) == []


def test_a_registrant_just_linked_can_be_invited(world, login):
    person = make_participant(world, first_name="Olena", last_name="Kovalenko")
    make_case(world, participant=person)
    registration = attended(past_event(world.org_a), name="Ołena Kowalenko", email="ok@example.org")
    client = login("coordinator")
    response = client.post(
        reverse("reports:registration_link", args=[registration.pk]), {"participant": person.pk}
    )
    assert response.url.endswith(f"?linked={person.pk}")
    page = client.get(response.url).content.decode()
    assert reverse("portal:invite", args=[person.pk]) in page
