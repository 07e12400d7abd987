import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mosty.access.policy import require
from mosty.core.forms import add_service_errors
from mosty.core.navigation import sections_for
from mosty.core.pages import ActionPage, FormPage, ListPage
from mosty.core.pagination import paginate, query_without_page
from mosty.people import gdpr, selectors, services
from mosty.people.forms import (
    ConsentForm,
    ConsentTemplateEditForm,
    ConsentTemplateForm,
    HouseholdMemberFormSet,
    IntakeSearchForm,
    ParticipantFilterForm,
    ParticipantForm,
)
from mosty.people.models import Participant
from mosty.people.search import name_skeletons


@login_required
def participant_list(request):
    require(request.user, "participant.list")
    filters = ParticipantFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    page = paginate(request, selectors.participant_list(fetched_by=request.user, filters=cleaned))
    selectors.participant_list_read_audit(
        fetched_by=request.user,
        shown=page,
        fields=[*selectors.PARTICIPANT_LIST_FIELDS, "birth_year", "district"],
    )
    if cleaned.get("q"):
        selectors.participant_search_audit(fetched_by=request.user, shown=page)
    return render(
        request,
        "people/participant_list.html",
        {"page": page, "filters": filters, "querystring": query_without_page(request)},
    )


@login_required
def participant_intake(request):
    """Search before registering: find the person under any spelling before creating them."""
    require(request.user, "participant.create")
    form = IntakeSearchForm(request.GET or None)
    results, searched, unseen = None, False, 0
    if form.is_valid() and (form.cleaned_data.get("q") or form.cleaned_data.get("birth_year")):
        searched = True
        results = list(
            selectors.participant_list(fetched_by=request.user, filters=form.cleaned_data)[:20]
        )
        selectors.participant_search_audit(fetched_by=request.user, shown=results)
        unseen = selectors.participant_unseen_matches(
            fetched_by=request.user, filters=form.cleaned_data
        )
    template = "people/_intake_results.html" if request.htmx else "people/intake.html"
    return render(
        request,
        template,
        {
            "form": form,
            "results": results,
            "searched": searched,
            "unseen": unseen,
            "querystring": request.GET.urlencode(),
        },
    )


def _initial_from_search(request) -> dict:
    initial = {}
    query = (request.GET.get("q") or "").strip()
    if query and not any(ch.isdigit() for ch in query):
        words = query.split()
        target = "first_name" if query.isascii() else "first_name_original"
        initial[target] = words[0]
        if len(words) > 1:
            initial[target.replace("first", "last")] = " ".join(words[1:])
    if (request.GET.get("birth_year") or "").isdecimal():
        initial["birth_year"] = int(request.GET["birth_year"])
    return initial


def _possible_duplicates(user, data: dict) -> list[Participant]:
    names = " ".join(
        data.get(f) or ""
        for f in ("first_name", "last_name", "first_name_original", "last_name_original")
    )
    skeletons = name_skeletons(names)
    if not skeletons:
        return []
    qs = selectors.participant_list(
        fetched_by=user,
        filters={"q": " ".join(skeletons[:2]), "birth_year": data.get("birth_year")},
    )
    return list(qs[:10])


@login_required
def participant_create(request):
    require(request.user, "participant.create")
    form = ParticipantForm(
        request.POST or None,
        initial=_initial_from_search(request),
        organisations=selectors.participant_owner_choices(fetched_by=request.user),
        show_sensitive=True,
    )
    members = HouseholdMemberFormSet(
        request.POST or None, prefix="members", form_kwargs={"user": request.user}
    )
    duplicates = []
    if request.method == "POST" and form.is_valid() and members.is_valid():
        data = form.service_data()
        duplicates = (
            [] if request.POST.get("confirm_new") else _possible_duplicates(request.user, data)
        )
        if not duplicates:
            try:
                participant = services.participant_create(
                    by=request.user,
                    owner=form.cleaned_data["owner"],
                    members=[m for m in members.cleaned_data if m],
                    **data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Participant registered with the code %(code)s.")
                    % {"code": participant.code},
                )
                return redirect("people:detail", pk=participant.pk)
    return render(
        request,
        "people/participant_form.html",
        {"form": form, "members": members, "duplicates": duplicates},
    )


@login_required
def participant_detail(request, pk: int):
    participant = selectors.participant_get(fetched_by=request.user, pk=pk)
    require(request.user, "participant.view", participant)
    show_sensitive = selectors.participant_read_audit(
        participant=participant, read_by=request.user, extra=["household"]
    )
    return render(
        request,
        "people/participant_detail.html",
        {
            "participant": participant,
            "show_sensitive": show_sensitive,
            "consents": selectors.participant_consents(participant=participant),
            "household": selectors.participant_household(participant=participant),
            "sections": sections_for("participant", request, participant),
        },
    )


@login_required
def participant_edit(request, pk: int):
    participant = selectors.participant_get(fetched_by=request.user, pk=pk)
    require(request.user, "participant.change", participant)
    # The form shows the whole record: opening it is a read like the detail page.
    show_sensitive = selectors.participant_read_audit(
        participant=participant, read_by=request.user, extra=["household"]
    )
    form = ParticipantForm(
        request.POST or None, instance=participant, show_sensitive=show_sensitive
    )
    members = HouseholdMemberFormSet(
        request.POST or None, prefix="members", form_kwargs={"user": request.user}
    )
    if request.method == "POST" and form.is_valid() and members.is_valid():
        version = form.cleaned_data.get("version") or participant.version
        try:
            services.participant_update(
                participant=participant,
                by=request.user,
                version=version,
                members=[m for m in members.cleaned_data if m],
                **form.service_data(),
            )
        except services.EditConflict as exc:
            form.add_error(None, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:detail", pk=pk)
    return render(
        request,
        "people/participant_form.html",
        {
            "form": form,
            "members": members,
            "participant": participant,
            "household": selectors.participant_household(participant=participant),
        },
    )


@login_required
def consent_record(request, pk: int):
    participant = selectors.participant_get(fetched_by=request.user, pk=pk)
    require(request.user, "participant.consent.record", participant)
    templates = selectors.consent_templates(participant=participant)
    initial = {"purpose": request.GET.get("purpose"), "language": request.GET.get("language")}
    chosen = next(
        (
            t
            for t in templates
            if t.purpose == initial["purpose"] and t.language == initial["language"]
        ),
        None,
    )
    if chosen is not None:
        initial["text_shown"] = chosen.text
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("people:detail", pk=pk)
    return render(
        request,
        "people/consent_form.html",
        {"form": form, "participant": participant, "templates": templates, "chosen": chosen},
    )


@login_required
@require_POST
def consent_withdraw(request, pk: int):
    consent = selectors.consent_get(fetched_by=request.user, pk=pk)
    require(request.user, "consent.withdraw", consent)
    services.consent_withdraw(consent=consent, by=request.user)
    messages.success(request, _("Consent withdrawn."))
    return redirect("people:detail", pk=consent.participant_id)


@login_required
def participant_export(request, pk: int):
    """Everything held on the participant: a readable page, or JSON with ?format=json."""
    participant = selectors.participant_get(fetched_by=request.user, pk=pk)
    require(request.user, "participant.export", participant)
    data = gdpr.export_participant(participant, by=request.user)
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{participant.code}.json"'
        return response
    labels = gdpr.section_labels()
    sections = [(labels.get(key, key), key, value) for key, value in data.items()]
    return render(
        request,
        "people/participant_export.html",
        {"participant": participant, "sections": sections},
    )


@login_required
def participant_erase(request, pk: int):
    participant = selectors.participant_get(fetched_by=request.user, pk=pk)
    require(request.user, "participant.erase", participant)
    if request.method == "POST":
        gdpr.anonymise_participant(participant, by=request.user)
        messages.success(
            request,
            _("The participant's personal data was erased; only the code %(code)s remains.")
            % {"code": participant.code},
        )
        return redirect("people:detail", pk=pk)
    return render(request, "people/participant_erase.html", {"participant": participant})


# Consent text templates ----------------------------------------------------------------------


class ConsentTemplateList(ListPage):
    permission = "consent_template.list"
    template_name = "people/consent_template_list.html"

    def rows(self, filters):
        return selectors.consent_template_list(fetched_by=self.user)


class ConsentTemplateCreate(FormPage):
    permission = "consent_template.list"
    template_name = "people/consent_template_form.html"
    form_class = ConsentTemplateForm
    success_message = gettext_lazy("Consent text kept.")

    def form_kwargs(self):
        return {"organisations": selectors.consent_template_organisations(self.user)}

    def save(self, form):
        return services.consent_template_create(by=self.user, **form.cleaned_data)

    def success_url(self, template):
        return reverse("people:consent_templates")


class ConsentTemplateEdit(FormPage):
    permission = "consent_template.change"
    template_name = "people/consent_template_form.html"
    form_class = ConsentTemplateEditForm
    context_object_name = "consent_template"
    success_message = gettext_lazy("Changes saved.")

    def get_object(self):
        return selectors.consent_template_get(fetched_by=self.user, pk=self.kwargs["pk"])

    def initial(self):
        return {"text": self.object.text}

    def save(self, form):
        return services.consent_template_update(
            template=self.object, text=form.cleaned_data["text"], by=self.user
        )

    def success_url(self, template):
        return reverse("people:consent_templates")


class ConsentTemplateDelete(ActionPage):
    permission = "consent_template.delete"
    success_message = gettext_lazy("Consent text deleted.")

    def get_object(self):
        return selectors.consent_template_get(fetched_by=self.user, pk=self.kwargs["pk"])

    def act(self, form):
        services.consent_template_delete(template=self.object, by=self.user)

    def success_url(self, result):
        return reverse("people:consent_templates")
