"""The official example forms of pyxform import, and can be answered; the ones using what
Mosty does not support say what."""

import pytest
from django.http import QueryDict

from mosty.research.engine import Form
from mosty.research.xlsform import FormRefused, analyse, problem_messages, read_xlsform
from tests.research.factories import FORMS

ANSWERABLE = [
    "calculate.xls",
    "choice_filter_test.xlsx",
    "default_time_demo.xls",
    "field-list.xlsx",
    "group.xlsx",
    "or_other.xlsx",
    "text_and_integer.xlsx",
    "tutorial.xls",
    "yes_or_no_question.xlsx",
]
UNSUPPORTED = {
    "gps.xls": "gps",
    "pull_data.xlsx": "pulldata()",
    "loop.xlsx": "loops",
    "xlsform_spec_test.xlsx": "regex()",
}


def _read(name):
    definition = read_xlsform((FORMS / name).read_bytes(), name)
    analysis = analyse(definition)
    return definition, analysis


def _answer_everything(form):
    """Walks the form page by page with a plausible answer to every question shown."""
    answers, page = {}, form.next_page(-1, {})
    while page is not None:
        data = QueryDict(mutable=True)
        repeat = form.pages[page].repeat
        if repeat:
            data["instances"] = "2"
        for question, suffix in [
            (q, f"__{i}" if repeat else "")
            for i in range(2 if repeat else 1)
            for q in form.pages[page].questions
        ]:
            if question.kind in ("select_one", "select_multiple"):
                shown = form.choices_for(question, answers, form.languages[0])
                if shown:
                    data[question.name + suffix] = shown[0][0]
            elif question.kind == "integer":
                data[question.name + suffix] = "30"
            elif question.kind == "time":
                data[question.name + suffix] = "10:30"
            elif question.kind != "note":
                data[question.name + suffix] = "answer"
        answers, errors = form.validate_page(form.pages[page], data, answers, form.languages[0])
        assert errors == {}
        answers = form.recalculate(answers)
        page = form.next_page(page, answers)
    return answers


@pytest.mark.parametrize("name", ANSWERABLE)
def test_example_form_imports_and_is_answered(name):
    definition, analysis = _read(name)
    assert analysis.unsupported == []
    form = Form(definition, analysis.languages)
    assert form.pages
    answers = _answer_everything(form)
    answered = {
        q.name for q in form.questions if q.kind not in ("note", "calculate") and not q.repeat
    }
    assert answered <= set(answers) | {q.name for q in form.questions if q.relevant}


def test_choice_filter_and_calculation_of_real_forms():
    definition, analysis = _read("choice_filter_test.xlsx")
    form = Form(definition, analysis.languages)
    county = form.by_name["county"]
    shown = form.choices_for(county, {"state": "texas"}, form.languages[0])
    assert [label for _n, label in shown] == ["King", "Cameron"]
    definition, analysis = _read("calculate.xls")
    form = Form(definition, analysis.languages)
    assert form.recalculate({})["calculate_test"] == 4


@pytest.mark.parametrize(("name", "mentioned"), sorted(UNSUPPORTED.items()))
def test_unsupported_features_are_listed(name, mentioned):
    _definition, analysis = _read(name)
    messages = problem_messages(analysis.unsupported)
    assert any(mentioned in line for line in messages), messages


def test_a_form_pyxform_refuses_is_refused_with_its_place(tmp_path):
    from mosty.research.demo_forms import YES_NO, xlsform_bytes

    content = xlsform_bytes(
        [
            {"type": "text", "name": "q", "label": ("a", "b", "c", "d")},
            {"type": "text", "name": "q", "label": ("a", "b", "c", "d")},
        ],
        YES_NO,
        {},
    )
    with pytest.raises(FormRefused) as refused:
        read_xlsform(content, "broken.xlsx")
    assert refused.value.detail["message"]
    assert refused.value.detail["row"] == "3"  # the second "q": row 3 of the survey sheet
    assert refused.value.detail["sheet"] == "survey"
    with pytest.raises(FormRefused):
        read_xlsform(b"not a workbook", "broken.xlsx")


def test_a_repeat_keeps_one_answer_set_per_instance():
    definition, analysis = _read("tutorial.xls")
    form = Form(definition, analysis.languages)
    answers = _answer_everything(form)
    members = answers["member"]
    assert len(members) == 2
    assert members[0]["name"] == "answer" and members[0]["relationship_to_household_head"] == "head"
