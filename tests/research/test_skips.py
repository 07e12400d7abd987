"""Instant skips: the answer page asks the server which questions the values typed so far
show, without saving; the page keeps working without JavaScript exactly as before."""

import re

import pytest
from django.urls import reverse

from mosty.research.models import Response
from tests.research.factories import FORMS, make_response, make_survey, skips_survey


def _start(client, survey):
    started = client.post(reverse("research:answer", args=[survey.slug]), {"lang": "en"})
    assert started.status_code == 302
    response = Response.objects.get(survey=survey)
    return started["Location"], reverse("research:respond_skips", args=[response.key]), response


def _box(html, name):
    """The opening tag of a question's box on the page."""
    match = re.search(rf'<fieldset class="mb-4" data-question="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


@pytest.mark.django_db
def test_the_page_draws_hidden_questions_hidden_and_disabled(client, world):
    survey = make_survey(world.org_a, skips_survey(), filename="skips.xlsx")
    url, skips, _response = _start(client, survey)
    html = client.get(url).content.decode()
    assert "hidden disabled" not in _box(html, "country")
    assert "hidden disabled" in _box(html, "region")
    assert "hidden disabled" in _box(html, "hours")
    assert f'data-skips="{skips}"' in html
    assert 'aria-live="polite"' in html and "research/skips.js" in html


@pytest.mark.django_db
def test_skips_answer_what_sending_the_page_would_show_and_save_nothing(client, world):
    survey = make_survey(world.org_a, skips_survey(), filename="skips.xlsx")
    url, skips, response = _start(client, survey)
    before = (response.answers, response.page, response.updated_at)

    shown = client.post(skips, {"page": 0, "country": "ua", "works": "yes"})
    assert shown.status_code == 200
    result = shown.json()
    assert result["shown"] == ["country", "hours", "region", "works"]
    assert result["choices"] == {"region": ["kyiv", "kharkiv"]}  # the choice filter, on the server
    assert result["last"] is True  # the page after is only for those who do not work

    other = client.post(skips, {"page": 0, "country": "sy", "works": "no"}).json()
    assert other["shown"] == ["country", "works"] and other["last"] is False

    response.refresh_from_db()
    assert (response.answers, response.page, response.updated_at) == before

    # Sending the same values agrees: the hours question the skips showed is required.
    refused = client.post(url, {"page": 0, "country": "ua", "works": "yes"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "hidden" not in _box(html, "hours") and 'id="q-hours-error"' in html
    assert "hidden" not in _box(html, "region")


@pytest.mark.django_db
def test_skips_name_questions_never_answers(client, world):
    survey = make_survey(world.org_a, skips_survey(), filename="skips.xlsx")
    mine = make_response(survey, {"country": "by", "works": "no"}, submitted=False)
    url = reverse("research:respond_skips", args=[mine.key])
    body = client.post(url, {"page": 1, "needs": "a secret flat"}).content.decode()
    assert "a secret flat" not in body and '"by"' not in body
    assert client.post(url, {"page": 0, "country": "by"}).json()["choices"] == {"region": ["minsk"]}


@pytest.mark.django_db
def test_bad_input_is_a_4xx(client, world):
    survey = make_survey(world.org_a, skips_survey(), filename="skips.xlsx")
    _url, skips, response = _start(client, survey)
    for page in ("", "x", "-1", "²", "99"):
        refused = client.post(skips, {"page": page, "country": "ua"})
        assert refused.status_code == 400 and refused.json()["detail"], page
    assert client.post(skips, {"page": 0, "works": "perhaps"}).status_code == 200
    assert client.get(skips).status_code == 405
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.post(reverse("research:respond_skips", args=[unknown])).status_code == 404
    done = make_response(survey, {}, submitted=True)
    sent = client.post(reverse("research:respond_skips", args=[done.key]), {"page": 0})
    assert sent.status_code == 409
    survey.status = "closed"
    survey.save()
    assert client.post(skips, {"page": 0}).status_code == 403
    assert response.pk


@pytest.mark.django_db
def test_skips_inside_a_repeat_read_each_instance(client, world):
    survey = make_survey(
        world.org_a, (FORMS / "tutorial.xls").read_bytes(), filename="tutorial.xls"
    )
    _url, skips, _response = _start(client, survey)
    data = {
        "page": 0,
        "instances": 2,
        "sex__0": "female",
        "older_than_five__0": "yes",
        "age_in_years__0": "30",
        "older_than_five__1": "no",
    }
    shown = set(client.post(skips, data).json()["shown"])
    assert {"age_in_years__0", "literate__0", "pregnant__0", "age_in_months__1"} <= shown
    assert not {"age_in_months__0", "age_in_years__1", "literate__1"} & shown
