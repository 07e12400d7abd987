"""Numbers, percentages, dates and language names in the reader's language: one place.

Django's own formats (with the overrides in `mosty/formats/`) print dates and times; what they
cannot say well comes from Babel (CLDR data): percentages ("80 %" in French, "80%" in Polish),
day headings with the month in the right grammatical case ("10 grudnia", not "10 grudzień"),
and the names of languages in the reader's language ("ukraiński").

Digits stay Latin in every language, as in Django's formats, so one page never mixes digit
systems. Machine-readable values (SVG, CSS, data attributes, JSON) never go through here.
"""

from __future__ import annotations

import datetime
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, format_percent
from django.utils import translation

# ISO 639-3 codes CLDR names under another key (Dari is Persian as spoken in Afghanistan).
_CLDR_ALIASES = {"prs": "fa_AF"}
# Mosty's English is British (day-first dates, no serial comma); CLDR's plain "en" is American.
_CLDR_LOCALES = {"en": "en_GB"}


def cldr_locale(language: str | None = None) -> str:
    """The CLDR locale (Babel's name) of `language`, or of the active language."""
    code = (language or translation.get_language() or "pl").split("-")[0]
    return _CLDR_LOCALES.get(code, code)


def like_one(value: float, *, language: str | None = None) -> bool:
    """Whether the language's plural rules (CLDR) treat `value` as they treat 1: French
    "1,5 heure", but Polish "1,5 godziny"."""
    rules = Locale.parse(cldr_locale(language)).plural_form
    return rules(value) == rules(1)


def percent(share: float | str | None, *, language: str | None = None) -> str:
    """0.8 -> "80%" (pl), "80 %" (fr); None or "" (a template's empty value) -> ""."""
    if share is None or share == "":
        return ""
    return format_percent(float(share), locale=cldr_locale(language), numbering_system="latn")


def number(value, *, decimals: int = 0, up_to: int = 0, language: str | None = None) -> str:
    """1234.5 -> "1234,5" (pl), "1,234.5" (en): for people, never for machines. `decimals`
    always shown; `up_to` more where the value has them (2.0 -> "2", 2.25 -> "2,25")."""
    if value is None or value == "":
        return ""
    pattern = "#,##0" + ("." + "0" * decimals + "#" * up_to if decimals or up_to else "")
    return format_decimal(
        value, format=pattern, locale=cldr_locale(language), numbering_system="latn"
    )


def money(amount, currency: str, *, language: str | None = None) -> str:
    """24000, "PLN" -> "24 000,00 zł" (pl), "PLN 24,000.00" (en): for people, never for
    machines."""
    if amount is None or amount == "":
        return ""
    return format_currency(amount, currency, locale=cldr_locale(language), numbering_system="latn")


def join_list(
    items, *, style: Literal["standard", "or"] = "standard", language: str | None = None
) -> str:
    """["A", "B", "C"] -> "A, B i C" (pl), "A، B وC" (ar); `style="or"` -> "A, B lub C".

    CLDR's list patterns, so no sentence is glued together from a translated "and" and a
    comma: languages differ in the separator, the conjunction and where it goes."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return format_list(items, style=style, locale=cldr_locale(language))


def day_heading(day: datetime.date, *, language: str | None = None) -> str:
    """A day as a heading: weekday, day, month in the case the language needs, year."""
    return format_date(day, format="full", locale=cldr_locale(language))


def month(day: datetime.date, *, language: str | None = None) -> str:
    """A month as a chart label or a table heading: "mar 2026" (pl), "Mar 2026" (en)."""
    return format_date(day, format="LLL y", locale=cldr_locale(language))


def language_name(code: str, *, language: str | None = None) -> str:
    """A language's name in the reader's language ("uk" -> "ukraiński" for a Polish reader);
    the code itself only if CLDR does not know it."""
    if not code:
        return ""
    key = _CLDR_ALIASES.get(code, code.replace("-", "_").lower())
    reader = "fa_AF" if language == "prs" else cldr_locale(language)
    try:
        name = Locale.parse(reader).languages.get(key)
    except (ValueError, UnknownLocaleError):
        name = None
    return name or code


def languages_spoken(items) -> list[str]:
    """[{"code": "uk", "level": "native"}] -> ["ukraiński · ojczysty"]: language and level as
    words. CEFR levels (A1-C2) are words in every language and stay as they are."""
    from django.utils.translation import pgettext

    levels = {"native": pgettext("language level", "native")}
    out = []
    for item in items or []:
        if not isinstance(item, dict):
            continue
        name = language_name(item.get("code", ""))
        level = item.get("level") or ""
        level = levels.get(level, level)
        out.append(f"{name} · {level}" if level else name)
    return out


def language_choices(codes, *, language: str | None = None) -> list[tuple[str, str]]:
    """(code, "ukraiński (українська)") for a picker: the name in the reader's language, then
    the language's own name where it differs; sorted by the reader's name."""
    choices = []
    for code in codes:
        name = language_name(code, language=language)
        own = language_name(code, language=code)
        label = (
            f"{name} ({own})" if own and own != code and own.casefold() != name.casefold() else name
        )
        choices.append((code, label))
    return sorted(choices, key=lambda c: c[1].casefold())
