from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mosty.access.audit import audit_read
from mosty.access.domains.organisations import visible_organisations
from mosty.access.policy import can, require
from mosty.accounts import selectors, services
from mosty.accounts.authentication import token_expires_at, token_is_expired
from mosty.accounts.forms import GrantChangeForm, MembershipAddForm, UserFilterForm, UserForm
from mosty.accounts.models import User
from mosty.accounts.services import USER_FIELDS
from mosty.core.forms import add_service_errors
from mosty.core.pagination import paginate, query_without_page


@login_required
def user_list(request):
    require(request.user, "user.list")
    filters = UserFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    page = paginate(request, selectors.user_list(fetched_by=request.user, filters=cleaned))
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "filters": filters, "querystring": query_without_page(request)},
    )


@login_required
def user_create(request):
    require(request.user, "user.create")
    form = UserForm(
        request.POST or None, initial={"language": request.LANGUAGE_CODE, "is_active": True}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "is_active"}
        try:
            user = services.user_create(by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("User created. Add a membership so they can work in an organisation.")
            )
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request, pk: int):
    person = selectors.user_get(fetched_by=request.user, pk=pk)
    require(request.user, "user.view", person)
    audit_read(request.user, person, fields=USER_FIELDS)
    form = None
    if can(request.user, "user.change", person):
        form = MembershipAddForm(organisations=visible_organisations(request.user).order_by("name"))
    return render(request, "accounts/user_detail.html", {"person": person, "membership_form": form})


@login_required
def user_edit(request, pk: int):
    person = selectors.user_get(fetched_by=request.user, pk=pk)
    require(request.user, "user.change", person)
    form = UserForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.user_update(
                user=selectors.user_get(fetched_by=request.user, pk=pk), by=request.user, **changes
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("accounts:user_detail", pk=pk)
    if request.method == "GET":
        audit_read(request.user, person, fields=USER_FIELDS)
    return render(request, "accounts/user_form.html", {"form": form, "person": person})


@login_required
def user_membership_add(request, pk: int):
    person = selectors.user_get(fetched_by=request.user, pk=pk)
    require(request.user, "user.change", person)
    form = MembershipAddForm(
        request.POST or None, organisations=visible_organisations(request.user).order_by("name")
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add(user=person, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Membership added."))
            return redirect("accounts:user_detail", pk=pk)
    return render(request, "accounts/membership_form.html", {"form": form, "person": person})


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


@login_required
def grant_list(request):
    require(request.user, "grant.list")
    page = paginate(request, selectors.membership_grant_list(fetched_by=request.user))
    return render(request, "accounts/grant_list.html", {"page": page})


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


@login_required
def api_token_list(request):
    """Every API token of the installation; an administrator revokes any of them."""
    require(request.user, "api_token.list")
    if request.method == "POST":
        owner = User.objects.filter(pk=request.POST.get("user") or 0).first()
        if owner is None or not services.api_token_revoke(user=owner, by=request.user):
            messages.error(request, _("This token no longer exists."))
        else:
            messages.success(request, _("The API token was revoked."))
        return redirect("accounts:api_token_list")
    page = paginate(request, selectors.api_token_list(fetched_by=request.user))
    rows = [
        {"token": t, "expires_at": token_expires_at(t), "expired": token_is_expired(t)}
        for t in page
    ]
    return render(
        request,
        "accounts/api_token_list.html",
        {"page": page, "rows": rows, "settings_days": settings.MOSTY_API_TOKEN_DAYS},
    )
