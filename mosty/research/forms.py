from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.core import formats
from mosty.core.pages import VersionedForm
from mosty.core.uploads import read_upload, validate_upload_size
from mosty.research.models import (
    TITLE_LENGTH,
    Audience,
    FocusGroup,
    Survey,
    SurveyStatus,
    language_key,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class XlsFormField(forms.FileField):
    """An XLSForm upload: measured before it is read (`mosty.core.uploads`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("XLSForm (.xlsx or .xls)"))
        kwargs.setdefault(
            "help_text",
            _("The spreadsheet of KoboToolbox and ODK: survey, choices and settings sheets."),
        )
        super().__init__(validators=[validate_upload_size], **kwargs)


def upload_content(form: forms.Form) -> tuple[bytes, str]:
    upload = form.cleaned_data["file"]
    return read_upload(upload), str(upload.name)


def language_label(language: dict[str, str]) -> str:
    """A form language named for the editor: in their language where Mosty knows its code."""
    code = language.get("code") or ""
    return formats.language_name(code) if code else language.get("name") or language["key"]


class SurveySettingsForm(VersionedForm, forms.ModelForm[Survey]):
    """The survey's settings; with `languages` (those of its current form, when there are two
    or more), a title and a consent text for each, which respondents choosing that language
    read instead of the form's own title and the consent text above."""

    TRANSLATED = ("title", "consent_text")

    def __init__(self, *args: Any, languages: list[dict[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        offered = [language for language in languages or [] if language_key(language)]
        self.translated_languages = offered if len(offered) > 1 else []
        for n, language in enumerate(self.translated_languages):
            name, key = language_label(language), language_key(language)
            self.fields[f"title__{n}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name},
                max_length=TITLE_LENGTH,
                required=False,
                help_text=_("Empty: respondents choosing this language read the form's title."),
            )
            self.fields[f"consent_text__{n}"] = forms.CharField(
                label=_("Consent text (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_(
                    "Empty: respondents choosing this language read the consent text above."
                ),
            )
            for field in self.TRANSLATED:
                self.initial.setdefault(f"{field}__{n}", self.instance.text_in(field, key))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.translated_languages:
            return cleaned
        for field in self.TRANSLATED:
            # Texts for languages a later form no longer offers stay as they were.
            written = dict(getattr(self.instance, f"{field}_translations") or {})
            for n, language in enumerate(self.translated_languages):
                text = (cleaned.pop(f"{field}__{n}", "") or "").strip()
                if text:
                    written[language_key(language)] = text
                else:
                    written.pop(language_key(language), None)
            cleaned[f"{field}_translations"] = written
        return cleaned

    class Meta:
        model = Survey
        fields = [
            "title",
            "audience",
            "consent_text",
            "anonymous_link",
            "closes_at",
            "response_cap",
        ]
        widgets = {
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
            ),
            "consent_text": forms.Textarea(attrs={"rows": 4}),
        }


class SurveyCreateForm(SurveySettingsForm):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None
    )
    file = XlsFormField()

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        if organisations.count() == 1:
            field.initial = organisations.first()
        self.order_fields(["organisation", "file"])


class FormUploadForm(forms.Form):
    file = XlsFormField()


class InvitationsForm(forms.Form):
    count = forms.IntegerField(label=_("Number of personal links"), min_value=1, max_value=2000)


class SurveyFilterForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=[("", pgettext_lazy("survey filter", "All"))] + Audience.choices,
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", pgettext_lazy("survey filter", "All"))] + SurveyStatus.choices,
        required=False,
    )


class FocusGroupForm(VersionedForm, forms.ModelForm[FocusGroup]):
    participants_text = forms.CharField(
        label=_("Participants per category"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One category a line with its number, no names: “Women from Ukraine: 6”."),
    )
    findings_text = forms.CharField(
        label=_("Findings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One finding a line, its theme first: “Housing: landlords refuse …”."),
    )

    class Meta:
        model = FocusGroup
        fields = ["title", "held_on", "facilitator", "survey", "consent_obtained", "notes"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, surveys: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["survey"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = surveys
        if self.instance.pk and not self.is_bound:
            self.initial["participants_text"] = "\n".join(
                f"{k}: {v}" for k, v in self.instance.participants.items()
            )
            self.initial["findings_text"] = "\n".join(
                f"{f.get('theme', '')}: {f.get('text', '')}" for f in self.instance.findings
            )

    def clean_participants_text(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for line in self.cleaned_data["participants_text"].splitlines():
            if not line.strip():
                continue
            category, _sep, number = line.rpartition(":")
            number = number.strip()
            if not category.strip() or not number.isdecimal() or int(number) > 10_000:
                raise forms.ValidationError(
                    _("Write each line as a category, a colon and a number.")
                )
            counts[category.strip()[:80]] = counts.get(category.strip()[:80], 0) + int(number)
        return counts

    def clean_findings_text(self) -> list[dict[str, str]]:
        findings = []
        for line in self.cleaned_data["findings_text"].splitlines():
            if not line.strip():
                continue
            theme, sep, text = line.partition(":")
            if not sep or not text.strip():
                theme, text = "", line
            findings.append({"theme": theme.strip()[:80], "text": text.strip()[:1000]})
        return findings

    def service_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["participants"] = self.cleaned_data["participants_text"]
        data["findings"] = self.cleaned_data["findings_text"]
        return data
