"""Surveys (`mosty bench surveys`; results on `mosty seed --scale large`: 20,000 responses).

- a 60-question form with skip logic on one field-list page: rendering the page's fields and
  validating a submitted page, p95, against the bare work of reading the same 60 values;
- results of the migrant survey (every question counted, charts drawn) against fetching and
  decoding the same answers (the bare serialisation);
- the instant-skips endpoint of that page (p95 under 50 ms) against the bare view fetching
  the same response and echoing the 60 values as JSON;
- the wide CSV export of every response against writing the same rows with `csv` alone.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import JsonResponse, QueryDict

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


def skips_results() -> list[BenchResult]:
    """The instant-skips endpoint for the 60-question page, through its view (the access
    check, fetching the response by its key, evaluating the page, JSON), against the bare
    view that fetches the same response and sends the same 60 values back as JSON. The
    survey it needs is written in a transaction that is rolled back."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import transaction
    from django.test import RequestFactory

    from mosty.research.models import Survey
    from mosty.research.views import survey_respond_skips

    definition = read_xlsform(demo_forms.benchmark_survey(60), "bench.xlsx")
    _form, data = _long_form()
    factory = RequestFactory()
    with transaction.atomic():
        owner = Survey._meta.get_field("organisation").related_model._default_manager.first()
        if owner is None:
            raise SystemExit("No organisation: run `mosty seed` first.")
        survey = Survey.objects.create(
            organisation=owner,
            title="Bench",
            slug="bench-skips",
            audience="migrants",
            status="open",
        )
        version = survey.versions.create(
            number=1, definition=definition, languages=analyse(definition).languages
        )
        response = survey.responses.create(version=version, answers={})
        key = str(response.key)

        def request() -> Any:
            made = factory.post(f"/r/{key}/skips/", {"page": "0", **data.dict()})
            made.user = AnonymousUser()
            return made

        def skips() -> None:
            assert survey_respond_skips(request(), key).status_code == 200

        def bare() -> None:
            made = request()
            found = type(response).objects.select_related("survey", "version").get(key=key)
            JsonResponse({"id": found.pk, **{n: made.POST.get(n, "") for n in data}})

        work = timed(skips, repeat=REPEAT)
        baseline = timed(bare, repeat=REPEAT)
        transaction.set_rollback(True)
    return [
        BenchResult(
            "surveys",
            "60-question page: instant skips endpoint p95",
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
    return page_results() + skips_results() + data_results()
