"""Pages of cases. Thin: parse, call a selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mosty.access.audit import audit_read, audit_reads
from mosty.access.policy import can, require
from mosty.cases import forms, selectors, services
from mosty.cases.charts import GRID, progress_charts
from mosty.cases.models import NoteVisibility, TaskStatus
from mosty.core.forms import add_service_errors
from mosty.core.pagination import paginate, query_without_page

# What lists of cases show of each case's participant (recorded as a read of the participant).
PARTICIPANT_SHOWN = ["code", "first_name", "last_name"]


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


@login_required
def case_list(request):
    require(request.user, "case.list")
    filters = forms.CaseFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    page = paginate(request, selectors.case_list(fetched_by=request.user, filters=cleaned))
    audit_reads(request.user, [case.participant for case in page], fields=PARTICIPANT_SHOWN)
    return render(
        request,
        "cases/case_list.html",
        {"page": page, "filters": filters, "querystring": query_without_page(request)},
    )


@login_required
def case_create(request):
    require(request.user, "case.create")
    initial = {"lead": request.user.pk}
    if request.GET.get("participant"):
        participant = selectors.case_participant_find(
            fetched_by=request.user, pk=request.GET["participant"]
        )
        if participant is not None:
            initial["participant_code"] = participant.code
    form = forms.CaseCreateForm(
        request.POST or None,
        organisations=selectors.case_organisation_choices(fetched_by=request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        participant = selectors.case_participant_find(
            fetched_by=request.user, code=data["participant_code"]
        )
        if participant is None:
            form.add_error("participant_code", _("No participant you may see has this code."))
        else:
            try:
                case = services.case_open(
                    organisation=data["organisation"],
                    participant=participant,
                    lead=data["lead"],
                    members=list(data["members"]),
                    review_date=data["review_date"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Case opened."))
                return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_create.html", {"form": form})


@login_required
def case_detail(request, pk: int):
    case = selectors.case_get(fetched_by=request.user, pk=pk)
    require(request.user, "case.view", case)
    audit_read(request.user, case, fields=["participant", "team", "plan", "notes", "support"])
    assessments = selectors.case_assessments(case)
    notes = selectors.note_list(case=case, fetched_by=request.user)
    context = {
        "case": case,
        "participant": case.participant,
        "team": selectors.case_team(case),
        "goals": selectors.case_plan(case),
        "latest_assessment": assessments[0] if assessments else None,
        "assessment_count": len(assessments),
        "referrals": selectors.case_referrals(case),
        "notes": notes[:20],
        "support_logs": selectors.support_log_list(case=case, fetched_by=request.user)[:20],
        "task_statuses": TaskStatus.choices,
    }
    return render(request, "cases/case_detail.html", context)


@login_required
def case_edit(request, pk: int):
    case = selectors.case_get(fetched_by=request.user, pk=pk)
    require(request.user, "case.change", case)
    form = forms.CaseEditForm(
        request.POST or None,
        case=case,
        initial={
            "version": case.version,
            "lead": case.lead_id,
            "members": list(case.members.values_list("pk", flat=True)),
            "review_date": case.review_date,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                case=case,
                by=request.user,
                version=form.cleaned_data["version"],
                lead=form.cleaned_data["lead"],
                members=list(form.cleaned_data["members"]),
                review_date=form.cleaned_data["review_date"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("cases:detail", pk=pk)
    audit_read(request.user, case, fields=["participant", "lead", "members", "review_date"])
    return render(request, "cases/case_edit.html", {"form": form, "case": case})


@login_required
def case_status(request, pk: int):
    case = selectors.case_get(fetched_by=request.user, pk=pk)
    require(request.user, "case.change_status", case)
    form = forms.CaseStatusForm(request.POST or None, case=case, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_change_status(
                case=case,
                by=request.user,
                status=form.cleaned_data["status"],
                closure_reason=form.cleaned_data["closure_reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Status changed."))
            return redirect("cases:detail", pk=pk)
    return render(request, "cases/case_status.html", {"form": form, "case": case})


@login_required
def assessment_create(request, pk: int):
    case = selectors.case_get(fetched_by=request.user, pk=pk)
    require(request.user, "case.assess", case)
    form = forms.AssessmentForm(request.POST or None, initial={"assessed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_record(
                case=case,
                assessed_on=form.cleaned_data["assessed_on"],
                scores=form.scores(),
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Assessment saved."))
            return redirect("cases:progress", pk=pk)
    return render(request, "cases/assessment_form.html", {"form": form, "case": case})


@login_required
def case_progress(request, pk: int):
    case = selectors.case_get(fetched_by=request.user, pk=pk)
    require(request.user, "case.view", case)
    audit_read(request.user, case, fields=["assessments"])
    assessments = selectors.case_assessments(case)
    progress = selectors.assessment_progress(assessments)
    return render(
        request,
        "cases/case_progress.html",
        {
            "case": case,
            "assessments": assessments,
            "charts": progress_charts(progress),
            "grid": GRID,
            "table": selectors.assessment_table(assessments),
        },
    )


@login_required
def goal_create(request, pk: int):
    case = selectors.case_get(fetched_by=request.user, pk=pk)
    require(request.user, "case.plan_edit", case)
    form = forms.GoalForm(request.POST or None, initial={"domain": request.GET.get("domain")})
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_add(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Goal added."))
            return redirect("cases:detail", pk=pk)
    return render(request, "cases/simple_form.html", _form_context(case, form, _("New goal")))


def _form_context(case, form, title, **extra):
    return {"case": case, "form": form, "title": title, **extra}


@login_required
def goal_edit(request, pk: int):
    goal = selectors.goal_get(fetched_by=request.user, pk=pk)
    case = goal.case
    require(request.user, "case.plan_edit", case)
    form = forms.GoalEditForm(
        request.POST or None,
        initial={
            "version": goal.version,
            "domain": goal.domain,
            "title": goal.title,
            "target_date": goal.target_date,
            "status": goal.status,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.goal_update(goal=goal, by=request.user, version=version, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/simple_form.html", _form_context(case, form, _("Edit goal")))


@login_required
def task_create(request, pk: int):
    goal = selectors.goal_get(fetched_by=request.user, pk=pk)
    case = goal.case
    require(request.user, "case.plan_edit", case)
    form = forms.TaskForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_add(goal=goal, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Task added."))
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/simple_form.html",
        _form_context(case, form, _("New task"), subtitle=goal.title),
    )


@login_required
@require_POST
def task_status(request, pk: int):
    task = selectors.task_get(fetched_by=request.user, pk=pk)
    require(request.user, "case.plan_edit", task.goal.case)
    try:
        services.task_set_status(task=task, status=request.POST.get("status", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Task updated."))
    return redirect("cases:detail", pk=task.goal.case_id)


@login_required
@require_POST
def task_done(request, pk: int):
    """The assignee (a mentor from their match page, or the team) marks a task done."""
    task = selectors.assigned_task_get(fetched_by=request.user, pk=pk)
    require(request.user, "task.complete", task)
    services.task_complete(task=task, by=request.user)
    messages.success(request, _("Task marked as done."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    if can(request.user, "case.view", task.goal.case):
        return redirect("cases:detail", pk=task.goal.case_id)
    return redirect("core:dashboard")


@login_required
def task_delete(request, pk: int):
    task = selectors.task_get(fetched_by=request.user, pk=pk)
    require(request.user, "task.delete", task)
    if request.method == "POST":
        services.task_delete(task=task, by=request.user)
        messages.success(request, _("Task deleted."))
        return redirect("cases:detail", pk=task.goal.case_id)
    return render(request, "cases/task_delete.html", {"task": task, "case": task.goal.case})


@login_required
@require_POST
def plan_request(request, pk: int):
    case = selectors.case_get(fetched_by=request.user, pk=pk)
    require(request.user, "case.plan_edit", case)
    try:
        services.plan_request_approval(case=case, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Plan sent to the coordinator for approval."))
    return redirect("cases:detail", pk=pk)


@login_required
def plan_decide(request, pk: int):
    case = selectors.case_get(fetched_by=request.user, pk=pk)
    require(request.user, "case.plan_approve", case)
    audit_read(request.user, case, fields=["plan"])
    form = forms.PlanDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_decide(
                case=case,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Decision saved."))
            return redirect("cases:detail", pk=pk)
    return render(
        request,
        "cases/plan_decide.html",
        {"case": case, "form": form, "goals": selectors.case_plan(case)},
    )


@login_required
def referral_create(request, pk: int):
    case = selectors.case_get(fetched_by=request.user, pk=pk)
    require(request.user, "case.refer", case)
    form = forms.ReferralForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_send(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Referral sent."))
            return redirect("cases:referral_detail", pk=referral.pk)
    return render(request, "cases/simple_form.html", _form_context(case, form, _("New referral")))


@login_required
def referral_list(request):
    require(request.user, "referral.list")
    direction = "outgoing" if request.GET.get("direction") == "outgoing" else "incoming"
    page = paginate(request, selectors.referral_list(fetched_by=request.user, direction=direction))
    return render(
        request,
        "cases/referral_list.html",
        {"page": page, "direction": direction, "querystring": query_without_page(request)},
    )


@login_required
def referral_detail(request, pk: int):
    referral = selectors.referral_get(fetched_by=request.user, pk=pk)
    require(request.user, "referral.view", referral)
    shared = None
    if can(request.user, "referral.view_shared", referral):
        audit_read(request.user, referral, fields=list(referral.shared_fields))
        shared = selectors.referral_shared_data(referral)
    return render(
        request,
        "cases/referral_detail.html",
        {
            "referral": referral,
            "shared": shared,
            "is_sender": can(request.user, "case.view", referral.case),
            "history": selectors.referral_history(referral),
            "accept_form": forms.ReferralAcceptForm(),
            "decline_form": forms.ReferralDeclineForm(),
            "complete_form": forms.ReferralCompleteForm(),
        },
    )


def _referral_action(request, pk: int, form_class, action):
    referral = selectors.referral_get(fetched_by=request.user, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(referral=referral, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Referral updated."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("cases:referral_detail", pk=pk)


@login_required
@require_POST
def referral_accept(request, pk: int):
    return _referral_action(request, pk, forms.ReferralAcceptForm, services.referral_accept)


@login_required
@require_POST
def referral_decline(request, pk: int):
    return _referral_action(request, pk, forms.ReferralDeclineForm, services.referral_decline)


@login_required
@require_POST
def referral_complete(request, pk: int):
    return _referral_action(request, pk, forms.ReferralCompleteForm, services.referral_complete)


@login_required
@require_POST
def referral_withdraw(request, pk: int):
    return _referral_action(request, pk, forms.ReferralDeclineForm, services.referral_withdraw)


@login_required
def note_list(request, pk: int):
    case = selectors.case_get(fetched_by=request.user, pk=pk)
    require(request.user, "case.view", case)
    audit_read(request.user, case, fields=["notes"])
    page = paginate(request, selectors.note_list(case=case, fetched_by=request.user))
    return render(
        request,
        "cases/note_list.html",
        {"case": case, "page": page, "querystring": query_without_page(request)},
    )


@login_required
def note_create(request, pk: int):
    case = selectors.case_get(fetched_by=request.user, pk=pk)
    require(request.user, "case.note_add", case)
    form = forms.NoteForm(request.POST or None, initial={"visibility": NoteVisibility.TEAM})
    if request.method == "POST" and form.is_valid():
        try:
            services.note_add(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Note added."))
            return redirect("cases:detail", pk=pk)
    return render(request, "cases/simple_form.html", _form_context(case, form, _("New note")))


@login_required
def support_create(request, pk: int):
    case = selectors.case_get(fetched_by=request.user, pk=pk)
    require(request.user, "case.support_add", case)
    form = forms.SupportLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_log_add(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Support session recorded."))
            return redirect("cases:detail", pk=pk)
    return render(request, "cases/simple_form.html", _form_context(case, form, _("Record support")))
