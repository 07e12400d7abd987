"""Input of the assistance pages: requests, profile, availability, logs, feedback, filters."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.assistance.models import (
    LINK_MAX,
    CancelReason,
    ExceptionKind,
    Level,
    Mode,
    Outcome,
    ReleaseReason,
    RequestStatus,
    Topic,
    Urgency,
    Weekday,
    latest_start_date,
    too_far_ahead,
    validate_no_personal_data,
)
from mosty.core.formats import language_choices
from mosty.core.forms import ModelMultipleChoiceField
from mosty.core.pages import VersionedForm

# Languages offered in the pickers: Mosty's own and those a Polish city's newcomers speak
# most often (any ISO 639 code is valid in the data).
LANGUAGES = (
    "pl", "uk", "ru", "be", "en", "ar", "fa", "prs", "ps", "fr", "ka", "hy", "tr", "vi",
    "es", "de", "ti", "so", "hi", "zh",
)  # fmt: skip
# How many language rows the profile form offers.
LANGUAGE_ROWS = 4


def _languages(blank: bool = False) -> list[tuple[str, str]]:
    choices = language_choices(LANGUAGES)
    return [("", "—"), *choices] if blank else choices


class DateInput(forms.DateInput):
    """A browser's date picker: its value is always ISO (YYYY-MM-DD) whatever the page's
    language; a localised value (01.01.2026) is unreadable to the browser, which shows an
    empty field."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """A browser's time picker: its value is always HH:MM whatever the page's language."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


def _situation_text(*, label: Any, max_length: int, **kwargs: Any) -> forms.CharField:
    """An optional free-text box (a request's description, feedback's comment) that describes
    the situation, not the person: text holding an e-mail address, identity or phone number
    is refused beside the field (`validate_no_personal_data`)."""
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=max_length,
        required=False,
        validators=[validate_no_personal_data],
        **kwargs,
    )


class RequestForm(forms.Form):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Institution")
    )
    provider: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Assistance from")
    )
    language = forms.ChoiceField(label=_("Language needed"))
    language_with = forms.ChoiceField(label=_("To and from"), initial="pl")
    mode = forms.ChoiceField(label=_("How"), choices=Mode.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput)
    start = forms.TimeField(label=_("Start"), widget=TimeInput)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=480, initial=60
    )
    district: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("District"), required=False
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    link = forms.URLField(
        label=_("Link (video)"), max_length=LINK_MAX, required=False, assume_scheme="https"
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    description = _situation_text(
        label=_("What it is about"),
        max_length=1000,
        help_text=_(
            "Describe the situation without personal data: no names, phone numbers, e-mail "
            "addresses or identity numbers."
        ),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    people_needed = forms.IntegerField(
        label=_("Assistants needed"), min_value=1, max_value=5, initial=1
    )
    repeat_until = forms.DateField(
        label=_("Every week until"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty for a single request."),
    )

    def __init__(
        self, *args: Any, organisations: Any, providers: Any, districts: Any, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = organisations
        fields["provider"].queryset = providers
        fields["district"].queryset = districts
        fields["language"].choices = _languages()
        fields["language_with"].choices = _languages()
        if organisations.count() == 1:
            fields["organisation"].initial = organisations.first()
        if providers.count() == 1:
            fields["provider"].initial = providers.first()

    def clean_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["date"]
        if day > latest_start_date():
            raise forms.ValidationError(too_far_ahead())
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and data.get("start") and self.starts_at() <= timezone.now():
            # Said beside the time chosen (the service refuses it too, above the form).
            self.add_error("start", _("Choose a time in the future."))
        return data

    def starts_at(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["date"], data["start"]))

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("date")
        data.pop("start")
        return {**data, "starts_at": self.starts_at()}


class ProfileForm(VersionedForm):
    modes = forms.MultipleChoiceField(
        label=_("Ways of working"),
        choices=Mode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    districts: ModelMultipleChoiceField = ModelMultipleChoiceField(
        queryset=None,
        label=_("Districts I travel to"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    is_sworn = forms.BooleanField(label=_("Sworn translator"), required=False)
    is_active = forms.BooleanField(label=_("I take requests"), required=False, initial=True)

    def __init__(self, *args: Any, districts: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["districts"].queryset = districts
        levels = [("", "—"), *Level.choices]
        for i in range(LANGUAGE_ROWS):
            fields[f"language_{i}"] = forms.ChoiceField(
                label=_("Language %(number)s") % {"number": i + 1},
                choices=_languages(blank=True),
                required=False,
            )
            fields[f"level_{i}"] = forms.ChoiceField(
                label=_("Level of language %(number)s") % {"number": i + 1},
                choices=levels,
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        languages = []
        for i in range(LANGUAGE_ROWS):
            code, level = data.get(f"language_{i}"), data.get(f"level_{i}")
            if code and not level:
                self.add_error(f"level_{i}", _("Choose the level."))
            elif code:
                languages.append((code, level))
        data["languages"] = languages
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "modes": data["modes"],
            "districts": data["districts"],
            "is_sworn": data["is_sworn"],
            "is_active": data["is_active"],
            "languages": data["languages"],
            "version": data.get("version"),
        }


class SlotForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    starts = forms.TimeField(label=_("From"), widget=TimeInput)
    ends = forms.TimeField(label=_("Until"), widget=TimeInput)


class ExceptionForm(forms.Form):
    date_from = forms.DateField(label=_("First day"), widget=DateInput)
    date_to = forms.DateField(label=_("Last day"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Reason"), choices=ExceptionKind.choices)


class OfferForm(forms.Form):
    assistants = forms.TypedMultipleChoiceField(
        label=_("Offer to"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, proposals: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["assistants"].choices = [(p.profile.pk, str(p.profile)) for p in proposals]


class LogForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes worked"), min_value=0, max_value=960)
    travel_minutes = forms.IntegerField(
        label=_("Travel time (minutes)"), min_value=0, max_value=480, initial=0
    )
    outcome = forms.ChoiceField(label=_("How it went"), choices=Outcome.choices)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        # No rating chosen beforehand: sending the form as it came is not a rating of 5.
        choices=[("", "—"), (5, "5"), (4, "4"), (3, "3"), (2, "2"), (1, "1")],
        coerce=int,
    )
    comment = _situation_text(label=_("Comment"), max_length=2000)


class StatusFilter(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["status"].choices = [
            ("", pgettext_lazy("assistance request", "All")),
            *RequestStatus.choices,
        ]


class OpenFilter(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)
    urgent = forms.BooleanField(label=_("Urgent only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["language"].choices = [("", _("All")), *_languages()]


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DateInput, required=False)
    date_to = forms.DateField(label=_("Until"), widget=DateInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The last day cannot be before the first."))
        return data


class CertificateForm(PeriodForm):
    date_from = forms.DateField(label=_("From"), widget=DateInput)
    date_to = forms.DateField(label=_("Until"), widget=DateInput)


class CancelForm(forms.Form):
    """Cancelling a request: the reason is asked, which is also the moment to think again."""

    reason = forms.ChoiceField(
        label=_("Why is the request cancelled?"),
        choices=[("", "—"), *CancelReason.choices],
        help_text=_("The assistants and the other side of the request see this reason."),
    )


class ReleaseForm(forms.Form):
    """Giving back an accepted assignment: the reason is asked (a choice, never free text)."""

    reason = forms.ChoiceField(
        label=_("Why do you give it back?"),
        choices=[("", "—"), *ReleaseReason.choices],
        help_text=_("The institution and the coordinator see this reason."),
    )
