"""Answering a form on the server: its pages, what each question shows and accepts.

`Form(definition, languages)` turns pyxform's JSON into questions and pages: a group with the
`field-list` appearance is one page, any other question is a page of its own (groups without
field-list only pass their `relevant` on to their questions). `validate_page` reads a page's
submitted values, checks types, `required`, `constraint` (with the form's translated
`constraint_message`) and skip logic, all with `mosty.research.expressions`; `recalculate`
fills the `calculate` questions and drops the answers of questions skip logic hid.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from mosty.research import expressions
from mosty.research.expressions import Context, to_text
from mosty.research.xlsform import ANSWERED_KINDS, RTL_CODES, question_kind

_REFERENCE = re.compile(r"\$\{\s*([A-Za-z_][\w.\-]*)\s*\}")


@dataclass
class Question:
    name: str
    kind: str
    element: dict[str, Any]
    relevant: list[str] = field(default_factory=list)
    group_readonly: bool = False
    repeat: str = ""

    @property
    def bind(self) -> dict[str, Any]:
        return self.element.get("bind") or {}

    @property
    def choices(self) -> list[dict[str, Any]]:
        return self.element.get("choices") or []

    @property
    def parameters(self) -> dict[str, Any]:
        return self.element.get("parameters") or {}

    @property
    def appearance(self) -> str:
        return str((self.element.get("control") or {}).get("appearance", ""))


@dataclass
class Page:
    number: int
    questions: list[Question]
    group: dict[str, Any] | None = None
    relevant: list[str] = field(default_factory=list)
    repeat: dict[str, Any] | None = None

    @property
    def repeat_name(self) -> str:
        return str(self.repeat["name"]) if self.repeat else ""


# What pyxform writes itself for a question with `or_other`, in English whatever the form's
# languages: the choice "Other" (in every language column) and the question "Specify other."
# Shown in the respondent's language instead, unless the form's author wrote their own.
PYXFORM_WORDS = {
    "Other": pgettext_lazy("survey choice", "Other"),
    "Specify other.": gettext_lazy("Specify other."),
}


def _pyxform_word(value: Any, text: str, language: dict[str, str]) -> str:
    """`text` in the respondent's language when it is pyxform's own English word."""
    word = PYXFORM_WORDS.get(text)
    if word is None:
        return text
    written = set(value.values()) if isinstance(value, dict) else {value}
    if written != {text}:  # the author wrote this label, in at least one language
        return text
    code = language.get("code", "").split("-")[0]
    if not code:
        return str(word)
    with translation.override(code):
        return str(word)


def _is_yes(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in ("yes", "true", "true()", "1")


class Form:
    def __init__(self, definition: dict[str, Any], languages: list[dict[str, str]]) -> None:
        self.definition = definition
        self.languages = languages or [{"key": "default", "code": "", "name": ""}]
        self.questions: list[Question] = []
        self.pages: list[Page] = []
        self._walk(definition.get("children") or [], [], False, None, "")
        self.by_name = {q.name: q for q in self.questions}
        self.calculations = [q for q in self.questions if q.kind == "calculate" and not q.repeat]
        self.repeats = [page for page in self.pages if page.repeat]

    @property
    def title(self) -> str:
        return str(self.definition.get("title") or "")

    @property
    def own_title(self) -> str:
        """The title the form gives itself (`form_title` on its settings sheet); "" where it
        gives none, which pyxform fills with the form's id (`form_id`, else the file's name)."""
        title = self.title
        return "" if title == str(self.definition.get("id_string") or "") else title

    def _walk(
        self,
        children: list[dict[str, Any]],
        relevant: list[str],
        readonly: bool,
        page: Page | None,
        repeat: str,
    ) -> None:
        for element in children:
            qtype = str(element.get("type", ""))
            bind = element.get("bind") or {}
            own = [*relevant, bind["relevant"]] if bind.get("relevant") else relevant
            if qtype == "repeat" and page is None and not repeat:
                # A repeat is one page that shows every instance of its questions.
                new = Page(len(self.pages), [], element, own, repeat=element)
                self.pages.append(new)
                self._walk(element.get("children") or [], [], readonly, new, str(element["name"]))
                continue
            if qtype == "group":
                if element.get("name") == "meta" and (element.get("control") or {}).get("bodyless"):
                    continue
                group_readonly = readonly or _is_yes(bind.get("readonly"))
                appearance = str((element.get("control") or {}).get("appearance", ""))
                if page is None and "field-list" in appearance:
                    new = Page(len(self.pages), [], element, own)
                    self.pages.append(new)
                    self._walk(element.get("children") or [], [], group_readonly, new, repeat)
                    # Questions of the page carry only their own conditions: the page's own
                    # is checked once for the whole page.
                else:
                    self._walk(element.get("children") or [], own, group_readonly, page, repeat)
                continue
            kind = question_kind(qtype)
            question = Question(str(element.get("name")), kind, element, own, readonly, repeat)
            self.questions.append(question)
            if kind in ("calculate", "start", "end", "today", "metadata") or kind not in (
                ANSWERED_KINDS | {"note"}
            ):
                continue
            if page is not None:
                page.questions.append(question)
            else:
                self.pages.append(Page(len(self.pages), [question], None, []))

    # Languages ---------------------------------------------------------------------------------

    def language(self, wanted: str | None) -> dict[str, str]:
        """The form language matching a code or key (`ar`, `Arabic (ar)`), else the first."""
        for language in self.languages:
            if wanted and wanted in (language["code"], language["key"]):
                return language
        return self.languages[0]

    @staticmethod
    def direction(language: dict[str, str]) -> str:
        return "rtl" if language.get("code", "").split("-")[0] in RTL_CODES else "ltr"

    @staticmethod
    def text(value: Any, language: dict[str, str]) -> str:
        if value is None:
            return ""
        if isinstance(value, dict):
            for key in (language["key"], "default"):
                if value.get(key):
                    return _pyxform_word(value, str(value[key]), language)
            return _pyxform_word(value, str(next((v for v in value.values() if v), "")), language)
        return _pyxform_word(value, str(value), language)

    def label(
        self, element: dict[str, Any], language: dict[str, str], answers: dict[str, Any]
    ) -> str:
        """The label with `${name}` replaced by the answers (labels that quote an answer)."""
        text = self.text(element.get("label"), language)
        return _REFERENCE.sub(lambda m: self.display(m.group(1), answers, language), text)

    def display(self, name: str, answers: dict[str, Any], language: dict[str, str]) -> str:
        question = self.by_name.get(name)
        value = answers.get(name, "")
        if question is not None and question.kind in ("select_one", "select_multiple"):
            labels = {c["name"]: self.text(c.get("label"), language) for c in question.choices}
            return ", ".join(labels.get(part, part) for part in to_text(value).split())
        return to_text(value)

    # Skip logic and values ---------------------------------------------------------------------

    def is_relevant(self, conditions: list[str], answers: dict[str, Any]) -> bool:
        context = Context(answers)
        return all(expressions.is_true(condition, context) for condition in conditions)

    def page_is_relevant(self, page: Page, answers: dict[str, Any]) -> bool:
        if not self.is_relevant(page.relevant, answers):
            return False
        if page.repeat:
            return True
        return any(self.is_relevant(q.relevant, answers) for q in page.questions)

    def next_page(self, after: int, answers: dict[str, Any]) -> int | None:
        """The next page skip logic shows after page `after` (-1: the first), or None."""
        for page in self.pages[after + 1 :]:
            if self.page_is_relevant(page, answers):
                return page.number
        return None

    def previous_page(self, before: int, answers: dict[str, Any]) -> int | None:
        for page in reversed(self.pages[:before]):
            if self.page_is_relevant(page, answers):
                return page.number
        return None

    def is_read_only(self, question: Question, answers: dict[str, Any]) -> bool:
        readonly = question.bind.get("readonly")
        if question.group_readonly or _is_yes(readonly):
            return True
        if isinstance(readonly, str) and readonly not in ("", "no", "false", "false()"):
            return expressions.is_true(readonly, Context(answers))
        return False

    def is_required(self, question: Question, answers: dict[str, Any]) -> bool:
        required = question.bind.get("required")
        if not isinstance(required, str) or required.strip() in ("", "no", "false", "false()"):
            return False
        if _is_yes(required):
            return True
        return expressions.is_true(required, Context(answers))

    def default(self, question: Question, answers: dict[str, Any]) -> Any:
        value = question.element.get("default")
        if value in (None, ""):
            return ""
        if isinstance(value, str) and ("${" in value or "(" in value):
            return expressions.evaluate(value, Context(answers))
        return value

    def choices_for(
        self, question: Question, answers: dict[str, Any], language: dict[str, str]
    ) -> list[tuple[str, str]]:
        """(name, label) of the choices shown, after the question's `choice_filter`."""
        flt = question.element.get("choice_filter")
        shown = []
        for choice in question.choices:
            if flt and not expressions.is_true(flt, Context(answers, choice=choice)):
                continue
            shown.append((str(choice["name"]), self.text(choice.get("label"), language)))
        return shown

    def stamp(self, answers: dict[str, Any], kind: str, value: str) -> dict[str, Any]:
        """Answers with the form's `start`, `end` or `today` questions set to `value`."""
        return {**answers, **{q.name: value for q in self.questions if q.kind == kind}}

    def recalculate(self, answers: dict[str, Any]) -> dict[str, Any]:
        """Answers with the calculations filled in and hidden questions' answers removed
        (what skip logic hides is not an answer, as in ODK)."""
        result = dict(answers)
        for _round in range(2):  # a calculation may read a later one
            for question in self.calculations:
                calculation = question.bind.get("calculate")
                if calculation and self.is_relevant(question.relevant, result):
                    value = expressions.evaluate(calculation, Context(result))
                    result[question.name] = _json_value(value)
        for question in self.questions:
            if (
                question.repeat
                or question.kind not in ANSWERED_KINDS
                or question.name not in result
            ):
                continue
            if not self.is_relevant(question.relevant, result):
                del result[question.name]
        for page in self.repeats:
            name = page.repeat_name
            if name not in result:
                continue
            if not self.is_relevant(page.relevant, result):
                del result[name]
                continue
            result[name] = [
                self._recalculate_instance(page, result, instance)
                for instance in result[name]
                if isinstance(instance, dict)
            ]
        return result

    def _recalculate_instance(
        self, page: Page, answers: dict[str, Any], instance: dict[str, Any]
    ) -> dict[str, Any]:
        """An instance's calculations and skip logic read its own answers first, then the
        rest of the form (a `${name}` inside a repeat is the same instance's answer)."""
        merged = {**answers, **instance}
        own = {q.name for q in page.questions} | {
            q.name for q in self.questions if q.repeat == page.repeat_name
        }
        for question in self.questions:
            if question.repeat != page.repeat_name:
                continue
            if question.kind == "calculate" and question.bind.get("calculate"):
                if self.is_relevant(question.relevant, merged):
                    merged[question.name] = _json_value(
                        expressions.evaluate(question.bind["calculate"], Context(merged))
                    )
            elif question.name in merged and not self.is_relevant(question.relevant, merged):
                del merged[question.name]
        return {k: v for k, v in merged.items() if k in own}

    # Repeats ----------------------------------------------------------------------------------

    MAX_INSTANCES = 50

    def instance_count(self, page: Page, data: Any, answers: dict[str, Any]) -> int:
        """How many instances the repeat page shows: the form's `repeat_count` when it has
        one, else what the page sent (Add / Remove), else those already answered (min. 1)."""
        control = (page.repeat or {}).get("control") or {}
        fixed = control.get("jr:count")
        if fixed not in (None, ""):
            value = expressions.to_number(
                expressions.evaluate(str(fixed), Context(answers))
                if not str(fixed).isdecimal()
                else fixed
            )
            return 0 if value != value else max(0, min(int(value), self.MAX_INSTANCES))
        raw = str(data.get("instances", "")) if data is not None else ""
        if raw.isdecimal():
            return max(0, min(int(raw), self.MAX_INSTANCES))
        return max(1, min(len(answers.get(page.repeat_name) or []), self.MAX_INSTANCES))

    def validate_repeat(
        self,
        page: Page,
        data: Any,
        answers: dict[str, Any],
        language: dict[str, str],
        shown: set[str] | None = None,
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """Every instance of a repeat page, each read from fields named `<question>__<n>`;
        errors (and `shown`) keyed the same way."""
        existing = answers.get(page.repeat_name) or []
        instances: list[dict[str, Any]] = []
        errors: dict[str, str] = {}
        names = {q.name for q in page.questions}
        for index in range(self.instance_count(page, data, answers)):
            before = existing[index] if index < len(existing) else {}
            own: set[str] = set()
            merged, found = self.validate_page(
                Page(page.number, page.questions),
                Suffixed(data, index),
                {**answers, **before},
                language,
                shown=own,
            )
            instances.append({k: v for k, v in merged.items() if k in names})
            errors.update({f"{name}__{index}": error for name, error in found.items()})
            if shown is not None:
                shown.update(f"{name}__{index}" for name in own)
        return {**answers, page.repeat_name: instances}, errors

    # A page's answers --------------------------------------------------------------------------

    def validate_page(
        self,
        page: Page,
        data: Any,
        answers: dict[str, Any],
        language: dict[str, str],
        shown: set[str] | None = None,
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """Reads the page's values from `data` (a QueryDict): the new answers and the errors
        by question name. Questions hidden by skip logic are neither read nor checked; their
        relevance is evaluated with the values of this page already in (a question may depend
        on one above it on the same page). `shown` collects the questions skip logic shows:
        the answer page's instant skips come from here, so they cannot disagree with what
        sending the page decides."""
        if page.repeat:
            return self.validate_repeat(page, data, answers, language, shown)
        merged = dict(answers)
        errors: dict[str, str] = {}
        for question in page.questions:
            if not self.is_relevant(question.relevant, merged):
                merged.pop(question.name, None)
                continue
            if shown is not None:
                shown.add(question.name)
            if question.kind == "note":
                continue
            if self.is_read_only(question, merged):
                if question.name not in merged:
                    default = self.default(question, merged)
                    if default != "":
                        merged[question.name] = _json_value(default)
                continue
            value, error = self._read(question, data, merged, language)
            if error:
                errors[question.name] = error
                continue
            if value in ("", None):
                merged.pop(question.name, None)
                if self.is_required(question, merged):
                    message = self.text(question.bind.get("jr:requiredMsg"), language)
                    errors[question.name] = message or _("This question needs an answer.")
                continue
            merged[question.name] = value
            constraint = question.bind.get("constraint")
            if constraint and not expressions.is_true(constraint, Context(merged, current=value)):
                message = self.text(question.bind.get("jr:constraintMsg"), language)
                errors[question.name] = message or _("This answer is not accepted.")
        return merged, errors

    def _read(
        self, question: Question, data: Any, answers: dict[str, Any], language: dict[str, str]
    ) -> tuple[Any, str | None]:
        name = question.name
        allowed = set()
        if question.kind in ("select_one", "select_multiple"):
            # Only the choices the choice_filter shows are accepted.
            allowed = {c for c, _label in self.choices_for(question, answers, language)}
        if question.kind == "select_multiple":
            picked = [v for v in data.getlist(name) if v]
            if any(v not in allowed for v in picked):
                return None, _("Choose from the list.")
            ordered = [c["name"] for c in question.choices if c["name"] in picked]
            return " ".join(dict.fromkeys(ordered)), None
        raw = str(data.get(name, "")).strip()
        if raw == "":
            return "", None
        kind = question.kind
        if kind == "select_one":
            if raw not in allowed:
                return None, _("Choose from the list.")
            return raw, None
        if kind == "acknowledge":
            return "OK", None
        if kind == "integer" or (kind == "range" and _range_is_integer(question)):
            if not re.fullmatch(r"[-+]?\d{1,15}", raw):
                return None, _("Enter a whole number.")
            value: Any = int(raw)
            return (value, self._range_error(question, value)) if kind == "range" else (value, None)
        if kind in ("decimal", "range"):
            try:
                number = Decimal(raw.replace(",", "."))
            except InvalidOperation:
                return None, _("Enter a number.")
            if not number.is_finite() or abs(number) >= Decimal(10) ** 15:
                return None, _("Enter a number.")
            value = float(number)
            return (value, self._range_error(question, value)) if kind == "range" else (value, None)
        if kind == "date":
            try:
                return datetime.date.fromisoformat(raw).isoformat(), None
            except ValueError:
                return None, _("Enter a date.")
        if kind == "time":
            try:
                return datetime.time.fromisoformat(raw).strftime("%H:%M"), None
            except ValueError:
                return None, _("Enter a time.")
        if len(raw) > 5000:
            return None, _("The answer is too long.")
        return raw, None

    def _range_error(self, question: Question, value: float) -> str | None:
        start, end, _step = range_bounds(question)
        low, high = min(start, end), max(start, end)
        if not low <= value <= high:
            return _("Choose a value from %(start)s to %(end)s.") % {
                "start": to_text(float(low)),
                "end": to_text(float(high)),
            }
        return None


def range_bounds(question: Question) -> tuple[float, float, float]:
    parameters = question.parameters
    start = expressions.to_number(parameters.get("start", 1))
    end = expressions.to_number(parameters.get("end", 10))
    step = expressions.to_number(parameters.get("step", 1))
    return (
        0.0 if math.isnan(start) else start,
        10.0 if math.isnan(end) else end,
        1.0 if math.isnan(step) or step == 0 else step,
    )


def _range_is_integer(question: Question) -> bool:
    return all(float(v).is_integer() for v in range_bounds(question))


def _json_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        return int(value) if value.is_integer() else value
    return to_text(value)


class Suffixed:
    """The submitted values of one repeat instance: `get("age")` reads `age__2`."""

    def __init__(self, data: Any, index: int) -> None:
        self.data = data
        self.index = index

    def get(self, name: str, default: Any = "") -> Any:
        return self.data.get(f"{name}__{self.index}", default)

    def getlist(self, name: str) -> list[Any]:
        return list(self.data.getlist(f"{name}__{self.index}"))
