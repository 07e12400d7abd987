"""ODK's regex() in constraints: the same answers as a regular expression engine, in time
that grows with the answer, never exponentially; what cannot run that way is listed at
import."""

import re
import time

import pytest
from django.urls import reverse

from mosty.research.demo_forms import LANGS, YES_NO, xlsform_bytes
from mosty.research.expressions import Context, is_true
from mosty.research.models import Response
from mosty.research.patterns import PatternError, compile_pattern, regex_matches
from mosty.research.xlsform import analyse, problem_messages, read_xlsform
from tests.research.factories import make_survey

PATTERNS = [
    r"^[0-9]{9}$",
    r"^\d{2}-\d{3}$",
    r"(a|ab)*c",
    r"^[A-Z][a-z]+(?: [A-Z][a-z]+)*$",
    r"\bcat\b",
    r"colou?r",
    r"^$",
    r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$",
    r"a.c",
    r"^(ab|cd){2,3}$",
    r"[^\d]",
    r"end$",
    r"^a{0,2}b",
    r"\Bx",
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,4}",
]
TEXTS = [
    "",
    "123456789",
    "1234567890",
    "50-123",
    "abababc",
    "Anna Maria",
    "anna",
    "a cat sat",
    "concatenate",
    "color",
    "colour",
    "ab@cd.pl",
    "a@b",
    "a\nc",
    "abc",
    "abcdab",
    "end\n",
    "aab",
    "axb",
    "Ąb",
    "٣٤٥",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_matches_as_a_regular_expression_search_does(pattern):
    for text in TEXTS:
        expected = re.search(pattern, text, re.ASCII) is not None
        assert regex_matches(text, pattern) is expected, (pattern, text)


def test_in_expressions_the_pattern_is_searched_in_the_answer():
    assert is_true("regex(., '^[0-9]{9}$')", Context({}, current="123456789"))
    assert not is_true("regex(., '^[0-9]{9}$')", Context({}, current="12345678x"))
    assert is_true("regex(${mail}, '@')", Context({"mail": "a@b.pl"}))
    # A pattern from an answer that cannot run is false, never an error page.
    assert not is_true("regex('x', ${p})", Context({"p": "(a)\\1"}))


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(a|a)*b", r"\d*\d*\d*\d*\d*x", r"(x+x+)+y"])
def test_catastrophic_patterns_take_linear_time(pattern):
    text = {"a": "a", "d": "1", "x": "x"}[next(c for c in "adx" if c in pattern)] * 5000 + "!"
    started = time.perf_counter()
    assert regex_matches(text, pattern) is False
    assert time.perf_counter() - started < 1.0  # Python's `re` would take longer than a day


@pytest.mark.parametrize(
    "pattern",
    [r"(a)\1", r"(?=a)b", r"(?<!a)b", r"(?i)a", r"a{5000}", r"a++", r"(?>a)", "[", "x" * 501],
)
def test_patterns_it_cannot_run_safely_are_refused(pattern):
    with pytest.raises(PatternError):
        compile_pattern(pattern)


def _phone_form(pattern):
    rows = [
        {
            "type": "text",
            "name": "phone",
            "label": ("Telefon", "Phone", "Телефон", "الهاتف"),
            "constraint": f"regex(., '{pattern}')",
            "constraint_message": (
                "Podaj 9 cyfr.",
                "Give 9 digits.",
                "Вкажіть 9 цифр.",
                "أدخل 9 أرقام.",
            ),
        },
        {"type": "text", "name": "city", "label": ("Miasto", "City", "Місто", "المدينة")},
    ]
    return xlsform_bytes(rows, YES_NO, {"form_id": "phone", "default_language": LANGS[1]})


@pytest.mark.django_db
def test_a_form_checks_an_answer_with_regex_in_its_constraint(client, world):
    survey = make_survey(world.org_a, _phone_form(r"^[0-9]{9}$"), filename="phone.xlsx")
    assert survey.current_version().unsupported == []
    started = client.post(reverse("research:answer", args=[survey.slug]), {"lang": "ar"})
    url = started["Location"]
    refused = client.post(url, {"page": 0, "phone": "12 345"})
    assert refused.status_code == 400 and "أدخل 9 أرقام." in refused.content.decode()
    assert client.post(url, {"page": 0, "phone": "600700800"}).status_code == 302
    assert Response.objects.get().answers["phone"] == "600700800"


def test_a_pattern_it_cannot_run_is_listed_at_import():
    definition = read_xlsform(_phone_form(r"^(\d)\1$"), "phone.xlsx")
    messages = problem_messages(analyse(definition).unsupported)
    assert len(messages) == 1 and "regex()" in messages[0] and "phone" in messages[0]
