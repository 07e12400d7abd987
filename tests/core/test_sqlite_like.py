"""A search finds a name whatever the case of its letters, on SQLite as on PostgreSQL
(testers: "łódź" did not find "ŁÓDŹ", nor "олена" "Олена", on the embedded database)."""

import pytest
from django.urls import reverse

from mosty.core.sqlite import like
from mosty.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "name"),
    [("łódź", "Fundacja ŁÓDŹ"), ("олена", "Центр «Олена»"), ("ŻABKA", "żabka"), ("Ελλ", "ελλάδα")],
)
def test_icontains_folds_the_case_of_every_letter(query, name):
    org = Organisation.objects.create(name=name, slug=f"org-{len(name)}-{ord(name[0])}")
    assert list(Organisation.objects.filter(name__icontains=query)) == [org]
    assert Organisation.objects.filter(name__iexact=name.upper()).exists()


def test_like_keeps_the_wildcards_and_the_escape():
    assert like("a\\_b", "a_b", "\\") and not like("a\\_b", "axb", "\\")
    assert like("%\\%%", "50% off", "\\") and not like("%\\%%", "50 off", "\\")
    assert like("a_c", "abc") and not like("a_c", "abbc")
    assert like("a", None) is None


def test_the_organisations_list_finds_a_name_in_another_case(world, login):
    Organisation.objects.create(name="Stowarzyszenie ŚWIATŁO", slug="swiatlo")
    page = login("admin").get(reverse("organisations:list"), {"q": "światło"})
    assert "Stowarzyszenie ŚWIATŁO" in page.content.decode()
