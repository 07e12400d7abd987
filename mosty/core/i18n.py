"""Language knowledge in one place: which languages exist, their direction and names."""

from django.conf import settings
from django.utils import translation


def is_rtl(language_code: str | None = None) -> bool:
    code = (language_code or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code in settings.LANGUAGES_BIDI


def text_direction(language_code: str | None = None) -> str:
    return "rtl" if is_rtl(language_code) else "ltr"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def enabled_languages(city=None) -> list[dict]:
    """The languages the city offers, each with its own name (for the switcher)."""
    codes = [
        c for c in (city.languages if city else []) if c in language_codes()
    ] or language_codes()
    return [
        {
            "code": code,
            "name_local": translation.get_language_info(code)["name_local"],
            "dir": text_direction(code),
        }
        for code in codes
    ]
