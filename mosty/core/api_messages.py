"""DRF's error messages that DRF's own catalogues leave untranslated in Mosty's languages.

DRF 3.16 ships Polish, Ukrainian and Russian catalogues without these (and "No data provided"
in none at all), so an API client asking in those languages read English. They are marked
here, word for word as DRF writes them, so the project catalogue carries them; it is searched
before DRF's at run time (`LOCALE_PATHS`). `tests/api/test_bad_api_input.py` fails on an
error message that reaches a Ukrainian caller in English.
"""

from django.utils.translation import gettext_lazy, gettext_noop

MESSAGES = (
    gettext_noop("Invalid input."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Not a valid string."),
    gettext_noop(
        'Enter a valid "slug" consisting of Unicode letters, numbers, underscores, or hyphens.'
    ),
    gettext_noop("Must be a valid UUID."),
    gettext_noop('Invalid datetime for the timezone "{timezone}".'),
    gettext_noop("Datetime value out of range."),
    gettext_noop("Ensure this field has at least {min_length} elements."),
    gettext_noop("Ensure this field has no more than {max_length} elements."),
    gettext_noop("This dictionary may not be empty."),
    gettext_noop("Surrogate characters are not allowed: U+{code_point:X}."),
    # DRF translates each of these with gettext before it picks one by the number.
    gettext_noop("Expected available in {wait} second."),
    gettext_noop("Expected available in {wait} seconds."),
)
# DRF writes this one without gettext (`serializers.py`, a body of `null`).
NO_DATA = ("No data provided", gettext_lazy("No data was sent: the request body is empty."))
