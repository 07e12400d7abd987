from django import forms
from django.utils.translation import gettext_lazy as _

from mosty.access.domains.mentoring import mentor_application_organisations
from mosty.core.collation import by_name
from mosty.core.formats import language_name
from mosty.core.forms import SearchModelChoiceField, not_in_future
from mosty.core.models import District
from mosty.core.pages import VersionedForm
from mosty.mentoring.models import (
    MENTOR_LANGUAGES,
    Activity,
    EndReason,
    Interest,
    LanguageLevel,
    MentorGender,
    MentorKind,
    Slot,
    VettingStatus,
)
from mosty.organisations.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TickBoxes(forms.MultipleChoiceField):
    """Optional choices ticked in a list of boxes (interests, free times, kinds of mentor)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, label, choices, **kwargs):
        super().__init__(label=label, choices=choices, required=False, **kwargs)


class FreeTimes(TickBoxes):
    def __init__(self, *, label=None):
        super().__init__(label=label or _("When are you usually free?"), choices=Slot.choices)


class Capacity(forms.IntegerField):
    """How many people a mentor supports at once (the model allows 1 to 10)."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("How many newcomers can you support at a time?"),
            min_value=1,
            max_value=10,
            **kwargs,
        )


def note_field() -> forms.CharField:
    """The short note of a meeting or a check-in."""
    return forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class FieldGroup:
    """Part of a form, rendered by `core/_form.html` like a whole form."""

    def __init__(self, form, names, *, with_errors: bool):
        self.form, self.names, self.with_errors = form, names, with_errors

    def visible_fields(self):
        return [self.form[n] for n in self.names]

    def hidden_fields(self):
        return []

    def non_field_errors(self):
        return self.form.non_field_errors() if self.with_errors else []


class MentorApplicationForm(forms.Form):
    """The public sign-up. Languages: one level select per language (blank = not spoken)."""

    # Hundreds of programmes on a large city: the select lists those matching the words typed
    # beside it (a page of a few kilobytes, also for a phone), any of them is still accepted.
    organisation = SearchModelChoiceField(
        label=_("Programme you apply to"),
        queryset=Organisation.objects.none(),
        empty_label=_("— choose a programme —"),
    )
    kind = forms.ChoiceField(label=_("Who applies"), choices=MentorKind.choices)
    name = forms.CharField(label=_("Your name (or the family's or group's name)"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.ChoiceField(label=_("Language for our messages to you"))
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", _("(not applicable for families and groups)")), *MentorGender.choices],
        required=False,
    )
    district = forms.ModelChoiceField(
        label=_("District where you live"), queryset=None, required=False
    )
    interests = TickBoxes(label=_("Interests"), choices=Interest.choices)
    availability = FreeTimes()
    capacity = Capacity(initial=1)
    women_only = forms.BooleanField(label=_("I want to support women only"), required=False)
    families_welcome = forms.BooleanField(
        label=_("Families with children are welcome"), required=False, initial=True
    )
    no_minors = forms.BooleanField(label=_("I prefer not to support minors"), required=False)
    motivation = forms.CharField(
        label=_("Why do you want to become a mentor?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the organisation processes the data in this form to assess my "
            "application and to match me with newcomers. I can withdraw this consent at any time."
        ),
        required=True,
        error_messages={"required": _("Please agree to the processing of your data to apply.")},
    )

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = mentor_application_organisations()
        self.fields["district"].queryset = District.objects.order_by(*by_name("name"))
        self.fields["language"].choices = settings.LANGUAGES
        levels = [("", _("does not speak")), *LanguageLevel.choices]
        self.language_fields = []
        for code in MENTOR_LANGUAGES:
            name = f"lang_{code}"
            self.fields[name] = forms.ChoiceField(
                label=language_name(code), choices=levels, required=False
            )
            self.language_fields.append(name)

    FIRST = ["organisation", "kind", "name", "email", "phone", "language", "gender", "district"]

    def first_part(self):
        return FieldGroup(self, self.FIRST, with_errors=True)

    def second_part(self):
        names = [n for n in self.fields if n not in self.FIRST and n not in self.language_fields]
        return FieldGroup(self, names, with_errors=False)

    def language_bound_fields(self):
        return [self[name] for name in self.language_fields]

    def clean(self):
        data = super().clean()
        languages = [
            {"code": name.removeprefix("lang_"), "level": data[name]}
            for name in self.language_fields
            if data.get(name)
        ]
        if not languages:
            self.add_error("lang_pl", _("Tell us at least one language you speak."))
        data["languages"] = languages
        return data

    def application(self) -> dict:
        data = dict(self.cleaned_data)
        for name in self.language_fields:
            data.pop(name, None)
        return data


class VettingForm(forms.Form):
    step = forms.ChoiceField(label=_("Next step"))
    note = forms.CharField(
        label=_("Note (for a rejection: the reason, sent to the applicant)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, steps: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(VettingStatus.choices)
        self.fields["step"].choices = [(s, labels[s]) for s in steps]


class MentorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *VettingStatus.choices]
    )


class OwnAvailabilityForm(forms.Form):
    availability = FreeTimes()
    capacity = Capacity()


class ProfileForm(forms.Form):
    interests = TickBoxes(label=_("Interests"), choices=Interest.choices)
    availability = FreeTimes(label=_("When are they usually free?"))
    mentor_gender = forms.ChoiceField(
        label=_("Preferred gender of the mentor"),
        choices=[
            ("", _("No preference")),
            (MentorGender.FEMALE, MentorGender.FEMALE.label),
            (MentorGender.MALE, MentorGender.MALE.label),
        ],
        required=False,
    )
    mentor_kinds = TickBoxes(
        label=_("Kinds of mentor accepted (none ticked: any)"), choices=MentorKind.choices
    )
    with_children = forms.BooleanField(label=_("Children will take part"), required=False)


class HandMatchForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Participant"), queryset=None)
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=None)

    def __init__(self, *args, participants, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants
        self.fields["mentor"].queryset = mentors


class SwapForm(forms.Form):
    first = forms.ModelChoiceField(label=_("First proposal"), queryset=None)
    second = forms.ModelChoiceField(label=_("Second proposal"), queryset=None)

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            self.fields[name].queryset = proposals
            self.fields[name].label_from_instance = lambda m: f"{m.participant} ↔ {m.mentor}"

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("first") == data.get("second"):
            self.add_error("second", _("Choose two different proposals."))
        return data


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    minutes = forms.IntegerField(label=_("Duration in minutes"), min_value=5, max_value=1440)
    activity = forms.ChoiceField(label=_("Activity"), choices=Activity.choices)
    note = note_field()

    def clean_date(self):
        return not_in_future(
            self.cleaned_data["date"], _("A meeting cannot be logged in the future.")
        )


class MeetingEditForm(MeetingForm, VersionedForm):
    """Correcting a logged meeting: its fields, and the version the form showed."""


class MeetingDeleteForm(VersionedForm):
    """Deleting a logged meeting: only the version the confirmation showed."""


SATISFACTION_CHOICES = [
    (5, _("5 – very satisfied")),
    (4, _("4 – satisfied")),
    (3, _("3 – so-so")),
    (2, _("2 – not satisfied")),
    (1, _("1 – very unhappy")),
]


class CheckInForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    mentor_satisfaction = forms.TypedChoiceField(
        label=_("Mentor's satisfaction"), choices=SATISFACTION_CHOICES, coerce=int
    )
    participant_satisfaction = forms.TypedChoiceField(
        label=_("Participant's satisfaction"), choices=SATISFACTION_CHOICES, coerce=int
    )
    note = note_field()


class EndForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why does the match end?"), choices=EndReason.choices)
    feedback = forms.CharField(
        label=_("Mentor's feedback"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
    )
    participant_feedback = forms.CharField(
        label=_("Participant's feedback"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
    )
    # The match's version when the form was shown: ending it twice at once is a conflict.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, coordinator: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not coordinator:
            del self.fields["participant_feedback"]
            self.fields["feedback"].label = _("Your feedback")
