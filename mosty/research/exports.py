"""Exports of a survey: its responses in KoboToolbox's wide layout, and its form back to an
XLSForm. Every cell goes through `mosty.core.exports` (formula cells neutralised)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse

from mosty.core.exports import xlsx_book_response
from mosty.research import results
from mosty.research.engine import Form
from mosty.research.models import FormVersion, Survey
from mosty.research.xlsform import PLAIN_COLUMNS, question_kind

BATCH = 2000


def responses_table(
    survey: Survey, *, labels: bool, language: str | None
) -> tuple[list[str], Iterator[list[Any]]]:
    """Header and rows (streamed in batches): one row per submitted response, one column per
    question of every version (the newest version's order first)."""
    versions = list(survey.versions.order_by("-number"))
    forms = {v.pk: v.form() for v in versions}
    newest = forms[versions[0].pk] if versions else Form({}, [])
    lang = newest.language(language)
    columns = results.export_columns([forms[v.pk] for v in versions])
    header = results.export_header(columns, newest, lang, labels=labels)
    numbers = {v.pk: v.number for v in versions}

    def rows() -> Iterator[list[Any]]:
        submitted = survey.responses.filter(submitted_at__isnull=False).order_by("pk")
        last = 0
        while True:
            batch = list(
                submitted.filter(pk__gt=last).values_list(
                    "pk", "key", "submitted_at", "version_id", "mode", "answers"
                )[:BATCH]
            )
            if not batch:
                return
            for pk, key, submitted_at, version_id, mode, answers in batch:
                yield [
                    pk,
                    str(key),
                    submitted_at.replace(tzinfo=None).isoformat(timespec="seconds")
                    if submitted_at
                    else "",
                    numbers.get(version_id, ""),
                    mode,
                    *(
                        results.export_value(q, answers.get(q.name), newest, lang, labels=labels)
                        for q in columns
                    ),
                ]
            last = batch[-1][0]

    return header, rows()


def repeat_tables(
    survey: Survey, *, labels: bool, language: str | None
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """One sheet per repeat, as KoboToolbox exports them: each instance a row with its
    index and the `_id` of its response (the row of the main sheet)."""
    versions = list(survey.versions.order_by("-number"))
    if not versions:
        return []
    forms = [v.form() for v in versions]
    newest = forms[0]
    lang = newest.language(language)
    names = dict.fromkeys(page.repeat_name for form in forms for page in form.repeats)
    sheets = []
    for name in names:
        columns = results.export_columns(forms, repeat=name)
        head = results.export_header(columns, newest, lang, labels=labels)[5:]
        rows: list[list[Any]] = []
        submitted = survey.responses.filter(submitted_at__isnull=False).order_by("pk")
        for pk, answers in submitted.values_list("pk", "answers").iterator(BATCH):
            for index, instance in enumerate(answers.get(name) or [], start=1):
                rows.append(
                    [
                        pk,
                        index,
                        *(
                            results.export_value(
                                q, instance.get(q.name), newest, lang, labels=labels
                            )
                            for q in columns
                        ),
                    ]
                )
        sheets.append((name, ["_parent_id", "_index", *head], rows))
    return sheets


# The form back to XLSForm ---------------------------------------------------------------------

_XLSFORM_TYPES = {
    "select_one": "select_one",
    "select_multiple": "select_multiple",
}


def _languages(version: FormVersion) -> list[str]:
    return [language["key"] for language in version.languages] or ["default"]


def _column(base: str, key: str) -> str:
    return base if key == "default" else f"{base}::{key}"


def xlsform_sheets(version: FormVersion) -> list[tuple[str, list[str], list[list[Any]]]]:
    keys = _languages(version)
    definition = version.definition
    survey_header = ["type", "name"]
    for base in ("label", "hint", "constraint_message", "required_message"):
        survey_header += [_column(base, key) for key in keys]
    survey_header += PLAIN_COLUMNS
    survey_rows: list[list[Any]] = []
    lists: dict[str, list[dict[str, Any]]] = {}

    def texts(value: Any) -> list[str]:
        if not isinstance(value, dict):
            return [str(value or "") if i == 0 else "" for i, _key in enumerate(keys)]
        return [str(value.get(key, value.get("default", ""))) for key in keys]

    def row(element: dict[str, Any], xlstype: str) -> list[Any]:
        bind = element.get("bind") or {}
        control = element.get("control") or {}
        parameters = element.get("parameters") or {}
        return [
            xlstype,
            element.get("name", ""),
            *texts(element.get("label")),
            *texts(element.get("hint")),
            *texts(bind.get("jr:constraintMsg")),
            *texts(bind.get("jr:requiredMsg")),
            bind.get("required", ""),
            bind.get("relevant", ""),
            bind.get("constraint", ""),
            bind.get("calculate", ""),
            element.get("choice_filter", ""),
            element.get("default", ""),
            bind.get("readonly", ""),
            control.get("appearance", ""),
            " ".join(f"{k}={v}" for k, v in parameters.items())
            if isinstance(parameters, dict)
            else "",
        ]

    def walk(children: list[dict[str, Any]]) -> None:
        for element in children:
            qtype = str(element.get("type", ""))
            if (
                qtype == "group"
                and element.get("name") == "meta"
                and (element.get("control") or {}).get("bodyless")
            ):
                continue
            if qtype in ("group", "repeat"):
                survey_rows.append(row(element, f"begin_{qtype}"))
                walk(element.get("children") or [])
                survey_rows.append(["end_" + qtype, *([""] * (len(survey_header) - 1))])
                continue
            kind = question_kind(qtype)
            if kind in _XLSFORM_TYPES:
                list_name = str(
                    element.get("list_name") or element.get("itemset") or element["name"]
                )
                lists.setdefault(list_name, element.get("choices") or [])
                survey_rows.append(row(element, f"{_XLSFORM_TYPES[kind]} {list_name}"))
            else:
                survey_rows.append(row(element, kind if kind != "metadata" else qtype))

    walk(definition.get("children") or [])
    extra = sorted(
        {
            k
            for choices in lists.values()
            for c in choices
            for k in c
            if k not in ("name", "label", "media")
        }
    )
    choices_header = ["list_name", "name", *[_column("label", k) for k in keys], *extra]
    choices_rows = [
        [list_name, c.get("name", ""), *texts(c.get("label")), *[c.get(k, "") for k in extra]]
        for list_name, choices in lists.items()
        for c in choices
    ]
    default_language = next((k for k in keys if k != "default"), "")
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        [
            definition.get("title", ""),
            definition.get("id_string", ""),
            str(version.number),
            default_language,
        ],
    ]
    return [
        ("survey", survey_header, survey_rows),
        ("choices", choices_header, choices_rows),
        ("settings", settings[0], settings[1:]),
    ]


def xlsform_response(version: FormVersion, filename: str) -> HttpResponse:
    return xlsx_book_response(filename, xlsform_sheets(version))
