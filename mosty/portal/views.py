"""The participant's own pages (mobile first, no JavaScript needed) and the staff pages that
invite them and answer them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from mosty.access.audit import audit_read, audit_reads
from mosty.access.policy import require
from mosty.cases.models import TaskStatus
from mosty.core.exports import json_response
from mosty.core.pages import (
    ActionPage,
    FormPage,
    ListPage,
    ShowPage,
    SimpleFormPage,
    public_form_saved,
)
from mosty.core.routing import Routes
from mosty.events.tokens import cancel_token
from mosty.knowledge.exports import booklet_pdf_download
from mosty.people import gdpr
from mosty.people.models import ConsentPurpose
from mosty.portal import selectors, services
from mosty.portal.appointments import upcoming
from mosty.portal.forms import (
    ConsentWithdrawForm,
    HelpForm,
    HelpListFilterForm,
    HelpReplyForm,
    InvitationForm,
    JoinForm,
    TaskDoneForm,
    TaskReportFilterForm,
)
from mosty.portal.models import HelpStatus

routes = Routes()


class PortalPage(ShowPage):
    """A page of the participant's own side: `portal.use`, and the participant at hand. Its
    template extends portal/page.html, which shows the `title` and the portal's menu."""

    permission = "portal.use"
    title: Any = ""

    def respond(self, context: dict[str, Any]) -> HttpResponse:
        return super().respond({"title": self.title, **context})

    @property
    def participant(self) -> Any:
        return selectors.participant_of(self.user)


@routes.path("", name="home")
class PortalHome(PortalPage):
    template_name = "portal/home.html"
    title = gettext_lazy("My page")

    def extra_context(self) -> dict[str, Any]:
        participant = self.participant
        audit_read(self.user, participant, fields=["first_name"])
        help_requests = list(selectors.help_list_own(fetched_by=self.user))
        audit_reads(self.user, help_requests, fields=["text", "reply"])
        return {
            "participant": participant,
            "appointments": upcoming(participant),
            "open_tasks": selectors.open_task_count(fetched_by=self.user),
            "mentor": selectors.mentor_of(fetched_by=self.user),
            "help_requests": help_requests,
        }


class PortalRows(PortalPage):
    """A short list of the participant's own records (no pagination): the `selector`'s rows
    (`fetched_by` the participant's user) under `rows_name`, each read recorded with
    `audit_fields`."""

    selector: Any = None  # a function; Any lets each page name its own
    rows_name = "rows"
    audit_fields: tuple[str, ...] = ()

    def rows(self) -> list[Any]:
        return list(type(self).selector(fetched_by=self.user))

    def shown(self, rows: Any) -> Any:
        """The records the rows show (the rows themselves by default)."""
        return rows

    def extra_context(self) -> dict[str, Any]:
        rows = self.rows()
        audit_reads(self.user, self.shown(rows), fields=list(self.audit_fields))
        return {self.rows_name: rows}


@routes.path("plan/", name="plan")
class PortalPlan(PortalRows):
    template_name = "portal/plan.html"
    title = gettext_lazy("My plan")
    selector = selectors.plan_list
    rows_name = "cases"
    audit_fields = ("goals", "tasks")

    def extra_context(self) -> dict[str, Any]:
        context = super().extra_context()
        # The notes the person left on tasks they marked done, shown under each.
        reports = [
            report
            for case in context["cases"]
            for goal in case.goals.all()
            for task in goal.tasks.all()
            for report in task.my_reports
        ]
        audit_reads(self.user, reports, fields=["note"])
        return context


@routes.path("tasks/<int:pk>/done/", name="task_done")
class PortalTaskDone(FormPage):
    permission = "portal.task.complete"
    template_name = "portal/task_done.html"
    form_class = TaskDoneForm
    context_object_name = "task"
    success_message = gettext_lazy("Thank you. Your caseworker can see that the task is done.")
    selector = selectors.own_task_get
    service = services.task_mark_done
    object_kwarg = "task"
    success_list = "portal:plan"

    def already_done(self) -> HttpResponse | None:
        if self.object.status != TaskStatus.DONE:
            return None
        # Back after "done", or the link opened again.
        messages.info(self.request, _("This task is already done."))
        return redirect("portal:plan")


@routes.path("referrals/", name="referrals")
class PortalReferrals(PortalRows):
    template_name = "portal/referrals.html"
    title = gettext_lazy("My referrals")
    selector = selectors.referral_list
    audit_fields = ("status",)

    def shown(self, rows: Any) -> Any:
        return [row["referral"] for row in rows]


@routes.path("registrations/", name="registrations")
class PortalRegistrations(PortalRows):
    template_name = "portal/registrations.html"
    title = gettext_lazy("My events")
    selector = selectors.registration_list
    rows_name = "registrations"
    audit_fields = ("status",)

    def rows(self) -> list[Any]:
        registrations = super().rows()
        for registration in registrations:
            registration.manage_token = cancel_token(registration)
        return registrations


@routes.path("documents/", name="documents")
class PortalDocuments(PortalPage):
    template_name = "portal/documents.html"
    title = gettext_lazy("My documents")

    def extra_context(self) -> dict[str, Any]:
        documents = selectors.document_list(fetched_by=self.user)
        for registration in documents["certificates"]:
            registration.manage_token = cancel_token(registration)
        audit_read(self.user, self.participant, fields=["documents"])
        audit_reads(self.user, documents["certificates"], fields=["certificate"])
        return documents


@routes.path("documents/booklets/<int:pk>/", name="booklet")
class PortalBooklet(PortalPage):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        require(request.user, self.permission)
        export = selectors.own_booklet_get(fetched_by=request.user, pk=kwargs["pk"])
        return booklet_pdf_download(export)


@routes.path("consents/", name="consents")
class PortalConsents(PortalRows):
    template_name = "portal/consents.html"
    title = gettext_lazy("My consents")
    selector = selectors.consent_list
    rows_name = "consents"
    audit_fields = ("purpose", "text_shown")


@routes.path("consents/<int:pk>/withdraw/", name="consent_withdraw")
class PortalConsentWithdraw(FormPage):
    """Withdrawing a consent: first what follows from it, then the confirmation. Withdrawing
    the consent to the portal ends the account's access (`services.consent_withdraw_own`),
    so the person is logged out here."""

    permission = "portal.consent.withdraw"
    template_name = "portal/consent_withdraw.html"
    form_class = ConsentWithdrawForm
    context_object_name = "consent"
    success_message = gettext_lazy("Your consent is withdrawn.")
    selector = selectors.consent_get
    service = services.consent_withdraw_own
    object_kwarg = "consent"
    success_list = "portal:consents"

    def already_done(self) -> HttpResponse | None:
        if self.object.withdrawn_at is None:
            return None
        # Back after withdrawing, or a second tap.
        context = {"title": _("Withdraw a consent"), "consent": self.object, "already": True}
        return render(self.request, self.template_name, context)

    def save(self, form: Any) -> Any:
        return services.consent_withdraw_own(consent=self.object, by=self.user)

    def extra_context(self) -> dict[str, Any]:
        return {
            "title": _("Withdraw a consent"),
            "consequences": selectors.consent_withdraw_consequences(self.object),
        }

    def success_url(self, result: Any) -> str:
        # What withdrawing it changed elsewhere (open referrals withdrawn, people.signals),
        # after "Your consent is withdrawn."
        for effect in result.effects:
            messages.info(self.request, effect)
        if result.purpose == ConsentPurpose.PORTAL:
            logout(self.request)
            messages.info(
                self.request,
                _("Your account in the portal is closed."),
            )
            return reverse("core:home")
        return super().success_url(result)  # type: ignore[return-value]


@routes.path("my-data/", name="data")
class PortalData(PortalPage):
    permission = "portal.export"
    template_name = "portal/data.html"
    title = gettext_lazy("My data")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require(request.user, self.permission)
        participant = self.participant
        data = gdpr.export_participant(participant, by=request.user)
        if request.GET.get("format") == "json":
            return json_response(f"{participant.code}.json", data)
        labels, readable = gdpr.section_labels(), gdpr.readable_labels()
        sections = [
            (labels.get(key, key), key, value, readable.get(key))
            for key, value in data.items()
            if value
        ]
        return self.respond({"sections": sections})


@routes.path("help/", name="help")
class PortalHelp(FormPage):
    permission = "portal.help.ask"
    template_name = "portal/help.html"
    form_class = HelpForm
    success_message = gettext_lazy("Your request was sent. Your caseworker will answer you.")
    service = services.help_request_create
    success_list = "portal:home"

    def extra_context(self) -> dict[str, Any]:
        return {"title": _("Ask for help")}


# --- joining (a visitor with an invitation code) ---------------------------------------------


@routes.path("join/", name="join")
@routes.path("join/<str:code>/", name="join_code")
def portal_join(request: HttpRequest, code: str = "") -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = JoinForm(request.POST or None, initial={"code": code})
    if public_form_saved(
        request,
        form,
        limit="portal_join",
        save=lambda data: services.invitation_accept(
            code=data["code"],
            email=data["email"],
            password=data["password1"],
            language=get_language() or "",
        ),
        success=_("Your account is ready. Log in with your e-mail and password."),
    ):
        return redirect("account_login")
    return render(request, "portal/join.html", {"form": form})


# --- staff -------------------------------------------------------------------------------------


@routes.path("invite/<int:pk>/", name="invite")
class PortalInvite(FormPage):
    permission = "portal.invite"
    template_name = "portal/invite.html"
    form_class = InvitationForm
    context_object_name = "participant"
    read_fields = ("email", "phone")
    selector = selectors.invitation_participant_get
    object_detail = "people:detail"

    def extra_context(self) -> dict[str, Any]:
        return selectors.portal_status(participant=self.object)

    def save(self, form: Any) -> Any:
        invitation, code = services.invitation_create(
            participant=self.object,
            by=self.user,
            base_url=self.request.build_absolute_uri("/"),
            **form.cleaned_data,
        )
        messages.success(
            self.request,
            _(
                "The invitation is on its way. If it does not arrive, give the person this code: %(code)s"
            )
            % {"code": code},
        )
        return invitation


@routes.path("help-requests/", name="help_list")
class HelpRequestList(ListPage):
    permission = "help_request.list"
    template_name = "portal/help_list.html"
    # The text, and the answer on the list of those answered.
    audit_fields = ("text", "reply")
    selector = selectors.help_request_list
    filter_form = HelpListFilterForm


def _back_to_case(request: HttpRequest, help_request: Any) -> str | None:
    """The page of the request's case when the user came from it (`?from=case`): answering
    there, or marking handled, brings them back to the case rather than to the staff list."""
    if request.GET.get("from") == "case" and help_request is not None and help_request.case_id:
        return reverse("cases:detail", args=[help_request.case_id])
    return None


@routes.path("help-requests/<int:pk>/reply/", name="help_reply")
class HelpRequestReply(SimpleFormPage):
    """Staff who may handle a request answer it; the newcomer reads the answer on their page.
    A request handled meanwhile (a colleague answered it, or the form is posted again from
    another tab or after Back) is not answered twice: the user is told, nothing is written."""

    permission = "help_request.handle"
    template_name = "portal/help_reply.html"
    form_class = HelpReplyForm
    context_object_name = "help_request"
    read_fields = ("text",)
    edit_title = gettext_lazy("Answer a request for help")
    cancel_list = "portal:help_list"
    success_message = gettext_lazy(
        "Your answer is saved. The person is told they can read it on their page."
    )
    selector = selectors.help_request_get
    service = services.help_request_reply
    object_kwarg = "help_request"
    success_list = "portal:help_list"

    def already_done(self) -> HttpResponse | None:
        found = self.object
        if found.status == HelpStatus.OPEN:
            return None
        # Answered or handled since the form was shown: the answer given, no form.
        audit_read(self.request.user, found, fields=["text", "reply"])
        context = {
            "title": self.edit_title,
            "cancel_url": self.cancel_url(),
            "help_request": found,
            "already": services.already_handled_message(),
        }
        return render(self.request, self.template_name, context)

    def extra_context(self) -> dict[str, Any]:
        return {"submit_label": _("Send the answer")}

    def cancel_url(self) -> str:
        return _back_to_case(self.request, self.object) or super().cancel_url()

    def success_url(self, result: Any) -> str | HttpResponseRedirect:
        return _back_to_case(self.request, self.object) or super().success_url(result)


@routes.path("help-requests/<int:pk>/handled/", name="help_handle")
class HelpRequestHandle(ActionPage):
    permission = "help_request.handle"
    success_message = gettext_lazy("Marked as handled.")
    selector = selectors.help_request_get
    service = services.help_request_handle
    object_kwarg = "help_request"
    success_list = "portal:help_list"

    def success_url(self, result: Any) -> str:
        return _back_to_case(self.request, self.object) or super().success_url(result)


@routes.path("task-reports/", name="task_report_list")
class TaskReportList(ListPage):
    """The tasks participants marked done on the cases the user sees, with their notes: those
    the team has not read (beyond the dashboard's five), or those read."""

    permission = "help_request.list"
    template_name = "portal/task_report_list.html"
    audit_fields = ("note",)
    selector = selectors.task_report_list
    filter_form = TaskReportFilterForm


@routes.path("task-reports/<int:pk>/read/", name="task_report_read")
class TaskReportRead(ActionPage):
    """The case team read the note of a task the participant marked done: it leaves the
    dashboard. Back to the case's page, or to the dashboard or the list when marked there."""

    permission = "task_report.read"
    success_message = gettext_lazy("Marked as read.")
    selector = selectors.task_report_get
    service = services.task_report_read
    object_kwarg = "report"

    def success_url(self, result: Any) -> str:
        back = {"dashboard": "core:dashboard", "list": "portal:task_report_list"}
        if self.request.GET.get("from") in back:
            return reverse(back[self.request.GET["from"]])
        return reverse("cases:detail", args=[self.object.task.goal.case_id]) + "#case-done-heading"
