"""Research pages: surveys (import, settings, personal links, results, exports), the public
answer pages and the interviewer mode, and focus groups."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mosty.access.audit import audit
from mosty.access.policy import can, require
from mosty.core.exports import csv_response, xlsx_book_response
from mosty.core.pages import (
    ActionPage,
    DetailPage,
    FormPage,
    ListPage,
    ObjectPage,
    chosen_organisation,
)
from mosty.core.ratelimit import public_form_spent, spent_message
from mosty.core.routing import Routes
from mosty.research import exports, results, selectors, services
from mosty.research.answering import page_fields, page_skips, progress, repeat_instances
from mosty.research.forms import (
    FocusGroupForm,
    FormUploadForm,
    InvitationsForm,
    SurveyCreateForm,
    SurveyFilterForm,
    SurveySettingsForm,
    upload_content,
)
from mosty.research.models import Response, ResponseMode, Survey
from mosty.research.xlsform import problem_messages

routes = Routes()


# Surveys (the research team) ------------------------------------------------------------------


@routes.path("", name="list")
class SurveyList(ListPage):
    permission = "survey.list"
    template_name = "research/survey_list.html"
    title = gettext_lazy("Surveys")
    filter_form = SurveyFilterForm
    selector = selectors.survey_list

    def extra_context(self) -> dict[str, Any]:
        return {
            "may_create": can(self.user, "survey.create"),
            "figures": selectors.research_figures(fetched_by=self.user),
        }


@routes.path("new/", name="create")
class SurveyCreate(FormPage):
    success_detail = "research:detail"
    permission = "survey.create"
    template_name = "research/survey_form.html"
    form_class = SurveyCreateForm
    success_message = gettext_lazy("The survey was imported.")
    errors_beside = "file"  # pyxform's refusal of the workbook

    def form_kwargs(self) -> dict[str, Any]:
        return {"organisations": selectors.organisations_for(self.user)}

    def save(self, form: Any) -> Survey:
        content, filename = upload_content(form)
        data = {k: form.cleaned_data[k] for k in SurveySettingsForm.Meta.fields}
        return services.survey_create(
            organisation=form.cleaned_data["organisation"],
            content=content,
            filename=filename,
            by=self.user,
            **data,
        )


class _SurveyPage:
    """A page of one of the user's surveys; its forms and actions lead back to it."""

    selector: ClassVar[Any] = selectors.survey_get
    object_kwarg = "survey"
    success_detail = object_detail = "research:detail"


@routes.path("<int:pk>/", name="detail")
class SurveyDetail(_SurveyPage, DetailPage):
    permission = "survey.view"
    template_name = "research/survey_detail.html"
    context_object_name = "survey"

    def extra_context(self) -> dict[str, Any]:
        survey = self.object
        versions = list(selectors.versions_of(survey))
        current = versions[0] if versions else None
        return {
            "versions": versions,
            "current": current,
            "unsupported": problem_messages(current.unsupported) if current else [],
            "ignored": problem_messages(current.ignored) if current else [],
            "invitations": selectors.invitation_counts(survey),
            "links": survey.invitations.filter(response__isnull=True)[:50],
            "upload_form": FormUploadForm(),
            "invitations_form": InvitationsForm(),
            "public_url": self.request.build_absolute_uri(
                reverse("research:answer", args=[survey.slug])
            ),
        }


@routes.path("<int:pk>/edit/", name="edit")
class SurveyEdit(_SurveyPage, FormPage):
    permission = "survey.change"
    template_name = "research/survey_form.html"
    form_class = SurveySettingsForm
    success_message = gettext_lazy("Changes saved.")
    context_object_name = "survey"
    service = services.survey_update

    def form_kwargs(self) -> dict[str, Any]:
        version = self.object.current_version()
        return {"instance": self.object, "languages": version.languages if version else []}


@routes.path("<int:pk>/upload/", name="upload")
class SurveyUpload(_SurveyPage, FormPage):
    """A new version of the form; the survey page shows what will not work in it."""

    permission = "survey.change"
    template_name = "research/survey_upload.html"
    form_class = FormUploadForm
    success_message = gettext_lazy("The new version of the form was imported.")
    errors_beside = "file"
    context_object_name = "survey"

    def save(self, form: Any) -> Any:
        content, filename = upload_content(form)
        return services.form_version_add(
            survey=self.object, content=content, filename=filename, by=self.user
        )


@routes.path("<int:pk>/open/", name="open")
class SurveyOpen(_SurveyPage, ActionPage):
    permission = "survey.change"
    success_message = gettext_lazy("The survey is open for answers.")
    service = services.survey_open


@routes.path("<int:pk>/close/", name="close")
class SurveyClose(SurveyOpen):
    success_message = gettext_lazy("The survey is closed.")
    service = services.survey_close


@routes.path("<int:pk>/links/", name="invitations")
class SurveyInvitations(_SurveyPage, ActionPage):
    permission = "survey.change"
    form_class = InvitationsForm
    success_message = gettext_lazy("The personal links were made.")
    service = services.invitations_create


@routes.path("<int:pk>/links.csv", name="invitations_csv")
class SurveyInvitationsCsv(_SurveyPage, ObjectPage):
    """The unused personal links, to mail or print."""

    permission = "survey.change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
        survey = self.object
        audit(request.user, "mosty.research.survey.links_exported", survey)
        rows = (
            (
                link.pk,
                link.label,
                request.build_absolute_uri(reverse("research:invited", args=[link.token])),
            )
            for link in survey.invitations.filter(response__isnull=True)
        )
        return csv_response(f"survey-{survey.pk}-links.csv", ["id", "label", "link"], rows)


# Results and exports --------------------------------------------------------------------------


def _results_context(request: HttpRequest, survey: Survey, *, suppress: bool) -> dict[str, Any]:
    version = survey.current_version()
    if version is None:
        raise Http404
    form = version.form()
    language = form.language(request.GET.get("lang") or translation.get_language())
    answers = list(selectors.submitted_answers(survey).values_list("answers", flat=True))
    choice_questions = [
        q for q in form.questions if q.kind in ("select_one", "select_multiple") and not q.repeat
    ]
    names = {q.name for q in choice_questions}
    by = request.GET.get("by", "")
    value = request.GET.get("value", "")
    filtered = results.filter_answers(answers, by if by in names else None, value)
    context: dict[str, Any] = {
        "survey": survey,
        "language": language,
        "languages": form.languages,
        # Named by their labels in the reader's language, not the form's column names.
        "questions": [
            (q.name, form.label(q.element, language, {}) or q.name) for q in choice_questions
        ],
        "total": None if results.hidden(len(filtered), suppress) else len(filtered),
        "results": results.survey_results(form, filtered, language, suppress=suppress),
        "suppressed": suppress,
        "small_cell": results.min_cell(),
        "by": by,
        "value": value,
    }
    if by in names:
        context["filter_choices"] = form.choices_for(form.by_name[by], {}, language)
    row, column = request.GET.get("row", ""), request.GET.get("column", "")
    if row in names and column in names and row != column:
        context["crosstab"] = results.cross_tab(
            form, form.by_name[row], form.by_name[column], filtered, language, suppress=suppress
        )
        context["row"], context["column"] = row, column
        context["row_label"] = form.label(form.by_name[row].element, language, {})
        context["column_label"] = form.label(form.by_name[column].element, language, {})
    return context


@routes.path("<int:pk>/results/", name="results")
class SurveyResults(_SurveyPage, DetailPage):
    """Full results for the research team (no suppression)."""

    permission = "survey.results"
    template_name = "research/results.html"
    suppress = False

    def extra_context(self) -> dict[str, Any]:
        return _results_context(self.request, self.object, suppress=self.suppress)


@routes.path("<int:pk>/summary/", name="summary")
class SurveySummary(SurveyResults):
    """The results shown outside the research team: cells under 5 are hidden."""

    permission = "survey.summary"
    selector = selectors.survey_summary_get
    suppress = True


@routes.path("<int:pk>/export/<str:fmt>/", name="export")
class SurveyExport(_SurveyPage, ObjectPage):
    """Responses in KoboToolbox's wide layout: one column per question, values or labels."""

    permission = "survey.export"

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse | StreamingHttpResponse:
        survey = self.object
        if fmt not in ("csv", "xlsx"):
            raise Http404
        labels = request.GET.get("labels") == "1"
        language = request.GET.get("lang")
        header, rows = exports.responses_table(survey, labels=labels, language=language)
        audit(request.user, "mosty.research.survey.exported", survey, details={"format": fmt})
        filename = f"survey-{survey.pk}-responses.{fmt}"
        if fmt == "csv":
            return csv_response(filename, header, rows, stream=True)
        repeats = exports.repeat_tables(survey, labels=labels, language=language)
        return xlsx_book_response(filename, [("responses", header, rows), *repeats])


@routes.path("<int:pk>/form.xlsx", name="export_form")
class SurveyExportForm(_SurveyPage, ObjectPage):
    """The current version back as an XLSForm (survey, choices and settings sheets)."""

    permission = "survey.export"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self.object.current_version()
        if version is None:
            raise Http404
        filename = f"survey-{self.object.pk}-v{version.number}.xlsx"
        return exports.xlsform_response(version, filename)


# Answering ------------------------------------------------------------------------------------


def _closed(
    request: HttpRequest,
    survey: Survey,
    message: str,
    status: int = 200,
    wanted: str | None = None,
) -> HttpResponse:
    """A message instead of the survey, under its title in the respondent's language (`wanted`:
    the form language of their answers, else the one asked for, else the interface's)."""
    version = survey.current_version()
    title = survey.title
    if version is not None:
        form = version.form()
        language = form.language(wanted or request.GET.get("lang") or translation.get_language())
        title = survey.respondent_texts(form, language)["title"]
    return render(
        request,
        "research/closed.html",
        {"survey": survey, "title": title, "message": message},
        status=status,
    )


def _survey_closed(request: HttpRequest, survey: Survey, wanted: str | None = None) -> HttpResponse:
    """What a respondent meets once a survey is closed (by hand or by its closing date)."""
    return _closed(
        request, survey, _("This survey is closed. Thank you for your interest."), wanted=wanted
    )


def _start(request: HttpRequest, survey: Survey, invitation: Any = None) -> HttpResponse:
    version = survey.current_version()
    if version is None:
        raise Http404
    form = version.form()
    language = form.language(
        request.POST.get("lang") or request.GET.get("lang") or translation.get_language()
    )
    if request.method == "POST":
        if not request.user.is_authenticated and public_form_spent(request, "survey_start"):
            return _closed(request, survey, spent_message(), status=429, wanted=language["key"])
        try:
            response = services.response_start(
                survey=survey, language=language["key"], by=request.user, invitation=invitation
            )
        except ValidationError as exc:
            return _closed(request, survey, " ".join(exc.messages), wanted=language["key"])
        return redirect("research:respond", key=response.key)
    if invitation is None and not survey.anonymous_link:
        return _closed(request, survey, _("This survey is answered through personal links only."))
    if invitation is not None and hasattr(invitation, "response"):
        return redirect("research:respond", key=invitation.response.key)
    return render(
        request,
        "research/answer_start.html",
        {
            "survey": survey,
            "form": form,
            "language": language,
            "direction": form.direction(language),
            **survey.respondent_texts(form, language),
        },
    )


@routes.path("s/<slug:slug>/", name="answer")
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, slug: str) -> HttpResponse:
    """The public start page: consent text, language, and the button that starts."""
    survey = selectors.survey_public_get(slug=slug)
    if survey.is_closed():
        return _survey_closed(request, survey)
    require(request.user, "survey.answer", survey)
    return _start(request, survey)


@routes.path("i/<str:token>/", name="invited")
@require_http_methods(["GET", "POST"])
def survey_invited(request: HttpRequest, token: str) -> HttpResponse:
    """A personal link: answers once; coming back resumes the same answers."""
    invitation = selectors.invitation_get(token=token)
    if invitation.survey.is_closed():
        return _survey_closed(request, invitation.survey)
    require(request.user, "survey.answer", invitation.survey)
    return _start(request, invitation.survey, invitation)


@routes.path("<int:pk>/interview/", name="interview")
@login_required
@require_http_methods(["POST"])
def survey_interview(request: HttpRequest, pk: int) -> HttpResponse:
    """Interviewer mode: staff enter answers from paper or a phone call."""
    survey = selectors.survey_interview_get(fetched_by=request.user, pk=pk)
    require(request.user, "survey.interview", survey)
    try:
        response = services.response_start(
            survey=survey,
            language=request.POST.get("lang") or translation.get_language() or "",
            by=request.user,
            interview=True,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("research:list")
    return redirect("research:respond", key=response.key)


def _response_for(request: HttpRequest, key: Any) -> Response:
    """The response a resume link names, for whoever may answer it: anyone while the survey
    is open (the key is the respondent's secret), the owner's staff in interviewer mode."""
    response = selectors.response_get(key=str(key))
    _require_answering(request, response)
    return response


def _require_answering(request: HttpRequest, response: Response) -> None:
    interview = response.mode == ResponseMode.INTERVIEW
    require(request.user, "survey.interview" if interview else "survey.answer", response.survey)


@routes.path("r/<uuid:key>/", name="respond")
@require_http_methods(["GET", "POST"])
def survey_respond(request: HttpRequest, key: Any) -> HttpResponse:
    """One page of the form. Its answers are saved when the page is sent, so a dropped
    connection loses one page at most; the address resumes where the respondent was."""
    response = selectors.response_get(key=str(key))
    if response.mode != ResponseMode.INTERVIEW and response.survey.is_closed():
        return _survey_closed(request, response.survey, wanted=response.language)
    _require_answering(request, response)
    survey = response.survey
    form = response.version.form()
    language = form.language(request.GET.get("lang") or response.language)
    if response.submitted_at is not None:
        return render(
            request, "research/thanks.html", _respond_context(survey, form, language, response)
        )
    errors: dict[str, str] = {}
    data = None
    count_change = 0
    page_raw = request.POST.get("page", "")
    if request.method == "POST":
        if not page_raw.isdecimal():
            return _closed(
                request,
                survey,
                _("This page does not exist."),
                status=400,
                wanted=response.language,
            )
        count_change = 1 if "add" in request.POST else -1 if "remove" in request.POST else 0
    if count_change:
        # Add or remove an instance of a repeat: nothing is saved, the page comes back with
        # what was typed.
        data = request.POST
        response.page = int(page_raw)
    elif request.method == "POST":
        try:
            errors = services.response_save_page(
                response=response,
                page=int(page_raw),
                data=request.POST,
                by=request.user,
                back="back" in request.POST,
            )
        except ValidationError as exc:
            return _closed(request, survey, " ".join(exc.messages), wanted=response.language)
        if not errors:
            return redirect(request.get_full_path())
        data = request.POST
        response.page = int(page_raw)
    page = form.pages[min(response.page, len(form.pages) - 1)]
    context = _respond_context(survey, form, language, response)
    if page.repeat:
        count = form.instance_count(page, data, response.answers) + count_change
        count = max(0, min(count, form.MAX_INSTANCES))
        context["instances"] = repeat_instances(
            form, page, response.answers, language, count=count, data=data, errors=errors
        )
        context["instance_count"] = count
        context["fixed_count"] = bool(((page.repeat or {}).get("control") or {}).get("jr:count"))
    context.update(
        {
            "page": page,
            "fields": page_fields(form, page, response.answers, language, data=data, errors=errors),
            "errors": errors,
            "group_label": form.label(page.group, language, response.answers) if page.group else "",
            "has_previous": form.previous_page(page.number, response.answers) is not None,
            "is_last": form.next_page(page.number, response.answers) is None,
            "progress": progress(form, page.number),
        }
    )
    return render(request, "research/respond.html", context, status=400 if errors else 200)


@routes.path("r/<uuid:key>/skips/", name="respond_skips")
@require_http_methods(["POST"])
def survey_respond_skips(request: HttpRequest, key: Any) -> JsonResponse:
    """Instant skips: which questions of a page skip logic shows for the values typed so far
    (and the choices a filtered question offers), from the same engine that checks the page
    when it is sent. Nothing is saved. A POST, so answers never travel in an address (nor
    land in a server log); only names from the form come back, never an answer."""
    response = _response_for(request, key)
    if response.submitted_at is not None:
        return JsonResponse({"detail": _("These answers were already sent.")}, status=409)
    form = response.version.form()
    page_raw = request.POST.get("page", "")
    if not page_raw.isdecimal() or int(page_raw) >= len(form.pages):
        return JsonResponse({"detail": _("This page does not exist.")}, status=400)
    language = form.language(response.language)
    return JsonResponse(
        page_skips(form, form.pages[int(page_raw)], response.answers, request.POST, language)
    )


def _respond_context(
    survey: Survey, form: Any, language: dict[str, str], response: Response
) -> dict[str, Any]:
    return {
        "survey": survey,
        "form": form,
        "response": response,
        "language": language,
        "direction": form.direction(language),
        **survey.respondent_texts(form, language),
        "interview": response.mode == ResponseMode.INTERVIEW,
    }


# Focus groups ---------------------------------------------------------------------------------


@routes.path("focus-groups/", name="focus_list")
class FocusGroupList(ListPage):
    permission = "focus_group.list"
    template_name = "research/focus_list.html"
    title = gettext_lazy("Focus groups")
    selector = selectors.focus_group_list


@routes.path("focus-groups/new/", name="focus_create")
class FocusGroupCreate(FormPage):
    success_detail = "research:focus_detail"
    permission = "focus_group.create"
    template_name = "research/focus_form.html"
    form_class = FocusGroupForm
    success_message = gettext_lazy("The focus group was recorded.")

    def organisation(self) -> Any:
        return chosen_organisation(self.request, selectors.organisations_for(self.user))

    def form_kwargs(self) -> dict[str, Any]:
        return {"surveys": selectors.survey_list(fetched_by=self.user)}

    def save(self, form: Any) -> Any:
        organisation = self.organisation()
        if organisation is None:
            raise ValidationError(_("You coordinate no organisation."))
        return services.focus_group_create(
            organisation=organisation, by=self.user, **form.service_fields()
        )


class _FocusGroupPage:
    """A page of one of the user's focus groups."""

    selector: ClassVar[Any] = selectors.focus_group_get
    success_detail = "research:focus_detail"


@routes.path("focus-groups/<int:pk>/", name="focus_detail")
class FocusGroupDetail(_FocusGroupPage, DetailPage):
    permission = "focus_group.view"
    template_name = "research/focus_detail.html"
    context_object_name = "group"
    read_fields = ("notes",)


@routes.path("focus-groups/<int:pk>/edit/", name="focus_edit")
class FocusGroupEdit(_FocusGroupPage, FormPage):
    permission = "focus_group.change"
    template_name = "research/focus_form.html"
    form_class = FocusGroupForm
    success_message = gettext_lazy("Changes saved.")
    context_object_name = "group"
    read_fields = ("notes",)

    def form_kwargs(self) -> dict[str, Any]:
        return {"instance": self.object, "surveys": selectors.survey_list(fetched_by=self.user)}

    def save(self, form: Any) -> Any:
        return services.focus_group_update(
            group=self.object,
            version=form.cleaned_data.get("version"),
            by=self.user,
            **form.service_fields(),
        )
