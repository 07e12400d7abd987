from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mosty.access.policy import require
from mosty.core.exports import json_response
from mosty.core.navigation import sections_for
from mosty.core.pages import ActionPage, DetailPage, FormPage, ListPage
from mosty.core.routing import Routes
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

routes = Routes()


def _detail_url(participant_id: int) -> str:
    return reverse("people:detail", args=[participant_id])


@routes.path("", name="list")
class ParticipantList(ListPage):
    permission = "participant.list"
    template_name = "people/participant_list.html"
    title = gettext_lazy("Participants")
    filter_form = ParticipantFilterForm
    audit_fields = (*selectors.PARTICIPANT_LIST_FIELDS, "birth_year", "district")
    selector = selectors.participant_list

    def audit(self, page, filters):
        super().audit(page, filters)
        if filters.get("q"):
            selectors.participant_search_audit(fetched_by=self.user, shown=page)


@routes.path("intake/", name="intake")
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


class _ParticipantPage(FormPage):
    """The registration and edit form of a participant, with the household members' formset
    bound to it (valid together: nothing is saved unless both are)."""

    template_name = "people/participant_form.html"
    form_class = ParticipantForm
    context_object_name = "participant"
    success_detail = "people:detail"

    def get_form(self) -> ParticipantForm:
        form = super().get_form()
        form.formsets = (
            HouseholdMemberFormSet(
                self.request.POST or None, prefix="members", form_kwargs={"user": self.user}
            ),
        )
        return form

    def members(self, form: ParticipantForm) -> list[dict]:
        return [member for member in form.formsets[0].cleaned_data if member]

    def respond(self, context: dict) -> HttpResponse:
        return super().respond({**context, "members": context["form"].formsets[0]})


@routes.path("new/", name="create")
class ParticipantCreate(_ParticipantPage):
    """Register a person; a possible duplicate (the same name under another spelling, the
    same birth year) is shown first, and saved only when the user confirms it is new."""

    permission = "participant.create"
    duplicates: list[Participant] = []

    def initial(self) -> dict:
        return _initial_from_search(self.request)

    def form_kwargs(self) -> dict:
        organisations = selectors.participant_owner_choices(fetched_by=self.user)
        return {"organisations": organisations, "show_sensitive": True}

    def ready(self, form: ParticipantForm) -> bool:
        if self.request.POST.get("confirm_new"):
            return True
        self.duplicates = _possible_duplicates(self.user, form.service_data())
        if self.duplicates:
            # The page shows their names: recorded as a search is.
            selectors.participant_search_audit(fetched_by=self.user, shown=self.duplicates)
        return not self.duplicates

    def save(self, form: ParticipantForm) -> Participant:
        participant = services.participant_create(
            by=self.user,
            owner=form.cleaned_data["owner"],
            members=self.members(form),
            **form.service_data(),
        )
        messages.success(
            self.request,
            _("Participant registered with the code %(code)s.") % {"code": participant.code},
        )
        return participant

    def extra_context(self) -> dict:
        return {"duplicates": self.duplicates}


class ParticipantPage(DetailPage):
    """A page about one participant, found by the `pk` of the URL."""

    context_object_name = "participant"

    def get_object(self):
        return selectors.participant_get(fetched_by=self.user, pk=self.kwargs["pk"])


@routes.path("<int:pk>/", name="detail")
class ParticipantDetail(ParticipantPage):
    permission = "participant.view"
    template_name = "people/participant_detail.html"

    def extra_context(self):
        participant = self.object
        # The read is recorded by the selector, with the sensitive fields when they are shown.
        show_sensitive = selectors.participant_read_audit(
            participant=participant, read_by=self.user, extra=["household"]
        )
        return {
            "show_sensitive": show_sensitive,
            "consents": selectors.participant_consents(participant=participant),
            "household": selectors.participant_household(participant=participant),
            "sections": sections_for("participant", self.request, participant),
        }


@routes.path("<int:pk>/edit/", name="edit")
class ParticipantEdit(_ParticipantPage):
    permission = "participant.change"
    selector = selectors.participant_get
    success_message = gettext_lazy("Changes saved.")

    def form_kwargs(self) -> dict:
        # The form shows the whole record: opening it is a read like the detail page.
        show_sensitive = selectors.participant_read_audit(
            participant=self.object, read_by=self.user, extra=["household"]
        )
        return {"instance": self.object, "show_sensitive": show_sensitive}

    def save(self, form: ParticipantForm) -> Participant:
        services.participant_update(
            participant=self.object,
            by=self.user,
            version=form.cleaned_data.get("version") or self.object.version,
            members=self.members(form),
            **form.service_data(),
        )
        return self.object

    def extra_context(self) -> dict:
        return {"household": selectors.participant_household(participant=self.object)}


@routes.path("<int:pk>/consents/new/", name="consent_record")
class ConsentRecord(FormPage):
    permission = "participant.consent.record"
    template_name = "people/consent_form.html"
    context_object_name = "participant"
    form_class = ConsentForm
    success_message = gettext_lazy("Consent recorded.")
    service = services.consent_record
    object_kwarg = "participant"
    object_detail = "people:detail"

    def get_object(self):
        participant = selectors.participant_get(fetched_by=self.user, pk=self.kwargs["pk"])
        self.templates = selectors.consent_templates(participant=participant)
        return participant

    @property
    def chosen(self):
        """The organisation's text the user picked for the purpose and language, if any."""
        purpose, language = self.request.GET.get("purpose"), self.request.GET.get("language")
        return next(
            (t for t in self.templates if t.purpose == purpose and t.language == language), None
        )

    def initial(self):
        initial = {
            "purpose": self.request.GET.get("purpose"),
            "language": self.request.GET.get("language"),
        }
        if self.chosen is not None:
            initial["text_shown"] = self.chosen.text
        return initial

    def extra_context(self):
        return {"templates": self.templates, "chosen": self.chosen}

    def save(self, form):
        consent = super().save(form)
        # What recording it changed elsewhere (held messages sent, people.signals).
        for effect in consent.effects:
            messages.info(self.request, effect)
        return consent


@routes.path("consents/<int:pk>/withdraw/", name="consent_withdraw")
class ConsentWithdraw(ActionPage):
    permission = "consent.withdraw"
    success_message = gettext_lazy("Consent withdrawn.")
    service = services.consent_withdraw
    object_kwarg = "consent"

    def success_text(self, result) -> str:
        # What withdrawing it changed elsewhere (open referrals withdrawn, people.signals).
        return " ".join([str(self.success_message), *result.effects])

    def get_object(self):
        return selectors.consent_get(fetched_by=self.user, pk=self.kwargs["pk"])

    def success_url(self, consent):
        return _detail_url(self.object.participant_id)


@routes.path("<int:pk>/export/", name="export")
@login_required
def participant_export(request, pk: int):
    """Everything held on the participant: a readable page, or JSON with ?format=json."""
    participant = selectors.participant_get(fetched_by=request.user, pk=pk)
    require(request.user, "participant.export", participant)
    data = gdpr.export_participant(participant, by=request.user)
    if request.GET.get("format") == "json":
        return json_response(f"{participant.code}.json", data)
    labels, readable = gdpr.section_labels(), gdpr.readable_labels()
    sections = [
        (labels.get(key, key), key, value, readable.get(key)) for key, value in data.items()
    ]
    return render(
        request,
        "people/participant_export.html",
        {"participant": participant, "sections": sections},
    )


@routes.path("<int:pk>/erase/", name="erase")
class ParticipantErase(ParticipantPage):
    """Asks first (GET), erases on POST."""

    permission = "participant.erase"
    template_name = "people/participant_erase.html"

    def already_done(self):
        participant = self.object
        if participant.anonymised_at is None:
            return None
        # Erased meanwhile (the page open in a second tab, or reloaded): said, not refused;
        # the person's page shows what remains.
        messages.info(
            self.request,
            _("The participant's personal data was already erased; only the code %(code)s remains.")
            % {"code": participant.code},
        )
        return redirect(_detail_url(participant.pk))

    def post(self, request, *args, **kwargs):
        participant = self.object
        gdpr.anonymise_participant(participant, by=self.user)
        messages.success(
            request,
            _("The participant's personal data was erased; only the code %(code)s remains.")
            % {"code": participant.code},
        )
        return redirect(_detail_url(participant.pk))


# Consent text templates ----------------------------------------------------------------------


@routes.path("consent-texts/", name="consent_templates")
class ConsentTemplateList(ListPage):
    permission = "consent_template.list"
    template_name = "people/consent_template_list.html"
    title = gettext_lazy("Consent texts")
    selector = selectors.consent_template_list
    filtered = False


@routes.path("consent-texts/new/", name="consent_template_create")
class ConsentTemplateCreate(FormPage):
    permission = "consent_template.list"
    template_name = "people/consent_template_form.html"
    form_class = ConsentTemplateForm
    success_message = gettext_lazy("Consent text kept.")
    service = services.consent_template_create
    success_list = "people:consent_templates"

    def form_kwargs(self):
        return {"organisations": selectors.consent_template_organisations(self.user)}


@routes.path("consent-texts/<int:pk>/edit/", name="consent_template_edit")
class ConsentTemplateEdit(FormPage):
    permission = "consent_template.change"
    template_name = "people/consent_template_form.html"
    form_class = ConsentTemplateEditForm
    context_object_name = "consent_template"
    success_message = gettext_lazy("Changes saved.")
    success_list = "people:consent_templates"

    def get_object(self):
        return selectors.consent_template_get(fetched_by=self.user, pk=self.kwargs["pk"])

    def initial(self):
        return {"text": self.object.text}

    def save(self, form):
        return services.consent_template_update(
            template=self.object, text=form.cleaned_data["text"], by=self.user
        )


@routes.path("consent-texts/<int:pk>/delete/", name="consent_template_delete")
class ConsentTemplateDelete(ActionPage):
    permission = "consent_template.delete"
    success_message = gettext_lazy("Consent text deleted.")
    success_list = "people:consent_templates"
    service = services.consent_template_delete
    object_kwarg = "template"

    def get_object(self):
        return selectors.consent_template_get(fetched_by=self.user, pk=self.kwargs["pk"])
