"""A search key tolerant of transliteration: "Oleksandr", "Aleksandr", "Александр" and
"Олександр" all become the same skeleton, so intake finds a person however their name was typed.

Each name word becomes: its first letter (a vowel -> its class: "a" for a/o/u/e, "i" for i/y,
after a leading glide ye/ie/yu/iu/ya/ia/yo/io is folded to its vowel, so Omar = Umar,
Olena = Elena = Yelena, Yulia = Iuliia = Julia, Yevhen = Ievgen = Evgenii, but Olena is not
Ilunga) followed by its consonants, after
transliteration (Unidecode) and folding of the common Cyrillic/Latin spelling variants
(kh/h/g, ks/x, sz/sh/s, cz/ch/ts/c, w/v, ph/f, j/y/i); doubled letters collapse. The key is
a space-delimited string of such skeletons plus the phone number's last nine digits, so a
prefix of any word can be found with `search_key__contains=" " + skeleton`.
"""

from __future__ import annotations

import re

from unidecode import unidecode

_VOWELS = set("aeiouy")
# A name's first vowel varies within a class across transliterations (Oleksandr/Aleksandr,
# Omar/Umar, Olena/Elena, Yevhen/Ievgen/Evgenii once the glide is folded) but not across
# them: "Олена" must not find "Ilunga". Ukrainian and Russian iotated vowels (Є, Ю, Я, Ё) are
# written ye/ie/je, yu/iu/ju, ya/ia/ja, yo/io/jo: the glide goes, the vowel stays.
_INITIAL_VOWEL = {"a": "a", "o": "a", "u": "a", "e": "a", "i": "i", "y": "i"}
_INITIAL_GLIDES = ("ye", "ie", "yu", "iu", "ya", "ia", "yo", "io")
# Applied in order on lower-case ASCII; longer spellings first.
_FOLDS = [
    ("shch", "s"),
    ("sch", "s"),
    ("tch", "c"),
    ("kh", "h"),
    ("gh", "h"),
    ("g", "h"),
    ("x", "ks"),
    ("sz", "s"),
    ("sh", "s"),
    ("zh", "z"),
    ("cz", "c"),
    ("ch", "c"),
    ("ts", "c"),
    ("tz", "c"),
    ("ck", "k"),
    ("q", "k"),
    ("w", "v"),
    ("ph", "f"),
    ("j", "y"),
]
_WORD = re.compile(r"[a-z]+")
_DOUBLES = re.compile(r"(.)\1+")
_APOSTROPHES = re.compile(r"['`\u2019]")
_DIGITS = re.compile(r"\D+")


def skeleton(word: str) -> str:
    """The folded skeleton of one ASCII lower-case word."""
    for src, dst in _FOLDS:
        word = word.replace(src, dst)
    if not word:
        return ""
    # Doubled letters collapse first (Anna = Ana), then vowels after the first letter go
    # (Popov keeps both p's: "ppv").
    word = _DOUBLES.sub(r"\1", word)
    if word.startswith(_INITIAL_GLIDES) and len(word) > 2:
        word = word[1:]
    return _INITIAL_VOWEL.get(word[0], word[0]) + "".join(
        ch for ch in word[1:] if ch not in _VOWELS
    )


def name_skeletons(text: str) -> list[str]:
    """Skeletons of every word of `text`, in any script."""
    # Soft signs come out as apostrophes (Мельник -> Mel'nik); they do not split a word.
    ascii_text = _APOSTROPHES.sub("", unidecode(text or "").lower())
    return [s for s in (skeleton(w) for w in _WORD.findall(ascii_text)) if s]


def phone_digits(phone: str) -> str:
    """The last nine digits of a phone number (the national number in Poland and Ukraine)."""
    return _DIGITS.sub("", phone or "")[-9:]


def build_search_key(*names: str, phone: str = "") -> str:
    seen: list[str] = []
    for name in names:
        for s in name_skeletons(name):
            if s not in seen:
                seen.append(s)
    digits = phone_digits(phone)
    if digits:
        seen.append("#" + digits)
    return (" " + " ".join(seen) + " ")[:500] if seen else ""
