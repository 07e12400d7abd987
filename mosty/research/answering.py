"""What the answer page shows for one page of a form: the fields, their values and errors.

The page is rendered on the server (it works without JavaScript); this module turns the
engine's questions into plain dictionaries the template draws.
"""

from __future__ import annotations

from typing import Any

from mosty.research.engine import Form, Page, range_bounds
from mosty.research.expressions import to_text

INPUT_TYPES = {
    "text": "text",
    "integer": "number",
    "decimal": "number",
    "date": "date",
    "time": "time",
    "range": "number",
}


def page_fields(
    form: Form,
    page: Page,
    answers: dict[str, Any],
    language: dict[str, str],
    *,
    data: Any = None,
    errors: dict[str, str] | None = None,
    suffix: str = "",
) -> list[dict[str, Any]]:
    """The questions of `page` that skip logic shows, with what the respondent sees
    (`suffix`: `__<n>` for the fields of a repeat's instance)."""
    errors = errors or {}
    fields = []
    if data is not None:
        # A page shown again with its errors: skip logic reads what was just typed.
        typed = {
            q.name: " ".join(data.getlist(q.name + suffix))
            if q.kind == "select_multiple"
            else data.get(q.name + suffix, "")
            for q in page.questions
            if q.kind != "note"
        }
        answers = {**answers, **{k: v for k, v in typed.items() if v != ""}}
    for question in page.questions:
        if not form.is_relevant(question.relevant, answers):
            continue
        name = question.name
        key = name + suffix
        if data is not None and question.kind != "note":
            value: Any = (
                " ".join(data.getlist(key))
                if question.kind == "select_multiple"
                else data.get(key, "")
            )
        elif name in answers:
            value = answers[name]
        else:
            value = form.default(question, answers)
        field: dict[str, Any] = {
            "name": key,
            "id": f"q-{key}",
            "kind": question.kind,
            "label": form.label(question.element, language, answers),
            "hint": form.text(question.element.get("hint"), language),
            "required": form.is_required(question, answers),
            "readonly": question.kind != "note" and form.is_read_only(question, answers),
            "error": errors.get(key, ""),
            "value": to_text(value),
            "input_type": INPUT_TYPES.get(question.kind, "text"),
            "multiline": "multiline" in question.appearance,
        }
        if question.kind in ("select_one", "select_multiple"):
            picked = (
                set(to_text(value).split())
                if question.kind == "select_multiple"
                else {to_text(value)}
            )
            field["choices"] = [
                {
                    "value": choice,
                    "label": label,
                    "checked": choice in picked,
                    "id": f"q-{key}-{i}",
                }
                for i, (choice, label) in enumerate(form.choices_for(question, answers, language))
            ]
            field["as_list"] = "minimal" in question.appearance
        if question.kind == "integer":
            field["step"] = "1"
        elif question.kind == "decimal":
            field["step"] = "any"
        elif question.kind == "range":
            start, end, step = range_bounds(question)
            field.update(
                {
                    "min": to_text(min(start, end)),
                    "max": to_text(max(start, end)),
                    "step": to_text(step),
                }
            )
        fields.append(field)
    return fields


def progress(form: Form, page: int) -> int:
    """How far through the form a page is, in percent (for the progress bar)."""
    return round(100 * page / max(len(form.pages), 1))


def repeat_instances(
    form: Form,
    page: Page,
    answers: dict[str, Any],
    language: dict[str, str],
    *,
    count: int,
    data: Any = None,
    errors: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The instances of a repeat page, each with its fields (named `<question>__<n>`)."""
    existing = answers.get(page.repeat_name) or []
    return [
        {
            "number": index + 1,
            "fields": page_fields(
                form,
                page,
                {**answers, **(existing[index] if index < len(existing) else {})},
                language,
                data=data,
                errors=errors,
                suffix=f"__{index}",
            ),
        }
        for index in range(count)
    ]
