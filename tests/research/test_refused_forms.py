"""A form pyxform refuses: the reader learns what is wrong in their language, and where (sheet,
row, column), instead of pyxform's English sentence."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from mosty.core.exports import xlsx_book_bytes
from mosty.research.models import Survey
from mosty.research.xlsform import FormRefused, read_xlsform

HEADER = ["type", "name", "label", "relevant", "constraint"]


def _form(survey, choices=None, header=HEADER):
    sheets = [("survey", header, survey)]
    if choices is not None:
        sheets.append(("choices", ["list_name", "name", "label"], choices))
    sheets.append(("settings", ["form_id"], [["broken"]]))
    return xlsx_book_bytes(sheets)


def _refused(content, language):
    with translation.override(language), pytest.raises(FormRefused) as refused:
        read_xlsform(content, "broken.xlsx")
    return refused.value


# (what is wrong, the workbook, the sheet, row and column pyxform's refusal points to, what
# the message names, a piece of pyxform's English that must not show).
BROKEN = [
    (
        "unknown question type",
        _form([["text", "a", "A", "", ""], ["txet", "b", "B", "", ""]]),
        ("survey", "3", "type"),
        "txet",
        "Unknown question type",
    ),
    (
        "a select without its list",
        _form([["select_one", "a", "A", "", ""]], [["yes_no", "yes", "Yes"]]),
        ("survey", "2", "type"),
        "select_one",
        "Unknown question type",
    ),
    (
        "no name column",
        _form([["text", "A"]], header=["type", "label"]),
        ("survey", "2", "name"),
        "",
        "Question or group with no name",
    ),
    (
        "no label",
        _form([["text", "a", "A", "", ""], ["integer", "age", "", "", ""]]),
        ("survey", "3", "label"),
        "age",
        "has no label or hint",
    ),
    (
        "no type column",
        _form([["a", "A"]], header=["name", "label"]),
        ("survey", "", ""),
        "type",
        "Invalid headers",
    ),
    (
        "duplicate names",
        _form([["text", "q", "A", "", ""], ["text", "q", "B", "", ""]]),
        ("survey", "3", "name"),
        "q",
        "must be unique",
    ),
    (
        "a list the choices sheet does not have",
        _form([["select_one colours", "c", "C", "", ""]], [["yes_no", "yes", "Yes"]]),
        ("survey", "2", "type"),
        "colours",
        "List name not in choices sheet",
    ),
    (
        "duplicate choices",
        _form([["select_one yn", "a", "A", "", ""]], [["yn", "y", "Y"], ["yn", "y", "Z"]]),
        ("choices", "3", "name"),
        "",
        "Choice names must be unique",
    ),
    (
        "relevant refers to no question",
        _form([["text", "a", "A", "", ""], ["text", "b", "B", "${nothing} = 'x'", ""]]),
        ("survey", "3", "relevant"),
        "nothing",
        "Reference variables",
    ),
    (
        "a reference with no closing brace in a constraint",
        _form([["integer", "a", "A", "", ". > ${a"]]),
        ("survey", "2", "constraint"),
        "${",
        "Reference variables",
    ),
    (
        "a group never closed",
        _form([["begin_group", "g", "G", "", ""], ["text", "a", "A", "", ""]]),
        ("survey", "2", "type"),
        "begin_group",
        "Unmatched",
    ),
]


@pytest.mark.parametrize(
    ("content", "place", "named", "english"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_pyxforms_refusal_is_explained_in_the_readers_language(content, place, named, english):
    polish, in_english = _refused(content, "pl"), _refused(content, "en")
    sheet, row, column = place
    detail = polish.detail
    assert (detail["sheet"], detail["row"], detail["column"]) == (sheet, row, column)
    assert named in detail["message"]
    # Translated: the Polish message is not the English one, and no pyxform English shows.
    assert detail["message"] != in_english.detail["message"]
    assert not detail["details"]
    assert all(english not in line for line in polish.messages)
    with translation.override("pl"):
        where = translation.gettext("row: %(row)s") % {"row": row}
    assert (where in polish.messages[0]) == bool(row)


def test_a_refusal_mosty_cannot_explain_keeps_pyxforms_words_as_details():
    content = xlsx_book_bytes(
        [
            ("survey", ["type", "name", "label", "parameters"], [["range", "r", "R", "start=a"]]),
            ("settings", ["form_id"], [["broken"]]),
        ]
    )
    refused = _refused(content, "pl")
    assert (refused.detail["sheet"], refused.detail["row"], refused.detail["column"]) == (
        "survey",
        "2",
        "parameters",
    )
    assert len(refused.messages) == 2
    assert "parameter 'start' must be a number" in refused.messages[1]
    with translation.override("pl"):
        assert refused.messages[0].endswith(translation.gettext("Mosty could not read the form."))


@pytest.mark.django_db
def test_a_bad_form_uploaded_in_polish_is_refused_in_polish_beside_the_file(world, login):
    client = login("coordinator")
    broken = _form([["text", "q", "A", "", ""], ["text", "q", "B", "", ""]])
    with translation.override("pl"):
        page = client.post(
            reverse("research:create"),
            {
                "organisation": world.org_a.pk,
                "title": "Ankieta",
                "audience": "migrants",
                "file": SimpleUploadedFile("ankieta.xlsx", broken),
            },
        )
        expected = _refused(broken, "pl").messages[0]
    assert page.status_code == 200
    form = page.context["form"]
    assert expected in form.errors["file"] and not form.non_field_errors()
    html = page.content.decode()
    assert "Questions, groups, and repeats must be unique" not in html
    assert not Survey.objects.exists()


def _zip_of_text() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (_zip_of_text(), "ankieta.xlsx"),
        (b"type,name,label\ntext,a,A\n", "ankieta.xls"),
    ],
    ids=["a zip that is no workbook", "a CSV named .xls"],
)
def test_a_file_that_is_no_workbook_is_told_so_in_the_readers_language(content, filename):
    with translation.override("pl"), pytest.raises(FormRefused) as refused:
        read_xlsform(content, filename)
    assert not refused.value.detail["details"]
    assert len(refused.value.messages) == 1
    with translation.override("pl"):
        told = translation.gettext("The file is not an Excel workbook.")
    assert refused.value.messages[0].endswith(told)
    assert "definition" not in refused.value.messages[0]
