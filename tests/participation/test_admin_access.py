"""The installation's administrator and participation (decided from docs/architecture.md, "Who
uses it", and mosty/access/domains/participation.py): programmes, calls and the consultation
responses belong to the organisation that runs them (the city office's, for a citizens' budget)
and are managed by its coordinators; the administrator, who operates the installation, reads
the published ones like every visitor. So no page the administrator can open leads them to a
participation page that refuses them, and the menu offers no management link."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from mosty.participation.models import CallDocument
from tests.participation.factories import (
    make_call,
    make_consultation,
    make_group,
    make_policy_document,
    make_programme,
)

LINK = re.compile(r'href="(/en/participation/[^"?#]*)')


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_the_administrator_meets_no_participation_link_that_refuses_them(world, login):
    budget = make_programme(world.org_a)
    make_call(budget)
    consultation = make_consultation(world)
    CallDocument.objects.create(
        call=consultation, title="Projekt", url="https://example.org/projekt.pdf"
    )
    draft = make_programme(world.org_a, title="Mikrogranty", published=False)
    document = make_policy_document(make_group(world))
    client = login("admin")
    start = [
        "/en/",
        reverse("core:dashboard"),
        reverse("participation:programme_list"),
        reverse("participation:call_list"),
        reverse("participation:programme_detail", args=[budget.pk]),
        reverse("participation:programme_detail", args=[draft.pk]),
        reverse("participation:call_detail", args=[consultation.pk]),
        reverse("participation:group_public", args=[document.group_id]),
        reverse("participation:policy_results", args=[document.pk]),
    ]
    links: set[str] = set()
    for url in start:
        page = client.get(url)
        assert page.status_code == 200, url
        links.update(LINK.findall(page.content.decode()))
    assert reverse("participation:manage") not in links
    assert reverse("participation:call_responses", args=[consultation.pk]) not in links
    assert reverse("participation:programme_edit", args=[budget.pk]) not in links
    assert len(links) > len(start) // 2  # the walk reached the pages it was meant to
    for url in sorted(links):
        assert client.get(url).status_code in (200, 302), url  # a document: its address


@pytest.mark.django_db
def test_the_programmes_are_managed_by_the_organisations_coordinators_not_the_admin(world, login):
    make_programme(world.org_a, title="Mikrogranty", published=False)
    assert login("admin").get(reverse("participation:manage")).status_code == 403
    page = login("coordinator").get(reverse("participation:manage"))
    assert page.status_code == 200 and "Mikrogranty" in page.content.decode()
