import factory
from factory.django import DjangoModelFactory

from mosty.accounts.models import Membership, MembershipGrant, Role, User
from mosty.core.models import City, District
from mosty.networks.models import Network
from mosty.organisations.models import Organisation, OrganisationKind


class CityFactory(DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("slug",)

    name = "Testowo"
    slug = "testowo"
    default_language = "pl"
    languages = ["pl", "en", "uk", "ru", "ar", "fa", "fr"]
    latitude = 54.35
    longitude = 18.65


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    city = factory.SubFactory(CityFactory)
    code = factory.Sequence(lambda n: f"district-{n}")
    name = factory.Sequence(lambda n: f"Dzielnica {n}")
    latitude = 54.35
    longitude = 18.65


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.NGO
    languages = ["pl", "uk"]
    email = factory.Sequence(lambda n: f"org{n}@example.org")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="pl_PL")
    last_name = factory.Faker("last_name", locale="pl_PL")
    language = "pl"
    password = factory.django.Password("correct horse battery")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CASEWORKER


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    theme = "education"


def grant(user, what, organisation):
    """Give `user`'s active membership in `organisation` the grant `what`; returns the user
    freshly loaded (the policy caches roles and grants on the user object)."""
    membership = Membership.objects.filter(
        user=user, organisation=organisation, is_active=True
    ).first()
    MembershipGrant.objects.create(membership=membership, grant=what)
    return type(user).objects.get(pk=user.pk)
