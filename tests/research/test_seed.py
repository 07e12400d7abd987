import io

import pytest

from mosty.core.seeding import SeedContext
from mosty.research.models import FocusGroup, Response, Survey
from mosty.research.seed import seed_research
from mosty.research.xlsform import problem_messages


@pytest.mark.django_db
def test_demo_has_two_multilingual_surveys_with_answers_and_a_focus_group(world):
    summary = seed_research(SeedContext(scale="demo", out=io.StringIO()))
    assert "2 surveys" in summary
    for survey in Survey.objects.all():
        version = survey.current_version()
        assert {"pl", "en", "uk", "ar"} <= {lang["code"] for lang in version.languages}
        assert problem_messages(version.unsupported) == []
        form = version.form()
        for response in Response.objects.filter(survey=survey)[:20]:
            # Every seeded answer is one the form would accept: recomputing changes nothing.
            assert form.recalculate(response.answers) == response.answers
    assert FocusGroup.objects.get().participant_total == 10
    from mosty.knowledge.models import ArticleFile

    assert sorted(ArticleFile.objects.values_list("kind", flat=True)) == ["pdf", "png"]
    assert "already" in seed_research(SeedContext(scale="demo", out=io.StringIO()))


@pytest.mark.django_db
def test_the_benchmark_runs_on_the_demo(world):
    from benchmarks.research import surveys_benchmark

    seed_research(SeedContext(scale="demo", out=io.StringIO()))
    figures = {r.metric: r for r in surveys_benchmark()}
    assert "results of 80 responses p95" in figures
    assert all(r.value > 0 and r.baseline > 0 for r in figures.values())
