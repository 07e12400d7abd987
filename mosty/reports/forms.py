from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.assistance.models import AssistanceRequest
from mosty.core import formats
from mosty.core.collation import by_name
from mosty.core.forms import (
    ModelMultipleChoiceField,
    SearchModelChoiceField,
    SearchModelMultipleChoiceField,
)
from mosty.core.indicators import indicator_choices
from mosty.events.models import Event, EventTranslation
from mosty.networks.models import Network
from mosty.organisations.models import Organisation
from mosty.reports.models import (
    InvitationState,
    Programme,
    Target,
    default_currency,
    report_day_error,
)


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _within_reach(day: datetime.date) -> datetime.date:
    if error := report_day_error(day):
        raise forms.ValidationError(error)
    return day


class PeriodForm(forms.Form):
    """A period to report on (both days included)."""

    start = forms.DateField(label=pgettext_lazy("date range", "From"), widget=_date_widget())
    end = forms.DateField(label=_("To"), widget=_date_widget())

    def clean_start(self) -> datetime.date:
        return _within_reach(self.cleaned_data["start"])

    def clean_end(self) -> datetime.date:
        return _within_reach(self.cleaned_data["end"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period must not be before its start."))
        elif start and end and end - start > datetime.timedelta(days=3660):
            self.add_error("end", _("Choose a period of at most ten years."))
        return data


class ProgrammeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Programme
        fields = [
            "name",
            "donor",
            "organisation",
            "starts_on",
            "ends_on",
            "language",
            "partners",
            "events",
            "networks",
            "count_network_members",
            "bookings",
            "surveys",
            "groups",
        ]
        field_classes = {  # noqa: RUF012
            # Searchable: a city office chooses among 3,000 organisations and its events, and
            # leads programmes for the 300 it coordinates (a select of all 300 took 75 ms).
            "organisation": SearchModelChoiceField,
            "partners": SearchModelMultipleChoiceField,
            "events": SearchModelMultipleChoiceField,
            "bookings": SearchModelMultipleChoiceField,
            "surveys": SearchModelMultipleChoiceField,
            "groups": SearchModelMultipleChoiceField,
            "networks": ModelMultipleChoiceField,
        }
        widgets = {
            "starts_on": _date_widget(),
            "ends_on": _date_widget(),
            "language": forms.Select(choices=settings.LANGUAGES),
        }

    def __init__(
        self, *args: Any, organisations: Any = None, links: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            # The partners and the organisations asked and not answered yet: saving the form
            # unchanged neither withdraws an invitation nor asks again one that was declined.
            self.initial["partners"] = [
                *(org.pk for org in self.instance.partners.all()),
                *self.instance.partner_invitations.filter(
                    state=InvitationState.PENDING
                ).values_list("organisation_id", flat=True),
            ]
        # Bookings, surveys and groups of the organisations the user coordinates
        # (`selectors.programme_link_choices`): never another organisation's records.
        for name, queryset in (links or {}).items():
            field = self.fields[name]
            field.queryset = queryset  # type: ignore[attr-defined]
            field.required = False
        if "bookings" in (links or {}):
            self.fields["bookings"].queryset = links["bookings"].only(  # type: ignore[attr-defined]
                "pk", "starts_at", "topic", "language"
            )
        self.fields["bookings"].label_from_instance = _booking_label  # type: ignore[attr-defined]
        self.fields["bookings"].search_fields = ("place", "description")  # type: ignore[attr-defined]
        self.fields["surveys"].search_fields = ("title",)  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["partners"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by(*by_name("name"))
        self.fields["networks"].queryset = Network.objects.order_by(*by_name("name"))  # type: ignore[attr-defined]
        # The events of the organisations the user coordinates and of the programme (a
        # partner's events are linked by the partner's own coordinator's edit, or left to the
        # "every event" default).
        # Only what an option's label reads (a programme may link hundreds of events, each
        # listed while chosen).
        self.fields["events"].queryset = (  # type: ignore[attr-defined]
            Event.objects.filter(organisation__in=organisations)
            .only("pk", "starts_at", "source_language")
            .prefetch_related(
                Prefetch(
                    "translations",
                    queryset=EventTranslation.objects.only("id", "event_id", "language", "title"),
                )
            )
            .order_by("-starts_at")
        )
        self.fields["events"].label_from_instance = _event_label  # type: ignore[attr-defined]
        self.fields["events"].search_fields = ("translations__title",)  # type: ignore[attr-defined]
        self.fields["events"].required = False
        self.fields["partners"].required = False
        self.fields["networks"].required = False


def _booking_label(booking: AssistanceRequest) -> str:
    """A booking by its time, topic and language (it names no one)."""
    return " · ".join(
        [
            date_format(localtime(booking.starts_at), "SHORT_DATETIME_FORMAT"),
            str(booking.get_topic_display()),
            formats.language_name(booking.language),
        ]
    )


class BudgetLineForm(forms.Form):
    name = forms.CharField(label=_("Budget line"), max_length=200)
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=14, decimal_places=2, min_value=Decimal("0")
    )
    currency = forms.RegexField(
        label=_("Currency"),
        regex=r"^[A-Za-z]{3}$",
        max_length=3,
        error_messages={"invalid": _("Enter a three-letter currency code.")},
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"currency": default_currency()})
        super().__init__(*args, **kwargs)

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).upper()


def _event_label(event: Event) -> str:
    day = event.starts_at.date().isoformat() if event.starts_at else ""
    return f"{event.title} ({day})" if day else str(event.title)


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=())
    value = forms.DecimalField(
        label=_("Target"), max_digits=12, decimal_places=1, min_value=Decimal("0.1")
    )
    note = forms.CharField(
        label=Target._meta.get_field("note").verbose_name,
        help_text=Target._meta.get_field("note").help_text,
        max_length=300,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Ids of its own: the programme's page shows it beside the budget line form, which
        # has a "note" too (one id for two fields points the label at the wrong one).
        kwargs.setdefault("auto_id", "id_target_%s")
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices()  # type: ignore[attr-defined]


class LinkForm(forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
