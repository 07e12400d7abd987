"""Names in the city's alphabet: `mosty_names`, a collation both databases know.

A list of people, organisations or titles is read by a Polish coordinator, who looks for
"Łukasz" after "Lucyna" and before "Marek", "Ślusarz" after "Szymański" and "adam" next to
"Adam". Code-point order (SQLite's BINARY, PostgreSQL's "C") puts every Ł, Ś and Ż after z and
every capital before every small letter. So lists meant for people order by

    .order_by(*by_name("last_name", "first_name"), "pk")

which is `COLLATE "mosty_names"` on each field:
- PostgreSQL: the ICU collation for Polish, created by core's migration 0002 (falling back to
  ICU's root order, then to the libc Polish locale, then to the database's own collation,
  when the server lacks them).
- SQLite: the same name, registered on every new connection (`mosty.core.sqlite`), comparing
  the `sort_key()`s computed here in Python. `by_name()` orders by `mosty_names_key(field)`
  there instead, the same key computed once per row rather than twice per comparison.

`sort_key` follows ICU's Polish order closely enough that both databases list the same names
in the same order (tests/core/test_collation.py compares them on PostgreSQL):
- letters are compared first without their case or accents, Polish letters being letters of
  their own after their base letter: a ą b c ć d e ę … l ł m n ń o ó … s ś t … z ź ż;
- other accented Latin letters count as their base letter (é as e, ö as o, ø as o), the accent
  deciding only between names that are otherwise the same, then the case (small letters
  first), then the code points;
- spaces, then punctuation, then digits come before letters; Latin before Greek before
  Cyrillic (in ICU's order: ґ as г, є after е, й after і and ї) before other scripts, the
  Arabic script in ICU's order (پ after ب, گ after ک), the rest by code point.

ICU in Python (PyICU) would need compiling against the system's ICU; `pyuca` knows the Unicode
root order but not the Polish one. The key is a few tables instead, small enough to read.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from django.db.models import F, OrderBy
from django.db.models.functions import Collate

NAMES = "mosty_names"
# SQLite: the function giving a name's sort key (mosty/core/sqlite.py registers both).
KEY_FUNCTION = "mosty_names_key"

# A key is text compared as UTF-8 bytes (SQLite BINARY, `bytes` in Python), which keeps the
# order of code points: each primary weight is two characters, the group (in ICU's order of
# scripts) and the place in it; secondary and tertiary weights are one character each.
_SPACE, _PUNCTUATION, _DIGIT, _LATIN, _GREEK, _CYRILLIC, _BEFORE_ARABIC, _ARABIC, _OTHER = range(
    1, 10
)

# ICU (CLDR) orders ASCII punctuation and symbols this way, all before digits.
_ASCII_MARKS = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
# Letters with a place of their own, in order. Latin: Polish; æ, œ and ĳ expand to two letters.
_LATIN_LETTERS = "aąbcćdeęfghiıjklłmnńŋoópqrsśtŧuvwxyzźżþ"
_CYRILLIC_LETTERS = "аәӕбвгғҕдђҙеєжҗзѕиійјкқӄҡлљмнңњоөпрсҫтћуүұфхһцчџшщъыьэюя"
_ARABIC_LETTERS = "ءآأؤإئابپةتثجچحخدذرزژسشصضطظعغفقكکگلمنهوىيی"
_EXPANDED = {"æ": "ae", "œ": "oe", "ĳ": "ij"}
# Letters Unicode does not decompose but ICU counts as another letter with an accent.
_VARIANT_OF = {"ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ŀ": "l", "ґ": "г"}
_VARIANT = 0xF0  # secondary weight of such a variant, after the usual accents (ð after đ)
_LATER_VARIANT = {"ð": 0xF1}
# Combining marks in ICU's secondary order (acute before grave … ogonek last); others between.
_MARKS = [0x301, 0x300, 0x306, 0x302, 0x30C, 0x30A, 0x308, 0x30B, 0x303, 0x307, 0x338, 0x327]
_MARKS += [0x304, 0x309, 0x31B, 0x323, 0x326]
_MARK_WEIGHT = {chr(cp): 2 + i for i, cp in enumerate(_MARKS)}
_MARK_WEIGHT["\u0328"] = 0xFE  # ogonek
_BASE = 1  # secondary weight of a letter without an accent; tertiary weight of a small letter
_CAPITAL = 2


def _element(group: int, value: int) -> str:
    return chr(group) + chr(min(value, 0x10FFFF))


_INDEX = {
    **{c: _element(_PUNCTUATION, i) for i, c in enumerate(_ASCII_MARKS) if c != " "},
    "ʼ": _element(_PUNCTUATION, _ASCII_MARKS.index("'")),  # the Ukrainian apostrophe
    **{c: _element(_LATIN, i) for i, c in enumerate(_LATIN_LETTERS)},
    **{c: _element(_CYRILLIC, i) for i, c in enumerate(_CYRILLIC_LETTERS)},
    **{c: _element(_ARABIC, i) for i, c in enumerate(_ARABIC_LETTERS)},
}


def _primary(char: str) -> str:
    """The primary weight of a small letter or other character without accents; "" when
    ICU ignores it (format and control characters such as the Persian zero-width non-joiner)."""
    if char in _INDEX:
        return _INDEX[char]
    category = unicodedata.category(char)
    cp = ord(char)
    if category[0] == "C":
        return ""
    if category == "Zs" or char in "\t\n\r":
        return _element(_SPACE, 0)
    if category == "Nd":
        return _element(_DIGIT, unicodedata.digit(char))
    if category[0] != "L":
        return _element(_PUNCTUATION, 0x100 + cp)
    name = unicodedata.name(char, "")
    if name.startswith("LATIN"):
        return _element(_LATIN, 0x100 + cp)
    if name.startswith("GREEK"):
        return _element(_GREEK, cp)
    if name.startswith("CYRILLIC"):
        return _element(_CYRILLIC, 0x100 + cp)
    if name.startswith("ARABIC"):
        return _element(_ARABIC, 0x100 + cp)
    if 0x10A0 <= cp <= 0x10FF:  # Georgian comes before Armenian
        return _element(_BEFORE_ARABIC, cp - 0x1000)
    return _element(_BEFORE_ARABIC if cp < 0x600 else _OTHER, cp)


def _weights(char: str) -> tuple[str, str, str]:
    """(primary, secondary, tertiary) weights of one character of an NFC string."""
    case = _CAPITAL if char.lower() != char else _BASE
    primary, secondary, tertiary = [], [], []
    for letter in char.casefold():
        if letter in _INDEX or letter in _EXPANDED:
            bases, marks = _EXPANDED.get(letter, letter), ""
        else:
            decomposed = unicodedata.normalize("NFD", letter)
            bases, marks = _EXPANDED.get(decomposed[0], decomposed[0]), decomposed[1:]
        for i, base in enumerate(bases):
            if i:  # the second letter of æ: after ae, and after ãe
                secondary.append(_VARIANT)
                tertiary.append(_BASE)
            if base in _VARIANT_OF:
                primary.append(_primary(_VARIANT_OF[base]))
                secondary += [_BASE, _LATER_VARIANT.get(base, _VARIANT)]
                tertiary += [case, _BASE]
            elif unicodedata.category(base) == "Mn":  # a mark standing alone
                marks = base + marks
            elif weight := _primary(base):
                primary.append(weight)
                secondary.append(_BASE)
                tertiary.append(case)
        for mark in marks:
            secondary.append(_MARK_WEIGHT.get(mark, 0x80 + ord(mark) % 0x70))
            tertiary.append(_BASE)
    return "".join(primary), "".join(map(chr, secondary)), "".join(map(chr, tertiary))


class _Level(dict[int, str]):
    """A `str.translate` table from each character to its weights at one level, filled as
    characters are met: a key is then three translations done in C."""

    def __missing__(self, ordinal: int) -> str:
        for level, weights in zip(_LEVELS, _weights(chr(ordinal)), strict=True):
            level[ordinal] = weights
        return self[ordinal]


_LEVELS = (_Level(), _Level(), _Level())


@functools.lru_cache(maxsize=16384)
def sort_key(value: str) -> bytes:
    """Bytes that compare as `value` sorts in the city's alphabet: the letters, then their
    accents, then their case, then the code points (the order ICU and PostgreSQL settle ties
    in)."""
    text = unicodedata.normalize("NFC", value)
    primary, secondary, tertiary = (text.translate(level) for level in _LEVELS)
    return "\0".join((primary, secondary, tertiary, value)).encode("utf-8", "surrogatepass")


def key_or_none(value: Any) -> bytes | None:
    """SQLite's `mosty_names_key(X)`: the sort key of X, NULL for NULL."""
    return None if value is None else sort_key(str(value))


def compare(a: str, b: str) -> int:
    """SQLite's collation callback: negative, zero or positive as `a` sorts before, with or
    after `b`."""
    ka, kb = sort_key(a), sort_key(b)
    return (ka > kb) - (ka < kb)


class InNames(Collate):
    """`field COLLATE "mosty_names"`. On SQLite, which would call Python for each comparison
    of two rows, `mosty_names_key(field)` instead: Python once per row, then SQLite compares
    the keys' bytes itself: the same order, 3,000 names sorted in 23 ms instead of 78 ms
    (a plain `order_by("name")`: 12 ms; benchmarks/collation.py).

    A model ordered by a name puts it in `Meta.ordering` as it is, `[InNames(F("name"))]`:
    Django gives a plain expression the direction of `order_by("-organisation")` when it
    follows a relation there, but keeps an `.asc()` ascending. Migrations record it there, so
    it keeps its name, module and one argument."""

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, NAMES)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"{KEY_FUNCTION}({sql})", params


def by_name(*fields: str) -> list[OrderBy]:
    """`order_by()` terms sorting `fields` in the city's alphabet; "-name" sorts descending."""
    terms = []
    for field in fields:
        collated = InNames(F(field.removeprefix("-")))
        terms.append(collated.desc() if field.startswith("-") else collated.asc())
    return terms
