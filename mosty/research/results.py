"""Results of a survey: counts per question, a cross-tab, the wide export, and suppression.

Everything works on the answers of submitted responses (dictionaries keyed by question
name), read once: `answers_of(survey)`. Responses of earlier versions count where their
question still exists under the same name. Anything shown outside the research team passes
`suppress=True`, so no one can be singled out from a small group (the reader may filter the
answers down to one):

- a count under `MOSTY_STATS_MIN_CELL` (but not zero) is hidden, and so is its share;
- a question's counts are one column under its shown "answered" total, suppressed like the
  public statistics (`core.suppression.suppress_column`): the next smallest counts are
  hidden too, so a hidden count cannot be worked out by subtracting the shown ones;
- a cross-tab is suppressed as a table with its totals (`core.suppression.suppress`);
- a numeric answer gives its mean and median only: the lowest and highest answers are one
  respondent's each (the youngest, the oldest of the group).

Figures are numbers (`QuestionResult.numbers`), formatted for people by the template only.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import leather
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from mosty.core.suppression import suppress as suppress_table
from mosty.core.suppression import suppress_column
from mosty.research.engine import Form, Question
from mosty.research.expressions import to_number, to_text
from mosty.research.xlsform import ANSWERED_KINDS

COUNTED_KINDS = {"select_one", "select_multiple", "acknowledge"}
NUMERIC_KINDS = {"integer", "decimal", "range"}


def min_cell() -> int:
    """The smallest count shown outside the research team (the public statistics' setting)."""
    return int(settings.MOSTY_STATS_MIN_CELL)


def hidden(count: int, suppress: bool) -> bool:
    return suppress and 0 < count < min_cell()


@dataclass
class Row:
    value: str
    label: str
    count: int | None
    share: float | None


@dataclass
class QuestionResult:
    question: Question
    label: str
    answered: int | None
    rows: list[Row] = field(default_factory=list)
    # "mean", "median" (and for the research team "min", "max"), rounded to one decimal.
    numbers: dict[str, float] | None = None
    chart: SafeString | None = None


def filter_answers(
    answers: Iterable[dict[str, Any]], name: str | None, value: str | None
) -> list[dict[str, Any]]:
    """Responses whose answer to `name` is (or, for a multiple choice, includes) `value`."""
    answers = list(answers)
    if not name or value in (None, ""):
        return answers
    return [a for a in answers if value in to_text(a.get(name, "")).split() or a.get(name) == value]


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def question_result(
    form: Form,
    question: Question,
    answers: Sequence[dict[str, Any]],
    language: dict[str, str],
    *,
    suppress: bool,
    chart: bool = True,
    given: list[Any] | None = None,
) -> QuestionResult:
    name = question.name
    if given is None:
        given = [a[name] for a in answers if a.get(name) not in (None, "")]
    label = form.label(question.element, language, {}) or name
    answered = None if hidden(len(given), suppress) else len(given)
    result = QuestionResult(question, label, answered)
    if question.kind in COUNTED_KINDS:
        counts: Counter[str] = Counter()
        for value in given:
            counts.update(to_text(value).split() if question.kind == "select_multiple" else [value])
        options = [(c["name"], form.text(c.get("label"), language)) for c in question.choices]
        if question.kind == "acknowledge":
            options = [("OK", "OK")]
        known = {value for value, _label in options}
        options += [(v, v) for v in counts if v not in known]
        column = {value: counts.get(value, 0) for value, _label in options}
        shown_counts: dict[str, int | None] = dict(column)
        if suppress:
            # Too few answered: every count is hidden (they add up to about that few).
            shown_counts = (
                dict.fromkeys(column) if answered is None else suppress_column(column, min_cell())
            )
        for value, option_label in options:
            shown = shown_counts[value]
            share = None if shown is None else _share(shown, len(given))
            result.rows.append(Row(str(value), option_label or str(value), shown, share))
        if chart and given:
            result.chart = bar_chart([(r.label, r.count or 0) for r in result.rows])
    elif question.kind in NUMERIC_KINDS and answered is not None:
        numbers = [n for n in (to_number(v) for v in given) if n == n]
        if numbers:
            result.numbers = {
                "mean": round(statistics.fmean(numbers), 1),
                "median": round(statistics.median(numbers), 1),
            }
            if not suppress:
                result.numbers["min"] = round(min(numbers), 1)
                result.numbers["max"] = round(max(numbers), 1)
    return result


def survey_results(
    form: Form, answers: Sequence[dict[str, Any]], language: dict[str, str], *, suppress: bool
) -> list[QuestionResult]:
    shown = [
        q
        for q in form.questions
        if q.kind in ANSWERED_KINDS and q.kind not in ("text", "date", "time") and not q.repeat
    ]
    # One pass over the answers gathers every question's values (20,000 responses are read
    # once, not once per question).
    values: dict[str, list[Any]] = {q.name: [] for q in shown}
    for answer in answers:
        for name, value in answer.items():
            bucket = values.get(name)
            if bucket is not None and value not in (None, ""):
                bucket.append(value)
    return [
        question_result(form, q, answers, language, suppress=suppress, given=values[q.name])
        for q in shown
    ]


@dataclass
class CrossTab:
    rows: list[str]
    columns: list[str]
    cells: list[list[int | None]]

    @property
    def lines(self) -> list[tuple[str, list[int | None]]]:
        return list(zip(self.rows, self.cells, strict=True))


def cross_tab(
    form: Form,
    row_question: Question,
    column_question: Question,
    answers: Sequence[dict[str, Any]],
    language: dict[str, str],
    *,
    suppress: bool,
) -> CrossTab:
    def values(question: Question, answer: dict[str, Any]) -> list[str]:
        value = answer.get(question.name)
        if value in (None, ""):
            return []
        return to_text(value).split() if question.kind == "select_multiple" else [to_text(value)]

    row_choices = [(c["name"], form.text(c.get("label"), language)) for c in row_question.choices]
    col_choices = [
        (c["name"], form.text(c.get("label"), language)) for c in column_question.choices
    ]
    counts: Counter[tuple[str, str]] = Counter()
    for answer in answers:
        for r in values(row_question, answer):
            for c in values(column_question, answer):
                counts[(r, c)] += 1
    row_keys = [r for r, _label in row_choices]
    col_keys = [c for c, _label in col_choices]
    shown_cells: set[tuple[str, str]] = {(r, c) for r in row_keys for c in col_keys}
    if suppress:
        table = suppress_table(row_keys, col_keys, counts, min_cell())
        shown_cells = {key for key in shown_cells if ("cell", *key) not in table.hidden}
        # The page shows the answers and each question's counts (about the table's totals):
        # a protection that hides a total the reader can still see is none, so every cell goes.
        if any(var[0] != "cell" and var not in table.primary for var in table.hidden):
            shown_cells = set()
    cells: list[list[int | None]] = [
        [counts.get((r, c), 0) if (r, c) in shown_cells else None for c in col_keys]
        for r in row_keys
    ]
    return CrossTab(
        [label for _v, label in row_choices], [label for _v, label in col_choices], cells
    )


def bar_chart(bars: Sequence[tuple[str, int]]) -> SafeString:
    """Horizontal bars as SVG (leather escapes the labels: it writes with ElementTree). The
    page shows the same numbers in a table beside it, so the picture is hidden from screen
    readers."""
    chart = leather.Chart()
    chart.add_bars([(count, label[:40] or "-") for label, count in reversed(list(bars))])
    height = 60 + 28 * len(bars)
    svg = chart.to_svg(width=560, height=height)
    assert isinstance(svg, str)
    return mark_safe(  # noqa: S308 - leather escapes every text it writes
        # direction="ltr": leather anchors each label as drawn left to right; an ar or fa page
        # flipped the anchors, and every label ran under its bar (`core.charts._finish`).
        svg.replace(
            "<svg ",
            '<svg aria-hidden="true" focusable="false" class="research-chart" direction="ltr" ',
            1,
        )
    )


# The wide export (KoboToolbox's layout) -------------------------------------------------------


def export_columns(forms: Sequence[Form], repeat: str = "") -> list[Question]:
    """Every answered or calculated question of the given versions (of one repeat, or
    outside repeats), newest first wins, in the order the newest version asks them
    (older-only questions at the end)."""
    seen: dict[str, Question] = {}
    for form in forms:
        for question in form.questions:
            if question.repeat != repeat:
                continue
            if question.kind in ANSWERED_KINDS | {"calculate", "start", "end", "today"}:
                seen.setdefault(question.name, question)
    return list(seen.values())


def export_header(
    columns: Sequence[Question], form: Form, language: dict[str, str], *, labels: bool
) -> list[str]:
    head = ["_id", "_uuid", "_submission_time", "_version", "_mode"]
    if labels:
        return head + [form.label(q.element, language, {}) or q.name for q in columns]
    return head + [q.name for q in columns]


def export_value(
    question: Question, value: Any, form: Form, language: dict[str, str], *, labels: bool
) -> Any:
    if value in (None, ""):
        return ""
    if labels and question.kind in ("select_one", "select_multiple"):
        names = {c["name"]: form.text(c.get("label"), language) for c in question.choices}
        return " ".join(names.get(part, part) for part in to_text(value).split())
    return value
