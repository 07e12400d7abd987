"""Organisation pages: the list, the profile, its editing and its members."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mosty.access.policy import can
from mosty.accounts.services import member_invite, membership_end
from mosty.core.pages import ActionPage, DetailPage, FormPage, ListPage, ObjectPage, SimpleFormPage
from mosty.core.pagination import paginate
from mosty.core.routing import Routes
from mosty.organisations import selectors, services
from mosty.organisations.forms import MemberInviteForm, OrganisationFilterForm, OrganisationForm
from mosty.organisations.models import Organisation

routes = Routes()


class OrganisationPage(ObjectPage):
    """Pages about one organisation the user may see (404 otherwise)."""

    context_object_name = "organisation"
    selector = selectors.organisation_get


@routes.path("", name="list")
class OrganisationList(ListPage):
    permission = "organisation.list"
    template_name = "organisations/organisation_list.html"
    title = _("Organisations")
    filter_form = OrganisationFilterForm
    selector = selectors.organisation_list


@routes.path("<int:pk>/", name="detail")
class OrganisationDetail(OrganisationPage, DetailPage):
    permission = "organisation.view"
    template_name = "organisations/organisation_detail.html"


@routes.path("new/", name="create")
class OrganisationCreate(SimpleFormPage):
    permission = "organisation.create"
    form_class = OrganisationForm
    success_message = _("Organisation created.")
    success_detail = "organisations:detail"
    create_title = _("New organisation")
    edit_title = _("Edit organisation")
    cancel_detail = "organisations:detail"
    cancel_list = "organisations:list"
    service = services.organisation_create


@routes.path("<int:pk>/edit/", name="edit")
class OrganisationEdit(OrganisationPage, OrganisationCreate):
    permission = "organisation.change"
    success_message = _("Changes saved.")

    def form_kwargs(self) -> dict[str, Any]:
        return {"instance": self.object, "can_deactivate": can(self.user, "organisation.create")}

    def save(self, form: Any) -> Organisation:
        data = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
        # A fresh copy: ModelForm validation already wrote the values onto `self.object`.
        fresh = self.get_object()
        return services.organisation_update(
            organisation=fresh, by=self.user, version=form.cleaned_data["version"], **data
        )


@routes.path("<int:pk>/members/", name="members")
class OrganisationMembers(OrganisationPage, FormPage):
    """The members with their roles, and the form that adds one."""

    permission = "organisation.manage_members"
    template_name = "organisations/organisation_members.html"
    form_class = MemberInviteForm
    success_message = _("Member added.")
    object_detail = "organisations:members"
    read_fields = ("members",)

    def initial(self) -> dict[str, Any]:
        return {"language": self.request.LANGUAGE_CODE}

    def form_kwargs(self) -> dict[str, Any]:
        return {"can_grant_admin": can(self.user, "membership.grant_admin")}

    def save(self, form: Any) -> Any:
        return member_invite(organisation=self.object, by=self.user, **form.cleaned_data)

    def extra_context(self) -> dict[str, Any]:
        members = selectors.organisation_members(organisation=self.object)
        return {"page": paginate(self.request, members)}


@routes.path("memberships/<int:pk>/end/", name="membership_end")
class MembershipEnd(ActionPage):
    success_message = _("Membership ended.")
    selector = selectors.membership_get
    service = membership_end
    object_kwarg = "membership"

    def success_url(self, result: Any) -> str:
        return reverse("organisations:members", args=[self.object.organisation_id])
