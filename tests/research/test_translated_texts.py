"""A survey's own texts in the respondent's language: the title and the consent text before
the first question, written by the survey's editor for each language of the form; where a
language has none, the form's own title and the consent text as written."""

import pytest
from django.urls import reverse

from mosty.research.models import Survey
from tests.research.factories import make_survey

FORM_TITLE = "Diagnoza: ankieta dla migrantów"  # the migrant survey's form_title (Polish)


def _settings(survey, **extra):
    return {
        "title": survey.title,
        "audience": survey.audience,
        "consent_text": survey.consent_text,
        "anonymous_link": "on",
        "closes_at": "",
        "response_cap": "",
        "version": survey.version,
        **extra,
    }


def _fields_for(page, language_name):
    """The names of the title and consent fields the settings form offers for a language."""
    form = page.context["form"]
    return [
        name
        for name, field in form.fields.items()
        if language_name in str(field.label) and name not in form.Meta.fields
    ]


@pytest.mark.django_db
def test_the_editor_writes_the_title_and_consent_for_each_language_of_the_form(
    client, world, login
):
    survey = make_survey(world.org_a, consent_text="Odpowiedzi są anonimowe.")
    editor = login("coordinator")
    url = reverse("research:edit", args=[survey.pk])
    page = editor.get(url)
    # One title and one consent text per language of the form (Polish, English, Ukrainian,
    # Arabic), named in the editor's language.
    title_uk, consent_uk = _fields_for(page, "Ukrainian")
    assert _fields_for(page, "Arabic") and _fields_for(page, "English")
    saved = editor.post(
        url,
        _settings(
            survey,
            **{
                title_uk: "Діагностика: анкета для мігрантів",
                consent_uk: "Ваші відповіді анонімні.",
            },
        ),
    )
    assert saved.status_code == 302
    survey.refresh_from_db()
    assert survey.title_translations == {"uk": "Діагностика: анкета для мігрантів"}
    assert survey.consent_text_translations == {"uk": "Ваші відповіді анонімні."}
    # The form shows what was saved.
    assert editor.get(url).context["form"].initial[title_uk] == (
        "Діагностика: анкета для мігрантів"
    )

    client.logout()
    answer = reverse("research:answer", args=[survey.slug])
    ukrainian = client.get(answer + "?lang=uk").content.decode()
    assert "Діагностика: анкета для мігрантів" in ukrainian
    assert "Ваші відповіді анонімні." in ukrainian
    assert FORM_TITLE not in ukrainian and "Odpowiedzi są anonimowe." not in ukrainian
    # A language without its own texts: the form's title and the consent text as written.
    arabic = client.get(answer + "?lang=ar").content.decode()
    assert FORM_TITLE in arabic and "Odpowiedzi są anonimowe." in arabic
    # The answer pages and the thanks page keep the respondent's language.
    started = client.post(answer, {"lang": "uk"})
    respond = client.get(started["Location"]).content.decode()
    assert "Діагностика: анкета для мігрантів" in respond and FORM_TITLE not in respond


@pytest.mark.django_db
def test_a_survey_whose_form_has_one_language_offers_no_translations(world, login):
    from mosty.research.demo_forms import xlsform_bytes

    single = xlsform_bytes(
        [{"type": "text", "name": "q", "label": ("Pytanie",)}],
        [],
        {"form_id": "one"},
        languages=("Polski (pl)",),
    )
    survey = make_survey(world.org_a, single)
    page = login("coordinator").get(reverse("research:edit", args=[survey.pk]))
    form = page.context["form"]
    assert set(form.fields) == {*form.Meta.fields, "version"}


@pytest.mark.django_db
def test_a_form_without_a_title_of_its_own_shows_the_surveys_title(client, world):
    """pyxform names a form without `form_title` by its form_id (or its file's name): the
    respondent reads the survey's title instead, not "one" or "migrants"."""
    from mosty.research.demo_forms import xlsform_bytes

    single = xlsform_bytes(
        [{"type": "text", "name": "q", "label": ("Pytanie",)}],
        [],
        {"form_id": "one"},
        languages=("Polski (pl)",),
    )
    survey = make_survey(world.org_a, single, title="Potrzeby mieszkańców")
    page = client.get(reverse("research:answer", args=[survey.slug])).content.decode()
    assert "<h1" in page and "Potrzeby mieszkańców" in page and ">one<" not in page
    assert Survey.objects.get(pk=survey.pk).title == "Potrzeby mieszkańców"
