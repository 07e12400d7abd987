"""Dates, times, numbers and language names read as each language writes them."""

import datetime

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import formats as django_formats
from django.utils import translation

from mosty.core import formats

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def test_percent_follows_the_locale():
    with translation.override("pl"):
        assert formats.percent(0.8) == "80%"
    with translation.override("fr"):
        assert formats.percent(0.8).replace("\u202f", " ").replace("\xa0", " ") == "80 %"
    assert formats.percent(None) == ""


def test_day_headings_put_the_month_in_the_right_case():
    day = datetime.date(2026, 12, 10)
    with translation.override("pl"):
        assert "10 grudnia 2026" in formats.day_heading(day)
    with translation.override("uk"):
        assert "10 грудня" in formats.day_heading(day)
    with translation.override("ru"):
        assert "10 декабря" in formats.day_heading(day)


def test_languages_and_levels_are_words_not_codes():
    spoken = [{"code": "uk", "level": "native"}, {"code": "ru", "level": "C1"}]
    with translation.override("pl"):
        assert formats.languages_spoken(spoken) == ["ukraiński · ojczysty", "rosyjski · C1"]
    with translation.override("en"):
        assert formats.languages_spoken(spoken)[0] == "Ukrainian · native"
    with translation.override("ar"):
        assert "uk" not in formats.languages_spoken(spoken)[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_times_are_24_hour_and_short_dates_day_first_in_every_language(language):
    moment = datetime.datetime(2026, 12, 10, 13, 5)
    with translation.override(language):
        short = django_formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        time = django_formats.time_format(moment.time(), "TIME_FORMAT")
        long = django_formats.date_format(moment, "DATETIME_FORMAT")
    assert time == "13:05"
    assert "13:05" in short and "13:05" in long
    digits = "".join(c if c.isdigit() else " " for c in short).split()
    # Day before month (or ISO-like year first, as Persian writes it), never month-first.
    assert digits[:3] in (["10", "12", "2026"], ["2026", "12", "10"]), short


def test_session_time_range_in_arabic_uses_one_form():
    start = datetime.datetime(2026, 12, 10, 13, 0)
    end = datetime.datetime(2026, 12, 10, 15, 0)
    with translation.override("ar"):
        text = Template('{{ s|date:"DATETIME_FORMAT" }} – {{ e|time:"TIME_FORMAT" }}').render(
            Context({"s": start, "e": end})
        )
    assert "13:00" in text and "15:00" in text and "ص" not in text and "م" not in text.split("–")[1]


def test_english_dates_are_typed_as_they_are_shown():
    from django import forms

    with translation.override("en"):
        field = forms.DateField()
        assert field.clean("10/12/2026") == datetime.date(2026, 12, 10)
        assert field.clean("2026-12-10") == datetime.date(2026, 12, 10)


def test_arabic_dates_have_no_comma_between_month_and_year():
    """The Arabic reviewer: "10 ديسمبر، 2026" reads wrong; day, month and year go together."""
    import datetime

    from django.utils import formats as django_formats
    from django.utils import translation

    with translation.override("ar"):
        shown = django_formats.date_format(datetime.date(2026, 12, 10), "DATE_FORMAT")
    assert shown.endswith(" 2026") and "،" not in shown


@pytest.mark.parametrize(
    ("language", "unit", "value", "expected"),
    [
        ("en", "people", 1, "1 person"),
        ("en", "people", 5, "5 people"),
        ("en", "hours", 2.5, "2.5 hours"),
        ("en", "people", 1234, "1,234 people"),
        ("en", "records", 12, "12"),  # a count of what the indicator names
        # Polish nouns take three forms after whole numbers and a fourth after a fraction.
        ("pl", "people", 1, "1 osoba"),
        ("pl", "people", 3, "3 osoby"),
        ("pl", "people", 5, "5 osób"),
        ("pl", "people", 22, "22 osoby"),
        ("pl", "hours", 2.5, "2,5 godziny"),
        ("pl", "points", -1, "-1 punkt"),  # a change of score may go down
        ("uk", "days", 21, "21 день"),
        ("uk", "days", 11, "11 днів"),
        # French: a fraction below 2 takes the singular, as CLDR says.
        ("fr", "hours", 1.5, "1,5\u00a0heure"),
        ("fr", "hours", 2.5, "2,5\u00a0heures"),
    ],
)
def test_a_number_and_its_unit_agree(language, unit, value, expected):
    """Report units used to stand after the number in one form ("5 osoby")."""
    from mosty.core.indicators import counted

    with translation.override(language):
        assert counted(unit, value) == expected
