import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mosty.research.exports import xlsform_sheets
from mosty.research.xlsform import analyse, read_xlsform
from tests.research.factories import make_response, make_survey


@pytest.mark.django_db
def test_results_for_the_team_and_suppressed_summary_for_others(world, login):
    survey = make_survey(world.org_a)
    for n in range(7):
        make_response(survey, {"age": 20 + n, "country": "ua" if n < 5 else "sy", "works": "yes"})
    team = login("coordinator").get(reverse("research:results", args=[survey.pk]))
    html = team.content.decode()
    assert team.status_code == 200 and "<svg" in html
    summary = login("mentor").get(reverse("research:summary", args=[survey.pk]))
    text = summary.content.decode()
    assert summary.status_code == 200
    assert "&lt;5" in text  # Syria: 2 answers, hidden
    filtered = login("coordinator").get(
        reverse("research:results", args=[survey.pk])
        + "?by=country&value=sy&row=country&column=works"
    )
    assert filtered.context["total"] == 2
    assert filtered.context["crosstab"].cells[0][0] == 0


@pytest.mark.django_db
def test_wide_export_and_form_round_trip(world, login):
    survey = make_survey(world.org_a)
    make_response(
        survey, {"age": 30, "country": "ua", "sector": "care it", "needs": "=HYPERLINK(1)"}
    )
    client = login("coordinator")
    csv = client.get(reverse("research:export", args=[survey.pk, "csv"]))
    text = b"".join(csv.streaming_content).decode()
    header = text.splitlines()[0].split(",")
    assert header[:2] == ["_id", "_uuid"] and "age" in header and "sector" in header
    assert "'=HYPERLINK(1)" in text and "care it" in text
    xlsx = client.get(reverse("research:export", args=[survey.pk, "xlsx"]) + "?labels=1&lang=en")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell.value for cell in list(sheet.rows)[1]]
    assert "Ukraine" in values and "Care IT" in values
    form = client.get(reverse("research:export_form", args=[survey.pk]))
    again = read_xlsform(form.content, "again.xlsx")
    names = [c["name"] for c in again["children"]]
    original = survey.current_version().definition
    assert names == [c["name"] for c in original["children"]]
    assert [lang["code"] for lang in analyse(again).languages] == ["pl", "en", "uk", "ar"]
    assert xlsform_sheets(survey.current_version())[0][0] == "survey"


@pytest.mark.django_db
def test_results_api_is_suppressed_outside_the_team(world, login):
    survey = make_survey(world.org_a)
    for n in range(7):
        make_response(survey, {"country": "ua" if n < 5 else "sy"})
    url = reverse("api:survey_results", args=[survey.pk])
    team = login("coordinator").get(url).json()
    country = next(q for q in team["questions"] if q["name"] == "country")
    assert (
        team["suppressed"] is False and {r["value"]: r["count"] for r in country["rows"]}["sy"] == 2
    )
    other = login("mentor").get(url).json()
    country = next(q for q in other["questions"] if q["name"] == "country")
    assert (
        other["suppressed"] is True
        and {r["value"]: r["count"] for r in country["rows"]}["sy"] is None
    )
