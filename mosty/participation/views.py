from __future__ import annotations

from itertools import groupby
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from mosty.access.audit import audit_read, audit_reads
from mosty.access.domains.participation import (
    group_host_organisations,
    idea_organisations,
    programme_organisations,
)
from mosty.access.policy import can, require
from mosty.core.forms import formset_values
from mosty.core.pages import (
    ActionPage,
    DetailPage,
    FormPage,
    ListPage,
    ObjectPage,
    SimpleFormPage,
    chosen_organisation,
)
from mosty.core.routing import Routes
from mosty.participation import selectors, services
from mosty.participation.forms import (
    AlertSubscribeForm,
    CallFilterForm,
    CallForm,
    CallTranslationFormSet,
    DocumentForm,
    GroupEditForm,
    GroupForm,
    GroupMeetingEditForm,
    GroupMeetingForm,
    GroupMemberEditForm,
    GroupMemberForm,
    IdeaAnswerForm,
    IdeaAssignForm,
    IdeaEditForm,
    IdeaFilterForm,
    IdeaForm,
    IdeaResultForm,
    MilestoneForm,
    OpinionPointForm,
    PointResponseForm,
    PolicyDocumentForm,
    ProgrammeFilterForm,
    ProgrammeForm,
    ProgrammeTranslationFormSet,
    SectionCommentForm,
    SupportForm,
)
from mosty.participation.models import Call, GroupKind, IdeaKind, IdeaStatus, Programme
from mosty.participation.tokens import (
    subscription_from_confirm_token,
    subscription_from_unsubscribe_token,
)

routes = Routes()


def _chosen_organisation(request: HttpRequest, organisations: Any) -> Any:
    """The organisation a new record is for (`chosen_organisation`); 404 when the user may
    act for none."""
    found = chosen_organisation(request, organisations)
    if found is None:
        raise Http404
    return found


def _alert_form(request: HttpRequest) -> AlertSubscribeForm:
    """The alert sign-up form shown beside the calls (posted to `AlertSubscribe`), in the
    page's language unless the visitor picks another."""
    return AlertSubscribeForm(initial={"language": request.LANGUAGE_CODE})


class _CreateFor(FormPage):
    """A create page of a record of one organisation among those the user may act for
    (`organisations(user)`, `?organisation=` chooses), saved by `service` and shown at
    `success_detail`."""

    organisations: Any

    @cached_property
    def organisation(self) -> Any:
        return _chosen_organisation(self.request, type(self).organisations(self.user))

    def save(self, form: Any) -> Any:
        service = type(self).service
        return service(organisation=self.organisation, by=self.user, **form.cleaned_data)


# --- public -------------------------------------------------------------------------------


@routes.path("", name="programme_list")
class ProgrammeList(ListPage):
    """The city's participation programmes, explained in the reader's language."""

    public = True
    permission = "civic_programme.browse"
    template_name = "participation/programme_list.html"
    filter_form = ProgrammeFilterForm
    selector = selectors.programme_list

    def extra_context(self) -> dict[str, Any]:
        return {
            "alert_form": _alert_form(self.request),
            "public_groups": selectors.group_public_list()[:20],
        }


@routes.path("<int:pk>/", name="programme_detail")
class ProgrammeDetail(DetailPage):
    public = True
    permission = "civic_programme.view"
    template_name = "participation/programme_detail.html"
    context_object_name = "programme"
    selector = selectors.programme_get

    def extra_context(self) -> dict[str, Any]:
        return {
            "calls": selectors.programme_calls(programme=self.object),
            "alert_form": _alert_form(self.request),
        }


@routes.path("calls/", name="call_list")
class CallList(ListPage):
    """The calendar of open and coming calls, by the month of their deadline."""

    public = True
    permission = "civic_programme.browse"
    template_name = "participation/call_list.html"
    filter_form = CallFilterForm
    selector = selectors.call_list

    def page_context(self, page: Any) -> dict[str, Any]:
        months = [
            (month, list(calls))
            for month, calls in groupby(page, key=lambda c: c.closes_on.replace(day=1))
        ]
        return {
            "months": months,
            "alert_form": _alert_form(self.request),
        }


@routes.path("calls/<int:pk>/", name="call_detail")
class CallDetail(DetailPage):
    public = True
    permission = "call.view"
    template_name = "participation/call_detail.html"
    context_object_name = "call"
    selector = selectors.call_get

    def extra_context(self) -> dict[str, Any]:
        return {
            "documents": selectors.call_documents(call=self.object),
            "voice": selectors.call_voice(call=self.object),
            "group_opinions": selectors.call_group_opinions(call=self.object),
            "is_open": self.object.is_open(),
        }


@routes.path("alerts/", name="alert_subscribe")
class AlertSubscribe(FormPage):
    """Sign up for alerts (double opt-in: the mail's link confirms); a visitor's form, so it
    counts against the client's allowance of public forms."""

    public = True
    permission = "alert.subscribe"
    template_name = "participation/alert_subscribe.html"
    form_class = AlertSubscribeForm
    public_limit = "participation_alert"
    success_message = gettext_lazy(
        "Thank you. We have sent a link to your address: open it to confirm, and the alerts will start."
    )
    success_list = "participation:call_list"

    def initial(self) -> dict[str, Any]:
        return {"language": self.request.LANGUAGE_CODE}

    def save(self, form: Any) -> Any:
        return services.alert_subscribe(
            email=form.cleaned_data["email"],
            language=form.cleaned_data["language"],
            base_url=self.request.build_absolute_uri("/"),
            by=_visitor(self.request),
        )


def _visitor(request: HttpRequest) -> Any:
    """Who acts on a public page: the signed-in user, or None for a visitor."""
    return request.user if request.user.is_authenticated else None


def _alert_token_page(
    request: HttpRequest, subscription: Any, *, action: str, service: Any, done: str, **context: Any
) -> HttpResponse:
    """A mailed link about an alert subscription: GET shows a button, POST does it (mail
    scanners that open links change nothing); an unknown or spoilt token is a 404."""
    if subscription is None:
        raise Http404
    if request.method == "POST":
        service(subscription=subscription, by=_visitor(request))
        messages.success(request, done)
        return redirect("participation:call_list")
    return render(request, "participation/alert_token.html", {"action": action, **context})


@routes.path("alerts/confirm/<str:token>/", name="alert_confirm")
def alert_confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscription = subscription_from_confirm_token(token)
    return _alert_token_page(
        request,
        subscription,
        action="confirm",
        service=services.alert_confirm,
        done=_("Your alerts are confirmed."),
        confirmed=subscription is not None and subscription.confirmed_at is not None,
    )


@routes.path("alerts/stop/<str:token>/", name="alert_unsubscribe")
def alert_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    return _alert_token_page(
        request,
        subscription_from_unsubscribe_token(token),
        action="unsubscribe",
        service=services.alert_unsubscribe,
        done=_("Your address is deleted; no more alerts will be sent."),
    )


# --- organisers ---------------------------------------------------------------------------


@routes.path("manage/", name="manage")
class ProgrammeManage(ListPage):
    permission = "civic_programme.manage_list"
    template_name = "participation/manage.html"
    title = gettext_lazy("Participation programmes")
    selector = selectors.programme_managed_list
    filtered = False


class _TranslatedFormPage(FormPage):
    """A record's form with its translations formset (`formset_class`), on one template: the
    create page of a record under a `parent` (the organisation of a programme, the programme of
    a call), saved by `create_service(<parent_name>=parent, ...)`. Its edit twin adds
    `_TranslatedEdit`."""

    template_name = "participation/translated_form.html"
    formset_class: Any
    texts: list[str]
    parent_name: str
    create_service: Any
    create_title: Any = ""

    @property
    def parent(self) -> Any:
        raise NotImplementedError

    def instance(self) -> Any:
        raise NotImplementedError

    def form_kwargs(self) -> dict[str, Any]:
        return {"instance": self.instance()}

    def initial(self) -> dict[str, Any]:
        return {"version": self.object.version} if self.object is not None else {}

    def get_form(self) -> Any:
        form = super().get_form()
        data = self.request.POST if self.request.method == "POST" else None
        form.formsets = (self.formset_class(data, instance=form.instance, prefix="tr"),)
        return form

    def respond(self, context: dict[str, Any]) -> HttpResponse:
        heading = self.object.title if self.object is not None else self.create_title
        return super().respond(
            {
                **context,
                "translations": context["form"].formsets[0],
                "heading": heading,
                self.parent_name: self.parent,
            }
        )

    def form_data(self, form: Any) -> dict[str, Any]:
        data = dict(form.cleaned_data)
        data["translations"] = formset_values(form.formsets[0], ["language", *self.texts])
        return data

    def save(self, form: Any) -> Any:
        data = self.form_data(form)
        data.pop("version", None)
        service = type(self).create_service
        return service(**{self.parent_name: self.parent}, by=self.user, **data)


class _TranslatedEdit(_TranslatedFormPage):
    """The edit page of a translated record: found by `selector` (the records this user
    manages), saved by `update_service` with the form's `version` (a stale one is an edit
    conflict, shown above the form)."""

    update_service: Any

    @property
    def parent(self) -> Any:
        return getattr(self.object, self.parent_name)

    def instance(self) -> Any:
        return self.object

    def save(self, form: Any) -> Any:
        # Reload: ModelForm validation already wrote the values onto `self.object`.
        fresh = type(self).selector(fetched_by=self.user, pk=self.object.pk)
        service = type(self).update_service
        return service(**{self.context_object_name: fresh}, by=self.user, **self.form_data(form))


class _ProgrammeForm(_TranslatedFormPage):
    form_class = ProgrammeForm
    formset_class = ProgrammeTranslationFormSet
    texts = services.PROGRAMME_TEXTS
    parent_name = "organisation"
    context_object_name = "programme"
    success_detail = "participation:programme_detail"
    success_message = gettext_lazy("The programme is saved.")


@routes.path("manage/new/", name="programme_create")
class ProgrammeCreate(_ProgrammeForm):
    permission = "civic_programme.create"
    create_service = services.programme_create
    create_title = gettext_lazy("New programme")

    @cached_property
    def parent(self) -> Any:
        return _chosen_organisation(self.request, programme_organisations(self.user))

    def instance(self) -> Programme:
        return Programme(organisation=self.parent, source_language=self.request.LANGUAGE_CODE)


@routes.path("manage/<int:pk>/edit/", name="programme_edit")
class ProgrammeEdit(_TranslatedEdit, _ProgrammeForm):
    permission = "civic_programme.change"
    selector = selectors.programme_managed_get
    update_service = services.programme_update


class _CallForm(_TranslatedFormPage):
    form_class = CallForm
    formset_class = CallTranslationFormSet
    texts = services.CALL_TEXTS
    parent_name = "programme"
    context_object_name = "call"
    success_detail = "participation:call_detail"
    success_message = gettext_lazy("The call is saved.")


@routes.path("manage/<int:pk>/calls/new/", name="call_create")
class CallCreate(_CallForm):
    permission = "civic_programme.change"
    create_service = services.call_create
    create_title = gettext_lazy("New call")

    @cached_property
    def parent(self) -> Programme:
        return selectors.programme_managed_get(fetched_by=self.user, pk=self.kwargs["pk"])

    def permission_target(self) -> Any:
        return self.parent

    def instance(self) -> Call:
        return Call(programme=self.parent, source_language=self.parent.source_language)


@routes.path("manage/calls/<int:pk>/edit/", name="call_edit")
class CallEdit(_TranslatedEdit, _CallForm):
    permission = "call.change"
    selector = selectors.call_managed_get
    update_service = services.call_update


# --- consultations: documents and the organiser's answers ---------------------------------


@routes.path("manage/calls/<int:pk>/documents/new/", name="call_document_add")
class CallDocumentAdd(SimpleFormPage):
    permission = "call.change"
    template_name = "participation/call_document_form.html"
    edit_title = gettext_lazy("Add a document")
    form_class = DocumentForm
    context_object_name = "call"
    success_message = gettext_lazy("The document is added.")
    selector = selectors.call_managed_get
    service = services.call_document_add
    object_kwarg = "call"
    object_detail = cancel_detail = "participation:call_detail"

    def extra_context(self) -> dict[str, Any]:
        return {"multipart": True}


class _DocumentOpen(DetailPage):
    """A shared document (found by `selector`): the page it links to, or the stored file as a
    download; `permission` is asked about the record it belongs to (`owner`)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        document = self.object
        if document.url:
            return redirect(document.url)
        return FileResponse(document.file.open("rb"), as_attachment=True)


@routes.path("documents/<int:pk>/", name="call_document")
class CallDocumentOpen(_DocumentOpen):
    """A consultation's document."""

    public = True
    permission = "call.view"
    selector = selectors.call_document_get
    owner = "call"


@routes.path("manage/calls/<int:pk>/responses/", name="call_responses")
class CallResponses(ListPage):
    """The organiser's list of responses sent through Mosty, to hand over and answer."""

    # Asked about the call in `get` (a list page asks without an object).
    permission = None
    template_name = "participation/call_responses.html"
    audit_fields = ("title", "text", "answer")

    @cached_property
    def call(self) -> Call:
        return selectors.call_managed_get(fetched_by=self.user, pk=self.kwargs["pk"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require(request.user, "call.answer_responses", self.call)
        return super().get(request, *args, **kwargs)

    def rows(self, filters: dict[str, Any]) -> Any:
        return selectors.response_list(fetched_by=self.user, call=self.call)

    def extra_context(self) -> dict[str, Any]:
        return {"call": self.call, "answer_form": IdeaAnswerForm()}


# --- ideas ----------------------------------------------------------------------------------


@routes.path("ideas/", name="idea_list")
class IdeaList(ListPage):
    permission = "idea.list"
    template_name = "participation/idea_list.html"
    title = gettext_lazy("Ideas and opinions")
    filter_form = IdeaFilterForm
    audit_fields = ("title", "status", "participant")
    selector = selectors.idea_list


@routes.path("ideas/new/", name="idea_create")
class IdeaCreate(_CreateFor):
    permission = "idea.create"
    template_name = "participation/idea_form.html"
    form_class = IdeaForm
    success_message = gettext_lazy("The idea is saved as a draft.")
    organisations = idea_organisations
    service = services.idea_create
    success_detail = "participation:idea_detail"

    def initial(self) -> dict[str, Any]:
        wanted = self.request.GET.get("call") or ""
        return {"call": wanted, "kind": IdeaKind.RESPONSE} if wanted.isdecimal() else {}

    def form_kwargs(self) -> dict[str, Any]:
        return selectors.idea_form_choices(fetched_by=self.user, organisation=self.organisation)

    def extra_context(self) -> dict[str, Any]:
        return {"organisation": self.organisation}


class _IdeaPage(ObjectPage):
    context_object_name = "idea"
    selector: ClassVar[Any] = selectors.idea_get
    object_kwarg = "idea"


class _OpenIdeaPage(_IdeaPage):
    """A page that changes an idea still open (a draft or submitted). Once its result is
    recorded or it is withdrawn (in a second tab, by a colleague, Back after Withdraw), the
    user is told its status on the idea's page, not refused with a 403, and is not left on
    a form that can no longer be saved."""

    def already_done(self) -> HttpResponse | None:
        idea = self.object
        if idea.status in (IdeaStatus.DRAFT, IdeaStatus.SUBMITTED):
            return None
        messages.info(
            self.request,
            _("The idea’s status is “%(status)s”: it cannot change that way.")
            % {"status": idea.get_status_display()},
        )
        return redirect("participation:idea_detail", idea.pk)


@routes.path("ideas/<int:pk>/", name="idea_detail")
class IdeaDetail(_IdeaPage, DetailPage):
    permission = "idea.view"
    template_name = "participation/idea_detail.html"
    read_fields = ("title", "text", "participant", "answer")

    def extra_context(self) -> dict[str, Any]:
        idea = self.object
        return {
            "support": selectors.idea_support(idea=idea),
            "support_hours": selectors.idea_support_hours(idea=idea),
            "assign_form": IdeaAssignForm(
                candidates=selectors.supporter_choices(organisation=idea.organisation),
                initial={"supporter": idea.supporter_id},
            ),
            "support_form": SupportForm(initial={"date": timezone.localdate()}),
            "result_form": IdeaResultForm(),
            "answer_form": IdeaAnswerForm(),
        }


@routes.path("ideas/<int:pk>/edit/", name="idea_edit")
class IdeaEdit(_OpenIdeaPage, FormPage):
    permission = "idea.change"
    template_name = "participation/idea_form.html"
    form_class = IdeaEditForm
    read_fields = ("title", "text")
    success_message = gettext_lazy("Changes saved.")

    def initial(self) -> dict[str, Any]:
        idea = self.object
        return {"title": idea.title, "text": idea.text, "call": idea.call_id}

    service = services.idea_update
    success_detail = "participation:idea_detail"

    def form_kwargs(self) -> dict[str, Any]:
        return {"calls": selectors.call_list(fetched_by=self.user)}


class _IdeaAction(_IdeaPage, ActionPage):
    success_detail = "participation:idea_detail"


class _OpenIdeaAction(_OpenIdeaPage, _IdeaAction):
    pass


@routes.path("ideas/<int:pk>/submit/", name="idea_submit")
class IdeaSubmit(_OpenIdeaAction):
    permission = "idea.submit"
    success_message = gettext_lazy("The idea is submitted.")
    service = services.idea_submit


@routes.path("ideas/<int:pk>/withdraw/", name="idea_withdraw")
class IdeaWithdraw(_OpenIdeaAction):
    permission = "idea.withdraw"
    success_message = gettext_lazy("The idea is withdrawn.")
    service = services.idea_withdraw


@routes.path("ideas/<int:pk>/result/", name="idea_result")
class IdeaResult(_OpenIdeaAction):
    permission = "idea.record_result"
    form_class = IdeaResultForm
    success_message = gettext_lazy("The result is recorded.")
    service = services.idea_record_result


@routes.path("ideas/<int:pk>/assign/", name="idea_assign")
class IdeaAssign(_IdeaAction):
    permission = "idea.assign"
    success_message = gettext_lazy("The mentor or assistant is assigned.")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The form's choices depend on the idea's organisation, so it is bound here.
        form = IdeaAssignForm(
            request.POST,
            candidates=selectors.supporter_choices(organisation=self.object.organisation),
        )
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
            return redirect(self.success_url(None))
        self._form = form
        return super().post(request, *args, **kwargs)

    def act(self, form: Any) -> Any:
        return services.idea_assign(
            idea=self.object, supporter=self._form.cleaned_data["supporter"], by=self.user
        )


@routes.path("ideas/<int:pk>/support/", name="idea_support")
class IdeaSupportLog(_OpenIdeaAction):
    permission = "idea.log_support"
    form_class = SupportForm
    # Bad hours or a future day: the idea's page again, the entry as typed, each error
    # beside its field.
    shown_on = IdeaDetail
    form_name = "support_form"
    success_message = gettext_lazy("The support is logged.")
    service = services.support_log


@routes.path("ideas/<int:pk>/answer/", name="idea_answer")
class IdeaAnswer(_IdeaAction):
    permission = "idea.answer"
    form_class = IdeaAnswerForm
    success_message = gettext_lazy("The answer is recorded.")

    def act(self, form: Any) -> Any:
        return services.idea_answer(
            idea=self.object,
            answer=form.cleaned_data["answer"],
            by=self.user,
            base_url=self.request.build_absolute_uri("/"),
        )

    def success_url(self, result: Any) -> str:
        call = self.object.call
        return reverse("participation:call_responses", args=[call.pk])


# --- groups ---------------------------------------------------------------------------------


@routes.path("groups/", name="group_list")
class GroupList(ListPage):
    permission = "group.list"
    template_name = "participation/group_list.html"
    title = gettext_lazy("Groups")
    selector = selectors.group_list
    filtered = False


@routes.path("groups/new/", name="group_create")
class GroupCreate(_CreateFor):
    permission = "group.create"
    template_name = "participation/simple_form.html"
    form_class = GroupForm
    success_message = gettext_lazy("The group is saved.")
    organisations = group_host_organisations
    service = services.group_create
    success_detail = "participation:group_detail"

    def extra_context(self) -> dict[str, Any]:
        return {"title": _("New group"), "cancel_url": reverse("participation:group_list")}


class _GroupPage(ObjectPage):
    context_object_name = "group"
    selector: ClassVar[Any] = selectors.group_get


@routes.path("groups/<int:pk>/", name="group_detail")
class GroupDetail(_GroupPage, DetailPage):
    permission = "group.view"
    template_name = "participation/group_detail.html"

    def extra_context(self) -> dict[str, Any]:
        group = self.object
        everything = self.request.GET.get("all", "")
        members = _first_rows(selectors.group_members(group=group), everything == "members")
        meetings = _first_rows(selectors.group_meetings(group=group), everything == "meetings")
        participants = [m for m in members["rows"] if m.participant_id]
        if participants:
            audit_reads(self.user, [m.participant for m in participants], fields=["code"])
        return {
            "members": members,
            "meetings": meetings,
            "documents": selectors.group_documents(group=group),
            "milestones": selectors.group_milestones(group=group)
            if group.kind == GroupKind.COOPERATIVE
            else [],
            "policy_documents": group.policy_documents.all(),
        }


# A group's page shows this many members and meetings (the newest meetings) unless asked for
# all of them (`?all=members`, `?all=meetings`), so a big association's page stays quick.
GROUP_PAGE_ROWS = 30


def _first_rows(rows: Any, everything: bool) -> dict[str, Any]:
    total = rows.count()
    return {"rows": list(rows if everything else rows[:GROUP_PAGE_ROWS]), "total": total}


class _GroupFormPage(_GroupPage, FormPage):
    """A form that adds something to a group (its leaders and host coordinators)."""

    permission = "group.manage"
    template_name = "participation/simple_form.html"
    heading: Any = ""
    object_kwarg = "group"

    @property
    def group(self) -> Any:
        return self.object

    def extra_context(self) -> dict[str, Any]:
        return {
            "title": self.heading,
            "cancel_url": reverse("participation:group_detail", args=[self.group.pk]),
            "multipart": self.form_class is DocumentForm,
        }

    def object_context(self) -> dict[str, Any]:
        # The form page shows the group as context, not as the record being edited.
        return {"group": self.group}

    def success_url(self, result: Any) -> Any:
        # Back to the group, unless the page names the page of what it made.
        if self.success_detail:
            return super().success_url(result)
        return reverse("participation:group_detail", args=[self.group.pk])


class _GroupEdit(_GroupFormPage):
    """The edit page of a group, or of one of its members or meetings: its leaders and the
    host's coordinators (`group.manage` on the group); the form carries the `version` it showed,
    so a second editor's stale save is an edit conflict shown above the form."""

    success_message = gettext_lazy("Changes saved.")
    initial_from_object = True

    @property
    def group(self) -> Any:
        return self.object if self.object_kwarg == "group" else self.object.group

    def permission_target(self) -> Any:
        return self.group


@routes.path("groups/<int:pk>/edit/", name="group_edit")
class GroupEdit(_GroupEdit):
    form_class = GroupEditForm
    heading = gettext_lazy("Edit the group")
    service = services.group_update


@routes.path("groups/members/<int:pk>/edit/", name="group_member_edit")
class GroupMemberEdit(_GroupEdit):
    form_class = GroupMemberEditForm
    heading = gettext_lazy("Role and term of a member")
    object_kwarg = "member"
    selector = selectors.group_member_get
    service = services.group_member_update

    def extra_context(self) -> dict[str, Any]:
        member = self.object
        if member.participant_id:
            audit_read(self.user, member.participant, fields=["code"])
        who = member.user.get_full_name() if member.user_id else member.participant.code
        return {**super().extra_context(), "title": f"{self.heading}: {who}"}


@routes.path("groups/meetings/<int:pk>/edit/", name="group_meeting_edit")
class GroupMeetingEdit(_GroupEdit):
    form_class = GroupMeetingEditForm
    heading = gettext_lazy("Edit the meeting")
    object_kwarg = "meeting"
    selector = selectors.group_meeting_get
    service = services.group_meeting_update


@routes.path("groups/<int:pk>/members/new/", name="group_member_add")
class GroupMemberAdd(_GroupFormPage):
    form_class = GroupMemberForm
    heading = gettext_lazy("Add a member")
    success_message = gettext_lazy("The member is added.")

    def form_kwargs(self) -> dict[str, Any]:
        participants = (
            selectors.participant_choices(
                fetched_by=self.user, organisation=self.object.organisation
            )
            if can(self.user, "group.add_participant", self.object)
            else None
        )
        return {"participants": participants}

    def save(self, form: Any) -> Any:
        data = dict(form.cleaned_data)
        data.pop("email", None)
        return services.group_member_add(group=self.object, by=self.user, **data)


@routes.path("groups/<int:pk>/meetings/new/", name="group_meeting_add")
class GroupMeetingAdd(_GroupFormPage):
    """Record a meeting. The same form posted again (Back and Save, a double click) records
    nothing: the user lands on the meeting recorded the first time, and is told so."""

    form_class = GroupMeetingForm
    heading = pgettext_lazy("group meeting", "Record a meeting")

    def save(self, form: Any) -> Any:
        try:
            meeting = services.group_meeting_record(
                group=self.group, by=self.user, **form.cleaned_data
            )
        except services.MeetingAlreadyRecorded as exc:
            messages.info(self.request, " ".join(exc.messages))
            return exc.meeting
        messages.success(self.request, _("The meeting is recorded."))
        return meeting

    def success_url(self, result: Any) -> Any:
        # The group's page at the meeting, with every meeting listed when it is not among
        # the newest the page shows.
        hidden = selectors.group_meetings_before(meeting=result) >= GROUP_PAGE_ROWS
        url = reverse("participation:group_detail", args=[self.group.pk])
        return f"{url}{'?all=meetings' if hidden else ''}#meeting-{result.pk}"


@routes.path("groups/<int:pk>/documents/new/", name="group_document_add")
class GroupDocumentAdd(_GroupFormPage):
    form_class = DocumentForm
    heading = gettext_lazy("Share a document")
    success_message = gettext_lazy("The document is added.")
    service = services.group_document_add


@routes.path("groups/documents/<int:pk>/", name="group_document")
class GroupDocumentOpen(_DocumentOpen):
    permission = "group.view"
    selector = selectors.group_document_get
    owner = "group"


@routes.path("groups/<int:pk>/milestones/", name="milestone_record")
class MilestoneRecord(_GroupFormPage):
    form_class = MilestoneForm
    heading = gettext_lazy("Record a step of the cooperative")
    success_message = gettext_lazy("The step is recorded.")
    service = services.milestone_record


@routes.path("groups/<int:pk>/policy/new/", name="policy_document_create")
class PolicyDocumentCreate(_GroupFormPage):
    form_class = PolicyDocumentForm
    heading = gettext_lazy("A policy document to comment on")
    success_message = gettext_lazy("The document is split into sections.")
    service = services.policy_document_create
    success_detail = "participation:policy_document"

    def form_kwargs(self) -> dict[str, Any]:
        return {"calls": selectors.consultation_calls(fetched_by=self.user)}


class _PolicyDocumentPage(DetailPage):
    """A group's policy document, asked about its group: the opinion's points and what the
    authority did with each."""

    context_object_name = "document"
    owner = "group"

    def extra_context(self) -> dict[str, Any]:
        document = self.object
        return {
            "group": document.group,
            "points": selectors.opinion_points(document=document),
            "tally": selectors.opinion_accountability(document=document),
        }


@routes.path("groups/policy/<int:pk>/", name="policy_document")
class PolicyDocumentDetail(_PolicyDocumentPage):
    """Sections with members' comments, the opinion's points and the authority's responses."""

    permission = "group.view"
    template_name = "participation/policy_document.html"
    selector = selectors.policy_document_get

    def extra_context(self) -> dict[str, Any]:
        return {
            **super().extra_context(),
            "sections": selectors.policy_sections(document=self.object, with_comments=True),
            "comment_form": SectionCommentForm(),
            "point_form": OpinionPointForm(),
            "response_form": PointResponseForm(),
        }


class _PolicyAction(ActionPage):
    permission = "group.manage"
    selector = selectors.policy_document_get
    success_detail = "participation:policy_document"
    owner = "group"


@routes.path("groups/policy/<int:pk>/sections/<int:number>/comment/", name="section_comment")
class SectionCommentAdd(_PolicyAction):
    permission = "group.comment"
    form_class = SectionCommentForm
    success_message = gettext_lazy("Your comment is added.")
    # An empty comment: the document again, the error beside that section's box.
    shown_on = PolicyDocumentDetail
    form_name = "comment_form"

    def show_invalid(self, form: Any) -> HttpResponse:
        form.section_number = self.kwargs["number"]
        return super().show_invalid(form)

    def act(self, form: Any) -> Any:
        section = get_object_or_404(self.object.sections, number=self.kwargs["number"])
        return services.section_comment(section=section, by=self.user, **form.cleaned_data)


@routes.path("groups/policy/<int:pk>/points/new/", name="opinion_point_adopt")
class OpinionPointAdopt(_PolicyAction):
    form_class = OpinionPointForm
    shown_on = PolicyDocumentDetail
    form_name = "point_form"
    success_message = gettext_lazy("The point of the opinion is recorded.")

    def act(self, form: Any) -> Any:
        number = form.cleaned_data["section"]
        section = self.object.sections.filter(number=number).first() if number else None
        if number and section is None:
            # A number the document has no section for, typed in: beside the field, not a 404.
            raise ValidationError({"section": _("Choose a section of this document.")})
        return services.opinion_point_adopt(
            document=self.object, by=self.user, text=form.cleaned_data["text"], section=section
        )


@routes.path("groups/policy/<int:pk>/points/<int:point>/response/", name="opinion_point_respond")
class OpinionPointRespond(_PolicyAction):
    form_class = PointResponseForm
    success_message = gettext_lazy("The authority's response is recorded.")

    def act(self, form: Any) -> Any:
        point = get_object_or_404(self.object.points, pk=self.kwargs["point"])
        return services.opinion_point_respond(point=point, by=self.user, **form.cleaned_data)


# --- public pages of groups -----------------------------------------------------------------


@routes.path("groups/<int:pk>/about/", name="group_public")
class GroupPublic(DetailPage):
    public = True
    permission = "group.view_public"
    template_name = "participation/group_public.html"
    context_object_name = "group"

    def get_object(self) -> Any:
        return selectors.group_public_get(pk=self.kwargs["pk"])

    def extra_context(self) -> dict[str, Any]:
        return {"policy_documents": self.object.policy_documents.all()}


@routes.path("groups/policy/<int:pk>/results/", name="policy_results")
class PolicyResults(_PolicyDocumentPage):
    """The accountability view: each point of the group's opinion and what the authority did
    with it. Comments stay inside the group."""

    public = True
    permission = "group.view_public"
    template_name = "participation/policy_results.html"

    def get_object(self) -> Any:
        return selectors.policy_document_public_get(pk=self.kwargs["pk"])


# --- the Participatory Migrant Academy --------------------------------------------------------


@routes.path("academy/<int:pk>/", name="academy_outcomes")
class AcademyOutcomes(DetailPage):
    """What became of an academy course's participants: how many went on to submit project
    ideas (and had them selected), send opinions to consultations, join groups. Counts only;
    staff of other organisations than the organiser's see small ones suppressed."""

    permission = "academy.outcomes"
    template_name = "participation/academy_outcomes.html"
    context_object_name = "course"
    selector = selectors.academy_course_get

    def extra_context(self) -> dict[str, Any]:
        return selectors.academy_outcome_rows(fetched_by=self.user, course=self.object)
