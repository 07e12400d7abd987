"""Programmes with targets, donor exports that survive erasure, reconciliation, public
statistics from consenting people only, and who sees which figures."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mosty.access.models import AuditEvent
from mosty.core.indicators import INDICATORS
from mosty.core.seeding import SeedContext
from mosty.events.models import EventKind
from mosty.organisations.models import Organisation
from mosty.people.models import Consent
from mosty.reports.models import Programme, ReportSnapshot, Target
from mosty.reports.seed import seed_reports
from tests.cases.factories import make_case, make_participant
from tests.reports.factories import attended, make_programme, past_event
from tests.utils import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_coordinator_creates_a_programme_and_sets_a_target(world, login):
    client = login("coordinator")
    today = timezone.localdate()
    response = client.post(
        reverse("reports:programme_create"),
        {
            "name": "Samorzecznictwo",
            "donor": "EEA Grants",
            "organisation": world.org_a.pk,
            "starts_on": today.isoformat(),
            "ends_on": (today - datetime.timedelta(days=1)).isoformat(),
            "language": "pl",
        },
    )
    assert response.status_code == 200  # ends before it starts: said beside the field
    assert not Programme.objects.exists()
    response = client.post(
        reverse("reports:programme_create"),
        {
            "name": "Samorzecznictwo",
            "organisation": world.org_b.pk,  # not theirs
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
            "language": "pl",
        },
    )
    assert response.status_code == 200 and not Programme.objects.exists()
    response = client.post(
        reverse("reports:programme_create"),
        {
            "name": "Samorzecznictwo",
            "organisation": world.org_a.pk,
            "partners": [world.org_b.pk],
            "starts_on": (today - datetime.timedelta(days=60)).isoformat(),
            "ends_on": today.isoformat(),
            "language": "pl",
        },
    )
    programme = Programme.objects.get()
    assert response.status_code == 302
    client.post(
        reverse("reports:target_set", args=[programme.pk]),
        {"indicator": "events.programme_hours", "value": "160"},
    )
    assert Target.objects.get(programme=programme).value == Decimal("160")
    refused = client.post(
        reverse("reports:target_set", args=[programme.pk]),
        {"indicator": "no.such", "value": "1"},
    )
    assert refused.status_code == 200  # the programme page again, the error beside the field
    assert list(refused.context["target_form"].errors) == ["indicator"]
    assert programme.targets.count() == 1


def test_programme_page_shows_progress_against_each_target(world, login):
    programme = make_programme(world, targets=[("events.programme_hours", 160)])
    event = past_event(world.org_a, sessions=3)  # 3 × 2 h
    for n in range(4):
        attended(event, name=f"Person {n}")
    response = login("coordinator").get(reverse("reports:programme_detail", args=[programme.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'max="100" value="4"' in html  # 6 of 160 h = 3.75 %, the bar at 4 %
    assert "6 z 160" in html  # Polish numbers, not attendee-hours (24)
    assert "<svg" in html and "<details" in html


def test_a_partner_sees_the_programme_but_small_counts_of_others_people_are_hidden(world, login):
    programme = make_programme(world, targets=[("events.participants", 116)])
    programme.partners.add(world.org_b)
    event = past_event(world.org_a)
    for n in range(3):
        attended(event, name=f"P{n}", email=f"p{n}@example.org")
    lead = login("coordinator", "a").get(reverse("reports:programme_detail", args=[programme.pk]))
    assert "3 z 116" in lead.content.decode()
    partner = login("coordinator", "b").get(
        reverse("reports:programme_detail", args=[programme.pk])
    )
    assert partner.status_code == 200
    html = partner.content.decode()
    assert "3 z 116" not in html and "mniej niż 5" in html
    # A caseworker of the lead organisation sees no reports at all.
    assert login("caseworker", "a").get(reverse("reports:dashboard")).status_code == 403


def test_export_is_one_sheet_per_indicator_and_survives_erasure(world, login):
    programme = make_programme(
        world, targets=[("events.programme_hours", 160), ("people.beneficiaries", 40)]
    )
    people = [make_participant(world) for _ in range(6)]
    event = past_event(world.org_a, sessions=2)
    for person in people:
        attended(event, participant=person)
    client = login("coordinator")
    response = client.post(
        reverse("reports:programme_export", args=[programme.pk]), {"format": "xlsx"}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 1 + len(INDICATORS)
    summary = {row[0].value: row[3].value for row in book.worksheets[0].iter_rows(min_row=2)}
    assert summary["Godziny programu"] == 4 and summary["Bezpośredni odbiorcy"] == 6
    snapshot = ReportSnapshot.objects.get()
    # Issuing writes a snapshot, so a link followed or prefetched must not issue one.
    export_url = reverse("reports:programme_export", args=[programme.pk])
    assert client.get(export_url + "?format=xlsx").status_code == 405
    # Erasure removes the people; the issued report gives the same numbers again.
    for person in people:
        person.event_registrations.all().delete()
    again = client.get(reverse("reports:snapshot_download", args=[snapshot.pk]) + "?format=csv")
    text = again.content.decode("utf-8-sig")
    assert "Bezpośredni odbiorcy,,,6,40" in text
    assert INDICATORS["people.beneficiaries"].value(programme.scope()) == 0


def test_linking_a_registrant_makes_them_count_once(world, login):
    person = make_participant(world, first_name="Olena", last_name="Kovalenko")
    make_case(world, participant=person)
    registration = attended(past_event(world.org_a), name="Ołena Kowalenko", email="ok@example.org")
    scope = make_programme(world).scope()
    assert INDICATORS["people.beneficiaries"].value(scope) == 2
    client = login("coordinator")
    page = client.get(reverse("reports:reconcile")).content.decode()
    assert "Ołena Kowalenko" in page and person.code in page  # the intake search's tolerance
    client.post(
        reverse("reports:registration_link", args=[registration.pk]), {"participant": person.pk}
    )
    registration.refresh_from_db()
    assert registration.participant == person
    assert INDICATORS["people.beneficiaries"].value(scope) == 1


def test_reconcile_finds_every_registrants_candidates_in_one_query(world, login):
    namesakes = [
        make_participant(world, first_name="Olena", last_name=f"Kovalenko {letter}")
        for letter in "LKJIHGFEDCBA"  # created in the reverse of the order they are shown in
    ]
    namesakes[0].email = "olena.l@example.org"
    namesakes[0].save()
    # Neither someone else's participant nor an anonymised one is offered.
    make_participant(world, org="b", first_name="Olena", last_name="Kovalenko 0")
    make_participant(
        world, first_name="Olena", last_name="Kovalenko 00", anonymised_at=timezone.now()
    )
    event = past_event(world.org_a)
    by_name = attended(event, name="Олена Коваленко")
    by_email = attended(event, name="Someone Else", email="OLENA.L@example.org")
    by_phone = attended(event, name="Another Person", phone=namesakes[1].phone)
    nobody = attended(event, name="Nobody Here")
    client = login("coordinator")
    response = client.get(reverse("reports:reconcile"))
    found = {registration: people for registration, people in response.context["rows"]}
    alphabetical = sorted(namesakes, key=lambda p: p.last_name)
    # The first ten by name, as a search for the name alone would list them.
    assert found[by_name] == alphabetical[:10]
    assert found[by_email] == [namesakes[0]]  # "Kovalenko L", not among the first ten
    assert found[by_phone] == [namesakes[1]]
    assert found[nobody] == []
    page = response.content.decode()
    assert namesakes[0].code in page and "Kovalenko 0" not in page
    # Every candidate shown is recorded as read by the coordinator, once.
    reads = AuditEvent.objects.filter(
        action="mosty.people.participant.viewed", actor=world.user("coordinator", "a")
    )
    assert sorted(int(pk) for pk in reads.values_list("object_id", flat=True)) == sorted(
        p.pk for p in alphabetical[:10] + [namesakes[0], namesakes[1]]
    )
    # One search for the whole page, however many registrants it lists.
    n = iter(range(100))
    assert_constant_queries(
        client,
        reverse("reports:reconcile"),
        lambda: attended(event, name=f"Olena Kovalenko {next(n)}", email=f"{next(n)}@example.org"),
        times=6,
    )
    # Ten a page, never counted whole: Next while there are more, no "of N".
    last = attended(event, name="Last Registrant")  # the eleventh, the newest
    first_page = client.get(reverse("reports:reconcile"))
    assert [r for r, _c in first_page.context["rows"]][0] == last
    assert first_page.context["page"].has_next()
    second = client.get(reverse("reports:reconcile") + "?page=2")
    assert len(second.context["rows"]) == 1 and not second.context["page"].has_next()
    assert '<span class="page-link">Strona 2</span>' in second.content.decode()
    past_the_end = client.get(reverse("reports:reconcile") + "?page=9")
    assert past_the_end.context["rows"] == first_page.context["rows"]


def test_public_statistics_count_only_people_who_consented(world, client):
    event = past_event(world.org_a)
    consenting = [make_participant(world, consents=("statistics",)) for _ in range(6)]
    refusing = [make_participant(world, consents=()) for _ in range(4)]
    for person in consenting + refusing:
        attended(event, participant=person)
    Consent.objects.filter(participant=consenting[0]).update(withdrawn_at=timezone.now())
    response = client.get(reverse("api:statistics_public"))
    assert response.status_code == 200
    assert response.json()["people"] == 5
    page = client.get(reverse("reports:public"))
    assert page.status_code == 200
    assert (
        client.get(
            reverse("api:statistics_public") + "?start=2026-05-01&end=2026-01-01"
        ).status_code
        == 400
    )


def test_demo_programmes_carry_the_seed_figures(world):
    for kind in (EventKind.STAFF_TRAINING, EventKind.WORKSHOP, EventKind.ACADEMY):
        past_event(world.org_a, kind=kind)
    seed_reports(SeedContext(scale="demo"))
    targets = {
        (t.programme.name.split()[0], t.indicator): int(t.value)
        for t in Target.objects.select_related("programme")
    }
    assert targets[("Łączenie", "events.participants")] == 116
    assert targets[("Łączenie", "events.institutions_trained")] == 80
    assert targets[("Organizowanie", "events.programme_hours")] == 160
    assert targets[("Organizowanie", "events.institutions_trained")] == 15
    assert targets[("Organizowanie", "people.beneficiaries")] == 40
    assert targets[("Aktywni", "events.sessions_held")] == 8
    assert targets[("Aktywni", "events.institutions_trained")] == 12
    assert Programme.objects.get(name__startswith="Aktywni").events.count() == 1
    budget = Programme.objects.get(name__startswith="Organizowanie").budget_lines
    assert budget.count() == 3 and {line.currency for line in budget.all()} == {"PLN"}


def test_a_second_editor_does_not_silently_undo_the_first(world, login):
    programme = make_programme(world)
    client = login("coordinator")
    url = reverse("reports:programme_edit", args=[programme.pk])
    data = {
        "name": "Nowa nazwa",
        "organisation": world.org_a.pk,
        "starts_on": programme.starts_on.isoformat(),
        "ends_on": programme.ends_on.isoformat(),
        "language": "en",
        "version": programme.version,
    }
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "name": "Stara nazwa"})
    assert stale.status_code == 200  # the conflict is said on the form
    programme.refresh_from_db()
    assert programme.name == "Nowa nazwa" and programme.language == "en"


def test_programme_pages_issue_a_constant_number_of_queries(world, login):
    client = login("coordinator")
    programme = make_programme(world)
    assert_constant_queries(
        client, reverse("reports:programme_list"), lambda: make_programme(world), times=5
    )

    def more_people():
        attended(past_event(world.org_a), participant=make_participant(world))

    assert_constant_queries(
        client, reverse("reports:programme_detail", args=[programme.pk]), more_people, times=5
    )


def test_programme_form_finds_the_lead_organisation_among_many(world, login):
    from mosty.core.forms import SEARCH_SHOWN
    from tests.factories import MembershipFactory, OrganisationFactory

    coordinator = world.user("coordinator")
    programme = make_programme(world)
    client = login("coordinator")
    url = reverse("reports:programme_edit", args=[programme.pk])

    def coordinate_one_more():
        org = OrganisationFactory(name=f"Aaa {Organisation.objects.count()}")
        MembershipFactory(user=coordinator, organisation=org, role="coordinator")

    for _ in range(SEARCH_SHOWN):
        coordinate_one_more()
    # The select lists a page of them and the programme's own lead, chosen; no more queries
    # however many organisations the coordinator leads.
    assert_constant_queries(client, url, coordinate_one_more, times=3)
    field = client.get(url).context["form"]["organisation"]
    listed = [str(value) for value, _label in field.field.widget.choices if value != ""]
    assert len(listed) == SEARCH_SHOWN + 1 and str(world.org_a.pk) in listed
    assert f'<option value="{world.org_a.pk}" selected>' in str(field)
    # Typing finds the others, and any of them can still be chosen.
    found = client.post(url, {"_search": "organisation", "organisation__q": "Aaa 1"})
    assert all(
        "Aaa 1" in label
        for value, label in found.context["form"]["organisation"].field.widget.choices
        if value not in ("", world.org_a.pk)
    )
    other = Organisation.objects.filter(name__startswith="Aaa").order_by("-pk").first()
    data = {
        "name": programme.name,
        "organisation": other.pk,
        "starts_on": programme.starts_on.isoformat(),
        "ends_on": programme.ends_on.isoformat(),
        "language": "pl",
        "version": programme.version,
    }
    assert client.post(url, data).status_code == 302
    programme.refresh_from_db()
    assert programme.organisation_id == other.pk


def test_dashboard_compares_with_the_period_before(world, login):
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=29), today
    past_event(world.org_a, sessions=1, days_ago=5)  # 2 h this period
    for _ in range(2):
        past_event(world.org_a, sessions=1, days_ago=40)  # 4 h in the 30 days before
    past_event(world.org_b, sessions=1, days_ago=5)  # another organisation's: not counted
    response = login("coordinator").get(
        reverse("reports:dashboard") + f"?start={start.isoformat()}&end={end.isoformat()}"
    )
    html = response.content.decode()
    row = html[html.index('<th scope="row" class="fw-normal">Godziny programu') :]
    row = row[: row.index("</tr>")]
    assert '<td class="text-end fw-semibold">2</td>' in row
    assert '<td class="text-end text-body-secondary">4</td>' in row
