"""Template filters over `mosty.core.formats`: `{% load mosty_formats %}`."""

from django import template

from mosty.core import formats
from mosty.core.indicators import counted as with_unit

register = template.Library()


@register.filter
def percent(share) -> str:
    """{{ 0.8|percent }} -> "80%" (pl), "80 %" (fr)."""
    return formats.percent(share)


@register.filter
def day_heading(day) -> str:
    """{{ day|day_heading }} -> "czwartek, 10 grudnia 2026"."""
    return formats.day_heading(day) if day else ""


@register.filter
def language_name(code) -> str:
    """{{ "uk"|language_name }} -> "ukraiński" for a Polish reader."""
    return formats.language_name(code or "")


@register.filter
def languages_spoken(items) -> list[str]:
    """[{"code": "uk", "level": "native"}] -> ["ukraiński · ojczysty"] (names, never codes)."""
    return formats.languages_spoken(items)


@register.filter
def figure(value) -> str:
    """{{ 1234.5|figure }} -> "1234,5" (pl), "1,234.5" (en); whole numbers without decimals,
    others with one; None or "" -> ""."""
    if value is None or value == "":
        return ""
    whole = float(value).is_integer()
    return formats.number(value, decimals=0 if whole else 1)


@register.filter
def counted(value, unit: str) -> str:
    """{{ 5|counted:"people" }} -> "5 osób" (pl), "5 people" (en): the number with its unit in
    the form the number takes (`mosty.core.indicators.counted`)."""
    return with_unit(unit, value)


@register.filter
def money(amount, currency) -> str:
    """{{ line.amount|money:line.currency }} -> "24 000,00 zł" (pl), "PLN24,000.00" (en)."""
    return formats.money(amount, str(currency or "PLN"))
