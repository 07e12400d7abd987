"""What the answer page shows for one page of a form: the fields, their values and errors.

The page is rendered on the server (it works without JavaScript); this module turns the
engine's questions into plain dictionaries the template draws.
"""

from __future__ import annotations

from typing import Any

from mosty.research.engine import Form, Page, Suffixed, range_bounds
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
    """Every question of `page` with what the respondent sees (`suffix`: `__<n>` for the
    fields of a repeat's instance). Those skip logic hides are drawn `hidden` and disabled
    (so they are neither shown nor sent), for the page's script to show them the moment an
    answer makes them relevant; without JavaScript the page behaves as if they were absent."""
    errors = errors or {}
    fields = []
    shown: set[str] = set()
    if data is not None:
        # A page shown again with its errors: skip logic reads what was just typed, exactly
        # as sending the page did.
        source = Suffixed(data, int(suffix[2:])) if suffix else data
        answers, _found = form.validate_page(
            Page(page.number, page.questions), source, answers, language, shown=shown
        )
    else:
        shown = {q.name for q in page.questions if form.is_relevant(q.relevant, answers)}
    for question in page.questions:
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
            "shown": name in shown,
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
            allowed = {name for name, _label in form.choices_for(question, answers, language)}
            field["choices"] = [
                {
                    "value": choice["name"],
                    "label": form.text(choice.get("label"), language),
                    "checked": choice["name"] in picked,
                    "shown": choice["name"] in allowed,
                    "id": f"q-{key}-{i}",
                }
                for i, choice in enumerate(question.choices)
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


def page_skips(
    form: Form, page: Page, answers: dict[str, Any], data: Any, language: dict[str, str]
) -> dict[str, Any]:
    """What skip logic makes of a page's values typed so far, for instant skips: the fields
    shown, the choices each filtered question offers, and whether the page is the last. It
    runs the same `validate_page` that sending the page runs (a second evaluator in the
    browser could disagree with it) and saves nothing. Only names from the form come back,
    never an answer."""
    shown: set[str] = set()
    merged, _errors = form.validate_page(page, data, answers, language, shown=shown)
    if page.repeat:
        instances = merged.get(page.repeat_name) or []
        scopes = [(f"__{i}", {**merged, **one}) for i, one in enumerate(instances)]
    else:
        scopes = [("", merged)]
    filtered = [q for q in page.questions if q.element.get("choice_filter")]
    choices = {
        question.name + suffix: [name for name, _l in form.choices_for(question, scope, language)]
        for suffix, scope in scopes
        for question in filtered
        if question.name + suffix in shown
    }
    last = form.next_page(page.number, form.recalculate(merged)) is None
    return {"shown": sorted(shown), "choices": choices, "last": last}
