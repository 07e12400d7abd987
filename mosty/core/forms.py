from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LanguagesField(forms.MultipleChoiceField):
    """A multi-select of the languages Mosty ships, stored as a JSON list of codes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", settings.LANGUAGES)
        kwargs.setdefault("label", _("Languages"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class DateRangeForm(forms.Form):
    """The optional From/To date pair of a filter form (subclasses add their other filters)."""

    date_from = forms.DateField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=pgettext_lazy("date range", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def add_service_errors(form, exc) -> None:
    """Put a service's ValidationError onto the form: each message beside its field, the rest
    (or messages for fields the form does not show) at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
