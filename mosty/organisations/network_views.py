"""Thematic networks: the public page, members' pages, meetings and documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mosty.access.audit import audit_read
from mosty.access.domains.networks import network_coordinator_choices
from mosty.access.policy import can, require
from mosty.core.forms import add_service_errors
from mosty.directory.network_forms import (
    MESSAGES,
    DocumentForm,
    MeetingForm,
    MemberInviteForm,
    NetworkForm,
)
from mosty.organisations import network_selectors as selectors
from mosty.organisations import network_services as services


def network_public_list(request):
    require(request.user, "network.public_list")
    return render(
        request,
        "networks/network_public_list.html",
        {"networks": selectors.network_public_list()},
    )


def network_public(request, slug: str):
    network = selectors.network_public_get(slug=slug)
    require(request.user, "network.view_public", network)
    return render(request, "networks/network_public.html", {"network": network})


@login_required
def network_list(request):
    require(request.user, "network.list")
    return render(
        request,
        "networks/network_list.html",
        {
            "networks": selectors.network_list(fetched_by=request.user),
            "public_networks": selectors.network_public_list(),
        },
    )


@login_required
def network_create(request):
    require(request.user, "network.create")
    form = NetworkForm(
        request.POST or None, organisations=network_coordinator_choices(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            network = services.network_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MESSAGES["created"])
            return redirect("networks:detail", pk=network.pk)
    return render(request, "networks/network_form.html", {"form": form})


@login_required
def network_detail(request, pk: int):
    network = selectors.network_get(fetched_by=request.user, pk=pk)
    require(request.user, "network.view", network)
    members = selectors.network_members(network=network)
    audit_read(request.user, network, fields=["members.contacts"])
    return render(
        request,
        "networks/network_detail.html",
        {
            "network": network,
            "members": members,
            "meetings": selectors.network_meetings(network=network)[:20],
            "documents": selectors.network_documents(network=network)[:50],
            "may_manage": can(request.user, "network.manage", network),
        },
    )


@login_required
def network_edit(request, pk: int):
    network = selectors.network_get(fetched_by=request.user, pk=pk)
    require(request.user, "network.manage", network)
    form = NetworkForm(request.POST or None, instance=network)
    if request.method == "POST" and form.is_valid():
        fresh = selectors.network_get(fetched_by=request.user, pk=pk)
        try:
            services.network_update(network=fresh, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MESSAGES["saved"])
            return redirect("networks:detail", pk=pk)
    return render(request, "networks/network_form.html", {"form": form, "network": network})


@login_required
def network_members(request, pk: int):
    network = selectors.network_get(fetched_by=request.user, pk=pk)
    require(request.user, "network.manage", network)
    form = MemberInviteForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            services.network_member_add(
                network=network,
                by=request.user,
                organisation=form.cleaned_data.get("organisation"),
                user=form.cleaned_data.get("user"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MESSAGES["member_added"])
            return redirect("networks:members", pk=pk)
    members = selectors.network_members(network=network)
    audit_read(request.user, network, fields=["members.contacts"])
    return render(
        request,
        "networks/network_members.html",
        {"network": network, "form": form, "members": members},
    )


@login_required
@require_POST
def network_member_remove(request, pk: int):
    membership = selectors.network_membership_get(fetched_by=request.user, pk=pk)
    require(request.user, "network.manage", membership.network)
    try:
        services.network_member_remove(membership=membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, MESSAGES["member_removed"])
    return redirect("networks:members", pk=membership.network_id)


@login_required
def meeting_create(request, pk: int):
    network = selectors.network_get(fetched_by=request.user, pk=pk)
    require(request.user, "network.manage", network)
    form = MeetingForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.network_meeting_save(
                network=network, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MESSAGES["meeting_saved"])
            return redirect("networks:meeting", pk=meeting.pk)
    return render(request, "networks/meeting_form.html", {"form": form, "network": network})


@login_required
def meeting_detail(request, pk: int):
    meeting = selectors.network_meeting_get(fetched_by=request.user, pk=pk)
    require(request.user, "network.view", meeting.network)
    return render(
        request,
        "networks/meeting_detail.html",
        {"meeting": meeting, "may_manage": can(request.user, "network.manage", meeting.network)},
    )


@login_required
def meeting_edit(request, pk: int):
    meeting = selectors.network_meeting_get(fetched_by=request.user, pk=pk)
    require(request.user, "network.manage", meeting.network)
    form = MeetingForm(request.POST or None, instance=meeting, network=meeting.network)
    if request.method == "POST" and form.is_valid():
        try:
            services.network_meeting_save(
                network=meeting.network, by=request.user, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MESSAGES["meeting_saved"])
            return redirect("networks:meeting", pk=pk)
    return render(
        request,
        "networks/meeting_form.html",
        {"form": form, "network": meeting.network, "meeting": meeting},
    )


@login_required
def document_share(request, pk: int):
    network = selectors.network_get(fetched_by=request.user, pk=pk)
    require(request.user, "network.manage", network)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.network_document_share(
                network=network,
                by=request.user,
                title=form.cleaned_data["title"],
                file=form.cleaned_data.get("file"),
                url=form.cleaned_data.get("url") or "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MESSAGES["document_shared"])
            return redirect("networks:detail", pk=pk)
    return render(request, "networks/document_form.html", {"form": form, "network": network})


@login_required
def document_download(request, pk: int):
    """Files are served only to members (they are not under a public media URL)."""
    document = selectors.network_document_get(fetched_by=request.user, pk=pk)
    require(request.user, "network.view", document.network)
    if document.url:
        return redirect(document.url)
    if not document.file:
        raise Http404
    audit_read(request.user, document, fields=["file"])
    return FileResponse(document.file.open("rb"), as_attachment=True)
