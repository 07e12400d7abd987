from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mosty.access.domains.participation import programme_organisations
from mosty.access.policy import require
from mosty.core.pages import DetailPage, FormPage, ListPage
from mosty.core.ratelimit import public_form_spent, spent_message
from mosty.core.routing import Routes
from mosty.participation import selectors, services
from mosty.participation.forms import (
    AlertSubscribeForm,
    CallFilterForm,
    CallForm,
    CallTranslationFormSet,
    ProgrammeFilterForm,
    ProgrammeForm,
    ProgrammeTranslationFormSet,
)
from mosty.participation.models import Call, Programme
from mosty.participation.tokens import (
    subscription_from_confirm_token,
    subscription_from_unsubscribe_token,
)

routes = Routes()


# --- public -------------------------------------------------------------------------------


@routes.path("", name="programme_list")
class ProgrammeList(ListPage):
    """The city's participation programmes, explained in the reader's language."""

    public = True
    permission = "programme.browse"
    template_name = "participation/programme_list.html"
    filter_form = ProgrammeFilterForm

    def rows(self, filters: dict[str, Any]) -> Any:
        return selectors.programme_list(fetched_by=self.user, filters=filters)

    def extra_context(self) -> dict[str, Any]:
        return {"alert_form": AlertSubscribeForm(initial={"language": self.request.LANGUAGE_CODE})}


@routes.path("<int:pk>/", name="programme_detail")
class ProgrammeDetail(DetailPage):
    public = True
    permission = "programme.view"
    template_name = "participation/programme_detail.html"
    context_object_name = "programme"

    def get_object(self) -> Programme:
        return selectors.programme_get(fetched_by=self.user, pk=self.kwargs["pk"])

    def extra_context(self) -> dict[str, Any]:
        return {
            "calls": selectors.programme_calls(programme=self.object),
            "alert_form": AlertSubscribeForm(initial={"language": self.request.LANGUAGE_CODE}),
        }


@routes.path("calls/", name="call_list")
class CallList(ListPage):
    """The calendar of open and coming calls, by the month of their deadline."""

    public = True
    permission = "programme.browse"
    template_name = "participation/call_list.html"
    filter_form = CallFilterForm

    def rows(self, filters: dict[str, Any]) -> Any:
        return selectors.call_list(fetched_by=self.user, filters=filters)

    def page_context(self, page: Any) -> dict[str, Any]:
        months = [
            (month, list(calls))
            for month, calls in groupby(page, key=lambda c: c.closes_on.replace(day=1))
        ]
        return {
            "months": months,
            "alert_form": AlertSubscribeForm(initial={"language": self.request.LANGUAGE_CODE}),
        }


@routes.path("calls/<int:pk>/", name="call_detail")
class CallDetail(DetailPage):
    public = True
    permission = "call.view"
    template_name = "participation/call_detail.html"
    context_object_name = "call"

    def get_object(self) -> Call:
        return selectors.call_get(fetched_by=self.user, pk=self.kwargs["pk"])


@routes.path("alerts/", name="alert_subscribe")
def alert_subscribe(request: HttpRequest) -> HttpResponse:
    """Sign up for alerts (double opt-in: the mail's link confirms)."""
    require(request.user, "alert.subscribe")
    form = AlertSubscribeForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    status = 200
    if request.method == "POST" and form.is_valid():
        if public_form_spent(request, "participation_alert"):
            form.add_error(None, spent_message())
            status = 429
        else:
            services.alert_subscribe(
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
                base_url=request.build_absolute_uri("/"),
                by=request.user if request.user.is_authenticated else None,
            )
            messages.success(
                request,
                _(
                    "Thank you. We have sent a link to your address: open it to confirm, and the alerts will start."
                ),
            )
            return redirect("participation:call_list")
    return render(request, "participation/alert_subscribe.html", {"form": form}, status=status)


@routes.path("alerts/confirm/<str:token>/", name="alert_confirm")
def alert_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: mail scanners that open links confirm nothing."""
    subscription = subscription_from_confirm_token(token)
    if subscription is None:
        raise Http404
    if request.method == "POST":
        services.alert_confirm(
            subscription=subscription, by=request.user if request.user.is_authenticated else None
        )
        messages.success(request, _("Your alerts are confirmed."))
        return redirect("participation:call_list")
    return render(
        request,
        "participation/alert_token.html",
        {"action": "confirm", "confirmed": subscription.confirmed_at is not None},
    )


@routes.path("alerts/stop/<str:token>/", name="alert_unsubscribe")
def alert_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscription = subscription_from_unsubscribe_token(token)
    if subscription is None:
        raise Http404
    if request.method == "POST":
        services.alert_unsubscribe(
            subscription=subscription, by=request.user if request.user.is_authenticated else None
        )
        messages.success(request, _("Your address is deleted; no more alerts will be sent."))
        return redirect("participation:call_list")
    return render(request, "participation/alert_token.html", {"action": "unsubscribe"})


# --- organisers ---------------------------------------------------------------------------


@routes.path("manage/", name="manage")
class ProgrammeManage(ListPage):
    permission = "programme.manage_list"
    template_name = "participation/manage.html"

    def rows(self, filters: dict[str, Any]) -> Any:
        return selectors.programme_managed_list(fetched_by=self.user)


def _translation_data(formset: Any, texts: list[str]) -> list[dict[str, Any]]:
    return [
        {k: f.cleaned_data.get(k) for k in ["language", *texts]}
        for f in formset.forms
        if f.cleaned_data
    ]


class _TranslatedFormPage(FormPage):
    """A record's form with its translations formset (`formset_class`)."""

    formset_class: Any
    texts: list[str]

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
        return super().respond({**context, "translations": context["form"].formsets[0]})

    def form_data(self, form: Any) -> dict[str, Any]:
        data = dict(form.cleaned_data)
        data["translations"] = _translation_data(form.formsets[0], self.texts)
        return data


@routes.path("manage/new/", name="programme_create")
class ProgrammeCreate(_TranslatedFormPage):
    permission = "programme.create"
    template_name = "participation/programme_form.html"
    form_class = ProgrammeForm
    formset_class = ProgrammeTranslationFormSet
    texts = services.PROGRAMME_TEXTS
    success_message = gettext_lazy("The programme is saved.")

    @cached_property
    def organisation(self) -> Any:
        organisations = programme_organisations(self.user)
        wanted = self.request.GET.get("organisation") or ""
        found = organisations.filter(pk=wanted).first() if wanted.isdecimal() else None
        found = found or organisations.first()
        if found is None:
            raise Http404
        return found

    def instance(self) -> Programme:
        return Programme(organisation=self.organisation, source_language=self.request.LANGUAGE_CODE)

    def extra_context(self) -> dict[str, Any]:
        return {"organisation": self.organisation}

    def save(self, form: Any) -> Programme:
        data = self.form_data(form)
        data.pop("version", None)
        return services.programme_create(organisation=self.organisation, by=self.user, **data)

    def success_url(self, programme: Programme) -> str:
        return reverse("participation:programme_detail", args=[programme.pk])


@routes.path("manage/<int:pk>/edit/", name="programme_edit")
class ProgrammeEdit(ProgrammeCreate):
    permission = "programme.change"
    context_object_name = "programme"

    def get_object(self) -> Programme:
        return selectors.programme_managed_get(fetched_by=self.user, pk=self.kwargs["pk"])

    @cached_property
    def organisation(self) -> Any:
        return self.object.organisation

    def instance(self) -> Programme:
        programme: Programme = self.object
        return programme

    def save(self, form: Any) -> Programme:
        # Reload: ModelForm validation already wrote the values onto `self.object`.
        fresh = selectors.programme_managed_get(fetched_by=self.user, pk=self.object.pk)
        programme: Programme = services.programme_update(
            programme=fresh, by=self.user, **self.form_data(form)
        )
        return programme


@routes.path("manage/<int:pk>/calls/new/", name="call_create")
class CallCreate(_TranslatedFormPage):
    permission = "programme.change"
    template_name = "participation/call_form.html"
    form_class = CallForm
    formset_class = CallTranslationFormSet
    texts = services.CALL_TEXTS
    success_message = gettext_lazy("The call is saved.")

    @cached_property
    def programme(self) -> Programme:
        return selectors.programme_managed_get(fetched_by=self.user, pk=self.kwargs["pk"])

    def permission_target(self) -> Any:
        return self.programme

    def instance(self) -> Call:
        return Call(programme=self.programme, source_language=self.programme.source_language)

    def extra_context(self) -> dict[str, Any]:
        return {"programme": self.programme}

    def save(self, form: Any) -> Call:
        data = self.form_data(form)
        data.pop("version", None)
        return services.call_create(programme=self.programme, by=self.user, **data)

    def success_url(self, call: Call) -> str:
        return reverse("participation:call_detail", args=[call.pk])


@routes.path("manage/calls/<int:pk>/edit/", name="call_edit")
class CallEdit(CallCreate):
    permission = "call.change"
    context_object_name = "call"

    def get_object(self) -> Call:
        return selectors.call_managed_get(fetched_by=self.user, pk=self.kwargs["pk"])

    @cached_property
    def programme(self) -> Programme:
        programme: Programme = self.object.programme
        return programme

    def permission_target(self) -> Any:
        return self.object

    def instance(self) -> Call:
        call: Call = self.object
        return call

    def save(self, form: Any) -> Call:
        fresh = selectors.call_managed_get(fetched_by=self.user, pk=self.object.pk)
        return services.call_update(call=fresh, by=self.user, **self.form_data(form))
