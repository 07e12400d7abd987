from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.core import formats


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


# How many choices a searchable select lists at once.
SEARCH_SHOWN = 50


class SearchSelect(forms.Select):
    """A select listing at most `SEARCH_SHOWN` choices, with a search box beside it: what
    matches the words typed there, and the chosen one. A form choosing among 20,000 services
    or 10,000 people stays a few kilobytes and is still usable by keyboard and screen reader.

    With JavaScript the box refreshes the list as one types (htmx posts the form with
    `_search` and swaps the list in); without it, the box's "Find" button does the same with a
    page load (`FormPage` answers a `_search` post by showing the form again, nothing saved).
    """

    template_name = "mosty/widgets/search_select.html"
    term = ""
    matched = 0

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        shown = sum(1 for choice in self.choices if choice[0] != "")
        context["widget"].update(
            search_name=f"{name}__q",
            term=self.term,
            matched=self.matched,
            more=self.matched > shown,
            matched_text=formats.number(self.matched),
            shown_text=formats.number(shown),
        )
        return context


class SearchModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose select lists only what matches a search (`narrow()`), while
    any choice of the whole queryset is still accepted and validated."""

    widget = SearchSelect

    def __init__(self, *args, search_fields: tuple[str, ...] = ("name",), **kwargs):
        super().__init__(*args, **kwargs)
        self.search_fields = search_fields

    def narrow(self, term: str, selected) -> None:
        term = (term or "").strip()[:100]
        queryset = self.queryset
        assert queryset is not None, "a searchable select needs its queryset before narrow()"
        matches = queryset
        if term:
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": term})
            matches = matches.filter(condition)
        rows = list(matches[:SEARCH_SHOWN])
        if selected not in (None, "") and str(selected) not in {str(r.pk) for r in rows}:
            try:
                rows.insert(0, queryset.get(pk=selected))
            except (ValueError, TypeError, queryset.model.DoesNotExist):
                pass
        widget = self.widget
        assert isinstance(widget, SearchSelect)
        widget.term = term
        widget.matched = matches.count() if len(rows) >= SEARCH_SHOWN else len(rows)
        empty = [("", self.empty_label)] if self.empty_label is not None else []
        widget.choices = empty + [(r.pk, self.label_from_instance(r)) for r in rows]


def narrow_choices(form, terms) -> None:
    """Fill every searchable select of `form` with what matches its search box's words
    (`<field>__q` in `terms`, the request's data)."""
    for name, field in form.fields.items():
        if isinstance(field, SearchModelChoiceField):
            field.narrow(terms.get(f"{name}__q", ""), form[name].value())
