"""The city report as a file (issue 17): whoever sees the whole city downloads every indicator
with its breakdowns as XLSX, CSV or PDF; the figures are the dashboard's, counts of other
organisations' people under the threshold stay hidden in the file, and the issued report gives
the same numbers again after erasure."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mosty.core.indicators import INDICATORS
from mosty.organisations.models import Organisation, OrganisationKind
from mosty.reports.models import CitySnapshot
from mosty.reports.tasks import city_report_count
from tests.cases.factories import make_participant
from tests.reports.factories import attended, past_event

pytestmark = pytest.mark.django_db


def _period() -> dict[str, str]:
    today = timezone.localdate()
    return {"start": (today - datetime.timedelta(days=60)).isoformat(), "end": today.isoformat()}


def _six_at_a_workshop(world):
    """Five women and one man at a two-session workshop of organisation A."""
    event = past_event(world.org_a, sessions=2)
    people = [make_participant(world, gender="female") for _ in range(5)]
    people.append(make_participant(world, gender="male"))
    for person in people:
        attended(event, participant=person)
    return people


def _export(client, fmt: str, **period: str):
    """Ask for the city report; a period no rollup keeps is counted by the background task
    (run here), then downloaded from the list, as the user would."""
    response = client.post(reverse("reports:city_export"), {**_period(), **period, "format": fmt})
    counting = CitySnapshot.objects.filter(status=CitySnapshot.Status.COUNTING).first()
    if response.status_code != 302 or counting is None:
        return response
    city_report_count.call(counting.pk)
    return client.get(reverse("reports:city_download", args=[counting.pk]), {"format": fmt})


def test_the_city_export_gives_the_dashboards_figures(world, login):
    _six_at_a_workshop(world)
    client = login("admin")
    dashboard = client.get(reverse("reports:dashboard"), _period())
    assert dashboard.status_code == 200
    assert reverse("reports:city_export") in dashboard.content.decode()
    shown = {figure.indicator.code: figure.value for figure, _before in dashboard.context["rows"]}
    assert shown["people.beneficiaries"] == 6 and shown["events.programme_hours"] == 4
    response = _export(client, "xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 1 + len(INDICATORS)
    summary = {row[0].value: row[3].value for row in book.worksheets[0].iter_rows(min_row=2)}
    for code, value in shown.items():
        assert float(summary[str(INDICATORS[code].name)]) == float(value), code
    snapshot = CitySnapshot.objects.get()
    assert snapshot.issued_by == world.user("admin")
    pdf = _export(client, "pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_suppressed_cell_stays_suppressed_in_the_files(world, login):
    _six_at_a_workshop(world)
    client = login("admin")
    text = _export(client, "csv").content.decode("utf-8-sig")
    lines = [line for line in text.splitlines() if line.startswith("Bezpośredni odbiorcy,Płeć")]
    # One man: his cell is hidden, and the women's with it (else 6 − 5 gives him away).
    assert lines == [
        "Bezpośredni odbiorcy,Płeć,Kobieta,nie pokazano,osoby",
        "Bezpośredni odbiorcy,Płeć,Mężczyzna,nie pokazano,osoby",
    ]
    assert "Bezpośredni odbiorcy,,,6,osoby" in text
    book = load_workbook(io.BytesIO(_export(client, "xlsx").content))
    sheet = book[str(INDICATORS["people.beneficiaries"].name)[:31]]
    cells = {(row[0].value, row[1].value): row[2].value for row in sheet.iter_rows(min_row=2)}
    assert cells[("Płeć", "Mężczyzna")] == "nie pokazano"
    assert cells[("Płeć", "Kobieta")] == "nie pokazano"
    assert cells[("Razem", None)] == 6


def test_the_issued_city_report_survives_erasure(world, login):
    people = _six_at_a_workshop(world)
    client = login("admin")
    _export(client, "csv")
    snapshot = CitySnapshot.objects.get()
    for person in people:
        person.event_registrations.all().delete()
    again = client.get(reverse("reports:city_download", args=[snapshot.pk]), {"format": "csv"})
    assert again.status_code == 200
    assert "Bezpośredni odbiorcy,,,6,osoby" in again.content.decode("utf-8-sig")
    assert "Bezpośredni odbiorcy,,,0,osoby" in _export(client, "csv").content.decode("utf-8-sig")


def test_only_those_who_see_the_whole_city_export_it(world, login):
    _six_at_a_workshop(world)
    for role in ("caseworker", "coordinator"):
        assert _export(login(role, "a"), "csv").status_code == 403
    assert _export(login("coordinator", "b"), "csv").status_code == 403
    assert not CitySnapshot.objects.exists()
    world.org_b.kind = OrganisationKind.CITY_OFFICE
    world.org_b.save()
    client = login("coordinator", "b")
    assert "Bezpośredni odbiorcy,,,6,osoby" in _export(client, "csv").content.decode("utf-8-sig")
    # Issuing writes a report: a link followed or prefetched must not issue one.
    assert client.get(reverse("reports:city_export")).status_code == 405


def test_a_bad_period_is_explained_beside_the_field(world, login):
    client = login("admin")
    response = _export(client, "csv", start="2026-05-01", end="2026-01-01")
    assert response.status_code == 302
    page = client.get(response.url)
    html = page.content.decode()
    assert 'id="id_end_errors"' in html
    assert "Koniec okresu nie może być wcześniejszy niż jego początek." in html
    response = _export(client, "xlsx", start="not a date")
    assert response.status_code == 302
    assert 'id="id_start_errors"' in client.get(response.url).content.decode()
    assert not CitySnapshot.objects.exists()


def test_a_period_not_kept_is_counted_in_the_background_with_progress(world, login):
    _six_at_a_workshop(world)
    client = login("admin")
    response = client.post(reverse("reports:city_export"), {**_period(), "format": "xlsx"})
    assert response.status_code == 302
    snapshot = CitySnapshot.objects.get()
    assert snapshot.status == CitySnapshot.Status.COUNTING and snapshot.total == len(INDICATORS)
    page = client.get(response.url).content.decode()
    assert f"Liczenie: 0 z {len(INDICATORS)} wskaźników" in page
    download = reverse("reports:city_download", args=[snapshot.pk])
    assert client.get(download, {"format": "csv"}).status_code == 404  # not ready yet
    city_report_count.call(snapshot.pk)
    snapshot.refresh_from_db()
    assert snapshot.status == CitySnapshot.Status.READY
    assert snapshot.figures["indicators"]["people.beneficiaries"]["value"] == 6
    assert download in client.get(reverse("reports:dashboard")).content.decode()
    assert client.get(download, {"format": "csv"}).status_code == 200


def test_a_count_whose_worker_died_is_marked_failed_by_the_daily_sweep(world, login):
    from django.conf import settings

    from mosty.reports.rollups import STALE_AFTER
    from mosty.reports.tasks import city_report_stale_sweep

    client = login("admin")
    client.post(reverse("reports:city_export"), {**_period(), "format": "xlsx"})
    snapshot = CitySnapshot.objects.get()
    assert city_report_stale_sweep.call() == 0  # still young: its worker may be counting
    CitySnapshot.objects.filter(pk=snapshot.pk).update(
        issued_at=timezone.now() - STALE_AFTER - datetime.timedelta(minutes=1)
    )
    assert city_report_stale_sweep.call() == 1
    snapshot.refresh_from_db()
    assert snapshot.status == CitySnapshot.Status.FAILED
    assert "mosty.reports.tasks.city_report_stale_sweep" in settings.MOSTY_DAILY_TASKS


def test_a_programmes_report_for_its_donor_is_suppressed_for_the_admin_too(world, login):
    """The admin sees the programme's small counts on screen; the file for its donor leaves
    the system, so the one man stays hidden there as in the city report (the coordinator of
    organisation A, whose people they are, gets them exact), and a cell hidden only to
    protect another reads "not shown", not "fewer than 5"."""
    from tests.reports.factories import make_programme

    _six_at_a_workshop(world)
    programme = make_programme(world)
    url = reverse("reports:programme_export", args=[programme.pk])
    admin_file = login("admin").post(url, {"format": "csv"}).content.decode("utf-8-sig")
    lines = [line for line in admin_file.splitlines() if line.startswith("Bezpośredni odbiorcy,")]
    assert "Bezpośredni odbiorcy,,,6," in lines[0]
    assert "Bezpośredni odbiorcy,Płeć,Mężczyzna,nie pokazano," in lines
    assert "Bezpośredni odbiorcy,Płeć,Kobieta,nie pokazano," in lines
    own_file = login("coordinator").post(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert "Bezpośredni odbiorcy,Płeć,Mężczyzna,1," in own_file.splitlines()


def _names_queries(queries) -> list[str]:
    """The queries that read organisations' names by their ids (the breakdown's labels)."""
    return [
        q["sql"]
        for q in queries
        if '"organisations_organisation"."name"' in q["sql"]
        and '"organisations_organisation"."id" IN (' in q["sql"]
    ]


def test_a_report_split_by_300_organisations_reads_their_names_in_one_query(world, login):
    """Every organisation breakdown of the file is labelled with one query for the names of
    the organisations it shows, however many; and a rename (here a queryset update, which
    sends no signal) is in the next file at once."""
    client = login("admin")
    _export(client, "csv")
    snapshot = CitySnapshot.objects.get()
    url = reverse("reports:city_download", args=[snapshot.pk])
    by_organisation = [c for c, i in INDICATORS.items() if "organisation" in i.breakdowns]
    assert len(by_organisation) >= 2  # cases and mentoring split by organisation

    def split_by(organisations) -> None:
        """The issued figures, as if the city's records spanned `organisations`."""
        for code in by_organisation:
            snapshot.figures["indicators"][code]["breakdowns"]["organisation"] = [
                [str(o.pk), 7] for o in organisations
            ]
        snapshot.save(update_fields=["figures"])

    def download() -> tuple[str, int, list[str]]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"format": "csv"})
        assert response.status_code == 200
        return response.content.decode("utf-8-sig"), len(ctx), _names_queries(ctx)

    split_by([world.org_a, world.org_b])
    _text, few, names = download()
    assert len(names) == 1
    many = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Stowarzyszenie {i:03d}", slug=f"stowarzyszenie-{i:03d}", kind="ngo")
            for i in range(300)
        ]
    )
    split_by(many)
    text, queries, names = download()
    assert queries == few and len(names) == 1
    assert all(f"Stowarzyszenie {i:03d}" in text for i in range(300))
    Organisation.objects.filter(pk=many[0].pk).update(name="Stowarzyszenie Nowe")
    text, _queries, _names = download()
    assert "Stowarzyszenie Nowe" in text and "Stowarzyszenie 000" not in text
