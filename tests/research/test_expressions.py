import pytest

from mosty.research.expressions import Context, ExpressionError, evaluate, is_true, parse


@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        ("${age} >= 18", {"age": 30}, True),
        ("${age} >= 18", {"age": 12}, False),
        ("${age} >= 18", {}, False),
        ("${a} = 'yes' and not(${b} = 'no')", {"a": "yes", "b": "x"}, True),
        ("${a} = 'yes' or ${b} = 'no'", {"a": "n", "b": "no"}, True),
        ("selected(${langs}, 'pl')", {"langs": "en pl"}, True),
        ("selected(../langs, 'uk')", {"langs": "en pl"}, False),
        ("count-selected(${langs}) = 2", {"langs": "en pl"}, True),
        ("string-length(${name}) > 3", {"name": "Olena"}, True),
        ("if(${n} < 3, 'low', 'high') = 'low'", {"n": 2}, True),
        ("(${a} + ${b}) * 2 = 10", {"a": 2, "b": 3}, True),
        ("${a} div 4 = 2.5 and ${a} mod 3 = 1", {"a": 10}, True),
        ("-${a} < 0", {"a": 1}, True),
        ("${d} < today()", {"d": "2000-01-01"}, True),
    ],
)
def test_evaluates_the_xlsform_subset(source, answers, expected):
    assert is_true(source, Context(answers)) is expected


def test_dot_is_the_answer_and_bare_names_are_choice_columns():
    assert is_true(". > 5", Context({}, current=6))
    assert is_true("cf = ${state}", Context({"state": "tx"}, choice={"cf": "tx"}))
    assert evaluate("concat(${a}, '-', 2)", Context({"a": "x"})) == "x-2"


@pytest.mark.parametrize(
    "source", ["pulldata('a', 'b')", "instance('cities')", "${a} = ", "__import__('os')", "1 +* 2"]
)
def test_refuses_what_it_cannot_evaluate(source):
    with pytest.raises(ExpressionError):
        parse(source)


def test_what_cannot_be_computed_is_nan_never_an_error():
    assert is_true("round(${a}, 'x') > 1", Context({"a": 2})) is False
    assert is_true("substr(${a}, 'x') = ''", Context({"a": "abc"})) is False
    assert is_true("selected(${a})", Context({"a": "x"})) is False  # wrong arity


def test_an_expression_nested_too_deeply_is_refused_at_import():
    with pytest.raises(ExpressionError):
        parse("(" * 5000 + "1" + ")" * 5000)  # too long
    with pytest.raises(ExpressionError):
        parse("(" * 900 + "1" + ")" * 900)  # short enough, but nested past the stack
