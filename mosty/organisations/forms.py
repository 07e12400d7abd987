from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mosty.accounts.models import Role
from mosty.core.collation import by_name
from mosty.core.forms import LanguagesField, StyledForm
from mosty.core.models import District
from mosty.core.pages import VersionedForm
from mosty.organisations.models import PROFILE_FIELDS, Organisation, OrganisationKind


class OrganisationForm(VersionedForm, forms.ModelForm):
    languages = LanguagesField(label=_("Languages spoken"))

    class Meta:
        model = Organisation
        fields = PROFILE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, can_deactivate: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.order_by(*by_name("name"))
        if not can_deactivate:
            del self.fields["is_active"]


class MemberInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    language = forms.ChoiceField(label=_("Preferred language"))

    def __init__(self, *args, can_grant_admin: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
        if not can_grant_admin:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.ADMIN]


class OrganisationFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrganisationKind.choices]
    )
