from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LanguagesField(forms.MultipleChoiceField):
    """A multi-select of the languages Mosty ships, stored as a JSON list of codes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", settings.LANGUAGES)
        kwargs.setdefault("label", _("Languages"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
