"""Surveys (`mosty bench surveys`; results on `mosty seed --scale large`: 20,000 responses).

- a 60-question form with skip logic on one field-list page: rendering the page's fields and
  validating a submitted page, p95, against the bare work of reading the same 60 values;
- results of the migrant survey (every question counted, charts drawn) against fetching and
  decoding the same answers (the bare serialisation);
- the wide CSV export of every response against writing the same rows with `csv` alone.
"""

from __future__ import annotations

import csv
import io

from django.http import QueryDict

from mosty.core.benchmarking import BenchResult, benchmark, p95, timed
from mosty.core.exports import csv_lines
from mosty.research import demo_forms, results
from mosty.research.answering import page_fields
from mosty.research.engine import Form
from mosty.research.exports import responses_table
from mosty.research.xlsform import analyse, read_xlsform

REPEAT = 30


def _long_form() -> tuple[Form, QueryDict]:
    definition = read_xlsform(demo_forms.benchmark_survey(60), "bench.xlsx")
    form = Form(definition, analyse(definition).languages)
    data = QueryDict(mutable=True)
    for n in range(60):
        data[f"q{n}"] = ("yes", "42", "some text")[n % 3]
    return form, data


def page_results() -> list[BenchResult]:
    form, data = _long_form()
    page = form.pages[0]
    language = form.language("ar")
    names = [q.name for q in page.questions]

    def render_and_validate() -> None:
        answers, errors = form.validate_page(page, data, {}, language)
        assert not errors, errors
        page_fields(form, page, form.recalculate(answers), language)

    def bare() -> None:
        {name: data.get(name, "") for name in names}

    work = timed(render_and_validate, repeat=REPEAT)
    baseline = timed(bare, repeat=REPEAT)
    return [
        BenchResult(
            "surveys",
            "60-question page: render and validate p95",
            p95(work),
            p95(baseline),
            "p95 under 50 ms",
        )
    ]


def data_results() -> list[BenchResult]:
    from mosty.research.models import Survey

    survey = Survey.objects.filter(slug="diagnoza-migranci").first()
    if survey is None:
        raise SystemExit("No demo survey: run `mosty seed --scale large` (or demo) first.")
    version = survey.current_version()
    assert version is not None
    form = version.form()
    language = form.language("pl")
    submitted = survey.responses.filter(submitted_at__isnull=False)
    count = submitted.count()

    def survey_results() -> None:
        answers = list(submitted.values_list("answers", flat=True))
        results.survey_results(form, answers, language, suppress=False)

    def bare_answers() -> None:
        list(submitted.values_list("answers", flat=True))

    def export() -> None:
        header, rows = responses_table(survey, labels=False, language="pl")
        for _line in csv_lines(header, rows):
            pass

    def bare_export() -> None:
        writer = csv.writer(io.StringIO())
        for pk, answers in submitted.order_by("pk").values_list("pk", "answers").iterator(2000):
            writer.writerow([pk, *answers.values()])

    measured = timed(survey_results, repeat=5, warmup=1)
    baseline = timed(bare_answers, repeat=5, warmup=1)
    exported = timed(export, repeat=3, warmup=0)
    bare_exported = timed(bare_export, repeat=3, warmup=0)
    return [
        BenchResult(
            "surveys",
            f"results of {count} responses p95",
            p95(measured),
            p95(baseline),
            "under 500 ms",
        ),
        BenchResult(
            "surveys",
            f"CSV export of {count} responses",
            max(exported),
            max(bare_exported),
            "under 10 s",
        ),
    ]


@benchmark("surveys")
def surveys_benchmark() -> list[BenchResult]:
    return page_results() + data_results()
