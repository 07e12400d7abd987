from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mosty.access.audit import audit_read
from mosty.access.policy import can, require
from mosty.accounts.services import member_invite, membership_end
from mosty.core.forms import add_service_errors
from mosty.core.pagination import paginate, query_without_page
from mosty.organisations import selectors, services
from mosty.organisations.forms import MemberInviteForm, OrganisationFilterForm, OrganisationForm


@login_required
def organisation_list(request):
    require(request.user, "organisation.list")
    filters = OrganisationFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    page = paginate(request, selectors.organisation_list(fetched_by=request.user, filters=cleaned))
    return render(
        request,
        "organisations/organisation_list.html",
        {"page": page, "filters": filters, "querystring": query_without_page(request)},
    )


@login_required
def organisation_create(request):
    require(request.user, "organisation.create")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Organisation created."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/organisation_form.html", {"form": form})


@login_required
def organisation_detail(request, pk: int):
    organisation = selectors.organisation_get(fetched_by=request.user, pk=pk)
    require(request.user, "organisation.view", organisation)
    return render(request, "organisations/organisation_detail.html", {"organisation": organisation})


@login_required
def organisation_edit(request, pk: int):
    organisation = selectors.organisation_get(fetched_by=request.user, pk=pk)
    require(request.user, "organisation.change", organisation)
    form = OrganisationForm(
        request.POST or None,
        instance=organisation,
        can_deactivate=can(request.user, "organisation.create"),
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        # Reload: ModelForm validation already wrote the values onto the instance.
        fresh = selectors.organisation_get(fetched_by=request.user, pk=pk)
        try:
            services.organisation_update(organisation=fresh, by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("organisations:detail", pk=pk)
    return render(
        request,
        "organisations/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


@login_required
def organisation_members(request, pk: int):
    organisation = selectors.organisation_get(fetched_by=request.user, pk=pk)
    require(request.user, "organisation.manage_members", organisation)
    form = MemberInviteForm(
        request.POST or None,
        can_grant_admin=can(request.user, "membership.grant_admin"),
        initial={"language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            member_invite(organisation=organisation, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Member added."))
            return redirect("organisations:members", pk=pk)
    page = paginate(request, selectors.organisation_members(organisation=organisation))
    audit_read(request.user, organisation, fields=["members"])
    return render(
        request,
        "organisations/organisation_members.html",
        {"organisation": organisation, "page": page, "form": form},
    )


@login_required
@require_POST
def membership_deactivate(request, pk: int):
    membership = selectors.membership_get(fetched_by=request.user, pk=pk)
    membership_end(membership=membership, by=request.user)
    messages.success(request, _("Membership ended."))
    return redirect("organisations:members", pk=membership.organisation_id)
