import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from mosty.people.models import Consent, ConsentPurpose, Participant
from tests.factories import OrganisationFactory


class ParticipantFactory(DjangoModelFactory):
    """A participant; the code and the search key are filled in by Participant.save()."""

    class Meta:
        model = Participant

    first_name = "Oleksandr"
    last_name = factory.Sequence(lambda n: f"Kovalenko{n}")
    first_name_original = "Олександр"
    birth_year = 1985
    gender = "male"
    country_of_origin = "UA"
    citizenship = "UA"
    languages = factory.LazyFunction(lambda: [{"code": "uk", "level": "native"}])
    polish_level = "A2"
    legal_status = "temporary_protection"
    phone = "+48 601 234 567"
    owner = factory.SubFactory(OrganisationFactory)


class ConsentFactory(DjangoModelFactory):
    class Meta:
        model = Consent

    participant = factory.SubFactory(ParticipantFactory)
    purpose = ConsentPurpose.CASE_MANAGEMENT
    text_shown = "We keep your data to help you with your case."
    given_at = factory.LazyFunction(timezone.now)
