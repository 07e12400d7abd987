import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mosty.core.collation import by_name
from mosty.core.forms import (
    ModelMultipleChoiceField,
    SearchModelMultipleChoiceField,
    StyledForm,
    style_fields,
)
from mosty.core.models import District, TranslationStatus
from mosty.core.uploads import validate_upload_size
from mosty.directory.models import (
    Category,
    HousingKind,
    HousingOffer,
    HousingStatus,
    Linguist,
    Location,
    Service,
    Weekday,
)
from mosty.directory.services import (
    HOUSING_FIELDS,
    LINGUIST_FORM_FIELDS,
    LOCATION_FIELDS,
    SERVICE_FIELDS,
    languages_clean,
    parse_pairs,
)

HOURS_FIELD = re.compile(r"^d\d_")
# Languages offered in the filter (the city's languages first; services may list any code).
FILTER_LANGUAGES = [("", _("Any language")), *settings.LANGUAGES]


class OwnedRecordForm(forms.ModelForm):
    """The form of a record an organisation keeps: a new one is filed under one of
    `organisations`; an existing one stays where it is, and the form sends back the `version`
    it showed so that saving over someone else's changes is refused (`EditConflict`)."""

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organisation"]
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=self.instance.version
            )
        else:
            self.fields["organisation"].queryset = organisations

    def record_data(self) -> dict:
        """What the service takes: the cleaned fields, with `version` only on an edit."""
        return dict(self.cleaned_data)


class ServiceSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=FILTER_LANGUAGES)
    district = forms.ChoiceField(label=_("District"), required=False)
    free = forms.BooleanField(label=_("Free of charge"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("All categories")),
            *[(c.code, c.label) for c in Category.objects.order_by(*by_name("name"))],
        ]
        self.fields["district"].choices = [
            ("", _("All districts")),
            *District.objects.order_by(*by_name("name")).values_list("code", "name"),
        ]
        style_fields(self)
        for name in ("free", "open_now"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class OpeningHoursMixin:
    """One opening interval per weekday: `<day>_opens` and `<day>_closes` fields."""

    def add_hours_fields(self, schedules=()):
        existing = {s.weekday: s for s in schedules}
        for day in Weekday:
            row = existing.get(day.value)
            self.fields[f"d{day.value}_opens"] = forms.TimeField(
                label=_("%(day)s: opens") % {"day": day.label},
                required=False,
                initial=row.opens_at if row else None,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[f"d{day.value}_closes"] = forms.TimeField(
                label=_("%(day)s: closes") % {"day": day.label},
                required=False,
                initial=row.closes_at if row else None,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )

    def clean_hours(self, cleaned):
        hours = {}
        for day in Weekday:
            opens = cleaned.get(f"d{day.value}_opens")
            closes = cleaned.get(f"d{day.value}_closes")
            if opens is None and closes is None:
                continue
            if opens is None or closes is None:
                self.add_error(f"d{day.value}_closes", _("Give both the opening and closing time."))
            elif closes <= opens:
                self.add_error(
                    f"d{day.value}_closes", _("Closing time must be after opening time.")
                )
            else:
                hours[day.value] = (opens, closes)
        return hours

    def main_fields(self):
        return [f for f in self.visible_fields() if not HOURS_FIELD.match(f.name)]

    def hours_fields(self):
        return [(self[f"d{d.value}_opens"], self[f"d{d.value}_closes"]) for d in Weekday]


class ServiceForm(OpeningHoursMixin, OwnedRecordForm):
    languages = forms.CharField(
        label=_("Languages the service is offered in"),
        required=False,
        help_text=_("ISO codes separated by commas, e.g. pl, uk, ar."),
    )
    categories = ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # A city office files services for 300 organisations and their thousands of locations:
    # the list shows those matching a search, and the ones chosen.
    locations = SearchModelMultipleChoiceField(
        label=_("Locations"),
        queryset=Location.objects.none(),
        required=False,
        search_fields=("name", "address_1", "city"),
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)

    class Meta:
        model = Service
        fields = SERVICE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
            "required_documents": forms.Textarea(attrs={"rows": 3}),
            "source_language": forms.Select(choices=settings.LANGUAGES),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, organisations=organisations, **kwargs)
        self.fields["source_language"].widget = forms.Select(choices=settings.LANGUAGES)
        self.fields["categories"].queryset = Category.objects.order_by(*by_name("name"))
        self.fields["categories"].label_from_instance = lambda c: c.label
        if self.instance.pk:
            self.fields["locations"].queryset = Location.objects.filter(
                organisation=self.instance.organisation
            ).order_by(*by_name("name"))
            self.initial["categories"] = list(self.instance.categories.all())
            self.initial["locations"] = list(self.instance.locations.all())
            self.initial["languages"] = ", ".join(
                self.instance.languages.values_list("code", flat=True)
            )
            phone = self.instance.phones.first()
            self.initial["phone"] = phone.number if phone else ""
            self.add_hours_fields(self.instance.schedules.all())
        else:
            self.fields["locations"].queryset = (
                Location.objects.filter(organisation__in=organisations)
                .select_related("organisation")
                .order_by(*by_name("name"))
            )
            self.add_hours_fields()
        style_fields(self)

    def clean(self):
        cleaned = super().clean()
        cleaned["hours"] = self.clean_hours(cleaned)
        try:
            cleaned["languages"] = languages_clean((cleaned.get("languages") or "").split(","))
        except ValidationError as exc:
            self.add_error(None, exc)  # lands beside `languages`
        return cleaned

    def record_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if not HOURS_FIELD.match(k)}


class ServiceTranslationForm(StyledForm):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    eligibility = forms.CharField(
        label=_("Who can use it"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=TranslationStatus.choices)
    machine_translated = forms.BooleanField(label=_("Machine translated"), required=False)


class LocationForm(OwnedRecordForm):
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)

    class Meta:
        model = Location
        fields = LOCATION_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, organisations=organisations, **kwargs)
        self.fields["district"].queryset = District.objects.order_by(*by_name("name"))
        if self.instance.pk:
            phone = self.instance.phones.first()
            self.initial["phone"] = phone.number if phone else ""
        style_fields(self)


class HousingOfferForm(OwnedRecordForm):
    class Meta:
        model = HousingOffer
        fields = HOUSING_FIELDS
        widgets = {
            "available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "available_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "conditions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, organisations=organisations, **kwargs)
        self.fields["district"].queryset = District.objects.order_by(*by_name("name"))
        style_fields(self)


class HousingFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    district = forms.ModelChoiceField(
        label=_("District"),
        required=False,
        queryset=District.objects.none(),
        empty_label=_("All districts"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *HousingKind.choices]
        self.fields["status"].choices = [("", _("Any status")), *HousingStatus.choices]
        self.fields["district"].queryset = District.objects.order_by(*by_name("name"))
        style_fields(self)


class HousingNeedForm(forms.Form):
    household = forms.ChoiceField(label=_("Household"), required=False)
    size = forms.IntegerField(
        label=_("Persons in the household"),
        min_value=1,
        max_value=30,
        required=False,
        help_text=_("Leave empty to use the number of members of the chosen household."),
    )
    budget = forms.DecimalField(
        label=_("Monthly budget (PLN)"), required=False, min_value=0, max_digits=8, decimal_places=2
    )
    district = forms.ModelChoiceField(
        label=_("Preferred district"),
        required=False,
        queryset=District.objects.none(),
        empty_label=_("No preference"),
    )
    needs_step_free = forms.BooleanField(label=_("Needs step-free access"), required=False)
    has_children = forms.BooleanField(label=_("With children"), required=False)
    has_pets = forms.BooleanField(label=_("With pets"), required=False)

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.households = {str(h.pk): h for h in households}
        self.fields["household"].choices = [
            ("", _("None: describe the need below")),
            *[(str(h.pk), f"{h} ({h.size})") for h in households],
        ]
        self.fields["district"].queryset = District.objects.order_by(*by_name("name"))
        style_fields(self)

    def clean(self):
        cleaned = super().clean()
        household = self.households.get(cleaned.get("household") or "")
        cleaned["household"] = household
        if not cleaned.get("size"):
            if household is None:
                self.add_error("size", _("Give the number of persons or choose a household."))
            else:
                cleaned["size"] = max(household.size, 1)
        return cleaned


class HousingStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=HousingStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class LinguistForm(OwnedRecordForm):
    pairs = forms.CharField(
        label=_("Language pairs"),
        help_text=_("E.g. “uk-pl, ar-pl” (both ways) or “fa>pl” (one way)."),
    )

    class Meta:
        model = Linguist
        fields = LINGUIST_FORM_FIELDS
        widgets = {"availability": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, organisations=organisations, **kwargs)
        if self.instance.pk:
            self.initial["pairs"] = ", ".join(
                f"{p.source}{'-' if p.both_ways else '>'}{p.target}"
                for p in self.instance.pairs.all()
            )
        style_fields(self)

    def clean_pairs(self):
        try:
            return parse_pairs(self.cleaned_data["pairs"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["pairs"]) from exc


class LinguistSearchForm(forms.Form):
    source = forms.CharField(label=_("From language"), required=False, max_length=3)
    target = forms.CharField(label=_("Into language"), required=False, max_length=3)
    mode = forms.ChoiceField(
        label=_("Mode"),
        required=False,
        choices=[
            ("", _("Any mode")),
            ("written", _("Written translation")),
            ("consecutive", _("Consecutive interpreting")),
            ("remote", _("Phone or video interpreting")),
        ],
    )
    sworn = forms.BooleanField(label=_("Sworn translators only"), required=False)
    volunteer = forms.BooleanField(label=_("Volunteers only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
        for name in ("sworn", "volunteer"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean_source(self):
        return (self.cleaned_data.get("source") or "").strip().lower()

    def clean_target(self):
        return (self.cleaned_data.get("target") or "").strip().lower()


class HsdsImportForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS file"),
        help_text=_("HSDS 3.0 JSON (.json) or the tabular data package (.zip with CSV files)."),
        validators=[validate_upload_size],
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=100,
        help_text=_(
            "Where the data comes from, e.g. “Gdańsk city directory”. A later import from the "
            "same source updates the entries it created; nothing else is ever overwritten."
        ),
    )
    # The fingerprint of the file and source whose preview was shown: importing needs one.
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)
