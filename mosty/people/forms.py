from __future__ import annotations

from functools import lru_cache

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from mosty.core.collation import by_name
from mosty.core.formats import language_choices
from mosty.core.forms import SearchChoiceField, WithFormsets, not_in_future
from mosty.core.models import District
from mosty.organisations.models import Organisation
from mosty.people.models import (
    ConsentPurpose,
    LanguageLevel,
    LegalBasis,
    Participant,
    contact_channel_choices,
)
from mosty.people.services import PARTICIPANT_FIELDS

# Languages newcomers in Poland often speak, each named in itself (no translation needed).
# Languages offered for a participant: common among newcomers in Polish cities. Their names
# come from CLDR (Babel) in the reader's language, with the language's own name beside it.
SPOKEN_LANGUAGE_CODES = [
    "uk",
    "ru",
    "be",
    "pl",
    "en",
    "ar",
    "fa",
    "prs",
    "ps",
    "ka",
    "hy",
    "az",
    "tr",
    "ku",
    "tg",
    "uz",
    "kk",
    "ky",
    "ro",
    "fr",
    "ln",
    "sw",
    "so",
    "ti",
    "am",
    "es",
    "de",
    "vi",
    "hi",
    "ur",
]


def spoken_language_choices() -> list[tuple[str, str]]:
    return list(_spoken_language_choices(get_language() or "pl"))


@lru_cache(maxsize=64)
def _spoken_language_choices(language: str) -> list[tuple[str, str]]:
    # Named once per reader's language: three language selects on every participant form.
    return [("", "—"), *language_choices(SPOKEN_LANGUAGE_CODES, language=language)]


# Countries newcomers to Polish cities most often come from (or hold the citizenship of):
# listed first, so the country select usually needs no typing.
COMMON_COUNTRY_CODES = [
    *("UA", "BY", "RU", "GE", "AM", "AZ", "MD", "KZ", "UZ", "TJ", "KG", "TR", "IN", "VN"),
    *("AF", "SY", "IQ", "IR", "ER", "SO", "ET", "NG", "CD", "CN", "PH", "CO"),
]
COUNTRIES_SHOWN = len(COMMON_COUNTRY_CODES)


def country_choices(choices) -> list[tuple[str, str]]:
    """The country select's choices: the empty one, the common countries, then the rest (each
    group in the order given: by name in the reader's language)."""
    rank = {code: n for n, code in enumerate(COMMON_COUNTRY_CODES)}
    items = list(choices)
    empty = [c for c in items if c[0] == ""]
    common = sorted((c for c in items if c[0] in rank), key=lambda c: rank[c[0]])
    return [*empty, *common, *(c for c in items if c[0] and c[0] not in rank)]


LANGUAGE_SLOTS = 3
YEAR_WIDGET = forms.NumberInput(attrs={"min": 1900, "max": 2100, "inputmode": "numeric"})


class IntakeSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, phone or code"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    birth_year = forms.IntegerField(
        label=_("Birth year"), required=False, min_value=1900, max_value=2100, widget=YEAR_WIDGET
    )


class ParticipantFilterForm(IntakeSearchForm):
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.order_by(*by_name("name")), required=False
    )


class ParticipantForm(WithFormsets, forms.ModelForm):
    """Registration and edit form; languages come in three (language, level) pairs. The page
    binds the household members' formset with it (`formsets`)."""

    owner = forms.ChoiceField(label=_("Registering organisation"), required=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Participant
        fields = [f for f in PARTICIPANT_FIELDS if f != "languages"]
        widgets = {
            "arrival_date": forms.DateInput(attrs={"type": "date"}),
            "birth_year": YEAR_WIDGET,
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "citizenship": _("Leave empty for stateless people."),
            "legal_status": _("Sensitive: visible only to coordinators and authorised staff."),
        }

    # Countries are chosen with a search box beside a short list: listing all ~250 twice made
    # the form 50 KB and the slowest thing on the page to render (issue 15).
    COUNTRY_FIELDS = ("country_of_origin", "citizenship")

    def __init__(self, *args, organisations=(), show_sensitive=True, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.COUNTRY_FIELDS:
            field = self.fields[name]
            self.fields[name] = SearchChoiceField(
                label=field.label,
                help_text=field.help_text,
                required=False,
                choices=country_choices(field.choices),
                empty_value="",
                shown=COUNTRIES_SHOWN,
            )
        if not show_sensitive:
            del self.fields["legal_status"]
        if self.instance.pk:
            del self.fields["owner"]
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]
            self.fields["owner"].choices = [(o.pk, o.name) for o in organisations]
            self._organisations = {str(o.pk): o for o in organisations}
            if len(organisations) == 1:
                self.fields["owner"].initial = organisations[0].pk
                self.fields["owner"].widget = forms.HiddenInput()
        current = list(self.instance.languages or []) if self.instance.pk else []
        for i in range(LANGUAGE_SLOTS):
            lang = forms.ChoiceField(
                label=_("Language %(n)s") % {"n": i + 1},
                choices=spoken_language_choices,
                required=False,
            )
            level = forms.ChoiceField(
                label=_("Level of language %(n)s") % {"n": i + 1},
                choices=[("", "—"), *LanguageLevel.choices],
                required=False,
            )
            if i < len(current):
                lang.initial = current[i].get("code")
                level.initial = current[i].get("level")
            self.fields[f"language_{i}"] = lang
            self.fields[f"level_{i}"] = level

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and not 1900 <= year <= timezone.now().year:
            raise ValidationError(_("Enter a year between 1900 and this year."))
        return year

    def clean_arrival_date(self):
        return not_in_future(
            self.cleaned_data.get("arrival_date"), _("The arrival date cannot be in the future.")
        )

    def clean_owner(self):
        value = self.cleaned_data.get("owner")
        return self._organisations.get(value)

    def clean(self):
        cleaned = super().clean()
        languages, seen = [], set()
        for i in range(LANGUAGE_SLOTS):
            code, level = cleaned.get(f"language_{i}"), cleaned.get(f"level_{i}")
            if code and not level:
                self.add_error(f"level_{i}", _("Choose a level for this language."))
            elif level and not code:
                self.add_error(f"language_{i}", _("Choose the language for this level."))
            elif code and code in seen:
                self.add_error(f"language_{i}", _("This language is already listed."))
            elif code:
                seen.add(code)
                languages.append({"code": code, "level": level})
        cleaned["languages"] = languages
        if not (
            cleaned.get("first_name")
            or cleaned.get("first_name_original")
            or cleaned.get("last_name")
        ):
            self.add_error("first_name", _("Enter at least a first name."))
        return cleaned

    def _post_clean(self):
        # Validation of the model happens in the service (with the owner and the code set).
        pass

    def service_data(self) -> dict:
        data = {
            f: self.cleaned_data[f]
            for f in PARTICIPANT_FIELDS
            if f in self.cleaned_data and (f in self.fields or f == "languages")
        }
        return data


class HouseholdMemberForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=200, required=False)
    birth_year = forms.IntegerField(
        label=_("Birth year"), required=False, min_value=1900, max_value=2100, widget=YEAR_WIDGET
    )
    relationship = forms.CharField(
        label=_("Relationship"),
        max_length=100,
        required=False,
        help_text=_("For example: daughter, husband, grandmother."),
    )

    code = forms.CharField(
        label=_("Or their participant code"),
        max_length=20,
        required=False,
        help_text=_("If they are registered too, for example GDA-7K3Q-9X."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        from mosty.access.domains.people import visible_participants

        cleaned = super().clean()
        code = (cleaned.get("code") or "").strip().upper()
        if code:
            found = visible_participants(self.user).filter(code=code).first()
            if found is None:
                self.add_error("code", _("No participant you can open has this code."))
            cleaned["participant"] = found
        elif (cleaned.get("birth_year") or cleaned.get("relationship")) and not cleaned.get("name"):
            self.add_error("name", _("Enter the name of this household member."))
        return cleaned


HouseholdMemberFormSet = forms.formset_factory(
    HouseholdMemberForm, extra=3, max_num=10, absolute_max=10
)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(
        label=pgettext_lazy("consent", "Purpose"), choices=ConsentPurpose.choices
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("", "—"), *contact_channel_choices()],
        required=False,
        help_text=_(
            "For messages only: each channel the person agreed to is a consent of its own."
        ),
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"), choices=LegalBasis.choices, initial=LegalBasis.CONSENT
    )
    text_shown = forms.CharField(
        label=_("Text shown to the participant"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("The exact information text the participant read or heard, in that language."),
    )
    language = forms.ChoiceField(
        label=_("Language of the text"), choices=spoken_language_choices, required=False
    )
    given_at = forms.DateTimeField(
        label=_("Given on"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty to use the current date and time."),
    )

    save_as_template = forms.BooleanField(
        label=_("Keep this text as the organisation's template for this purpose and language"),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("save_as_template") and not cleaned.get("language"):
            self.add_error("language", _("Choose the language of the text to keep it."))
        return cleaned

    def clean_given_at(self):
        return not_in_future(
            self.cleaned_data.get("given_at"), _("The consent cannot be given in the future.")
        )


class ConsentTemplateEditForm(forms.Form):
    """The text of a kept consent template (its purpose and language stay: a new pair is a new
    template)."""

    text = forms.CharField(
        label=_("Text shown to the participant"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        help_text=_(
            "The information text staff read or hand to the participant, in that language."
        ),
    )


class ConsentTemplateForm(ConsentTemplateEditForm):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    purpose = forms.ChoiceField(
        label=pgettext_lazy("consent", "Purpose"), choices=ConsentPurpose.choices
    )
    language = forms.ChoiceField(label=_("Language of the text"), choices=spoken_language_choices)

    field_order = ["organisation", "purpose", "language", "text"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        only = list(organisations[:2])
        if len(only) == 1:
            self.fields["organisation"].initial = only[0].pk
