"""A small, safe evaluator of the XLSForm expression subset Mosty supports.

XLSForm writes skip logic (`relevant`), checks (`constraint`), `calculation`, `required`,
`read_only` and `choice_filter` as XPath 1.0 expressions over the answers (`${age} >= 18 and
selected(${langs}, 'pl')`). Mosty answers forms on the server, so it evaluates them itself:
a tokenizer and a recursive-descent parser build a small tree of tuples, and `evaluate` walks
it with the answers. Nothing is ever handed to Python's `eval`; a function outside `FUNCTIONS`
is refused when the form is imported (`ExpressionError`, listed by `functions_used`).

Values follow XPath: text, numbers (float), booleans; an unanswered question is "". A
multiple choice answer is its choice names separated by spaces, as ODK stores it.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mosty.research.patterns import compile_pattern, regex_matches

Value = str | float | bool
Node = tuple[Any, ...]


class ExpressionError(ValueError):
    """The expression cannot be read, or uses something this evaluator does not support."""


_TOKEN = re.compile(
    r"""
    \s*(?:
      (?P<ref>\$\{\s*(?P<refname>[A-Za-z_][\w.\-]*)\s*\})
    | (?P<number>\d+(?:\.\d*)?|\.\d+)
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
    | (?P<path>(?:\.\./)+[A-Za-z_][\w.\-]*|/[A-Za-z_][\w.\-/]*)
    | (?P<dot>\.)
    | (?P<name>[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)
    )""",
    re.VERBOSE,
)

_WORD_OPERATORS = {"and", "or", "div", "mod"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    source = source.strip()
    while position < len(source):
        match = _TOKEN.match(source, position)
        if not match or match.end() == position:
            raise ExpressionError(f"cannot read {source[position : position + 20]!r}")
        position = match.end()
        kind = match.lastgroup
        if kind == "refname":
            kind = "ref"
        if kind == "ref":
            tokens.append(Token("ref", match.group("refname")))
        elif kind == "path":
            # `../name` (what pyxform writes for or_other) and `/data/group/name` name a
            # question by its last step: names are unique in a form without repeats.
            tokens.append(Token("ref", match.group("path").rstrip("/").rsplit("/", 1)[-1]))
        elif kind == "string":
            tokens.append(Token("string", match.group("string")[1:-1]))
        elif kind == "name" and match.group("name") in _WORD_OPERATORS:
            tokens.append(Token("op", match.group("name")))
        else:
            assert kind is not None
            tokens.append(Token(kind, match.group(kind)))
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.position = 0

    def peek(self) -> Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise ExpressionError("the expression ends too early")
        self.position += 1
        return token

    def accept(self, *ops: str) -> str | None:
        token = self.peek()
        if token is not None and token.kind == "op" and token.text in ops:
            self.position += 1
            return token.text
        return None

    def expect(self, op: str) -> None:
        if self.accept(op) is None:
            raise ExpressionError(f"expected {op!r}")

    def binary(self, operand: Callable[[], Node], *ops: str) -> Node:
        node = operand()
        while (op := self.accept(*ops)) is not None:
            node = ("op", op, node, operand())
        return node

    def expression(self) -> Node:
        return self.binary(self.conjunction, "or")

    def conjunction(self) -> Node:
        return self.binary(self.equality, "and")

    def equality(self) -> Node:
        return self.binary(self.relation, "=", "!=")

    def relation(self) -> Node:
        return self.binary(self.additive, "<", "<=", ">", ">=")

    def additive(self) -> Node:
        return self.binary(self.multiplicative, "+", "-")

    def multiplicative(self) -> Node:
        return self.binary(self.unary, "*", "div", "mod")

    def unary(self) -> Node:
        if self.accept("-") is not None:
            return ("neg", self.unary())
        return self.primary()

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "number":
            return ("lit", float(token.text))
        if token.kind == "string":
            return ("lit", token.text)
        if token.kind == "ref":
            return ("ref", token.text)
        if token.kind == "dot":
            return ("self",)
        if token.kind == "op" and token.text == "(":
            node = self.expression()
            self.expect(")")
            return node
        if token.kind == "name":
            if self.accept("(") is not None:
                args: list[Node] = []
                if self.accept(")") is None:
                    args.append(self.expression())
                    while self.accept(",") is not None:
                        args.append(self.expression())
                    self.expect(")")
                if token.text not in FUNCTIONS:
                    raise ExpressionError(f"the function {token.text}() is not supported")
                return ("call", token.text, tuple(args))
            # A bare name: a column of the choices sheet inside a choice_filter.
            return ("attr", token.text)
        raise ExpressionError(f"unexpected {token.text!r}")


_CACHE: dict[str, Node] = {}


def parse(source: str) -> Node:
    """The tree of an expression (cached: a form's expressions are parsed once per process)."""
    node = _CACHE.get(source)
    if node is None:
        if len(source) > 2000:
            raise ExpressionError("the expression is too long")
        parser = _Parser(tokenize(source))
        try:
            node = parser.expression()
        except RecursionError as exc:
            raise ExpressionError("the expression is nested too deeply") from exc
        if parser.peek() is not None:
            raise ExpressionError(f"unexpected {parser.peek().text!r}")  # type: ignore[union-attr]
        if len(_CACHE) < 10_000:
            _CACHE[source] = node
    return node


def references(source: str) -> set[str]:
    """The question names an expression reads (`${name}`)."""
    found: set[str] = set()

    def walk(node: Node) -> None:
        if node[0] == "ref":
            found.add(node[1])
        for part in node[1:]:
            if isinstance(part, tuple):
                if part and isinstance(part[0], str):
                    walk(part)
                else:
                    for child in part:
                        walk(child)

    walk(parse(source))
    return found


# Values ---------------------------------------------------------------------------------------


def to_number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return math.nan


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return not (value == 0 or math.isnan(value))
    return value not in ("", None)


def to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _compare(op: str, left: Any, right: Any) -> bool:
    if op in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = to_bool(left) == to_bool(right)
        elif isinstance(left, int | float) or isinstance(right, int | float):
            equal = to_number(left) == to_number(right)
        else:
            equal = to_text(left) == to_text(right)
        return equal if op == "=" else not equal
    if (
        isinstance(left, str)
        and isinstance(right, str)
        and _DATE.match(left)
        and _DATE.match(right)
    ):
        # Dates and times compare in ISO order (ODK compares them as days since 1970).
        a: Any = left
        b: Any = right
    else:
        a, b = to_number(left), to_number(right)
        if math.isnan(a) or math.isnan(b):
            return False
    return bool({"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op])


def _arithmetic(op: str, left: Any, right: Any) -> float:
    a, b = to_number(left), to_number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "div":
        return math.nan if b == 0 else a / b
    return math.nan if b == 0 else math.fmod(a, b)


# Functions ------------------------------------------------------------------------------------


def _selected(answer: Any, choice: Any) -> bool:
    return to_text(choice).strip() in to_text(answer).split()


def _round(value: Any, places: Any = 0.0) -> float:
    number = to_number(value)
    if math.isnan(number):
        return number
    factor = 10.0 ** int(to_number(places) or 0)
    return float(math.floor(number * factor + 0.5) / factor)


def _if(condition: Any, then: Any, otherwise: Any) -> Any:
    return then if to_bool(condition) else otherwise


def _int(value: Any) -> float:
    number = to_number(value)
    return number if math.isnan(number) else float(math.trunc(number))


def _coalesce(first: Any, second: Any) -> Any:
    return first if to_text(first) != "" else second


def _selected_at(answer: Any, index: Any) -> str:
    parts = to_text(answer).split()
    position = int(to_number(index)) if not math.isnan(to_number(index)) else -1
    return parts[position] if 0 <= position < len(parts) else ""


def _extreme(pick: Callable[..., float]) -> Callable[..., float]:
    def apply(*values: Any) -> float:
        numbers = [to_number(v) for v in values]
        if not numbers or any(math.isnan(n) for n in numbers):
            return math.nan
        return pick(numbers)

    return apply


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "selected": _selected,
    "count-selected": lambda answer: float(len(to_text(answer).split())),
    "selected-at": _selected_at,
    "string-length": lambda text: float(len(to_text(text))),
    "not": lambda value: not to_bool(value),
    "true": lambda: True,
    "false": lambda: False,
    "boolean": to_bool,
    "number": to_number,
    "string": to_text,
    "int": _int,
    "round": _round,
    "floor": lambda value: float(math.floor(n)) if not math.isnan(n := to_number(value)) else n,
    "ceiling": lambda value: float(math.ceil(n)) if not math.isnan(n := to_number(value)) else n,
    "abs": lambda value: abs(to_number(value)),
    "max": _extreme(max),
    "min": _extreme(min),
    "if": _if,
    "coalesce": _coalesce,
    "concat": lambda *parts: "".join(to_text(p) for p in parts),
    "contains": lambda text, part: to_text(part) in to_text(text),
    "starts-with": lambda text, part: to_text(text).startswith(to_text(part)),
    "ends-with": lambda text, part: to_text(text).endswith(to_text(part)),
    "substr": lambda text, start, end=None: to_text(text)[
        int(to_number(start)) : None if end is None else int(to_number(end))
    ],
    "regex": lambda value, pattern: regex_matches(to_text(value), to_text(pattern)),
    "today": lambda: datetime.date.today().isoformat(),
    "now": lambda: datetime.datetime.now().replace(microsecond=0).isoformat(),
}


# Evaluation -----------------------------------------------------------------------------------


@dataclass
class Context:
    """What an expression reads: the answers by question name, the question's own value
    (`.`), and in a choice_filter the choice's columns (bare names)."""

    answers: Mapping[str, Any]
    current: Any = ""
    choice: Mapping[str, Any] = field(default_factory=dict)


def _value(node: Node, context: Context) -> Any:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "ref":
        value = context.answers.get(node[1], "")
        return "" if value is None else value
    if kind == "self":
        return "" if context.current is None else context.current
    if kind == "attr":
        value = context.choice.get(node[1], "")
        return value if isinstance(value, str) else to_text(value)
    if kind == "neg":
        return -to_number(_value(node[1], context))
    if kind == "call":
        return FUNCTIONS[node[1]](*(_value(arg, context) for arg in node[2]))
    op, left, right = node[1], node[2], node[3]
    if op == "or":
        return to_bool(_value(left, context)) or to_bool(_value(right, context))
    if op == "and":
        return to_bool(_value(left, context)) and to_bool(_value(right, context))
    if op in ("=", "!=", "<", "<=", ">", ">="):
        return _compare(op, _value(left, context), _value(right, context))
    return _arithmetic(op, _value(left, context), _value(right, context))


def evaluate(source: str, context: Context) -> Any:
    """The value of an expression the import accepted. A value it cannot compute (a
    function given the wrong number of arguments, `round(., 'x')`, a huge number) is NaN,
    as in XPath: a respondent never meets an error page because of the form's arithmetic."""
    node = parse(source)
    try:
        return _value(node, context)
    except (TypeError, ValueError, OverflowError, ZeroDivisionError, RecursionError):
        return math.nan


def is_true(source: str, context: Context) -> bool:
    return to_bool(evaluate(source, context))


def check(source: str) -> None:
    """Raises `ExpressionError` for an expression that cannot be evaluated here: unreadable,
    calling a function this evaluator does not have, or giving `regex()` a pattern it cannot
    run safely (`PatternError`) (for the import's list of what will not work)."""

    def walk(node: Node) -> None:
        if node[0] == "call":
            if node[1] == "regex" and len(node[2]) == 2 and node[2][1][0] == "lit":
                compile_pattern(to_text(node[2][1][1]))
            for argument in node[2]:
                walk(argument)
        elif node[0] in ("op", "neg"):
            for part in node[1:]:
                if isinstance(part, tuple):
                    walk(part)

    walk(parse(source))
