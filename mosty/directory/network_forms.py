"""Forms and messages of the networks pages (kept here so their strings live in the
directory catalogue; the pages themselves are in `mosty/organisations/network_*.py`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mosty.accounts.models import User
from mosty.core.forms import SearchModelChoiceField
from mosty.directory.forms import _style
from mosty.organisations.models import (
    Network,
    NetworkDocument,
    NetworkMeeting,
    NetworkMembership,
    Organisation,
)

MESSAGES = {
    "new_network": _("New network"),
    "edit_network": _("Edit network"),
    "created": _("Network created."),
    "saved": _("Changes saved."),
    "member_added": _("Member invited."),
    "member_removed": _("Member removed."),
    "meeting_saved": _("Meeting saved."),
    "document_shared": _("Document shared."),
    "not_your_org": _("You can only start a network for an organisation you coordinate."),
    "org_or_person": _("Invite either an organisation or a person."),
    "already_member": _("Already a member of this network."),
    "keep_coordinator": _("The coordinating organisation stays a member."),
    "attendee_not_member": _("Attendees must be members of the network."),
    "file_or_link": _("Share either a file or a link."),
    "no_user": _(
        "Nobody with this e-mail address has an account. Ask an administrator to add them first."
    ),
}


class NetworkForm(forms.ModelForm):
    coordinator = forms.ModelChoiceField(
        label=_("Coordinating organisation"), queryset=Organisation.objects.none()
    )

    class Meta:
        model = Network
        fields = ["name", "theme", "purpose", "is_public"]
        labels = {"is_public": _("Show the name, purpose and member organisations publicly")}
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk or organisations is None:
            del self.fields["coordinator"]
        else:
            self.fields["coordinator"].queryset = organisations
            self.order_fields(["coordinator", "name", "theme", "purpose", "is_public"])
        _style(self)


class MemberInviteForm(forms.Form):
    # Any active organisation of the city may be invited: thousands, so a searchable select.
    organisation = SearchModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— choose an organisation —"),
    )
    email = forms.EmailField(
        label=_("or a person (e-mail address of their account)"), required=False
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(is_active=True)
            .exclude(network_memberships__network=network)
            .order_by("name")
        )
        _style(self)

    def clean(self):
        cleaned = super().clean()
        organisation, email = cleaned.get("organisation"), cleaned.get("email")
        if bool(organisation) == bool(email):
            raise forms.ValidationError(MESSAGES["org_or_person"])
        if email:
            cleaned["user"] = User.objects.filter(email__iexact=email, is_active=True).first()
            if cleaned["user"] is None:
                self.add_error("email", MESSAGES["no_user"])
        return cleaned


class MeetingForm(forms.ModelForm):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=NetworkMembership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = NetworkMeeting
        fields = ["date", "title", "agenda", "minutes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = NetworkMembership.objects.filter(
            network=network
        ).select_related("organisation", "user")
        self.fields["attendees"].label_from_instance = lambda m: str(
            m.organisation or m.user.get_full_name() or m.user.email
        )
        if self.instance.pk:
            self.initial["attendees"] = list(self.instance.attendees.all())
        _style(self)


class DocumentForm(forms.ModelForm):
    class Meta:
        model = NetworkDocument
        fields = ["title", "file", "url"]
        help_texts = {"url": _("Give a file or a link, not both.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise forms.ValidationError(MESSAGES["file_or_link"])
        return cleaned

    def _post_clean(self):
        # The service validates the model (and its file-or-link constraint) on save.
        pass
