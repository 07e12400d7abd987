from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mosty.access.domains.organisations import visible_organisations
from mosty.access.policy import can, require
from mosty.accounts import selectors, services
from mosty.accounts.authentication import token_expires_at, token_is_expired
from mosty.accounts.forms import GrantChangeForm, MembershipAddForm, UserFilterForm, UserForm
from mosty.accounts.models import User
from mosty.accounts.services import USER_FIELDS
from mosty.core.collation import by_name
from mosty.core.pages import DetailPage, FormPage, ListPage, ObjectPage, SimpleFormPage
from mosty.core.routing import Routes

routes = Routes()


@routes.path("users/", name="user_list")
class UserList(ListPage):
    permission = "user.list"
    template_name = "accounts/user_list.html"
    title = gettext_lazy("Users")
    filter_form = UserFilterForm
    selector = selectors.user_list


@routes.path("users/new/", name="user_create")
class UserCreate(SimpleFormPage):
    permission = "user.create"
    form_class = UserForm
    success_message = gettext_lazy(
        "User created. Add a membership so they can work in an organisation."
    )
    success_detail = "accounts:user_detail"
    create_title = gettext_lazy("New user")
    edit_title = gettext_lazy("Edit user")
    cancel_detail = "accounts:user_detail"
    cancel_list = "accounts:user_list"

    def initial(self):
        return {"language": self.request.LANGUAGE_CODE, "is_active": True}

    def save(self, form):
        # A new account is active; the checkbox matters only when editing.
        data = {k: v for k, v in form.cleaned_data.items() if k != "is_active"}
        return services.user_create(by=self.user, **data)


def _member_organisations(user):
    return visible_organisations(user).order_by(*by_name("name"))


class PersonPage(ObjectPage):
    """A page about one user account this user may see (404 otherwise)."""

    context_object_name = "person"
    selector = selectors.user_get

    def success_url(self, result):
        return reverse("accounts:user_detail", args=[self.object.pk])


@routes.path("users/<int:pk>/", name="user_detail")
class UserDetail(PersonPage, DetailPage):
    permission = "user.view"
    template_name = "accounts/user_detail.html"
    read_fields = USER_FIELDS

    def extra_context(self):
        return {"may_add_membership": can(self.user, "user.change", self.object)}


@routes.path("users/<int:pk>/edit/", name="user_edit")
class UserEdit(PersonPage, UserCreate):
    permission = "user.change"
    success_message = gettext_lazy("Changes saved.")
    read_fields = USER_FIELDS

    def initial(self):
        return {}

    def form_kwargs(self):
        return {"instance": self.object}

    def save(self, form):
        # The form has written its values onto `self.object`: the service gets the stored row
        # and only what changed, so the audit names exactly the changed fields.
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        return services.user_update(user=self.get_object(), by=self.user, **changes)


@routes.path("users/<int:pk>/memberships/new/", name="user_membership_add")
class UserMembershipAdd(PersonPage, FormPage):
    permission = "user.change"
    template_name = "accounts/membership_form.html"
    form_class = MembershipAddForm
    success_message = gettext_lazy("Membership added.")
    service = services.membership_add
    object_kwarg = "user"

    def form_kwargs(self):
        return {"organisations": _member_organisations(self.user)}


@routes.path("users/<int:pk>/grants/", name="user_grants")
@login_required
def user_grants(request, pk: int):
    """An administrator gives or takes the sensitive-data and audit-log grants."""
    require(request.user, "grant.list")
    person = selectors.user_get(fetched_by=request.user, pk=pk)
    status = 200
    if request.method == "POST":
        form = GrantChangeForm(request.POST, person=person)
        if form.is_valid():
            change = (
                services.membership_grant_add
                if form.cleaned_data["action"] == "add"
                else services.membership_grant_remove
            )
            try:
                change(
                    membership=form.cleaned_data["membership"],
                    grant=form.cleaned_data["grant"],
                    by=request.user,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("accounts:user_grants", pk=pk)
        else:
            messages.error(request, _("Choose one of this person's memberships and a grant."))
        status = 400
    rows = selectors.membership_grant_rows(fetched_by=request.user, person=person)
    return render(
        request, "accounts/user_grants.html", {"person": person, "rows": rows}, status=status
    )


@routes.path("grants/", name="grant_list")
class GrantList(ListPage):
    permission = "grant.list"
    template_name = "accounts/grant_list.html"
    title = gettext_lazy("Grants")
    selector = selectors.membership_grant_list
    filtered = False


@routes.path("account/api-token/", name="api_token")
@login_required
def api_token(request):
    require(request.user, "api_token.manage")
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.api_token_revoke(user=request.user)
            messages.success(request, _("Your API token was revoked."))
            return redirect("accounts:api_token")
        token = services.api_token_regenerate(user=request.user)
        messages.success(
            request, _("A new API token was created. Copy it now: it is shown only once.")
        )
    current = token or selectors.api_token_of(user=request.user)
    return render(
        request,
        "accounts/api_token.html",
        {
            "token": token,
            "has_token": current is not None,
            "expires_at": token_expires_at(current) if current else None,
            "expired": token_is_expired(current) if current else False,
        },
    )


@routes.path("api-tokens/", name="api_token_list")
class ApiTokenList(ListPage):
    """Every API token of the installation; an administrator revokes any of them."""

    permission = "api_token.list"
    template_name = "accounts/api_token_list.html"
    title = gettext_lazy("API tokens")
    selector = selectors.api_token_list
    filtered = False

    def page_context(self, page):
        rows = [
            {"token": t, "expires_at": token_expires_at(t), "expired": token_is_expired(t)}
            for t in page
        ]
        return {"rows": rows, "settings_days": settings.MOSTY_API_TOKEN_DAYS}

    def post(self, request, *args, **kwargs):
        require(request.user, self.permission)
        owner = User.objects.filter(pk=request.POST.get("user") or 0).first()
        if owner is None or not services.api_token_revoke(user=owner, by=request.user):
            messages.error(request, _("This token no longer exists."))
        else:
            messages.success(request, _("The API token was revoked."))
        return redirect("accounts:api_token_list")
