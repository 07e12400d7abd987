import datetime
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
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


def style_fields(form: forms.Form) -> None:
    """Bootstrap's classes on a form's inputs and selects (tick boxes keep their own), for
    forms rendered field by field rather than through `core/_form.html`."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            continue
        widget.attrs.setdefault(
            "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
        )


def add_service_errors(form, exc, beside: str | None = None) -> None:
    """Put a service's ValidationError onto the form: each message beside its field, the rest
    (or messages for fields the form does not show) at the top, or beside the field named
    `beside` (an upload form's file, when the service refuses what the file holds)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(beside, exc.messages)


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
        context["widget"]["options_html"] = _options_html(context["widget"]["optgroups"])
        context["widget"].update(
            search_name=f"{name}__q",
            term=self.term,
            matched=self.matched,
            more=self.matched > shown,
            matched_text=formats.number(self.matched),
            shown_text=formats.number(shown),
        )
        return context


def _option_attrs(attrs: dict) -> str:
    """Django's `django/forms/widgets/attrs.html`, in Python."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _options_html(optgroups) -> Any:
    """The options of a select exactly as Django's `select.html` writes them, built in
    Python: through the template engine each option cost a quarter of a millisecond, and a
    programme's form lists hundreds (its chosen events and partners stay listed). None when
    an option needs a template of its own or the choices are grouped."""
    parts = []
    for group_name, options, _index in optgroups:
        if group_name:
            return None
        for option in options:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                return None
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    mark_safe(_option_attrs(option["attrs"])),  # noqa: S308 - escaped above
                    option["label"],
                )
            )
    return mark_safe("".join(parts))  # noqa: S308 - each part went through format_html


class SearchSelectMultiple(SearchSelect, forms.SelectMultiple):
    """`SearchSelect` for several choices: what is chosen stays listed (and chosen) while the
    search box shows other matches beside it."""


def _chosen(selected) -> list[str]:
    """The submitted value(s) of a select as strings, whether one or several."""
    if selected in (None, ""):
        return []
    values = selected if isinstance(selected, (list, tuple)) else [selected]
    return [str(v) for v in values if v not in (None, "")]


def _keys(model, values: list) -> list:
    """The submitted values that can be keys of `model`. Any other (a word, a number larger
    than the database's integers: SQLite cannot even compare one) is no choice, which the
    form says beside the field when it validates."""
    pk = model._meta.pk
    low, high = connection.ops.integer_field_ranges.get(pk.get_internal_type(), (None, None))
    keys = []
    for value in values:
        try:
            key = pk.to_python(value)
        except ValidationError:
            continue
        if low is None or high is None or low <= key <= high:
            keys.append(key)
    return keys


def _show(widget, term: str, matched: int, choices: list) -> None:
    assert isinstance(widget, SearchSelect)
    widget.term, widget.matched, widget.choices = term, matched, choices


class Searchable:
    """A choice field whose select lists only what matches the words typed beside it
    (`narrow()`, called by `narrow_choices`), while any of its choices is still accepted."""

    def narrow(self, term: str, selected) -> None:
        raise NotImplementedError


class _SearchQueryset(Searchable):
    """Narrowing for model choice fields: `search_fields` are matched with `icontains`."""

    queryset: Any
    empty_label: Any
    widget: Any

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
        listed = {str(r.pk) for r in rows}
        missing = _keys(queryset.model, [v for v in _chosen(selected) if v not in listed])
        if missing:
            rows[:0] = list(queryset.filter(pk__in=missing))
        matched = matches.count() if len(rows) >= SEARCH_SHOWN else len(rows)
        empty = [("", self.empty_label)] if self.empty_label is not None else []
        _show(
            self.widget,
            term,
            matched,
            empty + [(r.pk, self.label_from_instance(r)) for r in rows],  # type: ignore[attr-defined]
        )


class SearchModelChoiceField(_SearchQueryset, forms.ModelChoiceField):
    """A ModelChoiceField whose select lists only what matches a search, while any choice of
    the whole queryset is still accepted and validated."""

    widget = SearchSelect


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, but a submitted key beyond the database's integers is an invalid choice
    beside the field, not a server error: Django checks the keys with an `__in` lookup, which
    lacks the range check of its exact lookups, and SQLite cannot compare such a number."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for item in value or ():
                if not _keys(self.queryset.model, [item]):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": item},
                    )
        return super()._check_values(value)


class SearchModelMultipleChoiceField(_SearchQueryset, ModelMultipleChoiceField):
    """Several choices among many records (a service's locations among thousands)."""

    widget = SearchSelectMultiple


def _narrow_fixed(field, term: str, selected) -> None:
    """Narrow a fixed list of choices to the labels holding `term` (ignoring case), the
    chosen ones kept; an empty choice ("—") stays first."""
    term = (term or "").strip()[:100]
    wanted = term.casefold()
    choices: list[Any] = [c for c in field.choices if c[0] != ""]
    empty = [c for c in field.choices if c[0] == ""]
    matches = [c for c in choices if wanted in str(c[1]).casefold()] if term else choices
    shown = matches[: getattr(field, "shown", SEARCH_SHOWN)]
    listed = {str(c[0]) for c in shown}
    chosen = set(_chosen(selected)) - listed
    _show(
        field.widget,
        term,
        len(matches),
        empty + [c for c in choices if str(c[0]) in chosen] + shown,
    )


class SearchMultipleChoiceField(Searchable, forms.TypedMultipleChoiceField):
    """Several choices from a long list of fixed choices (a booklet's articles): the labels
    are matched in Python, ignoring case."""

    widget = SearchSelectMultiple

    def narrow(self, term: str, selected) -> None:
        _narrow_fixed(self, term, selected)


class SearchChoiceField(Searchable, forms.TypedChoiceField):
    """One choice from a long list of fixed choices (a country among 250): the select lists
    what matches the words typed beside it, while any choice of the list is accepted. `shown`:
    how many the list offers before anything is typed (put the likely ones first)."""

    widget = SearchSelect

    def __init__(self, *args, shown: int = SEARCH_SHOWN, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown = shown

    def narrow(self, term: str, selected) -> None:
        _narrow_fixed(self, term, selected)


def narrow_choices(form, terms) -> None:
    """Fill every searchable select of `form` with what matches its search box's words
    (`<field>__q` in `terms`, the request's data). A NUL byte is dropped: no record's name
    holds one, and PostgreSQL refuses to compare text with it."""
    for name, field in form.fields.items():
        if isinstance(field, Searchable):
            term = str(terms.get(f"{name}__q", "")).replace("\x00", "")
            field.narrow(term, form[name].value())


class WithFormsets(forms.BaseForm):
    """Mixin of a form its page binds together with formsets (an event's translations and
    sessions, a person's household members): the page puts them in `formsets`, and the form
    is valid only when all of them are, so `FormPage` saves all or nothing."""

    formsets: tuple[Any, ...] = ()

    def is_valid(self) -> bool:
        return super().is_valid() and all(formset.is_valid() for formset in self.formsets)


def formset_values(formset: Any, names: Iterable[str]) -> list[dict[str, Any]]:
    """The values of `names` in each filled form of a valid formset (a record's translations
    for its service), empty forms left out."""
    return [
        {name: f.cleaned_data.get(name) for name in names} for f in formset.forms if f.cleaned_data
    ]


def not_in_future(value, message):
    """The rule of a date or moment that records what already happened (an arrival, a
    meeting held, a consent given): `value` when it is not after today (a date) or now (a
    date and time), else `message` as the field's error. An empty value passes: whether one
    is needed is the field's own rule."""
    now = timezone.now() if isinstance(value, datetime.datetime) else timezone.localdate()
    if value and value > now:
        raise forms.ValidationError(message)
    return value


class StyledForm(forms.Form):
    """A form rendered field by field whose fields need nothing more than Bootstrap's classes
    once built (`style_fields`); mixed with `forms.ModelForm` for a model's form. A form that
    changes its fields in `__init__` calls `style_fields` itself, after the change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)
