from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mosty.accounts.models import Grant, Membership, Role, User
from mosty.accounts.services import USER_FIELDS
from mosty.core.collation import by_name
from mosty.core.forms import SearchModelChoiceField, StyledForm
from mosty.organisations.models import Organisation


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = USER_FIELDS
        widgets = {"language": forms.Select(choices=settings.LANGUAGES)}

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        clash = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("A user with this e-mail address already exists."))
        return email


class MembershipAddForm(forms.Form):
    # A city office sees thousands of organisations: the select lists those matching a search.
    organisation = SearchModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class UserFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )


class GrantChangeForm(forms.Form):
    """One press of a grant/revoke button on the grant page."""

    membership = forms.ModelChoiceField(label=_("Membership"), queryset=Membership.objects.none())
    grant = forms.ChoiceField(label=_("Grant"), choices=Grant.choices)
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("add", pgettext_lazy("verb", "Grant")), ("remove", _("Revoke"))],
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = (
            Membership.objects.filter(user=person, is_active=True)
            .select_related("organisation")
            .order_by(*by_name("organisation__name"), "role")
        )
