"""Fixture chain: city -> organisations A and B -> one user per role in each -> clients."""

from dataclasses import dataclass, field

import pytest

from mosty.accounts.models import Grant, MembershipGrant, Role, User
from tests.factories import (
    CityFactory,
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

ROLES = [role.value for role in Role]
PASSWORD = "correct horse battery"


@dataclass
class World:
    """Two organisations with a user per role in each; modules hang their objects on `extra`."""

    city: object
    district: object
    org_a: object
    org_b: object
    users: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def user(self, role: str, org: str = "a") -> User:
        return self.users[(org, role)]

    def org(self, key: str = "a"):
        return self.org_a if key == "a" else self.org_b


def build_world() -> World:
    city = CityFactory()
    district = DistrictFactory(city=city, code="centrum", name="Centrum")
    world = World(
        city=city,
        district=district,
        org_a=OrganisationFactory(name="Org A", slug="org-a", district=district),
        org_b=OrganisationFactory(name="Org B", slug="org-b", district=district),
    )
    for key, org in (("a", world.org_a), ("b", world.org_b)):
        for role in ROLES:
            user = UserFactory(
                email=f"{role}.{key}@example.org", first_name=f"{role.title()}{key.upper()}"
            )
            membership = MembershipFactory(user=user, organisation=org, role=role)
            if role == Role.ADMIN:
                MembershipGrant.objects.create(membership=membership, grant=Grant.VIEW_AUDIT_LOG)
            world.users[(key, role)] = user
    return world


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def login(client, world):
    """login("coordinator") -> a test client logged in as org A's coordinator."""

    def _login(role: str, org: str = "a"):
        client.force_login(world.user(role, org))
        return client

    return _login


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request leaves its language active in the
    thread, which would otherwise leak into the next test's reverse() and gettext()."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Rate-limit counters start at zero. The cache is a database table, so it is cleared only
    for tests that use the database (inside their transaction when they have one)."""
    from django.core.cache import cache

    names = set(request.fixturenames)
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        yield
        return
    cache.clear()
    yield
