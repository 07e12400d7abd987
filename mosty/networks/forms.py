"""Forms of the networks pages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mosty.accounts.models import User
from mosty.core.collation import by_name
from mosty.core.forms import (
    ModelMultipleChoiceField,
    SearchModelChoiceField,
    StyledForm,
    style_fields,
)
from mosty.core.pages import VersionedForm
from mosty.networks.models import (
    Network,
    NetworkDocument,
    NetworkMeeting,
    NetworkMembership,
    NetworkRole,
)
from mosty.networks.texts import MESSAGES
from mosty.organisations.models import Organisation
from mosty.portal.forms import JoinForm


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
        style_fields(self)


class NetworkEditForm(VersionedForm, NetworkForm):
    pass


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
            .order_by(*by_name("name"))
        )
        style_fields(self)

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
    attendees = ModelMultipleChoiceField(
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
        style_fields(self)


class MeetingEditForm(VersionedForm, MeetingForm):
    pass


class DocumentForm(StyledForm, forms.ModelForm):
    class Meta:
        model = NetworkDocument
        fields = ["title", "file", "url"]
        help_texts = {"url": _("Give a file or a link, not both.")}

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise forms.ValidationError(MESSAGES["file_or_link"])
        return cleaned

    def _post_clean(self):
        # The service validates the model (and its file-or-link constraint) on save.
        pass


class InvitationForm(StyledForm):
    """A coordinator invites one person by e-mail, whether or not they have an account."""

    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role in the network"), choices=NetworkRole.choices, initial=NetworkRole.MEMBER
    )
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)


class InvitationAccountForm(StyledForm, JoinForm):
    """The invited person's new account: the address is the invitation's, the rest theirs
    (the password fields and their check are the portal's join form's)."""

    code = None  # type: ignore[assignment]
    email = None  # type: ignore[assignment]
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    field_order = ["first_name", "last_name", "password1", "password2"]
