"""Pages of cases, declared on the shared page pieces (mosty/core/pages.py): each names its
selector, permission, form and service; the flow around them is shared."""

from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mosty.access.audit import audit_read, audit_reads
from mosty.access.policy import can, require
from mosty.cases import forms, selectors, services
from mosty.cases.charts import progress_charts
from mosty.cases.models import NoteVisibility, TaskStatus
from mosty.core.navigation import sections_for
from mosty.core.pages import ActionPage, DetailPage, FormPage, ListPage
from mosty.core.pagination import paginate, query_without_page
from mosty.core.routing import Routes

routes = Routes()

# What lists of cases show of each case's participant (recorded as a read of the participant).
PARTICIPANT_SHOWN = ["code", "first_name", "last_name"]


def _case_url(case_id: int) -> str:
    return reverse("cases:detail", args=[case_id])


@routes.path("dashboard/", name="dashboard")
@login_required
def dashboard(request):
    require(request.user, "case.list")
    data = selectors.dashboard(fetched_by=request.user, limit=25)
    shown = [
        *(case.participant for key in ("my_cases", "reviews", "recent") for case in data[key]),
        *(task.goal.case.participant for task in data["overdue_tasks"]),
    ]
    audit_reads(request.user, shown, fields=PARTICIPANT_SHOWN)
    return render(request, "cases/dashboard.html", data)


@routes.path("", name="list")
class CaseList(ListPage):
    permission = "case.list"
    template_name = "cases/case_list.html"
    title = gettext_lazy("Cases")
    filter_form = forms.CaseFilterForm
    audit_fields = PARTICIPANT_SHOWN
    selector = selectors.case_list

    def shown(self, page):
        return [case.participant for case in page]


@routes.path("new/", name="create")
class CaseCreate(FormPage):
    permission = "case.create"
    template_name = "cases/case_create.html"
    form_class = forms.CaseCreateForm
    success_message = gettext_lazy("Case opened.")
    success_detail = "cases:detail"

    def initial(self):
        initial = {"lead": self.user.pk}
        if self.request.GET.get("participant"):
            participant = selectors.case_participant_find(
                fetched_by=self.user, pk=self.request.GET["participant"]
            )
            if participant is not None:
                initial["participant_code"] = participant.code
        return initial

    def form_kwargs(self):
        return {"organisations": selectors.case_organisation_choices(fetched_by=self.user)}

    def save(self, form):
        data = form.cleaned_data
        participant = selectors.case_participant_find(
            fetched_by=self.user, code=data["participant_code"]
        )
        if participant is None:
            raise ValidationError(
                {"participant_code": _("No participant you may see has this code.")}
            )
        return services.case_open(
            organisation=data["organisation"],
            participant=participant,
            lead=data["lead"],
            members=list(data["members"]),
            review_date=data["review_date"],
            by=self.user,
        )


class CasePage(DetailPage):
    """A page about one case, found by the `pk` of the URL."""

    permission = "case.view"
    context_object_name = "case"
    selector = selectors.case_get


@routes.path("<int:pk>/", name="detail")
class CaseDetail(CasePage):
    template_name = "cases/case_detail.html"
    read_fields = ("participant", "team", "plan", "notes", "support")

    def extra_context(self):
        case = self.object
        assessments = selectors.case_assessments(case)
        notes = selectors.note_list(case=case, fetched_by=self.user)
        return {
            "participant": case.participant,
            "team": selectors.case_team(case),
            "goals": selectors.case_plan(case),
            "latest_assessment": assessments[0] if assessments else None,
            "assessment_count": len(assessments),
            "referrals": selectors.case_referrals(case),
            "notes": notes[:20],
            "support_logs": selectors.support_log_list(case=case, fetched_by=self.user)[:20],
            "task_statuses": TaskStatus.choices,
            "sections": sections_for("case", self.request, case),
        }


@routes.path("<int:pk>/progress/", name="progress")
class CaseProgress(CasePage):
    template_name = "cases/case_progress.html"
    read_fields = ("assessments",)

    def extra_context(self):
        assessments = selectors.case_assessments(self.object)
        progress = selectors.assessment_progress(assessments)
        return {
            "title": _("Progress over time"),
            "assessments": assessments,
            "charts": progress_charts(progress),
            "table": selectors.assessment_table(assessments),
        }


@routes.path("<int:pk>/notes/", name="note_list")
class NoteList(CasePage):
    template_name = "cases/note_list.html"
    read_fields = ("notes",)

    def extra_context(self):
        notes = selectors.note_list(case=self.object, fetched_by=self.user)
        return {
            "page": paginate(self.request, notes),
            "querystring": query_without_page(self.request),
        }


class CaseFormPage(FormPage):
    """A form about one case (`pk` in the URL); back to the case when saved. Pages that share
    the simple form template give it a `title`."""

    context_object_name = "case"
    template_name = "cases/simple_form.html"
    title: Any = ""
    selector: ClassVar[Any] = selectors.case_get
    object_kwarg = "case"

    @property
    def case(self):
        return self.object

    def extra_context(self):
        return {"title": self.title} if self.title else {}

    def success_url(self, result):
        # Back to the case, unless the page names the saved record's own page.
        return super().success_url(result) if self.success_detail else _case_url(self.case.pk)


@routes.path("<int:pk>/edit/", name="edit")
class CaseEdit(CaseFormPage):
    permission = "case.change"
    title = gettext_lazy("Team and review date")
    form_class = forms.CaseEditForm
    success_message = gettext_lazy("Changes saved.")
    read_fields = ("participant", "lead", "members", "review_date")

    def initial(self):
        case = self.object
        return {
            "lead": case.lead_id,
            "members": list(case.members.values_list("pk", flat=True)),
            "review_date": case.review_date,
        }

    def form_kwargs(self):
        return {"case": self.object}

    def save(self, form):
        data = form.cleaned_data
        return services.case_update(
            case=self.object,
            by=self.user,
            version=data["version"],
            lead=data["lead"],
            members=list(data["members"]),
            review_date=data["review_date"],
        )


@routes.path("<int:pk>/status/", name="status")
class CaseStatusChange(CaseFormPage):
    permission = "case.change_status"
    template_name = "cases/case_status.html"
    title = gettext_lazy("Change status")
    form_class = forms.CaseStatusForm
    success_message = gettext_lazy("Status changed.")
    service = services.case_change_status

    def form_kwargs(self):
        return {"case": self.object}


@routes.path("<int:pk>/assessments/new/", name="assessment_create")
class AssessmentCreate(CaseFormPage):
    permission = "case.assess"
    template_name = "cases/assessment_form.html"
    title = gettext_lazy("New assessment")
    form_class = forms.AssessmentForm
    success_message = gettext_lazy("Assessment saved.")

    def initial(self):
        return {"assessed_on": timezone.localdate()}

    def save(self, form):
        return services.assessment_record(
            case=self.object,
            assessed_on=form.cleaned_data["assessed_on"],
            scores=form.scores(),
            by=self.user,
        )

    def success_url(self, result):
        return reverse("cases:progress", args=[self.object.pk])


@routes.path("<int:pk>/goals/new/", name="goal_create")
class GoalCreate(CaseFormPage):
    permission = "case.plan_edit"
    form_class = forms.GoalForm
    success_message = gettext_lazy("Goal added.")
    title = gettext_lazy("New goal")
    service = services.goal_add

    def initial(self):
        return {"domain": self.request.GET.get("domain")}


class GoalFormPage(CaseFormPage):
    """A form about one goal of a case: the plan's rules are asked about the case."""

    permission = "case.plan_edit"
    context_object_name = "goal"
    selector = selectors.goal_get
    object_kwarg = "goal"

    @property
    def case(self):
        return self.object.case

    def permission_target(self):
        return self.case

    def extra_context(self):
        return {**super().extra_context(), "case": self.case}


@routes.path("goals/<int:pk>/edit/", name="goal_edit")
class GoalEdit(GoalFormPage):
    form_class = forms.GoalEditForm
    success_message = gettext_lazy("Changes saved.")
    title = gettext_lazy("Edit goal")
    initial_from_object = True

    def save(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        return services.goal_update(goal=self.object, by=self.user, version=version, **data)


@routes.path("goals/<int:pk>/tasks/new/", name="task_create")
class TaskCreate(GoalFormPage):
    form_class = forms.TaskForm
    success_message = gettext_lazy("Task added.")
    title = gettext_lazy("New task")
    service = services.task_add

    def form_kwargs(self):
        return {"case": self.case}

    def extra_context(self):
        return {**super().extra_context(), "subtitle": self.object.title}


class TaskObject:
    """Pages about one task of a case plan, found by the `pk` of the URL."""

    selector = selectors.task_get


class ReferralObject:
    """Pages about one referral, sent or received, found by the `pk` of the URL."""

    selector = selectors.referral_get


@routes.path("tasks/<int:pk>/status/", name="task_status")
class TaskStatusChange(TaskObject, ActionPage):
    permission = "case.plan_edit"
    success_message = gettext_lazy("Task updated.")

    def permission_target(self):
        return self.object.goal.case

    def act(self, form):
        status = self.request.POST.get("status", "")
        return services.task_set_status(task=self.object, status=status, by=self.user)

    def success_url(self, result):
        return _case_url(self.object.goal.case_id)


@routes.path("tasks/<int:pk>/done/", name="task_done")
class TaskDone(ActionPage):
    """The assignee (a mentor from their match page, or the team) marks a task done."""

    permission = "task.complete"
    success_message = gettext_lazy("Task marked as done.")
    selector = selectors.assigned_task_get
    service = services.task_complete
    object_kwarg = "task"

    def success_url(self, result):
        request = self.request
        back = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            return back
        if can(self.user, "case.view", self.object.goal.case):
            return _case_url(self.object.goal.case_id)
        return reverse("core:dashboard")


@routes.path("tasks/<int:pk>/delete/", name="task_delete")
class TaskDelete(TaskObject, DetailPage):
    """Asks first (GET), deletes on POST."""

    permission = "task.delete"
    template_name = "cases/task_delete.html"
    context_object_name = "task"

    def extra_context(self):
        return {"case": self.object.goal.case}

    def post(self, request, *args, **kwargs):
        services.task_delete(task=self.object, by=self.user)
        messages.success(request, _("Task deleted."))
        return redirect(_case_url(self.object.goal.case_id))


class CaseAction(ActionPage):
    """A button on the case page; back to the case."""

    selector = selectors.case_get
    object_kwarg = "case"
    success_detail = "cases:detail"


@routes.path("<int:pk>/plan/request/", name="plan_request")
class PlanRequest(CaseAction):
    permission = "case.plan_edit"
    success_message = gettext_lazy("Plan sent to the coordinator for approval.")
    service = services.plan_request_approval


@routes.path("<int:pk>/plan/decide/", name="plan_decide")
class PlanDecide(CaseFormPage):
    permission = "case.plan_approve"
    template_name = "cases/plan_decide.html"
    title = gettext_lazy("Approve the plan")
    form_class = forms.PlanDecisionForm
    success_message = gettext_lazy("Decision saved.")
    read_fields = ("plan",)

    def extra_context(self):
        return {**super().extra_context(), "goals": selectors.case_plan(self.object)}

    def save(self, form):
        return services.plan_decide(
            case=self.object,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
            by=self.user,
        )


@routes.path("<int:pk>/referrals/new/", name="referral_create")
class ReferralCreate(CaseFormPage):
    permission = "case.refer"
    form_class = forms.ReferralForm
    success_message = gettext_lazy("Referral sent.")
    success_detail = "cases:referral_detail"
    title = gettext_lazy("New referral")
    service = services.referral_send

    def form_kwargs(self):
        return {"case": self.object}


@routes.path("<int:pk>/notes/new/", name="note_create")
class NoteCreate(CaseFormPage):
    permission = "case.note_add"
    form_class = forms.NoteForm
    success_message = gettext_lazy("Note added.")
    title = gettext_lazy("New note")
    service = services.note_add

    def initial(self):
        return {"visibility": NoteVisibility.TEAM}


@routes.path("<int:pk>/support/new/", name="support_create")
class SupportCreate(CaseFormPage):
    permission = "case.support_add"
    form_class = forms.SupportLogForm
    success_message = gettext_lazy("Support session recorded.")
    title = gettext_lazy("Record support")
    service = services.support_log_add


@routes.path("referrals/", name="referral_list")
class ReferralList(ListPage):
    permission = "referral.list"
    template_name = "cases/referral_list.html"
    title = gettext_lazy("Referrals")

    @property
    def direction(self) -> str:
        return "outgoing" if self.request.GET.get("direction") == "outgoing" else "incoming"

    def rows(self, filters):
        return selectors.referral_list(fetched_by=self.user, direction=self.direction)

    def extra_context(self):
        return {"direction": self.direction}


@routes.path("referrals/<int:pk>/", name="referral_detail")
class ReferralDetail(ReferralObject, DetailPage):
    permission = "referral.view"
    template_name = "cases/referral_detail.html"
    context_object_name = "referral"

    def extra_context(self):
        referral = self.object
        shared = None
        if can(self.user, "referral.view_shared", referral):
            audit_read(self.user, referral, fields=list(referral.shared_fields))
            shared = selectors.referral_shared_data(referral)
        return {
            "shared": shared,
            "is_sender": can(self.user, "case.view", referral.case),
            "history": selectors.referral_history(referral),
            "accept_form": forms.ReferralAcceptForm(),
            "decline_form": forms.ReferralDeclineForm(),
            "complete_form": forms.ReferralCompleteForm(),
        }


class ReferralAction(ReferralObject, ActionPage):
    """The partner's or the sender's answer to a referral; the service asks the policy."""

    success_message = gettext_lazy("Referral updated.")
    success_detail = "cases:referral_detail"
    # The `service` that answers: referral_accept, referral_decline, …
    object_kwarg = "referral"


@routes.path("referrals/<int:pk>/accept/", name="referral_accept")
class ReferralAccept(ReferralAction):
    form_class = forms.ReferralAcceptForm
    service = staticmethod(services.referral_accept)


@routes.path("referrals/<int:pk>/decline/", name="referral_decline")
class ReferralDecline(ReferralAction):
    form_class = forms.ReferralDeclineForm
    service = staticmethod(services.referral_decline)


@routes.path("referrals/<int:pk>/complete/", name="referral_complete")
class ReferralComplete(ReferralAction):
    form_class = forms.ReferralCompleteForm
    service = staticmethod(services.referral_complete)


@routes.path("referrals/<int:pk>/withdraw/", name="referral_withdraw")
class ReferralWithdraw(ReferralAction):
    form_class = forms.ReferralDeclineForm
    service = staticmethod(services.referral_withdraw)
