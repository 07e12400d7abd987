import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from mosty.mentoring.models import (
    Match,
    MatchingRun,
    MatchStatus,
    Meeting,
    Mentor,
    VettingStatus,
    matching_scope_key,
)
from tests.factories import OrganisationFactory
from tests.people.factories import ConsentFactory, ParticipantFactory


class MentorFactory(DjangoModelFactory):
    class Meta:
        model = Mentor

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Mentor {n}")
    email = factory.Sequence(lambda n: f"mentor{n}@example.org")
    language = "pl"
    gender = "female"
    languages = factory.LazyFunction(
        lambda: [{"code": "pl", "level": "native"}, {"code": "uk", "level": "B1"}]
    )
    interests = factory.LazyFunction(lambda: ["football", "cooking"])
    availability = factory.LazyFunction(lambda: ["tue-evening", "sat-morning"])
    capacity = 2
    motivation = "I want to help."
    consent_at = factory.LazyFunction(timezone.now)
    status = VettingStatus.APPROVED


def waiting_participant(organisation, **kwargs):
    """A participant of `organisation` who consented to mentoring."""
    participant = ParticipantFactory(owner=organisation, **kwargs)
    ConsentFactory(participant=participant, purpose="mentoring")
    return participant


class MatchFactory(DjangoModelFactory):
    class Meta:
        model = Match

    mentor = factory.SubFactory(MentorFactory)
    organisation = factory.SelfAttribute("mentor.organisation")
    participant = factory.LazyAttribute(lambda o: waiting_participant(o.mentor.organisation))
    status = MatchStatus.ACTIVE
    score = 0.8
    explanation = factory.LazyFunction(lambda: {"languages": ["uk"], "same_district": True})
    started_on = factory.LazyFunction(timezone.localdate)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    match = factory.SubFactory(MatchFactory)
    date = factory.LazyFunction(timezone.localdate)
    minutes = 60
    activity = "language"


def queued_run(organisation_ids, *, by=None, **kwargs):
    """A matching run waiting for the worker, for exactly these organisations."""
    scope = sorted(organisation_ids)
    return MatchingRun.objects.create(
        organisation_id=scope[0],
        organisation_ids=scope,
        scope=matching_scope_key(scope),
        created_by=by,
        **kwargs,
    )
