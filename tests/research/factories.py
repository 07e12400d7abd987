from __future__ import annotations

from pathlib import Path
from typing import Any

from mosty.research import demo_forms
from mosty.research.models import FocusGroup, FormVersion, Response, Survey, SurveyStatus
from mosty.research.xlsform import analyse, read_xlsform

FORMS = Path(__file__).parent / "forms"
_counter = {"n": 0}


def add_version(survey: Survey, content: bytes, filename: str = "form.xlsx") -> FormVersion:
    definition = read_xlsform(content, filename)
    analysis = analyse(definition)
    number = survey.versions.count() + 1
    return FormVersion.objects.create(
        survey=survey,
        number=number,
        definition=definition,
        languages=analysis.languages,
        unsupported=analysis.unsupported,
        ignored=analysis.ignored,
        filename=filename,
    )


def make_survey(
    organisation: Any,
    content: bytes | None = None,
    *,
    status: str = SurveyStatus.OPEN,
    filename: str = "migrants.xlsx",
    **fields: Any,
) -> Survey:
    _counter["n"] += 1
    survey = Survey.objects.create(
        organisation=organisation,
        title=fields.pop("title", "Diagnosis"),
        slug=f"diagnosis-{_counter['n']}",
        audience=fields.pop("audience", "migrants"),
        status=status,
        **fields,
    )
    add_version(survey, content or demo_forms.migrant_survey(), filename)
    return survey


def make_response(
    survey: Survey, answers: dict[str, Any], *, submitted: bool = True, **fields: Any
) -> Response:
    from django.utils import timezone

    return Response.objects.create(
        survey=survey,
        version=survey.current_version(),
        answers=answers,
        submitted_at=timezone.now() if submitted else None,
        **fields,
    )


def skips_survey() -> bytes:
    """The migrant survey's questions on one field-list page, where they depend on answers
    above them on the same page (instant skips): the region (filtered by country) only for
    Ukraine and Belarus, the hours only for those who work; a last page for the others."""
    rows: list[dict[str, Any]] = [
        {
            "type": "begin_group",
            "name": "about",
            "appearance": "field-list",
            "label": ("O tobie", "About you", "Про вас", "عنك"),
        },
        demo_forms.COUNTRY,
        {**demo_forms.REGION, "relevant": "${country} = 'ua' or ${country} = 'by'"},
        demo_forms.WORKS,
        {**demo_forms.HOURS, "relevant": "${works} = 'yes'", "required": "yes"},
        {"type": "end_group", "name": ""},
        {
            "type": "text",
            "name": "needs",
            "label": ("Potrzeby", "Needs", "Потреби", "ما الذي تحتاجه أكثر؟"),
            "relevant": "${works} = 'no'",
        },
    ]
    choices = [*demo_forms.COUNTRIES, *demo_forms.YES_NO]
    settings = {"form_title": "Skips", "form_id": "skips", "default_language": demo_forms.LANGS[0]}
    return demo_forms.xlsform_bytes(rows, choices, settings)


def make_focus_group(organisation: Any, **fields: Any) -> FocusGroup:
    import datetime

    return FocusGroup.objects.create(
        organisation=organisation,
        title=fields.pop("title", "Young mothers"),
        held_on=fields.pop("held_on", datetime.date(2026, 3, 1)),
        facilitator=fields.pop("facilitator", "Facilitator A"),
        participants=fields.pop("participants", {"Women from Ukraine": 6}),
        notes=fields.pop("notes", "Housing is the first worry."),
        **fields,
    )
