"""Thematic networks: the public page, members' pages, meetings and documents."""

from typing import Any, ClassVar

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import redirect
from django.urls import reverse

from mosty.access.audit import audit_read
from mosty.access.domains.networks import network_coordinator_choices
from mosty.access.policy import can
from mosty.core.pages import ActionPage, DetailPage, FormPage, ObjectPage, ShowPage, SimpleFormPage
from mosty.core.routing import Routes
from mosty.directory.network_forms import MESSAGES, DocumentForm, MemberInviteForm, NetworkForm
from mosty.organisations import network_selectors as selectors
from mosty.organisations import network_services as services
from mosty.organisations.forms import MeetingEditForm, NetworkEditForm
from mosty.organisations.models import Network, NetworkMeeting

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


@routes.path("new/", name="create")
class NetworkCreate(SimpleFormPage):
    permission = "network.create"
    form_class = NetworkForm
    success_message = MESSAGES["created"]
    create_title = MESSAGES["new_network"]
    edit_title = MESSAGES["edit_network"]
    cancel_detail = "networks:detail"
    cancel_list = "networks:list"

    def form_kwargs(self) -> dict[str, Any]:
        return {"organisations": network_coordinator_choices(self.user)}

    def save(self, form: Any) -> Network:
        return services.network_create(by=self.user, **form.cleaned_data)

    def success_url(self, network: Network) -> str:
        return reverse("networks:detail", args=[network.pk])


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
class NetworkMembers(NetworkPage, FormPage):
    """The members with their contacts, and the form that invites one."""

    permission = "network.manage"
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

    def success_url(self, membership: Any) -> str:
        return reverse("networks:members", args=[self.object.pk])

    def extra_context(self) -> dict[str, Any]:
        return {"members": selectors.network_members(network=self.object)}


@routes.path("members/<int:pk>/remove/", name="member_remove")
class NetworkMemberRemove(ActionPage):
    permission = "network.manage"
    success_message = MESSAGES["member_removed"]
    selector = selectors.network_membership_get

    def permission_target(self) -> Any:
        return self.object.network

    def act(self, form: Any) -> None:
        services.network_member_remove(membership=self.object, by=self.user)

    def success_url(self, result: Any) -> str:
        return reverse("networks:members", args=[self.object.network_id])


@routes.path("<int:pk>/meetings/new/", name="meeting_create")
class MeetingCreate(NetworkPage, FormPage):
    permission = "network.manage"
    template_name = "networks/meeting_form.html"
    form_class = MeetingEditForm
    success_message = MESSAGES["meeting_saved"]

    def network(self) -> Any:
        return self.object

    def form_kwargs(self) -> dict[str, Any]:
        return {"network": self.network()}

    def save(self, form: Any) -> NetworkMeeting:
        return services.network_meeting_save(
            network=self.network(), by=self.user, **form.cleaned_data
        )

    def success_url(self, meeting: NetworkMeeting) -> str:
        return reverse("networks:meeting", args=[meeting.pk])


class MeetingPage(ObjectPage):
    """Pages about one meeting of a network the user may see; asked about the network."""

    context_object_name = "meeting"
    selector = selectors.network_meeting_get

    def permission_target(self) -> Any:
        return self.object.network


@routes.path("meetings/<int:pk>/", name="meeting")
class MeetingDetail(MeetingPage, DetailPage):
    permission = "network.view"
    template_name = "networks/meeting_detail.html"

    def extra_context(self) -> dict[str, Any]:
        return {"may_manage": can(self.user, "network.manage", self.object.network)}


@routes.path("meetings/<int:pk>/edit/", name="meeting_edit")
class MeetingEdit(MeetingPage, MeetingCreate):
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
class DocumentShare(NetworkPage, FormPage):
    permission = "network.manage"
    template_name = "networks/document_form.html"
    form_class = DocumentForm
    success_message = MESSAGES["document_shared"]

    def save(self, form: Any) -> Any:
        return services.network_document_share(
            network=self.object,
            by=self.user,
            title=form.cleaned_data["title"],
            file=form.cleaned_data.get("file"),
            url=form.cleaned_data.get("url") or "",
        )

    def success_url(self, document: Any) -> str:
        return reverse("networks:detail", args=[self.object.pk])


@routes.path("documents/<int:pk>/", name="document")
class DocumentDownload(DetailPage):
    """Files are served only to members (they are not under a public media URL)."""

    permission = "network.view"
    selector = selectors.network_document_get

    def permission_target(self) -> Any:
        return self.object.network

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        document = self.object
        if document.url:
            return redirect(document.url)
        if not document.file:
            raise Http404
        audit_read(request.user, document, fields=["file"])
        return FileResponse(document.file.open("rb"), as_attachment=True)
