"""The dashboard lists the first ten of a user's organisations, then links to the rest."""

from django.urls import reverse

from tests.factories import MembershipFactory, OrganisationFactory


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
