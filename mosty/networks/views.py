"""Thematic networks: the public page, members' pages, meetings, documents and invitations."""

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language

from mosty.access.audit import audit_read
from mosty.access.domains.networks import network_coordinator_choices
from mosty.access.policy import can
from mosty.accounts.models import User
from mosty.core.pages import (
    ActionPage,
    DetailPage,
    FormPage,
    ObjectPage,
    ShowPage,
    SimpleFormPage,
    public_form_saved,
)
from mosty.core.routing import Routes
from mosty.networks import selectors, services
from mosty.networks.forms import (
    DocumentForm,
    InvitationAccountForm,
    InvitationForm,
    MeetingEditForm,
    MemberInviteForm,
    NetworkEditForm,
    NetworkForm,
)
from mosty.networks.models import (
    INVITATION_DAYS,
    InvitationState,
    Network,
    NetworkInvitation,
    NetworkMeeting,
)
from mosty.networks.texts import MESSAGES

routes = Routes()

# What the members' pages show of each member (contacts of organisations and people).
MEMBER_FIELDS = ("members.contacts",)


@routes.path("public/", name="public_list")
class NetworkPublicList(ShowPage):
    public = True
    permission = "network.public_list"
    template_name = "networks/network_public_list.html"

    def extra_context(self) -> dict[str, Any]:
        return {"networks": selectors.network_public_list()}


@routes.path("public/<slug:slug>/", name="public")
class NetworkPublic(DetailPage):
    public = True
    permission = "network.view_public"
    template_name = "networks/network_public.html"
    context_object_name = "network"

    def get_object(self) -> Network:
        return selectors.network_public_get(slug=self.kwargs["slug"])


@routes.path("", name="list")
class NetworkList(ShowPage):
    permission = "network.list"
    template_name = "networks/network_list.html"

    def extra_context(self) -> dict[str, Any]:
        return {
            "networks": selectors.network_list(fetched_by=self.user),
            "public_networks": selectors.network_public_list(),
        }


class NetworkPage(ObjectPage):
    """Pages about one network the user may see (404 otherwise)."""

    context_object_name = "network"
    selector: ClassVar[Any] = selectors.network_get


class NetworkManageForm(NetworkPage, FormPage):
    """A manager's form on one of a network's pages; back to that page (`object_detail`)."""

    permission = "network.manage"


class NetworkPartPage(ObjectPage):
    """Pages about a record of a network (a membership, meeting, document, invitation): the
    policy is asked about the network it belongs to."""

    owner = "network"


class NetworkPartAction(NetworkPartPage, ActionPage):
    """A manager's action on a record of a network; back to the network's page
    `owner_detail`."""

    permission = "network.manage"


@routes.path("new/", name="create")
class NetworkCreate(SimpleFormPage):
    permission = "network.create"
    form_class = NetworkForm
    success_message = MESSAGES["created"]
    create_title = MESSAGES["new_network"]
    edit_title = MESSAGES["edit_network"]
    success_detail = "networks:detail"
    cancel_detail = "networks:detail"
    cancel_list = "networks:list"

    def form_kwargs(self) -> dict[str, Any]:
        return {"organisations": network_coordinator_choices(self.user)}

    def save(self, form: Any) -> Network:
        return services.network_create(by=self.user, **form.cleaned_data)


@routes.path("<int:pk>/", name="detail")
class NetworkDetail(NetworkPage, DetailPage):
    permission = "network.view"
    template_name = "networks/network_detail.html"
    read_fields = MEMBER_FIELDS

    def extra_context(self) -> dict[str, Any]:
        network = self.object
        return {
            "members": selectors.network_members(network=network),
            "meetings": selectors.network_meetings(network=network)[:20],
            "documents": selectors.network_documents(network=network)[:50],
            "may_manage": can(self.user, "network.manage", network),
        }


@routes.path("<int:pk>/edit/", name="edit")
class NetworkEdit(NetworkPage, NetworkCreate):
    permission = "network.manage"
    form_class = NetworkEditForm
    success_message = MESSAGES["saved"]

    def form_kwargs(self) -> dict[str, Any]:
        return {"instance": self.object}

    def save(self, form: Any) -> Network:
        # A fresh copy: ModelForm validation already wrote the values onto `self.object`.
        return services.network_update(network=self.get_object(), by=self.user, **form.cleaned_data)


@routes.path("<int:pk>/members/", name="members")
class NetworkMembers(NetworkManageForm):
    """The members with their contacts, and the form that invites one."""

    object_detail = "networks:members"
    template_name = "networks/network_members.html"
    form_class = MemberInviteForm
    success_message = MESSAGES["member_added"]
    read_fields = MEMBER_FIELDS

    def form_kwargs(self) -> dict[str, Any]:
        return {"network": self.object}

    def save(self, form: Any) -> Any:
        return services.network_member_add(
            network=self.object,
            by=self.user,
            organisation=form.cleaned_data.get("organisation"),
            user=form.cleaned_data.get("user"),
        )

    def extra_context(self) -> dict[str, Any]:
        return {"members": selectors.network_members(network=self.object)}


@routes.path("members/<int:pk>/remove/", name="member_remove")
class NetworkMemberRemove(NetworkPartAction):
    success_message = MESSAGES["member_removed"]
    selector = selectors.network_membership_get
    service = services.network_member_remove
    object_kwarg = "membership"
    owner_detail = "networks:members"


@routes.path("<int:pk>/meetings/new/", name="meeting_create")
class MeetingCreate(NetworkPage, FormPage):
    permission = "network.manage"
    template_name = "networks/meeting_form.html"
    form_class = MeetingEditForm
    success_detail = "networks:meeting"

    def network(self) -> Any:
        return self.object

    def form_kwargs(self) -> dict[str, Any]:
        return {"network": self.network()}

    def save(self, form: Any) -> NetworkMeeting:
        try:
            meeting = services.network_meeting_save(
                network=self.network(), by=self.user, **form.cleaned_data
            )
        except services.AlreadyRecorded as exc:
            # Posted twice: the meeting recorded first is shown, said so.
            assert isinstance(exc.record, NetworkMeeting)
            messages.info(self.request, " ".join(exc.messages))
            return exc.record
        messages.success(self.request, str(MESSAGES["meeting_saved"]))
        return meeting


class MeetingPage(NetworkPartPage):
    """Pages about one meeting of a network the user may see; asked about the network."""

    context_object_name = "meeting"
    selector = selectors.network_meeting_get


@routes.path("meetings/<int:pk>/", name="meeting")
class MeetingDetail(MeetingPage, DetailPage):
    permission = "network.view"
    template_name = "networks/meeting_detail.html"

    def extra_context(self) -> dict[str, Any]:
        return {"may_manage": can(self.user, "network.manage", self.object.network)}


@routes.path("meetings/<int:pk>/edit/", name="meeting_edit")
class MeetingEdit(MeetingPage, MeetingCreate):
    success_message = MESSAGES["meeting_saved"]

    def network(self) -> Any:
        return self.object.network

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "instance": self.object}

    def save(self, form: Any) -> NetworkMeeting:
        return services.network_meeting_save(
            network=self.network(), by=self.user, meeting=self.object, **form.cleaned_data
        )

    def extra_context(self) -> dict[str, Any]:
        return {"network": self.network()}


@routes.path("<int:pk>/documents/new/", name="document_share")
class DocumentShare(NetworkManageForm):
    object_detail = "networks:detail"
    template_name = "networks/document_form.html"
    form_class = DocumentForm

    def save(self, form: Any) -> Any:
        try:
            document = services.network_document_share(
                network=self.object,
                by=self.user,
                title=form.cleaned_data["title"],
                file=form.cleaned_data.get("file"),
                url=form.cleaned_data.get("url") or "",
            )
        except services.AlreadyRecorded as exc:
            # Posted twice: shared once, and said so on the network's page.
            messages.info(self.request, " ".join(exc.messages))
            return exc.record
        messages.success(self.request, str(MESSAGES["document_shared"]))
        return document


@routes.path("documents/<int:pk>/", name="document")
class DocumentDownload(NetworkPartPage, DetailPage):
    """Files are served only to members (they are not under a public media URL)."""

    permission = "network.view"
    selector = selectors.network_document_get

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        document = self.object
        if document.url:
            return redirect(document.url)
        if not document.file:
            raise Http404
        audit_read(request.user, document, fields=["file"])
        return FileResponse(document.file.open("rb"), as_attachment=True)


# Invitations of people by e-mail ------------------------------------------------------------


@routes.path("<int:pk>/invitations/", name="invitations")
class NetworkInvitations(NetworkManageForm):
    """Invite a person by e-mail (with an account or not); the invitations still waiting."""

    object_detail = "networks:invitations"
    template_name = "networks/invitations.html"
    form_class = InvitationForm
    read_fields = ("invitations.email",)

    def initial(self) -> dict[str, Any]:
        return {"language": get_language()}

    def save(self, form: Any) -> NetworkInvitation:
        invitation, _token = services.network_invitation_create(
            network=self.object,
            by=self.user,
            base_url=self.request.build_absolute_uri("/"),
            **form.cleaned_data,
        )
        messages.success(self.request, MESSAGES["invitation_sent"] % {"email": invitation.email})
        return invitation

    def extra_context(self) -> dict[str, Any]:
        return {
            "invitations": selectors.network_invitations_pending(network=self.object),
            "invitation_days": INVITATION_DAYS,
        }


@routes.path("invitations/<int:pk>/revoke/", name="invitation_revoke")
class NetworkInvitationRevoke(NetworkPartAction):
    success_message = MESSAGES["invitation_revoked"]
    selector = selectors.network_invitation_get
    service = services.network_invitation_revoke
    object_kwarg = "invitation"
    owner_detail = "networks:invitations"


# What a link that no longer works says, and with which status.
_CLOSED = {
    InvitationState.ACCEPTED: ("link_used", 410),
    InvitationState.REVOKED: ("link_revoked", 410),
    InvitationState.EXPIRED: ("link_expired", 410),
}


@routes.path("invitations/accept/<str:token>/", name="invitation_accept")
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page of the invitation link. The link is the permission: a visitor without an
    account creates one with the invited address; one with an account logs in first; a person
    logged in with another address is told so, and nothing is written."""
    invitation = selectors.invitation_by_token(token)
    template = "networks/invitation_accept.html"
    if invitation is None:
        return render(request, template, {"problem": MESSAGES["link_unknown"]}, status=404)
    if invitation.state in _CLOSED:
        key, status = _CLOSED[invitation.state]
        return render(request, template, {"problem": MESSAGES[key]}, status=status)
    context: dict[str, Any] = {"invitation": invitation, "network": invitation.network}
    user = request.user
    if user.is_authenticated:
        if (user.email or "").lower() != invitation.email.lower():
            return render(request, template, {**context, "problem": MESSAGES["wrong_person"]})
        if request.method == "POST":
            try:
                services.network_invitation_accept(token=token, user=user)
            except ValidationError as exc:
                return render(request, template, {**context, "problem": " ".join(exc.messages)})
            messages.success(request, MESSAGES["joined"] % {"network": invitation.network.name})
            return redirect("networks:detail", invitation.network_id)
        return render(request, template, {**context, "may_accept": True})
    if User.objects.filter(email__iexact=invitation.email).exists():
        login_url = reverse("account_login") + "?" + urlencode({"next": request.path})
        return render(request, template, {**context, "login_url": login_url})
    form = InvitationAccountForm(request.POST or None)
    if public_form_saved(
        request,
        form,
        limit="network_invitation",
        save=lambda data: services.network_invitation_accept_new(
            token=token,
            first_name=data["first_name"],
            last_name=data.get("last_name") or "",
            password=data["password1"],
        ),
        success=MESSAGES["account_ready"],
    ):
        return redirect("account_login")
    return render(request, template, {**context, "form": form})
