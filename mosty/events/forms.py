from django import forms
from django.conf import settings
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.core.collation import by_name
from mosty.core.forms import DateRangeForm, LanguagesField, WithFormsets
from mosty.core.models import District
from mosty.events.models import EVENT_FIELDS, Audience, Event, EventKind, EventTranslation, Session

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class EventForm(WithFormsets, forms.ModelForm):
    audiences = forms.MultipleChoiceField(
        label=_("Audience"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = LanguagesField(label=_("Languages of the event"))
    # The version the organiser started from (Versioned.save_changes); empty on create.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Event
        fields = EVENT_FIELDS
        widgets = {
            "source_language": forms.Select(choices=settings.LANGUAGES),
            "registration_opens": _datetime_widget(),
            "registration_closes": _datetime_widget(),
            "accessibility": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "source_language": _("The language you write the title and description in."),
            "capacity": _("When all places are taken, new registrations go to the waiting list."),
        }


class TranslationForm(forms.ModelForm):
    class Meta:
        model = EventTranslation
        fields = ["language", "title", "description"]
        widgets = {
            "language": forms.Select(choices=settings.LANGUAGES),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["starts_at", "ends_at", "district", "place", "online_url"]
        widgets = {"starts_at": _datetime_widget(), "ends_at": _datetime_widget()}


TranslationFormSet = inlineformset_factory(
    Event,
    EventTranslation,
    form=TranslationForm,
    extra=1,
    can_delete=False,
    max_num=7,
    absolute_max=7,
)
SessionFormSet = inlineformset_factory(
    Event, Session, form=SessionForm, extra=1, can_delete=True, max_num=200, absolute_max=200
)


class _ContactMixin:
    def clean(self):
        data = super().clean()
        if "email" in self.fields and not data.get("email") and not data.get("phone"):
            self.add_error("email", _("Give an e-mail address or a phone number."))
        if (
            self.event is not None
            and self.event.kind == EventKind.STAFF_TRAINING
            and "institution" in self.fields
            and not data.get("institution")
        ):
            self.add_error(
                "institution", _("This training is for institution staff: name your institution.")
            )
        return data


class RegistrationForm(_ContactMixin, forms.Form):
    """A visitor without an account, or a caseworker registering a person they support."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_(
            "Messages about your registration go by e-mail. With only a phone number, nobody "
            "writes to you: the page you see after registering shows how it stands."
        ),
    )
    language = forms.ChoiceField(label=_("Language for messages"), choices=settings.LANGUAGES)
    audience = forms.ChoiceField(
        label=_("I take part as"), choices=[("", "—"), *Audience.choices], required=False
    )
    institution = forms.CharField(label=_("Institution"), max_length=200, required=False)
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example step-free access, an interpreter, childcare."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the organiser stores these details to run the event and to contact me about it."
        ),
    )

    def __init__(self, *args, event=None, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)
        if event is not None and event.kind != EventKind.STAFF_TRAINING:
            self.fields["institution"].help_text = _(
                "Only if you come on behalf of an institution."
            )


class PersonRegistrationForm(RegistrationForm):
    """A caseworker registers a participant they support, optionally linked to their record."""

    field_order = ["participant_code", "name", "email", "phone", "language"]
    participant_code = forms.CharField(
        label=_("Participant code"),
        max_length=20,
        required=False,
        help_text=_(
            "Optional: the code of the person's record, to link the registration to it. "
            "Name and contact are then taken from the record when left empty."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        self.participant = None
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["phone"].help_text = ""  # the page says whom messages reach

    def clean(self):
        code = (self.cleaned_data.get("participant_code") or "").strip().upper()
        if code:
            from mosty.access.domains.people import visible_participants

            self.participant = (
                visible_participants(self.user)
                .filter(code=code, anonymised_at__isnull=True)
                .first()
            )
            if self.participant is None:
                self.add_error("participant_code", _("No person you support has this code."))
            else:
                for field, value in (
                    ("name", self.participant.display_name),
                    ("email", self.participant.email),
                    ("phone", self.participant.phone),
                ):
                    if not self.cleaned_data.get(field):
                        self.cleaned_data[field] = value
        if not self.cleaned_data.get("name") and "participant_code" not in self.errors:
            self.add_error("name", _("This field is required."))
        return super().clean()


class SelfRegistrationForm(RegistrationForm):
    """A logged-in user registers with their account: name and e-mail come from it."""

    name = None
    email = None
    phone = None


class EventFilterForm(DateRangeForm):
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.order_by(*by_name("name")),
        required=False,
        empty_label=_("All districts"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *EventKind.choices], required=False
    )
    audience = forms.ChoiceField(
        label=pgettext_lazy("audience", "For"),
        choices=[("", _("Everyone")), *Audience.choices],
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("Any language")), *settings.LANGUAGES], required=False
    )


class ReportFilterForm(DateRangeForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *EventKind.choices], required=False
    )
