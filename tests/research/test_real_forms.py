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
    "xlsform_spec_test.xlsx": "barcode",
}
# What the XLSForm spec's own test form uses that Mosty cannot do, each listed (its regex()
# constraint is supported).
SPEC_UNSUPPORTED = [
    "repeat_test",  # a repeat inside a group
    "“datetime”",
    "“geopoint”",
    "“barcode”",
    "“photo”",
    "“audio”",
    "“video”",
    "public_key",
]


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


def test_everything_the_spec_form_cannot_do_is_listed_and_nothing_else():
    from django.utils import translation

    _definition, analysis = _read("xlsform_spec_test.xlsx")
    with translation.override("en"):
        messages = problem_messages(analysis.unsupported)
    for mentioned in SPEC_UNSUPPORTED:
        assert any(mentioned in line for line in messages), (mentioned, messages)
    assert len(messages) == len(SPEC_UNSUPPORTED), messages
    assert not any("regex" in line for line in messages)


def _listed(survey, choices=(), extra_sheets=(), settings=None):
    from django.utils import translation

    from mosty.core.exports import xlsx_book_bytes

    sheets = [
        ("survey", ["type", "name", "label", "choice_filter"], survey),
        ("choices", ["list_name", "name", "label"], list(choices)),
        *extra_sheets,
        (
            "settings",
            list(settings or {"form_id": "x"}),
            [list((settings or {"form_id": "x"}).values())],
        ),
    ]
    definition = read_xlsform(xlsx_book_bytes(sheets), "form.xlsx")
    with translation.override("en"):
        return problem_messages(analyse(definition).unsupported)


@pytest.mark.parametrize(
    ("qtype", "mentioned"),
    [
        ("select_one_from_file cities.csv", "cities.csv"),
        ("select_multiple_from_file cities.xml", "cities.xml"),
        ("image", "“photo”"),
        ("audio", "“audio”"),
        ("barcode", "“barcode”"),
        ("geopoint", "“geopoint”"),
        ("geotrace", "“geotrace”"),
    ],
)
def test_files_media_location_and_barcodes_are_listed(qtype, mentioned):
    messages = _listed([["text", "name", "Name", ""], [qtype, "q", "Q", ""]])
    assert len(messages) == 1 and mentioned in messages[0] and "q" in messages[0], messages


def test_external_selects_encryption_and_nested_repeats_are_listed():
    external = _listed(
        [
            ["select_one state", "state", "State", ""],
            ["select_one_external city", "city", "City", "state=${state}"],
        ],
        choices=[["state", "tx", "Texas"]],
        extra_sheets=[
            (
                "external_choices",
                ["list_name", "name", "label", "state"],
                [["city", "austin", "Austin", "tx"]],
            )
        ],
    )
    assert len(external) == 1 and "select one external" in external[0]
    encrypted = _listed(
        [["text", "name", "Name", ""]], settings={"form_id": "x", "public_key": "MIIBIjANBgkq"}
    )
    assert encrypted == ["The form encrypts its submissions (public_key), which Mosty does not do."]
    nested = _listed(
        [
            ["begin_repeat", "household", "Household", ""],
            ["begin_repeat", "member", "Member", ""],
            ["text", "name", "Name", ""],
            ["end_repeat", "", "", ""],
            ["end_repeat", "", "", ""],
        ]
    )
    assert len(nested) == 1 and "member" in nested[0] and "repeated groups inside" in nested[0]


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
