"""Programmes linked to records beyond events (bookings, surveys, groups), narrowed to a
network's member organisations, and their budget lines."""

import io
from dataclasses import replace
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from mosty.access.models import AuditEvent
from mosty.core.indicators import INDICATORS, Scope, make_links
from mosty.networks.models import Network, NetworkMembership
from mosty.organisations.models import Organisation
from mosty.reports import rollups
from mosty.reports.models import BudgetLine, Programme
from tests.assistance.factories import make_request
from tests.participation.factories import make_group
from tests.reports.factories import make_programme
from tests.research.factories import make_response, make_survey

pytestmark = pytest.mark.django_db


def _form(programme, **links):
    """The edit form's data for `programme`, with `links` (field -> list of ids)."""
    return {
        "name": programme.name,
        "donor": programme.donor,
        "organisation": programme.organisation_id,
        "starts_on": programme.starts_on.isoformat(),
        "ends_on": programme.ends_on.isoformat(),
        "language": programme.language,
        "version": programme.version,
        **links,
    }


def test_linking_one_survey_counts_that_surveys_responses_only(world, login):
    programme = make_programme(world, targets=[("research.responses", 10)])
    linked = make_survey(world.org_a, title="Ankieta mieszkaniowa")
    other = make_survey(world.org_a, title="Ankieta o pracy")
    for _ in range(2):
        make_response(linked, {})
    for _ in range(3):
        make_response(other, {})
    responses = INDICATORS["research.responses"]
    assert responses.value(programme.scope()) == 5

    client = login("coordinator")
    response = client.post(
        reverse("reports:programme_edit", args=[programme.pk]),
        _form(programme, surveys=[linked.pk]),
    )
    assert response.status_code == 302
    programme = Programme.objects.get(pk=programme.pk)
    assert list(programme.surveys.all()) == [linked]
    assert programme.scope().linked("research.survey") == frozenset({linked.pk})
    assert responses.value(programme.scope()) == 2

    page = client.get(reverse("reports:programme_detail", args=[programme.pk])).content.decode()
    assert "Ankieta mieszkaniowa" in page and "Ankieta o pracy" not in page
    answer = client.get(reverse("api:programme_detail", args=[programme.pk])).json()
    assert answer["links"]["surveys"] == [linked.pk]
    assert answer["links"]["bookings"] == [] and answer["count_network_members"] is False
    assert [t["value"] for t in answer["targets"]] == [2]


def test_a_coordinator_cannot_link_another_organisations_booking(world, login):
    programme = make_programme(world)
    own = make_request(world.org_b, provider=world.org_a)
    theirs = make_request(world.org_a, provider=world.org_b)
    client = login("coordinator")
    form_page = client.get(reverse("reports:programme_edit", args=[programme.pk]))
    choices = form_page.context["form"].fields["bookings"].queryset
    assert own in choices and theirs not in choices  # never listed

    response = client.post(
        reverse("reports:programme_edit", args=[programme.pk]),
        _form(programme, bookings=[theirs.pk]),
    )
    assert response.status_code == 200
    assert "bookings" in response.context["form"].errors
    assert not programme.bookings.exists()

    response = client.post(
        reverse("reports:programme_edit", args=[programme.pk]),
        _form(programme, bookings=[own.pk]),
    )
    assert response.status_code == 302
    assert list(programme.bookings.all()) == [own]


def test_a_linked_group_narrows_the_groups_figures(world):
    from mosty.participation.models import GroupMeeting

    programme = make_programme(world)
    first, second = make_group(world), make_group(world, kind="self_help")
    for group in (first, second):
        GroupMeeting.objects.create(group=group, date=timezone.localdate())
    groups_met = INDICATORS["participation.groups_met"]
    assert groups_met.value(programme.scope()) == 2
    programme.groups.set([first])
    assert groups_met.value(programme.scope()) == 1


def test_kept_figures_of_scopes_with_different_links_never_mix():
    today = timezone.localdate()
    plain = Scope(start=today, end=today, organisations=frozenset({1}))
    one = replace(plain, links=make_links({"research.survey": [7]}))
    other = replace(plain, links=make_links({"research.survey": [8]}))
    keys = {rollups.scope_key(s) for s in (plain, one, other)}
    assert len(keys) == 3
    # Linking nothing of a kind is the same scope as not narrowing it.
    assert replace(plain, links=make_links({"research.survey": []})) == plain
    assert hash(one) == hash(replace(plain, links=make_links({"research.survey": {7}})))


def test_a_network_s_member_organisations_count_when_the_programme_says_so(world):
    third = Organisation.objects.create(name="Fundacja Trzecia", slug="trzecia")
    network = Network.objects.create(
        name="Sieć edukacyjna", slug="siec", theme="education", coordinator=world.org_a
    )
    for org in (world.org_b, third):
        NetworkMembership.objects.create(network=network, organisation=org)
    for org in (world.org_a, world.org_b, third):
        make_response(make_survey(org), {})
    programme = make_programme(world)
    programme.networks.set([network])
    responses = INDICATORS["research.responses"]
    assert responses.value(programme.scope()) == 1  # linked, not counted
    programme.count_network_members = True
    programme.save()
    programme = Programme.objects.get(pk=programme.pk)
    assert programme.scope().organisations == {world.org_a.pk, world.org_b.pk, third.pk}
    assert responses.value(programme.scope()) == 3
    # Counted, but not taking part: the members' coordinators do not see the programme.
    assert programme.organisation_ids() == {world.org_a.pk}


def test_budget_lines_are_added_shown_exported_and_removed(world, login):
    programme = make_programme(world)
    client = login("coordinator")
    response = client.post(
        reverse("reports:budget_line_add", args=[programme.pk]),
        {"name": "Warsztaty", "amount": "24000.50", "currency": "pln", "note": "10 spotkań"},
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(programme=programme)
    assert (line.amount, line.currency) == (Decimal("24000.50"), "PLN")
    assert AuditEvent.objects.filter(action="mosty.reports.budgetline.created").exists()
    # A bad amount is refused beside the field, the rest kept as typed; nothing written.
    refused = client.post(
        reverse("reports:budget_line_add", args=[programme.pk]),
        {"name": "Druk ulotek", "amount": "-5", "currency": "PLN"},
    )
    assert refused.status_code == 200
    form = refused.context["budget_form"]
    assert list(form.errors) == ["amount"]
    page = refused.content.decode()
    assert 'value="Druk ulotek"' in page and 'id="id_amount_errors"' in page
    assert refused.context["target_form"].is_bound is False
    assert programme.budget_lines.count() == 1

    with translation.override("pl"):
        page = client.get(reverse("reports:programme_detail", args=[programme.pk]))
    assert "24\xa0000,50\xa0zł" in page.content.decode()

    export = client.post(
        reverse("reports:programme_export", args=[programme.pk]), {"format": "xlsx"}
    )
    book = load_workbook(io.BytesIO(export.content))
    budget = book.worksheets[-1]
    assert [c.value for c in budget[2]][:3] == ["Warsztaty", 24000.5, "PLN"]
    csv = client.post(
        reverse("reports:programme_export", args=[programme.pk]), {"format": "csv"}
    ).content.decode()
    assert "Warsztaty,PLN,24000.50" in csv

    # Another organisation's coordinator cannot remove it.
    other = login("coordinator", "b")
    assert other.post(reverse("reports:budget_line_delete", args=[line.pk])).status_code in (
        403,
        404,
    )
    client = login("coordinator")
    client.post(reverse("reports:budget_line_delete", args=[line.pk]))
    assert not programme.budget_lines.exists()
    assert AuditEvent.objects.filter(action="mosty.reports.budgetline.deleted").exists()
    # The issued report keeps the budget it was issued with.
    assert programme.snapshots.first().figures["budget"][0][:3] == ["Warsztaty", "24000.50", "PLN"]


def test_the_service_refuses_another_organisation_s_survey_beside_the_field(world):
    from django.core.exceptions import ValidationError

    from mosty.reports import services

    programme = make_programme(world)
    theirs = make_survey(world.org_b)
    with pytest.raises(ValidationError) as refused:
        services.programme_update(
            programme=programme, by=world.user("coordinator"), surveys=[theirs]
        )
    assert "surveys" in refused.value.message_dict
    assert not programme.surveys.exists()
