"""The dashboard lists the first ten of a user's organisations, then links to the rest."""

from django.urls import reverse

from tests.factories import MembershipFactory, OrganisationFactory
from tests.utils import assert_constant_queries


def test_a_city_office_coordinator_sees_ten_organisations_and_a_link(world, login):
    client = login("coordinator")
    for n in range(11):
        org = OrganisationFactory(name=f"Zz organisation {n:02d}", slug=f"zz-{n}")
        MembershipFactory(user=world.user("coordinator"), organisation=org, role="coordinator")
    page = client.get(reverse("core:dashboard")).content.decode()
    # 12 organisations: Org A and the first nine by name are listed, three are not.
    assert "Org A" in page and "Zz organisation 08" in page
    assert "Zz organisation 09" not in page and "Zz organisation 10" not in page
    assert "i jeszcze 2 organizacje" in page
    assert f'href="{reverse("organisations:list")}"' in page


def test_a_caseworker_in_one_organisation_sees_it_without_a_link(world, login):
    page = login("caseworker").get(reverse("core:dashboard")).content.decode()
    assert "Org A" in page and "i jeszcze" not in page


def test_dashboard_queries_do_not_grow_with_organisations_and_roles(
    world, login, django_assert_max_num_queries
):
    """A city-office coordinator holds roles in hundreds of organisations: the dashboard's
    cards cost the same queries for two organisations as for thirty (no query per
    membership), and stay under a fixed bound."""
    user = world.user("coordinator")
    client = login("coordinator")
    numbers = iter(range(100))

    def grow():
        n = next(numbers)
        org = OrganisationFactory(name=f"Grown organisation {n:02d}", slug=f"grown-{n}")
        MembershipFactory(user=user, organisation=org, role="coordinator")
        MembershipFactory(user=user, organisation=org, role="caseworker")

    grow()
    url = reverse("core:dashboard")
    assert_constant_queries(client, url, grow, times=3)
    with django_assert_max_num_queries(27):
        page = client.get(url).content.decode()
    grow(), grow()
    page = client.get(url).content.decode()
    # Org A and six organisations with two roles each: 13 roles, ten listed, three linked.
    assert "Grown organisation 04" in page and "Grown organisation 05" not in page
    assert "i jeszcze 3 " in page
