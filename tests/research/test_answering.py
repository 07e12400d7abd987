"""Answering through the public pages: consent first, page by page, skip logic and
constraints on the server, in Arabic right to left, a cap and personal links."""

import pytest
from django.urls import reverse

from mosty.research.models import Response
from tests.research.factories import make_survey


def _start(client, survey, lang="en", url=None):
    url = url or reverse("research:answer", args=[survey.slug])
    page = client.get(url)
    assert page.status_code == 200
    started = client.post(url, {"lang": lang})
    assert started.status_code == 302
    return started["Location"]


def _send(client, url, data):
    return client.post(url, data)


@pytest.mark.django_db
def test_a_migrant_answers_in_arabic_with_skip_logic(client, world):
    survey = make_survey(world.org_a, consent_text="We keep your answers anonymous.")
    start = client.get(reverse("research:answer", args=[survey.slug]) + "?lang=ar")
    assert "We keep your answers anonymous." in start.content.decode()
    url = _start(client, survey, lang="ar")
    page = client.get(url)
    html = page.content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html and "كم عمرك؟" in html
    refused = _send(client, url, {"page": 0, "age": "12"})
    assert refused.status_code == 400
    assert "أدخل عمراً بين 16 و100." in refused.content.decode()
    assert _send(client, url, {"page": 0, "age": "34"}).status_code == 302
    assert _send(client, url, {"page": 1, "country": "sy"}).status_code == 302
    response = Response.objects.get()
    assert response.answers["age"] == 34
    # Syria: the region question (only for Ukraine) is skipped.
    assert response.page == 3
    assert _send(client, url, {"page": 3, "works": "no"}).status_code == 302
    response.refresh_from_db()
    assert response.page == 5  # the work page is skipped too
    _send(client, url, {"page": 5, "polish": "2"})
    response.refresh_from_db()
    assert response.answers["needs_course"] == "yes"
    assert response.page == 6  # the course note shows because needs_course is yes
    _send(client, url, {"page": 6})
    done = _send(client, url, {"page": 7, "needs": "A flat"})
    assert done.status_code == 302
    response.refresh_from_db()
    assert response.submitted_at is not None
    assert "sector" not in response.answers
    assert client.get(url).status_code == 200  # thanks page
    _send(client, url, {"page": 7, "needs": "x"})
    response.refresh_from_db()
    assert response.answers["needs"] == "A flat"  # sent answers do not change


@pytest.mark.django_db
def test_a_choice_outside_the_filter_and_a_range_out_of_bounds_are_refused(client, world):
    survey = make_survey(world.org_a)
    url = _start(client, survey)
    _send(client, url, {"page": 0, "age": "40"})
    _send(client, url, {"page": 1, "country": "ua"})
    assert _send(client, url, {"page": 2, "region": "minsk"}).status_code == 400
    assert _send(client, url, {"page": 2, "region": "kyiv"}).status_code == 302
    _send(client, url, {"page": 3, "works": "yes"})
    bad = _send(client, url, {"page": 4, "sector": ["care", "other"], "hours": "200"})
    assert bad.status_code == 400
    ok = _send(
        client, url, {"page": 4, "sector": ["care", "other"], "sector_other": "Cook", "hours": "20"}
    )
    assert ok.status_code == 302
    assert _send(client, url, {"page": 5, "polish": "9"}).status_code == 400
    answers = Response.objects.get().answers
    assert answers["sector"] == "care other" and answers["sector_other"] == "Cook"


@pytest.mark.django_db
def test_back_keeps_answers_and_a_bad_page_number_is_a_400(client, world):
    survey = make_survey(world.org_a)
    url = _start(client, survey)
    _send(client, url, {"page": 0, "age": "40"})
    _send(client, url, {"page": 1, "back": "1", "country": "sy"})
    response = Response.objects.get()
    assert response.page == 0 and response.answers["country"] == "sy"
    assert _send(client, url, {"page": "x"}).status_code == 400
    assert _send(client, url, {"page": "99"}).status_code == 200  # a message, not a 500


@pytest.mark.django_db
def test_closed_full_and_personal_link_only_surveys(client, world):
    closed = make_survey(world.org_a, status="closed")
    page = client.get(reverse("research:answer", args=[closed.slug]))
    assert page.status_code == 200 and "This survey is closed" in page.content.decode()
    draft = make_survey(world.org_a, status="draft")
    assert client.get(reverse("research:answer", args=[draft.slug])).status_code == 404
    full = make_survey(world.org_a, response_cap=1)
    Response.objects.create(
        survey=full, version=full.current_version(), answers={}, submitted_at="2026-01-01T00:00Z"
    )
    page = client.post(reverse("research:answer", args=[full.slug]), {"lang": "en"})
    assert "all the answers it needs" in page.content.decode()
    private = make_survey(world.org_a, anonymous_link=False)
    page = client.post(reverse("research:answer", args=[private.slug]), {"lang": "en"})
    assert "personal links only" in page.content.decode()
    invitation = private.invitations.create()
    link = reverse("research:invited", args=[invitation.token])
    first = _start(client, private, url=link)
    second = client.post(link, {"lang": "en"})["Location"]
    assert first == second  # one personal link, one response
    assert Response.objects.filter(survey=private).count() == 1


@pytest.mark.django_db
def test_interviewer_mode_for_staff(client, world, login):
    survey = make_survey(world.org_a)
    staff = login("caseworker")
    started = staff.post(reverse("research:interview", args=[survey.pk]))
    response = Response.objects.get()
    assert response.mode == "interview" and response.entered_by == world.user("caseworker", "a")
    assert "Interviewer mode" in staff.get(started["Location"]).content.decode()
    client.logout()
    from django.test import Client

    assert Client().post(started["Location"], {"page": 0, "age": "30"}).status_code in (403, 302)


@pytest.mark.django_db
def test_interviewers_list_links_only_surveys_they_may_open(world, login):
    """A caseworker enters paper answers for their organisation's surveys but does not run
    them: the list names the survey without a link to its settings and results (which would
    answer 404), and keeps the button that starts an interview."""
    survey = make_survey(world.org_a)
    detail = f'href="{reverse("research:detail", args=[survey.pk])}"'
    page = login("caseworker").get(reverse("research:list")).content.decode()
    assert survey.title in page and reverse("research:interview", args=[survey.pk]) in page
    assert detail not in page
    focus_groups = f'href="{reverse("research:focus_list")}"'
    assert focus_groups not in page  # the list of focus groups is the organisers' own
    coordinators = login("coordinator").get(reverse("research:list")).content.decode()
    assert detail in coordinators and focus_groups in coordinators


@pytest.mark.django_db
def test_respondents_are_told_a_survey_has_closed(client, world, login):
    from datetime import timedelta

    from django.utils import timezone

    survey = make_survey(world.org_a)
    started = survey.invitations.create()
    link = reverse("research:invited", args=[started.token])
    resume = _start(client, survey, url=link)
    unused = reverse("research:invited", args=[survey.invitations.create().token])
    public = reverse("research:answer", args=[survey.slug])
    staff = login("coordinator")
    assert staff.post(reverse("research:close", args=[survey.pk])).status_code == 302
    client.logout()
    for url in (link, unused, public, resume):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "This survey is closed" in page.content.decode(), url
    # Closed by its closing date rather than by hand: the same page, not "no access".
    dated = make_survey(world.org_a, closes_at=timezone.now() - timedelta(days=1))
    link = reverse("research:invited", args=[dated.invitations.create().token])
    page = client.get(link)
    assert page.status_code == 200 and "This survey is closed" in page.content.decode()
    assert client.post(link, {"lang": "en"}).status_code == 200
    assert not Response.objects.filter(survey=dated).exists()


@pytest.mark.django_db
def test_settings_refuse_a_past_closing_date_and_a_cap_under_the_answers(world, login):
    from datetime import timedelta

    from django.utils import timezone

    from mosty.research.models import Survey

    survey = make_survey(world.org_a)
    for _n in range(3):
        Response.objects.create(
            survey=survey, version=survey.current_version(), answers={}, submitted_at=timezone.now()
        )
    client = login("coordinator")
    url = reverse("research:edit", args=[survey.pk])
    data = {
        "title": "Diagnosis",
        "audience": "migrants",
        "consent_text": "",
        "anonymous_link": "on",
        "closes_at": "2020-01-01T10:00",
        "response_cap": "2",
        "version": survey.version,
    }
    page = client.post(url, data)
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert "already passed" in errors["closes_at"][0]
    assert "Answers already sent: 3" in errors["response_cap"][0]
    survey.refresh_from_db()
    assert survey.closes_at is None and survey.response_cap is None and not survey.is_closed()
    # A date in the future and a cap at the answers sent are fine.
    soon = timezone.localtime() + timedelta(days=7)
    data.update(closes_at=soon.strftime("%Y-%m-%dT%H:%M"), response_cap="3")
    assert client.post(url, data).status_code == 302
    # Once that date has passed, the survey reads "Closed", and its settings still save.
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    survey.refresh_from_db()
    detail = client.get(reverse("research:detail", args=[survey.pk])).content.decode()
    assert '<dd class="col-sm-9">Closed</dd>' in detail
    data.update(
        title="Diagnosis 2",
        closes_at=timezone.localtime(survey.closes_at).strftime("%Y-%m-%dT%H:%M"),
        version=survey.version,
    )
    assert client.post(url, data).status_code == 302


@pytest.mark.django_db
def test_pyxforms_own_other_choice_is_in_the_respondents_language(client, world):
    """`or_other` makes pyxform add the choice "Other" and the question "Specify other." in
    English whatever the form's languages: a Ukrainian respondent reads them in Ukrainian.
    The form's own "Other" (the country list's "Інша", written by its author) stays."""
    survey = make_survey(world.org_a)
    url = _start(client, survey, lang="uk")
    for page, answer in ((0, {"age": "34"}), (1, {"country": "ua"}), (2, {"region": "kyiv"})):
        _send(client, url, {"page": page, **answer})
    assert _send(client, url, {"page": 3, "works": "yes"}).status_code == 302
    html = client.get(url).content.decode()
    assert "Інше" in html and "Вкажіть іншу відповідь." in html
    assert ">Other<" not in html and "Specify other." not in html
