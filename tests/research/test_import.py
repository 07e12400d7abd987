"""Importing through the page and the command; versions; what blocks opening."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from mosty.research import demo_forms
from mosty.research.models import Survey
from tests.research.factories import FORMS, make_response, make_survey


def _upload(name, content=None):
    content = content if content is not None else (FORMS / name).read_bytes()
    return SimpleUploadedFile(name, content)


@pytest.mark.django_db
def test_a_coordinator_imports_a_form_and_opens_it(world, login):
    client = login("coordinator")
    page = client.post(
        reverse("research:create"),
        {
            "organisation": world.org_a.pk,
            "title": "Migrants 2026",
            "audience": "migrants",
            "anonymous_link": "on",
            "file": _upload("migrants.xlsx", demo_forms.migrant_survey()),
        },
    )
    assert page.status_code == 302
    survey = Survey.objects.get()
    assert survey.created_by == world.user("coordinator", "a")
    assert [lang["code"] for lang in survey.current_version().languages] == ["pl", "en", "uk", "ar"]
    client.post(reverse("research:open", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == "open"


@pytest.mark.django_db
def test_a_refused_form_is_shown_beside_the_field_and_nothing_is_written(world, login):
    from mosty.research.demo_forms import YES_NO, xlsform_bytes

    broken = xlsform_bytes(
        [
            {"type": "text", "name": "q", "label": ("a", "b", "c", "d")},
            {"type": "text", "name": "q", "label": ("a", "b", "c", "d")},
        ],
        YES_NO,
        {},
    )
    page = login("coordinator").post(
        reverse("research:create"),
        {
            "organisation": world.org_a.pk,
            "title": "X",
            "audience": "migrants",
            "file": _upload("b.xlsx", broken),
        },
    )
    assert page.status_code == 200
    assert "row: 3" in page.content.decode()
    assert not Survey.objects.exists()


@pytest.mark.django_db
def test_unsupported_features_block_opening_and_a_new_version_keeps_old_answers(world, login):
    survey = make_survey(
        world.org_a, (FORMS / "gps.xls").read_bytes(), status="draft", filename="gps.xls"
    )
    client = login("coordinator")
    detail = client.get(reverse("research:detail", args=[survey.pk])).content.decode()
    assert "gps" in detail and "is not supported" in detail
    client.post(reverse("research:open", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == "draft"
    old = make_response(survey, {"location": "54.3 18.6"})
    client.post(
        reverse("research:upload", args=[survey.pk]),
        {"file": _upload("migrants.xlsx", demo_forms.migrant_survey())},
    )
    assert survey.versions.count() == 2
    old.refresh_from_db()
    assert old.version.number == 1 and old.version.definition["children"][0]["name"] == "location"
    client.post(reverse("research:open", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == "open"


@pytest.mark.django_db
def test_the_command_checks_and_imports(world, capsys):
    call_command("survey_import", str(FORMS / "pull_data.xlsx"), "--check")
    assert "pulldata()" in capsys.readouterr().err
    coordinator = world.user("coordinator", "a")
    call_command(
        "survey_import",
        str(FORMS / "or_other.xlsx"),
        "--user",
        coordinator.email,
        "--organisation",
        str(world.org_a.pk),
    )
    survey = Survey.objects.get()
    assert survey.organisation == world.org_a and survey.created_by == coordinator
    with pytest.raises(CommandError):
        call_command("survey_import", str(FORMS / "or_other.xlsx"))
    with pytest.raises(CommandError):
        call_command(
            "survey_import",
            str(FORMS / "or_other.xlsx"),
            "--user",
            world.user("mentor", "a").email,
            "--organisation",
            str(world.org_a.pk),
        )


def _sector_form(sector_type="select_multiple sector", *, age=True, polish="integer"):
    label = ("Pytanie", "Question", "Питання", "سؤال")
    rows = [
        {"type": "integer", "name": "age", "label": label} if age else None,
        {"type": sector_type, "name": "sector", "label": label},
        {"type": polish, "name": "polish", "label": label},
    ]
    choices = [
        {"list_name": "sector", "name": name, "label": (name, name, name, name)}
        for name in ("care", "logistics", "it")
    ]
    settings = {"form_title": "Sectors", "form_id": "sectors", "default_language": "English (en)"}
    return demo_forms.xlsform_bytes([r for r in rows if r], choices, settings)


@pytest.mark.django_db
def test_a_new_version_keeps_the_answered_questions_and_their_types(world, login):
    survey = make_survey(world.org_a, _sector_form(), filename="sectors.xlsx")
    make_response(survey, {"age": 30, "sector": "care it"})
    client = login("coordinator")
    url = reverse("research:upload", args=[survey.pk])
    page = client.post(url, {"file": _upload("v2.xlsx", _sector_form("select_one sector"))})
    assert page.status_code == 200
    errors = " ".join(page.context["form"].errors["file"])
    assert 'The question "sector" already has answers as select_multiple' in errors
    assert "cannot become select_one" in errors
    page = client.post(url, {"file": _upload("v3.xlsx", _sector_form("text", age=False))})
    errors = " ".join(page.context["form"].errors["file"])
    assert 'The question "age" already has answers: it cannot be left out.' in errors
    assert "cannot become text" in errors
    assert survey.versions.count() == 1
    # A question nobody answered yet may change.
    page = client.post(url, {"file": _upload("v4.xlsx", _sector_form(polish="text"))})
    assert page.status_code == 302 and survey.versions.count() == 2
