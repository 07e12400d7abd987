"""ODK's `regex(value, pattern)` without a backtracking engine.

A form's constraint may test an answer against a regular expression (`regex(., '^[0-9]{9}$')`).
Python's `re` backtracks: a pattern such as `(a+)+$` takes exponential time on a long answer,
and a respondent types the answer. So the pattern is parsed by Python's own parser, compiled
to a small automaton and run as a Pike VM (every alternative advanced in step, one character at
a time, with the sets of states met cached as a DFA): the time grows with the length of the
answer times the size of the pattern, never more. What cannot be run that way (back-references,
look-arounds, atomic groups, possessive quantifiers, inline flags) is refused when the form is
imported, as is a pattern over `MAX_PATTERN` characters or one that compiles to more than
`MAX_PROGRAM` steps (`a{1000}`).

As in ODK (Java's `Pattern...find()`, and Enketo's `RegExp.test`), the pattern is searched for
anywhere in the value: forms anchor it with `^` and `$`. `\\d`, `\\w` and `\\s` are ASCII, as in
Java.
"""

from __future__ import annotations

import re
import re._constants as sre  # type: ignore[import-not-found]
import re._parser as sre_parse  # type: ignore[import-not-found]
from collections.abc import Callable
from functools import lru_cache
from typing import Any

# `re._parser` is the parser Python's own `re` uses (`sre_parse` is its deprecated name, and
# typeshed has no stubs for the new one).

MAX_PATTERN = 500
MAX_PROGRAM = 2000
MAX_DFA_STATES = 1000

Test = Callable[[str], bool]
Instruction = tuple[Any, ...]


class PatternError(ValueError):
    """The pattern cannot be read, or uses what this matcher does not run."""


_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_DIGITS = frozenset("0123456789")
_SPACE = frozenset(" \t\n\r\f\v")
_CATEGORIES: dict[Any, Test] = {
    sre.CATEGORY_DIGIT: lambda c: c in _DIGITS,
    sre.CATEGORY_NOT_DIGIT: lambda c: c not in _DIGITS,
    sre.CATEGORY_WORD: lambda c: c in _WORD,
    sre.CATEGORY_NOT_WORD: lambda c: c not in _WORD,
    sre.CATEGORY_SPACE: lambda c: c in _SPACE,
    sre.CATEGORY_NOT_SPACE: lambda c: c not in _SPACE,
}


def _is(code: int) -> Test:
    char = chr(code)
    return lambda c: c == char


def _is_not(code: int) -> Test:
    char = chr(code)
    return lambda c: c != char


def _between(low: int, high: int) -> Test:
    return lambda c: low <= ord(c) <= high


def _char_class(items: list[tuple[Any, Any]]) -> Test:
    negate = False
    tests: list[Test] = []
    for op, av in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            tests.append(_is(av))
        elif op is sre.RANGE:
            tests.append(_between(av[0], av[1]))
        elif op is sre.CATEGORY and av in _CATEGORIES:
            tests.append(_CATEGORIES[av])
        else:
            raise PatternError(f"the character class item {op} is not supported")
    return lambda c: any(test(c) for test in tests) != negate


class _Compiler:
    def __init__(self) -> None:
        self.program: list[Instruction] = []

    def add(self, instruction: Instruction) -> int:
        if len(self.program) >= MAX_PROGRAM:
            raise PatternError("the pattern is too large")
        self.program.append(instruction)
        return len(self.program) - 1

    def sequence(self, items: Any) -> None:
        for op, av in items:
            self.item(op, av)

    def item(self, op: Any, av: Any) -> None:
        if op is sre.LITERAL:
            self.add(("char", _is(av)))
        elif op is sre.NOT_LITERAL:
            self.add(("char", _is_not(av)))
        elif op is sre.ANY:
            self.add(("char", lambda c: c != "\n"))
        elif op is sre.IN:
            self.add(("char", _char_class(av)))
        elif op is sre.AT:
            self.add(("at", av))
        elif op is sre.SUBPATTERN:
            _group, add_flags, del_flags, items = av
            if add_flags or del_flags:
                raise PatternError("inline flags are not supported")
            self.sequence(items)
        elif op is sre.BRANCH:
            self.branch(av[1])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            self.repeat(*av)
        else:
            raise PatternError(f"{str(op).lower()} is not supported")

    def branch(self, alternatives: list[Any]) -> None:
        ends: list[int] = []
        for alternative in alternatives[:-1]:
            split = self.add(("split", 0, 0))
            self.sequence(alternative)
            ends.append(self.add(("jmp", 0)))
            self.program[split] = ("split", split + 1, len(self.program))
        self.sequence(alternatives[-1])
        for end in ends:
            self.program[end] = ("jmp", len(self.program))

    def repeat(self, low: int, high: Any, items: Any) -> None:
        # Greedy or lazy makes no difference to whether a match exists.
        for _n in range(low):
            self.sequence(items)
        if high is sre.MAXREPEAT:
            loop = self.add(("split", 0, 0))
            self.sequence(items)
            self.add(("jmp", loop))
            self.program[loop] = ("split", loop + 1, len(self.program))
            return
        splits = []
        for _n in range(high - low):
            splits.append(self.add(("split", 0, 0)))
            self.sequence(items)
        for split in splits:
            self.program[split] = ("split", split + 1, len(self.program))


@lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> _Matcher:
    """The matcher of a pattern, or `PatternError`."""
    if len(pattern) > MAX_PATTERN:
        raise PatternError("the pattern is too long")
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        raise PatternError(f"the pattern cannot be read: {exc}") from exc
    if parsed.state.flags & ~sre.SRE_FLAG_UNICODE:
        raise PatternError("inline flags are not supported")
    compiler = _Compiler()
    try:
        compiler.sequence(parsed)
    except RecursionError as exc:
        raise PatternError("the pattern is nested too deeply") from exc
    compiler.add(("match",))
    return _Matcher(tuple(compiler.program))


def _at(code: Any, text: str, position: int) -> bool:
    end = len(text)
    if code in (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING):
        return position == 0
    if code is sre.AT_END:
        return position == end or (position == end - 1 and text[-1] == "\n")
    if code is sre.AT_END_STRING:
        return position == end
    before = position > 0 and text[position - 1] in _WORD
    after = position < end and text[position] in _WORD
    if code is sre.AT_BOUNDARY:
        return before != after
    if code is sre.AT_NON_BOUNDARY:
        return before == after
    return False


class _Matcher:
    """A compiled pattern. The states reached after each character are cached with what
    decides the anchors there (a DFA built as texts ask for it)."""

    def __init__(self, program: tuple[Instruction, ...]) -> None:
        self.program = program
        self.transitions: dict[tuple[Any, ...], frozenset[int] | None] = {}

    def _closure(self, starts: list[int], text: str, position: int) -> frozenset[int] | None:
        """The character-reading states reached from `starts` without reading; None when
        the pattern has matched."""
        found: set[int] = set()
        seen: set[int] = set()
        stack = list(reversed(starts))
        while stack:
            pc = stack.pop()
            if pc in seen:
                continue
            seen.add(pc)
            instruction = self.program[pc]
            kind = instruction[0]
            if kind == "match":
                return None
            if kind == "jmp":
                stack.append(instruction[1])
            elif kind == "split":
                stack += [instruction[2], instruction[1]]
            elif kind == "at":
                if _at(instruction[1], text, position):
                    stack.append(pc + 1)
            else:
                found.add(pc)
        return frozenset(found)

    def _step(self, states: frozenset[int], char: str, text: str, position: int) -> Any:
        following = position + 1
        # Anchors after `char` depend only on `char` and what follows it (`^` cannot hold).
        key = (
            states,
            char,
            following == len(text),
            following == len(text) - 1 and text[-1] == "\n",
            following < len(text) and text[following] in _WORD,
        )
        if key in self.transitions:
            return self.transitions[key]
        moved = [pc + 1 for pc in sorted(states) if self.program[pc][1](char)]
        # Searching: a match may also start at the next position.
        reached = self._closure([*moved, 0], text, following)
        if len(self.transitions) < MAX_DFA_STATES:
            self.transitions[key] = reached
        return reached

    def search(self, text: str) -> bool:
        states = self._closure([0], text, 0)
        for position, char in enumerate(text):
            if states is None:
                return True
            states = self._step(states, char, text, position)
        return states is None


def regex_matches(value: str, pattern: str) -> bool:
    """Whether `pattern` is found in `value` (ODK's `regex()`)."""
    return compile_pattern(pattern).search(value)
