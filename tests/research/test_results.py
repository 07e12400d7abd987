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
    assert "Hidden so that nobody can be recognised" in text  # Syria: 2 answers, hidden
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


def _region_survey(world):
    """13 in IT: 3 from Kyiv, 10 from Kharkiv, none from Minsk; ages 18 to 60."""
    survey = make_survey(world.org_a)
    for n in range(13):
        make_response(
            survey,
            {
                "country": "ua",
                "region": "kyiv" if n < 3 else "kharkiv",
                "sector": "it",
                "age": 18 if n == 0 else 60 if n == 1 else 30,
                "works": "yes" if n < 3 else "no",
            },
        )
    make_response(survey, {"country": "sy", "sector": "care", "age": 40})
    return survey


@pytest.mark.django_db
def test_summary_small_count_cannot_be_worked_out_from_the_total(world, login):
    survey = _region_survey(world)
    page = login("mentor").get(
        reverse("research:summary", args=[survey.pk]) + "?by=sector&value=it"
    )
    assert page.context["total"] == 13
    region = next(r for r in page.context["results"] if r.question.name == "region")
    assert region.answered == 13
    counts = {row.value: row.count for row in region.rows}
    assert counts["kyiv"] is None
    # 13 answered, so showing Kharkiv's 10 and Minsk's 0 would give Kyiv = 3 away.
    shown = [count for count in counts.values() if count is not None]
    assert len(counts) - len(shown) >= 2 and 13 - sum(shown) >= 5
    html = page.content.decode()
    assert ">10<" not in html.replace(" ", "")


@pytest.mark.django_db
def test_summary_and_api_never_show_a_groups_youngest_and_oldest(world, login):
    survey = _region_survey(world)
    client = login("mentor")
    page = client.get(reverse("research:summary", args=[survey.pk]) + "?by=sector&value=it")
    age = next(r for r in page.context["results"] if r.question.name == "age")
    assert age.numbers is not None and set(age.numbers) == {"mean", "median"}
    html = page.content.decode()
    assert "Lowest" not in html and "Highest" not in html and "Median" in html
    data = client.get(reverse("api:survey_results", args=[survey.pk])).json()
    numbers = next(q for q in data["questions"] if q["name"] == "age")["numbers"]
    assert set(numbers) == {"mean", "median"}
    # The research team sees them (it reads the answers anyway).
    team = login("coordinator").get(reverse("research:results", args=[survey.pk]))
    age = next(r for r in team.context["results"] if r.question.name == "age")
    assert age.numbers == {"mean": 32.0, "median": 30.0, "min": 18.0, "max": 60.0}


@pytest.mark.django_db
def test_summary_cross_tab_hides_what_its_totals_would_give_away(world, login):
    survey = _region_survey(world)
    page = login("mentor").get(
        reverse("research:summary", args=[survey.pk])
        + "?by=sector&value=it&row=region&column=works"
    )
    # Kyiv × works: 3 yes; Kharkiv × works: 10 no. The row totals are on the same page.
    cells = page.context["crosstab"].cells
    assert cells[0][0] is None
    assert cells[1][1] is None  # 13 answers - Kharkiv's 10 - Minsk's 0 = Kyiv's 3


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["pl", "fr", "en"])
def test_results_api_numbers_are_json_numbers_in_every_language(world, login, language):
    survey = make_survey(world.org_a)
    for age in (20, 25, 30, 35, 40, 45):
        make_response(survey, {"age": age})
    url = reverse("api:survey_results", args=[survey.pk])
    for who in ("coordinator", "mentor"):
        data = login(who).get(url, HTTP_ACCEPT_LANGUAGE=language).json()
        numbers = next(q for q in data["questions"] if q["name"] == "age")["numbers"]
        assert numbers["mean"] == 32.5 and numbers["median"] == 32.5
        assert all(type(value) is float for value in numbers.values())
    assert numbers.keys() == {"mean", "median"}


@pytest.mark.django_db
def test_results_filters_name_questions_by_their_labels_in_the_readers_language(world, login):
    survey = make_survey(world.org_a)
    make_response(survey, {"age": 30, "country": "ua", "works": "yes"})
    client = login("coordinator")
    page = client.get(f"/uk/research/{survey.pk}/results/?by=country")
    html = page.content.decode()
    asked = '<option value="country" selected>З якої ви країни?</option>'
    assert asked in html
    assert ">country</option>" not in html
