"""A repeat (pyxform's tutorial: one set of questions per household member)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mosty.research.models import Response
from tests.research.factories import FORMS, make_survey


@pytest.mark.django_db
def test_household_members_are_added_answered_and_exported(client, world, login):
    survey = make_survey(
        world.org_a, (FORMS / "tutorial.xls").read_bytes(), filename="tutorial.xls"
    )
    started = client.post(reverse("research:answer", args=[survey.slug]))
    assert started.status_code == 302, started.content.decode()[-3000:]
    url = started["Location"]
    page = client.get(url).content.decode()
    assert 'name="name__0"' in page and 'name="name__1"' not in page
    added = client.post(url, {"page": 0, "instances": 1, "add": "1", "name__0": "Olena"})
    html = added.content.decode()
    assert 'name="name__1"' in html and 'value="Olena"' in html  # typed text is kept
    member = {
        "relationship_to_household_head": "head",
        "sex": "female",
        "resident": "yes",
        "stayed_last_night": "yes",
        "older_than_five": "yes",
    }
    data = {"page": 0, "instances": 2}
    for index, (name, age) in enumerate([("Olena", "34"), ("Ira", "3")]):
        data[f"name__{index}"] = name
        data[f"age_in_years__{index}"] = age
        data.update({f"{k}__{index}": v for k, v in member.items()})
    refused = client.post(url, data)
    assert refused.status_code == 400  # Ira: 3 years, the form's constraint wants 5 or more
    assert 'id="q-age_in_years__1-error"' in refused.content.decode()
    data["age_in_years__1"] = "7"
    assert client.post(url, data).status_code == 302
    response = Response.objects.get()
    assert [m["name"] for m in response.answers["member"]] == ["Olena", "Ira"]
    assert response.answers["member"][1]["age_in_years"] == 7
    coordinator = login("coordinator")
    book = load_workbook(
        io.BytesIO(coordinator.get(reverse("research:export", args=[survey.pk, "xlsx"])).content)
    )
    assert book.sheetnames == ["responses", "member"]
    rows = list(book["member"].values)
    assert rows[0][:3] == ("_parent_id", "_index", "name")
    assert [row[2] for row in rows[1:]] == ["Olena", "Ira"]
