from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.accounts.models import User
from mosty.core.forms import SearchModelChoiceField, WithFormsets
from mosty.core.pages import VersionedForm
from mosty.core.uploads import validate_upload_size
from mosty.participation.models import (
    Call,
    CallTranslation,
    Group,
    IdeaKind,
    IdeaStatus,
    MemberRole,
    MilestoneStep,
    Programme,
    ProgrammeKind,
    ProgrammeTranslation,
    Response,
)
from mosty.people.models import Participant

LANGUAGE_COUNT = len(settings.LANGUAGES)


def _date_input() -> forms.DateInput:
    """A browser date picker; ISO values, so an edit form shows the stored date."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _WithTranslations(WithFormsets, forms.ModelForm):  # type: ignore[type-arg]
    """A record's form with the formset of its translations, valid together."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


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


class CallForm(_WithTranslations):
    class Meta:
        model = Call
        fields = ["source_language", "opens_on", "closes_on", "official_url", "collects_opinions"]
        widgets = {
            "source_language": forms.Select(choices=settings.LANGUAGES),
            "opens_on": _date_input(),
            "closes_on": _date_input(),
        }


def _translations_formset(parent: Any, model: Any, texts: dict[str, int]) -> Any:
    """The formset of a record's texts, one form per language: the title and `texts` (each a
    text area of the given number of rows)."""
    return inlineformset_factory(
        parent,
        model,
        fields=["language", "title", *texts],
        widgets={
            "language": forms.Select(choices=settings.LANGUAGES),
            **{name: forms.Textarea(attrs={"rows": rows}) for name, rows in texts.items()},
        },
        extra=1,
        can_delete=False,
        max_num=LANGUAGE_COUNT,
        absolute_max=LANGUAGE_COUNT,
    )


ProgrammeTranslationFormSet = _translations_formset(
    Programme, ProgrammeTranslation, {"summary": 3, "eligibility": 2, "steps": 3}
)
CallTranslationFormSet = _translations_formset(
    Call, CallTranslation, {"summary": 3, "how_to_respond": 2, "outcome": 2}
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


# --- consultations and ideas --------------------------------------------------------------

DOCUMENT_EXTENSIONS = ["pdf", "odt", "docx", "doc", "rtf", "txt", "ods", "xlsx", "png", "jpg"]


class DocumentForm(forms.Form):
    """A consultation's or a group's document: an uploaded file (checked) or a link."""

    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=pgettext_lazy("document", "File"),
        required=False,
        validators=[validate_upload_size, FileExtensionValidator(DOCUMENT_EXTENSIONS)],
    )
    url = forms.URLField(label=_("or a link"), required=False, assume_scheme="https")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("file")) == bool(data.get("url")):
            self.add_error("file", _("Upload a file or give a link (one of the two)."))
        return data


class _CallChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.programme.title}: {obj.title}"


class IdeaForm(forms.Form):
    # Searchable by code: a large NGO supports 10,000 people (names are encrypted).
    participant = SearchModelChoiceField(
        label=_("Participant"),
        queryset=Participant.objects.none(),
        required=False,
        search_fields=("code",),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=IdeaKind.choices)
    call = _CallChoice(
        label=_("Call or consultation"),
        queryset=Call.objects.none(),
        required=False,
        help_text=_("A consultation response must name the consultation."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("The idea or opinion"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, participants: Any = None, calls: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if participants is None:
            del self.fields["participant"]
        else:
            self.fields["participant"].queryset = participants  # type: ignore[attr-defined]
            self.fields["participant"].required = True
            self.fields["participant"].label_from_instance = lambda p: p.code  # type: ignore[attr-defined]
        self.fields["call"].queryset = calls if calls is not None else Call.objects.none()  # type: ignore[attr-defined]


class IdeaEditForm(VersionedForm):
    call = _CallChoice(
        label=_("Call or consultation"), queryset=Call.objects.none(), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("The idea or opinion"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, calls: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls if calls is not None else Call.objects.none()  # type: ignore[attr-defined]


class IdeaAssignForm(forms.Form):
    supporter = forms.ModelChoiceField(
        label=_("Mentor or assistant"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, candidates: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["supporter"].queryset = candidates  # type: ignore[attr-defined]


class SupportForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=_date_input())
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.25"), max_value=Decimal("24"), decimal_places=2
    )
    note = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IdeaResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[
            (IdeaStatus.SELECTED, IdeaStatus.SELECTED.label),
            (IdeaStatus.REJECTED, IdeaStatus.REJECTED.label),
        ],
    )


class IdeaAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer of the authority"), widget=forms.Textarea(attrs={"rows": 3})
    )


class IdeaFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", pgettext_lazy("idea status filter", "All")), *IdeaStatus.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *IdeaKind.choices], required=False
    )


# --- groups ---------------------------------------------------------------------------------


class GroupForm(forms.ModelForm[Group]):
    class Meta:
        model = Group
        fields = ["name", "kind", "women_only", "description", "is_public"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class GroupEditForm(GroupForm, VersionedForm):
    pass


class _MemberTerm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    starts_on = forms.DateField(label=pgettext_lazy("date range", "From"), widget=_date_input())
    ends_on = forms.DateField(
        label=pgettext_lazy("end date", "Until"),
        required=False,
        widget=_date_input(),
    )


class GroupMemberEditForm(VersionedForm, _MemberTerm):
    """A member's role and term (who the member is does not change)."""


class GroupMemberForm(_MemberTerm):
    field_order = ["email", "participant", "role", "starts_on", "ends_on"]
    email = forms.EmailField(
        label=_("E-mail address of the account"),
        required=False,
        help_text=_("Someone who already has an account in Mosty."),
    )
    participant = SearchModelChoiceField(
        label=_("or a participant your organisation supports"),
        queryset=Participant.objects.none(),
        required=False,
        search_fields=("code",),
    )

    def __init__(self, *args: Any, participants: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if participants is None:
            del self.fields["participant"]
        else:
            field = self.fields["participant"]
            field.queryset = participants  # type: ignore[attr-defined]
            field.label_from_instance = lambda p: p.code  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email = data.get("email")
        data["user"] = None
        if email:
            data["user"] = User.objects.filter(email__iexact=email, is_active=True).first()
            if data["user"] is None:
                self.add_error("email", _("No account has this address."))
        elif not data.get("participant"):
            self.add_error("email", _("Give an account's e-mail address or choose a participant."))
        return data


class GroupMeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=_date_input())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    decisions = forms.CharField(
        label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.CharField(
        label=pgettext_lazy("meeting record", "Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class GroupMeetingEditForm(VersionedForm, GroupMeetingForm):
    pass


class MilestoneForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=MilestoneStep.choices)
    due_on = forms.DateField(label=_("Planned for"), required=False, widget=_date_input())
    done_on = forms.DateField(label=_("Done on"), required=False, widget=_date_input())
    support = forms.CharField(
        label=_("Support received"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PolicyDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    call = _CallChoice(
        label=_("Consultation it answers"),
        queryset=Call.objects.none(),
        required=False,
        help_text=_(
            "If the city consults on this document in Mosty, the group's opinion is shown with it."
        ),
    )
    source_url = forms.URLField(label=_("Official page"), required=False, assume_scheme="https")
    text = forms.CharField(
        label=_("Text of the document"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Paste the draft; each paragraph (separated by an empty line) becomes a section members comment on."
        ),
    )

    def __init__(self, *args: Any, calls: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["call"]
        field.queryset = calls if calls is not None else Call.objects.none()  # type: ignore[attr-defined]


class SectionCommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class OpinionPointForm(forms.Form):
    section = forms.IntegerField(label=_("Section"), required=False, min_value=1)
    text = forms.CharField(
        label=_("Point of the opinion"), widget=forms.Textarea(attrs={"rows": 2})
    )


class PointResponseForm(forms.Form):
    response = forms.ChoiceField(label=_("Response"), choices=Response.choices)
    reason = forms.CharField(
        label=_("Reason given"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
