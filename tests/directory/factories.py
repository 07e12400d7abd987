import datetime

import factory
from factory.django import DjangoModelFactory

from mosty.directory.models import (
    Category,
    HousingOffer,
    LanguagePair,
    Linguist,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLanguage,
)
from tests.factories import OrganisationFactory


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Location {n}")
    address_1 = "ul. Długa 1"
    city = "Gdańsk"
    postal_code = "80-001"
    latitude = 54.35
    longitude = 18.65


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "Porady prawne dla cudzoziemców."
    source_language = "pl"


def service_with_location(organisation, *, district=None, languages=("pl",), **kwargs) -> Service:
    service = ServiceFactory(organisation=organisation, **kwargs)
    location = LocationFactory(organisation=organisation, district=district)
    ServiceAtLocation.objects.create(service=service, location=location)
    for code in languages:
        ServiceLanguage.objects.create(service=service, code=code)
    return service


class ScheduleFactory(DjangoModelFactory):
    class Meta:
        model = Schedule

    service = factory.SubFactory(ServiceFactory)
    weekday = 1
    opens_at = datetime.time(9)
    closes_at = datetime.time(17)


class HousingOfferFactory(DjangoModelFactory):
    class Meta:
        model = HousingOffer

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "room"
    title = factory.Sequence(lambda n: f"Room {n}")
    capacity = 2
    rent = 800
    available_from = factory.LazyFunction(datetime.date.today)
    landlord_name = "Jan Kowalski"
    contact_phone = "+48 500 100 200"


class LinguistFactory(DjangoModelFactory):
    class Meta:
        model = Linguist
        skip_postgeneration_save = True  # the hook creates a related row; the linguist is unchanged

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Linguist {n}")
    does_consecutive = True
    is_volunteer = True

    @factory.post_generation
    def pair(self, create, extracted, **kwargs):
        if create:
            source, target = extracted or ("uk", "pl")
            LanguagePair.objects.create(linguist=self, source=source, target=target)
