from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from mosty.participation.models import (
    Call,
    CallTranslation,
    Programme,
    ProgrammeKind,
    ProgrammeTranslation,
)

LANGUAGE_COUNT = len(settings.LANGUAGES)


class _WithTranslations(forms.ModelForm):  # type: ignore[type-arg]
    """A record's form with the formset of its translations, valid together."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    formsets: tuple[Any, ...] = ()

    def is_valid(self) -> bool:
        return super().is_valid() and all(formset.is_valid() for formset in self.formsets)


class ProgrammeForm(_WithTranslations):
    class Meta:
        model = Programme
        fields = [
            "kind",
            "source_language",
            "foreigners_may_take_part",
            "official_url",
            "is_published",
        ]
        widgets = {"source_language": forms.Select(choices=settings.LANGUAGES)}
        help_texts = {"source_language": _("The language you write the texts in first.")}


class ProgrammeTranslationForm(forms.ModelForm[ProgrammeTranslation]):
    class Meta:
        model = ProgrammeTranslation
        fields = ["language", "title", "summary", "eligibility", "steps"]
        widgets = {
            "language": forms.Select(choices=settings.LANGUAGES),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "eligibility": forms.Textarea(attrs={"rows": 2}),
            "steps": forms.Textarea(attrs={"rows": 3}),
        }


class CallForm(_WithTranslations):
    class Meta:
        model = Call
        fields = ["source_language", "opens_on", "closes_on", "official_url", "collects_opinions"]
        widgets = {
            "source_language": forms.Select(choices=settings.LANGUAGES),
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class CallTranslationForm(forms.ModelForm[CallTranslation]):
    class Meta:
        model = CallTranslation
        fields = ["language", "title", "summary", "how_to_respond", "outcome"]
        widgets = {
            "language": forms.Select(choices=settings.LANGUAGES),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "how_to_respond": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }


ProgrammeTranslationFormSet = inlineformset_factory(
    Programme,
    ProgrammeTranslation,
    form=ProgrammeTranslationForm,
    extra=1,
    can_delete=False,
    max_num=LANGUAGE_COUNT,
)
CallTranslationFormSet = inlineformset_factory(
    Call,
    CallTranslation,
    form=CallTranslationForm,
    extra=1,
    can_delete=False,
    max_num=LANGUAGE_COUNT,
)


class ProgrammeFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *ProgrammeKind.choices], required=False
    )
    foreigners = forms.BooleanField(label=_("Open to foreigners"), required=False)


class CallFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Programme"), choices=[("", _("All kinds")), *ProgrammeKind.choices], required=False
    )
    consultations = forms.BooleanField(label=_("Consultations only"), required=False)


class AlertSubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    language = forms.ChoiceField(label=_("Language of the alerts"), choices=settings.LANGUAGES)
