"""Reading an XLSForm with pyxform, and what Mosty can and cannot do with it.

`read_xlsform(content, filename)` hands the workbook to pyxform, the reference implementation
(its workbook → JSON step, then building the survey and writing its XForm, which is where
pyxform checks references and expressions). A form pyxform refuses raises `FormRefused` with
pyxform's message and where it points: sheet, row, column.

`analyse(definition)` walks the JSON and lists, as codes a page translates when it shows
them, what will not work (`unsupported`: a survey cannot open while there is any) and what
is ignored (`ignored`: media in labels, device metadata a web form cannot know).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from string import Formatter
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from pyxform.builder import create_survey_element_from_dict
from pyxform.errors import ErrorCode, PyXFormError
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from mosty.core.uploads import check_zip
from mosty.research import expressions
from mosty.research.patterns import PatternError

# The kinds of question a respondent answers, and every kind Mosty supports.
ANSWERED_KINDS = frozenset(
    {
        "text",
        "integer",
        "decimal",
        "date",
        "time",
        "select_one",
        "select_multiple",
        "acknowledge",
        "range",
    }
)
SUPPORTED_KINDS = ANSWERED_KINDS | {"note", "calculate", "start", "end", "today"}
# The survey sheet's columns without a language, in the order Mosty writes them.
PLAIN_COLUMNS = (
    "required",
    "relevant",
    "constraint",
    "calculation",
    "choice_filter",
    "default",
    "read_only",
    "appearance",
    "parameters",
)
EXPRESSION_COLUMNS = ("relevant", "constraint", "required", "readonly", "calculate")
# Metadata a phone app fills in and a web form cannot know: the column stays empty.
DEVICE_METADATA = {"property", "uid"}
_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
# Where pyxform's sentences of the form "On the 'survey' sheet, the 'name' value is …" point.
_PLACE = re.compile(r"On the '(?P<sheet>\w+)' sheet, the '(?P<column>[\w:\- ()]+)' value")


class FormRefused(ValidationError):
    """pyxform refused the form: what is wrong in the reader's language, with the sheet, row
    and column where pyxform says it is; pyxform's own English text follows as a line of
    details only where Mosty cannot say it (`detail["details"]`)."""

    def __init__(
        self,
        message: str,
        *,
        sheet: str = "",
        row: str = "",
        column: str = "",
        details: str = "",
    ):
        self.detail = {
            "message": message,
            "sheet": sheet,
            "row": row,
            "column": column,
            "details": details,
        }
        where = pgettext("between the parts of a place in a form", ", ").join(
            part % {"sheet": sheet, "row": row, "column": column}
            for part, value in (
                (_("sheet: %(sheet)s"), sheet),
                (_("row: %(row)s"), row),
                (_("column: %(column)s"), column),
            )
            if value
        )
        text = (
            _("The form was refused (%(where)s): %(message)s")
            % {"where": where, "message": message}
            if where
            else _("The form was refused: %(message)s") % {"message": message}
        )
        lines = [text]
        if details:
            lines.append(_("pyxform's message (in English): %(details)s") % {"details": details})
        super().__init__([ValidationError(line, code="refused") for line in lines])


# What pyxform says when it refuses a form, and what the reader reads instead. pyxform writes
# most of its messages from the templates of `pyxform.errors.ErrorCode` (and raises them as
# text, without the code): each entry is matched against the template it names, whose
# {fields} become the entry's values; the others are pyxform's plain sentences. An entry's
# function answers the message, and the sheet and column when pyxform's words imply them.
Explained = tuple[str, str, str]
Explain = Callable[[dict[str, str]], Explained]


def _missing_columns(values: dict[str, str]) -> str:
    return ", ".join(
        part.strip().strip("'\"") for part in values.get("missing", "").split(",") if part.strip()
    )


def _unknown_type(values: dict[str, str]) -> Explained:
    qtype = values.get("type", "")
    if qtype.strip() in ("select_one", "select_multiple", "select_one_from_file", "rank"):
        return (
            _("“%(type)s” needs the name of its choice list after it, as in “select_one yes_no”.")
            % {"type": qtype},
            "survey",
            "type",
        )
    return (
        _("The question type “%(type)s” does not exist: check how it is spelt.") % {"type": qtype},
        "survey",
        "type",
    )


_EXPLAINED: dict[str, Explain] = {
    "HEADER_001": lambda v: (
        _("The “%(sheet)s” sheet has no header row: its first row must name the columns.")
        % {"sheet": v.get("sheet_name", "")},
        v.get("sheet_name", ""),
        "",
    ),
    "HEADER_002": lambda v: (
        _(
            "The “%(sheet)s” sheet has two columns for the same thing, “%(first)s” and "
            "“%(second)s”: remove one of them."
        )
        % {
            "sheet": v.get("sheet_name", ""),
            "first": v.get("other", ""),
            "second": v.get("header", ""),
        },
        v.get("sheet_name", ""),
        "",
    ),
    "HEADER_003": lambda v: (
        _("The “%(sheet)s” sheet needs these columns in its first row: %(columns)s.")
        % {"sheet": v.get("sheet_name", ""), "columns": _missing_columns(v)},
        v.get("sheet_name", ""),
        "",
    ),
    "LABEL_001": lambda v: (_("This choice has no label."), "choices", "label"),
    "NAMES_001": lambda v: (
        _(
            "Two questions, groups or repeats are named “%(name)s”: a name may be used only "
            "once in the same group."
        )
        % {"name": v.get("value", "")},
        "survey",
        "name",
    ),
    "NAMES_002": lambda v: (
        _("The name “%(name)s” differs from another one only in capital letters: rename it.")
        % {"name": v.get("value", "")},
        "survey",
        "name",
    ),
    "NAMES_003": lambda v: (
        _("The repeat “%(name)s” has the same name as the form itself: rename it.")
        % {"name": v.get("value", "")},
        "survey",
        "name",
    ),
    "NAMES_004": lambda v: (
        _("Two repeats are named “%(name)s”: a repeat's name may be used only once in the form.")
        % {"name": v.get("value", "")},
        "survey",
        "name",
    ),
    "NAMES_005": lambda v: (
        _("The name “meta” is kept for the form's own data: give the question another name."),
        "survey",
        "name",
    ),
    "NAMES_006": lambda v: (
        _("This choice has no name: write one in the name column."),
        "choices",
        "name",
    ),
    "NAMES_007": lambda v: (
        _("Two choices of the same list have this name: names must differ within a list."),
        "choices",
        "name",
    ),
    "NAMES_008": lambda v: (
        _(
            "This name is not valid: it must begin with a letter or an underscore, and may "
            "contain only letters, digits, underscores, hyphens and full stops."
        ),
        v.get("sheet", ""),
        v.get("column", ""),
    ),
    "PYREF_001": lambda v: (
        _("A reference to a question must be written as ${name}, with the question's name."),
        v.get("sheet", ""),
        v.get("column", ""),
    ),
    "PYREF_002": lambda v: (
        _("The references of a list must be separated by commas."),
        v.get("sheet", ""),
        v.get("column", ""),
    ),
    "PYREF_003": lambda v: (
        _("${%(name)s} refers to a question the form does not have.") % {"name": v.get("q", "")},
        v.get("sheet", ""),
        v.get("column", ""),
    ),
    "PYREF_004": lambda v: (
        _("${%(name)s} refers to a name several questions have: it must be unique in the form.")
        % {"name": v.get("q", "")},
        v.get("sheet", ""),
        v.get("column", ""),
    ),
    "SURVEY_001": lambda v: (
        _("“end_%(kind)s” has no “begin_%(kind)s” above it.") % {"kind": v.get("type", "")},
        "survey",
        "type",
    ),
    "SURVEY_002": lambda v: (
        _("“begin_%(kind)s” %(name)s has no “end_%(kind)s” below it.")
        % {"kind": v.get("type", ""), "name": v.get("name", "")},
        "survey",
        "type",
    ),
}
_SENTENCES: list[tuple[re.Pattern[str], Explain]] = [
    # What pyxform says of a file whose content is no workbook it knows (a zip of something
    # else, a CSV or text file named .xls).
    (
        re.compile(r"Argument 'definition' was not recognized as a supported type\..*", re.S),
        lambda v: (_("The file is not an Excel workbook."), "", ""),
    ),
    (re.compile(r"Unknown question type '(?P<type>.*)'\.", re.S), _unknown_type),
    (
        re.compile(r"\[row : (?P<row>\d+)\] Question or group with no name\.", re.S),
        lambda v: (
            _("This question or group has no name: write one in the name column."),
            "survey",
            "name",
        ),
    ),
    (
        re.compile(r"The survey element named '(?P<name>.*)' has no label or hint\.", re.S),
        lambda v: (
            _("The question “%(name)s” has no label: write what the respondent reads.")
            % {"name": v.get("name", "")},
            "survey",
            "label",
        ),
    ),
    (
        re.compile(r"\[row : (?P<row>\d+)\] List name not in choices sheet: (?P<list>.*)", re.S),
        lambda v: (
            _("The choice list “%(list)s” is not on the choices sheet.")
            % {"list": v.get("list", "").strip()},
            "survey",
            "type",
        ),
    ),
    (
        re.compile(r"There should be a choices sheet in this xlsform\..*", re.S),
        lambda v: (
            _(
                "The form has questions with choices but no choices sheet (with the "
                "columns list_name, name and label)."
            ),
            "choices",
            "",
        ),
    ),
]


def _template_pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching what `template` ({field} placeholders) formats to."""
    pattern, seen = "", set()
    for literal, name, _spec, _conversion in Formatter().parse(template):
        pattern += re.escape(literal)
        if name:
            pattern += f"(?P={name})" if name in seen else f"(?P<{name}>.*?)"
            seen.add(name)
    return re.compile(pattern, re.S)


_TEMPLATES: list[tuple[str, re.Pattern[str]]] = [
    (code, _template_pattern(ErrorCode[code].value.msg))
    for code in _EXPLAINED
    if code in ErrorCode.__members__
]


def _explained(exc: Exception, text: str) -> tuple[Explained, dict[str, str]] | None:
    """What pyxform's refusal means, in the reader's language, and its values (row …)."""
    code = getattr(exc, "code", None)
    context = getattr(exc, "context", None) or {}
    if isinstance(code, ErrorCode) and code.name in _EXPLAINED and context:
        values = {k: str(v) for k, v in context.items()}
        return _EXPLAINED[code.name](values), values
    for name, pattern in _TEMPLATES:
        match = pattern.fullmatch(text)
        if match:
            values = {k: v for k, v in match.groupdict().items() if v is not None}
            return _EXPLAINED[name](values), values
    for pattern, explain in _SENTENCES:
        match = pattern.fullmatch(text)
        if match:
            values = match.groupdict()
            return explain(values), values
    return None


def _row_of(rows: list[dict[str, Any]], column: str, value: str) -> str:
    """The row of the survey sheet whose `column` is `value` (its header is row 1), where
    pyxform names the question but not its row."""
    for n, row in enumerate(rows):
        if str(row.get(column, "")).strip() == value.strip():
            return str(n + 2)
    return ""


def _refused(exc: Exception, workbook: Any = None) -> FormRefused:
    text = str(exc).strip() or type(exc).__name__
    found = _explained(exc, text)
    if found is None:
        row = str((getattr(exc, "context", None) or {}).get("row") or "") or _first(_ROW, text)
        place = _PLACE.search(text)
        return FormRefused(
            _("Mosty could not read the form."),
            sheet=place.group("sheet") if place else ("survey" if row else ""),
            row=row,
            column=place.group("column") if place else "",
            details=text,
        )
    (message, sheet, column), values = found
    row = str(values.get("row") or "") or _first(_ROW, text)
    survey_rows = list(getattr(workbook, "survey", None) or [])
    if not row and survey_rows:
        if values.get("type"):
            row = _row_of(survey_rows, "type", values["type"])
        elif values.get("name") and column == "label":
            row = _row_of(survey_rows, "name", values["name"])
    return FormRefused(message, sheet=sheet, row=row, column=column)


def _first(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text)
    return next((group for group in match.groups() if group), "") if match else ""


def read_xlsform(content: bytes, filename: str) -> dict[str, Any]:
    """pyxform's JSON of an XLSForm (xls, xlsx or xlsm), or `FormRefused`."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in (".xls", ".xlsx", ".xlsm"):
        raise FormRefused(_("Upload the form as an Excel workbook (.xlsx or .xls)."))
    if suffix != ".xls":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                check_zip(archive)
        except zipfile.BadZipFile as exc:
            raise FormRefused(_("The file is not an Excel workbook.")) from exc
    workbook = None
    try:
        workbook = get_xlsform(io.BytesIO(content), file_type=suffix)
        definition = workbook_to_json(
            workbook_dict=workbook,
            form_name="data",
            fallback_form_name=PurePath(filename).stem,
            default_language="default",
            warnings=[],
        )
        # Building the survey and writing its XForm is where pyxform checks references
        # (${name} of a question that does not exist) and expression syntax.
        create_survey_element_from_dict(definition).to_xml(validate=False)
        assert isinstance(definition, dict)
    except (PyXFormError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _refused(exc, workbook) from exc
    except Exception as exc:  # noqa: BLE001 - a workbook reader's own error (xlrd, openpyxl)
        raise _refused(exc, workbook) from exc
    return definition


# Kinds and languages --------------------------------------------------------------------------


def question_kind(qtype: str) -> str:
    """Mosty's kind for a pyxform question type (`select all that apply` → `select_multiple`);
    an unknown or unsupported type comes back as it is."""
    if qtype in ("repeat", "loop", "group"):
        return qtype
    info = QUESTION_TYPE_DICT.get(qtype)
    if info is None:
        return qtype
    control = info.get("control", {})
    bind = info.get("bind", {})
    preload = bind.get("jr:preload")
    if preload == "timestamp":
        return "start" if bind.get("jr:preloadParams") == "start" else "end"
    if preload == "date":
        return "today"
    if preload:
        return "metadata"
    tag = control.get("tag")
    btype = bind.get("type")
    if "external" in qtype or "from file" in qtype or qtype.startswith("select_"):
        return qtype
    if tag == "select1":
        return "select_one"
    if tag == "select":
        return "select_multiple"
    if tag == "trigger":
        return "acknowledge"
    if tag == "range":
        return "range"
    if tag is None:
        return (
            "calculate" if qtype in ("calculate", "q calculate", "add calculate prompt") else qtype
        )
    if tag == "input":
        if bind.get("readonly") == "true()":
            return "note"
        return {
            "int": "integer",
            "decimal": "decimal",
            "date": "date",
            "time": "time",
            "string": "text",
        }.get(str(btype), qtype)
    return qtype


_LANGUAGE_CODE = re.compile(r"\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\)\s*$")
_LANGUAGE_NAMES = {
    "english": "en",
    "polish": "pl",
    "polski": "pl",
    "ukrainian": "uk",
    "russian": "ru",
    "arabic": "ar",
    "persian": "fa",
    "farsi": "fa",
    "french": "fr",
    "german": "de",
    "spanish": "es",
    "chinese": "zh",
}
RTL_CODES = {"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv"}


def language_code(key: str) -> str:
    match = _LANGUAGE_CODE.search(key)
    if match:
        return match.group(1).lower()
    return _LANGUAGE_NAMES.get(key.strip().lower(), "")


def language_name(key: str) -> str:
    return _LANGUAGE_CODE.sub("", key).strip() or key


@dataclass
class Analysis:
    languages: list[dict[str, str]] = field(default_factory=list)
    unsupported: list[dict[str, str]] = field(default_factory=list)
    ignored: list[dict[str, str]] = field(default_factory=list)


def _texts(element: dict[str, Any]) -> list[Any]:
    bind = element.get("bind") or {}
    return [
        element.get("label"),
        element.get("hint"),
        bind.get("jr:constraintMsg"),
        bind.get("jr:requiredMsg"),
    ]


def analyse(definition: dict[str, Any]) -> Analysis:
    result = Analysis()
    keys: dict[str, None] = {}

    def note_keys(value: Any) -> None:
        if isinstance(value, dict):
            keys.update(dict.fromkeys(value))

    def check_expression(name: str, column: str, source: Any) -> None:
        if not isinstance(source, str) or source.strip() in ("", "yes", "no", "true", "false"):
            return
        try:
            expressions.check(source)
        except PatternError as exc:
            result.unsupported.append(
                {"code": "pattern", "name": name, "column": column, "detail": str(exc)}
            )
        except expressions.ExpressionError:
            function = _unsupported_function(source)
            if function:
                result.unsupported.append(
                    {"code": "function", "name": name, "column": column, "function": function}
                )
            else:
                result.unsupported.append({"code": "expression", "name": name, "column": column})

    def walk(children: list[dict[str, Any]], nested: bool = False) -> None:
        """`nested`: inside a group or a repeat, where a repeat is not supported."""
        for element in children:
            name = str(element.get("name", ""))
            qtype = str(element.get("type", ""))
            if (
                qtype == "group"
                and name == "meta"
                and (element.get("control") or {}).get("bodyless")
            ):
                continue  # pyxform's instanceID: Mosty's response key plays its part
            kind = question_kind(qtype)
            for text in _texts(element):
                note_keys(text)
            if element.get("media"):
                result.ignored.append({"code": "media", "name": name})
            if kind == "loop" or (kind == "repeat" and nested):
                result.unsupported.append({"code": "repeat", "name": name})
            elif kind == "metadata":
                result.ignored.append({"code": "metadata", "name": name, "type": qtype})
            elif kind not in SUPPORTED_KINDS and kind not in ("group", "repeat"):
                result.unsupported.append({"code": "type", "name": name, "type": qtype})
            elif _is_file(element.get("itemset")):
                # select_one_from_file: the choices live in a CSV/XML file sent beside the form.
                result.unsupported.append(
                    {"code": "file", "name": name, "file": str(element["itemset"])}
                )
            bind = element.get("bind") or {}
            for column in EXPRESSION_COLUMNS:
                check_expression(name, column, bind.get(column))
            check_expression(name, "choice_filter", element.get("choice_filter"))
            default = element.get("default")
            if isinstance(default, str) and ("${" in default or "(" in default):
                check_expression(name, "default", default)
            for choice in element.get("choices") or []:
                note_keys(choice.get("label"))
                if choice.get("media"):
                    result.ignored.append({"code": "media", "name": name})
            walk(element.get("children") or [], nested or kind in ("group", "repeat"))

    walk(definition.get("children") or [])
    if definition.get("public_key"):
        result.unsupported.append({"code": "encrypted", "name": ""})
    named = [k for k in keys if k != "default"]
    if not named:
        named = ["default"]
    result.languages = [
        {
            "key": key,
            "code": language_code(key),
            "name": language_name(key) if key != "default" else "",
        }
        for key in named
    ]
    # One entry per kind of problem and question (a media column on every choice is one line).
    result.ignored = list({tuple(sorted(e.items())): e for e in result.ignored}.values())
    return result


def _is_file(itemset: Any) -> bool:
    return isinstance(itemset, str) and PurePath(itemset).suffix.lower() in (
        ".csv",
        ".xml",
        ".geojson",
    )


_CALL = re.compile(r"([A-Za-z_][\w\-]*(?::[\w\-]+)?)\s*\(")


def _unsupported_function(source: str) -> str:
    for function in _CALL.findall(source):
        if function not in expressions.FUNCTIONS:
            return str(function)
    return ""


PROBLEMS = {
    "repeat": gettext_lazy(
        "Question %(name)s: loops, and repeated groups inside a group or a repeat, "
        "are not supported yet."
    ),
    "type": gettext_lazy("Question %(name)s: the question type “%(type)s” is not supported."),
    "function": gettext_lazy(
        "Question %(name)s: the function %(function)s() in %(column)s is not supported."
    ),
    "pattern": gettext_lazy(
        "Question %(name)s: the pattern of regex() in %(column)s cannot be checked "
        "safely (back-references, look-arounds, inline flags and very long patterns "
        "are not supported)."
    ),
    "expression": gettext_lazy("Question %(name)s: the expression in %(column)s cannot be read."),
    "file": gettext_lazy(
        "Question %(name)s: the choices come from the file %(file)s, which Mosty "
        "cannot read: put them on the choices sheet."
    ),
    "encrypted": gettext_lazy(
        "The form encrypts its submissions (public_key), which Mosty does not do."
    ),
    "media": gettext_lazy("Question %(name)s: images, audio and video are not shown."),
    "metadata": gettext_lazy("Question %(name)s: %(type)s is left empty on the web."),
}


def problem_messages(entries: list[dict[str, str]]) -> list[str]:
    """What `analyse` listed, in the reader's language."""
    messages = []
    for entry in entries:
        text = str(PROBLEMS.get(entry.get("code", ""), PROBLEMS["metadata"]))
        messages.append(text % entry if "%(" in text else text)
    return messages
