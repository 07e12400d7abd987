from __future__ import annotations

import calendar
from datetime import date, timedelta
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from mosty.access.audit import audit, audit_read
from mosty.access.domains.events import event_organiser_organisations
from mosty.access.policy import can, require
from mosty.core.exports import download_response
from mosty.core.forms import formset_values
from mosty.core.ical import ics_response
from mosty.core.navigation import sections_for
from mosty.core.pages import ActionPage, DetailPage, FormPage, ListPage
from mosty.core.pagination import paginate, query_without_page
from mosty.core.routing import Routes
from mosty.events import certificates, exports, ical, selectors, services
from mosty.events.forms import (
    EventFilterForm,
    EventForm,
    PersonRegistrationForm,
    RegistrationForm,
    ReportFilterForm,
    SelfRegistrationForm,
    SessionFormSet,
    TranslationFormSet,
)
from mosty.events.models import Event, Registration, RegistrationStatus
from mosty.organisations.models import Organisation

routes = Routes()


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


# --- public -------------------------------------------------------------------------------


@routes.path("", name="list")
class EventList(ListPage):
    """The public agenda: a page of events grouped by the day they start."""

    public = True
    permission = "event.browse"
    template_name = "events/event_list.html"
    title = gettext_lazy("Events and trainings")
    filter_form = EventFilterForm
    selector = selectors.event_public_list

    def respond(self, context):
        days = [
            (day, list(items))
            for day, items in groupby(
                context["page"], key=lambda e: timezone.localdate(e.starts_at)
            )
        ]
        return super().respond({**context, "days": days})


@routes.path("calendar/", name="calendar")
@routes.path("calendar/<int:year>/<int:month>/", name="calendar_month")
def event_calendar(request, year: int | None = None, month: int | None = None):
    """A month grid of public sessions (the list view is the agenda)."""
    require(request.user, "event.browse")
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    filters = EventFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    cleaned = {k: v for k, v in cleaned.items() if k not in {"date_from", "date_to"}}
    by_day = selectors.session_month(
        fetched_by=request.user, first_day=weeks[0][0], last_day=weeks[-1][-1], filters=cleaned
    )
    first = date(year, month, 1)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return render(
        request,
        "events/calendar.html",
        {
            "weeks": [[(day, *by_day.get(day, ([], 0))) for day in week] for week in weeks],
            "month": first,
            "today": today,
            "previous": previous,
            "following": following,
            "querystring": query_without_page(request),
        },
    )


def _registration_form(request, event, data=None):
    if request.user.is_authenticated:
        return SelfRegistrationForm(
            data, event=event, initial={"language": request.user.language}, prefix="reg"
        )
    return RegistrationForm(
        data, event=event, initial={"language": request.LANGUAGE_CODE}, prefix="reg"
    )


class _EventPage:
    """Pages about one visible event (`event.view` and its kin decide on it); organisers'
    pages (`managed`) find it among the events they manage."""

    context_object_name = "event"
    managed = False
    kwargs: dict
    user: object

    def get_object(self):
        find = selectors.event_managed_get if self.managed else selectors.event_get
        return find(fetched_by=self.user, pk=self.kwargs["pk"])


def _event_state(request, event) -> dict:
    """What the event page shows beside the event: places left, the visitor's registration."""
    return {
        "remaining": event.remaining,
        "mine": selectors.registration_active(event=event, user=request.user),
        "is_open": event.registration_is_open(),
    }


@routes.path("<int:pk>/", name="detail")
class EventDetail(_EventPage, DetailPage):
    public = True
    permission = "event.view"
    template_name = "events/event_detail.html"

    def extra_context(self):
        state = _event_state(self.request, self.object)
        form = None if state["mine"] else _registration_form(self.request, self.object)
        sections = sections_for("event", self.request, self.object)
        return {**state, "form": form, "sections": sections}


def _registration_create(request, event, form, **people):
    """Register through the service and say whether the place is confirmed."""
    data = dict(form.cleaned_data)
    consent = data.pop("consent")
    data.pop("participant_code", None)
    registration = services.registration_create(
        event=event, consent=consent, base_url=_base_url(request), **people, **data
    )
    return registration, registration.status == RegistrationStatus.CONFIRMED


@routes.path("<int:pk>/register/", name="register")
class EventRegister(_EventPage, FormPage):
    """The registration form of the event page: a visitor, or a user for themself. Errors
    show the event page again with the form."""

    public = True
    http_method_names = ["post"]
    permission = "event.register"
    template_name = "events/event_detail.html"
    public_limit = "event_register"
    mailed = False  # the visitor is told by mail (`by_mail`)

    def get_form(self):
        return _registration_form(self.request, self.object, self.request.POST)

    def limited(self):
        # A signed-in user registering themself is not a visitor's anonymous post.
        return not self.user.is_authenticated

    def extra_context(self):
        return _event_state(self.request, self.object)

    def by_mail(self, form) -> bool:
        """A visitor who gave an e-mail address learns by mail how their registration stands:
        the page must look the same whether the address was new or already registered
        (`registration_create` takes no second place for it)."""
        return not self.request.user.is_authenticated and bool(form.cleaned_data.get("email"))

    def save(self, form):
        user = self.user if self.user.is_authenticated else None
        registration, confirmed = _registration_create(
            self.request, self.object, form, by=user, user=user
        )
        if self.by_mail(form):
            self.mailed = True
        elif confirmed:
            messages.success(self.request, _("You are registered. Your place is confirmed."))
        elif registration.email:
            messages.info(
                self.request,
                _(
                    "The event is full: you are on the waiting list. We will tell you if a place opens up."
                ),
            )
        else:  # a visitor who gave only a phone number: nobody writes to them
            messages.info(
                self.request,
                _(
                    "The event is full: you are on the waiting list. Keep this page's address "
                    "and open it again to see whether a place has opened up for you."
                ),
            )
        return registration

    def success_url(self, registration):
        if self.user.is_authenticated:
            return reverse("events:mine")
        if self.mailed:
            return reverse("events:registration_mailed", args=[self.object.pk])
        return reverse(
            "events:registration_token", kwargs={"token": services.cancel_token(registration)}
        )


@routes.path("<int:pk>/registered/", name="registration_mailed")
class RegistrationMailed(_EventPage, DetailPage):
    """Where a visitor who registered with an e-mail address lands: the same words whether
    the address was new or already registered, so the page tells nobody who signed up."""

    public = True
    permission = "event.view"
    template_name = "events/registration_mailed.html"


@routes.path("<int:pk>/register-person/", name="register_person")
class EventRegisterPerson(_EventPage, FormPage):
    """A caseworker registers a person they support."""

    permission = "event.register_person"
    template_name = "events/register_person.html"
    form_class = PersonRegistrationForm
    object_detail = "events:detail"

    def initial(self):
        return {"language": "pl"}

    def form_kwargs(self):
        return {"event": self.object, "user": self.user}

    def save(self, form):
        registration, confirmed = _registration_create(
            self.request, self.object, form, by=self.user, participant=form.participant
        )
        if confirmed:
            messages.success(self.request, _("The person is registered. Their place is confirmed."))
        else:
            messages.info(self.request, _("The event is full: the person is on the waiting list."))
        return registration


@routes.path("registration/<str:token>/", name="registration_token")
def registration_by_token(request, token: str):
    """What the link in a registrant's mail opens: status, cancel button, certificate."""
    registration = services.registration_from_token(token)
    if registration is None:
        raise Http404
    if request.method == "POST":
        services.registration_cancel(registration=registration, base_url=_base_url(request))
        messages.success(request, _("Your registration is cancelled."))
        return redirect("events:registration_token", token=token)
    # The signed token is the registrant's key: it opens their own event even if internal.
    event = selectors.event_for_registrant(registration=registration)
    return render(
        request,
        "events/registration_token.html",
        {
            "registration": registration,
            "event": event,
            "token": token,
            "progress": selectors.person_progress(registration=registration),
        },
    )


@routes.path("registration/<str:token>/certificate.pdf", name="certificate_token")
def certificate_by_token(request, token: str):
    registration = services.registration_from_token(token)
    if registration is None:
        raise Http404
    return _certificate_response(request, registration)


def _certificate_response(request, registration: Registration):
    progress = selectors.person_progress(registration=registration)
    if not progress["completed"]:
        raise Http404
    pdf = certificates.certificate_pdf(registration=registration, progress=progress)
    audit(request.user, "mosty.event.certificate.issued", registration)
    return download_response(pdf, f"certificate-{registration.pk}.pdf", "application/pdf")


@routes.path("mine/", name="mine")
@login_required
def registration_mine(request):
    require(request.user, "registration.mine")
    return render(
        request,
        "events/registration_mine.html",
        {
            "registrations": selectors.registration_mine_list(user=request.user),
            "feed_url": request.build_absolute_uri(
                reverse("events:personal_ics", kwargs={"token": services.feed_token(request.user)})
            ),
        },
    )


@routes.path("mine/calendar-reset/", name="feed_reset")
class CalendarFeedReset(ActionPage):
    """A new secret address for the user's own calendar feed (the service checks the rule)."""

    success_message = gettext_lazy("Your calendar has a new address; the old one no longer works.")

    def get_object(self):
        return None

    def act(self, form):
        return services.calendar_feed_reset(user=self.user, by=self.user)

    def success_url(self, result):
        return reverse("events:mine")


@routes.path("registrations/<int:pk>/cancel/", name="registration_cancel")
class RegistrationCancel(ActionPage):
    permission = "registration.cancel"
    success_message = gettext_lazy("The registration is cancelled.")
    selector = selectors.registration_get

    def act(self, form):
        return services.registration_cancel(
            registration=self.object, by=self.user, base_url=_base_url(self.request)
        )

    def success_url(self, result):
        if self.object.user_id == self.user.pk:
            return reverse("events:mine")
        return reverse("events:registrations", args=[self.object.event_id])


@routes.path("registrations/<int:pk>/certificate.pdf", name="certificate")
@login_required
def registration_certificate(request, pk: int):
    registration = selectors.registration_get(fetched_by=request.user, pk=pk)
    require(request.user, "registration.certificate", registration)
    return _certificate_response(request, registration)


# --- calendars ----------------------------------------------------------------------------


@routes.path("calendar.ics", name="public_ics")
def calendar_publicics_response(request):
    require(request.user, "event.browse")
    events = selectors.event_public_list(fetched_by=None, filters={"past": True})
    return ics_response(ical.feed(events, name=_("Public events"), request=request), "events.ics")


@routes.path("organisations/<int:pk>/calendar.ics", name="organisation_ics")
def calendar_organisationics_response(request, pk: int):
    require(request.user, "event.browse")
    organisation = get_object_or_404(Organisation, pk=pk, is_active=True)
    events = selectors.event_public_list(
        fetched_by=None, filters={"past": True, "organisation": organisation}
    )
    return ics_response(
        ical.feed(events, name=organisation.name, request=request),
        f"{organisation.slug}.ics",
    )


@routes.path("feed/<str:token>.ics", name="personal_ics")
def calendar_personalics_response(request, token: str):
    user = services.user_from_feed_token(token)
    if user is None:
        raise Http404
    events = [
        r.event
        for r in selectors.registration_mine(user=user).filter(status=RegistrationStatus.CONFIRMED)
    ]
    return ics_response(ical.feed(events, name=_("My events"), request=request), "my-events.ics")


@routes.path("<int:pk>/event.ics", name="event_ics")
def calendar_eventics_response(request, pk: int):
    event = selectors.event_get(fetched_by=request.user, pk=pk)
    require(request.user, "event.view", event)
    return ics_response(ical.feed([event], name=event.title, request=request), f"event-{pk}.ics")


# --- organiser ----------------------------------------------------------------------------


@routes.path("manage/", name="manage")
class EventManageList(ListPage):
    permission = "event.manage_list"
    template_name = "events/manage_list.html"
    title = gettext_lazy("Organise events")
    selector = selectors.event_managed_list
    filtered = False

    def extra_context(self):
        return {"may_create": can(self.user, "event.create")}


class _ManagedEventPage(_EventPage):
    managed = True


@routes.path("manage/new/", name="create")
class EventCreate(FormPage):
    """The event with its translations and sessions (formsets the form validates with it)."""

    permission = "event.create"
    template_name = "events/event_form.html"
    form_class = EventForm
    success_message = gettext_lazy("The event is saved.")
    success_detail = "events:registrations"

    @cached_property
    def organisation(self):
        organisations = event_organiser_organisations(self.user)
        wanted = self.request.GET.get("organisation") or ""
        found = organisations.filter(pk=wanted).first() if wanted.isdecimal() else None
        found = found or organisations.first()
        if found is None:
            raise Http404
        return found

    def instance(self) -> Event:
        return Event(organisation=self.organisation, source_language=self.request.LANGUAGE_CODE)

    def get_form(self):
        form = super().get_form()
        data = self.request.POST if self.request.method == "POST" else None
        instance = form.instance
        form.formsets = (
            TranslationFormSet(data, instance=instance, prefix="tr"),
            SessionFormSet(data, instance=instance, prefix="sessions"),
        )
        return form

    def form_kwargs(self):
        return {"instance": self.instance()}

    def extra_context(self):
        return {"organisation": self.organisation}

    def respond(self, context):
        translations, sessions = context["form"].formsets
        return super().respond({**context, "translations": translations, "sessions": sessions})

    def save(self, form):
        data = dict(form.cleaned_data)
        data.pop("version", None)
        translations, sessions = form.formsets
        return services.event_create(
            organisation=self.organisation,
            by=self.user,
            translations=_translation_data(translations),
            sessions=_session_data(sessions),
            **data,
        )


@routes.path("manage/<int:pk>/edit/", name="edit")
class EventEdit(_ManagedEventPage, EventCreate):
    permission = "event.change"

    @cached_property
    def organisation(self):
        return self.object.organisation

    def instance(self) -> Event:
        return self.object

    def initial(self):
        return {"version": self.object.version}

    def save(self, form):
        data = dict(form.cleaned_data)
        translations, sessions = form.formsets
        # Reload: ModelForm validation already wrote the values onto `self.object`.
        fresh = selectors.event_managed_get(fetched_by=self.user, pk=self.object.pk)
        return services.event_update(
            event=fresh,
            by=self.user,
            translations=_translation_data(translations),
            sessions=_session_data(sessions),
            **data,
        )


def _translation_data(formset) -> list[dict]:
    return formset_values(formset, ("language", "title", "description"))


def _session_data(formset) -> list[dict]:
    return [
        {
            **{k: f.cleaned_data.get(k) for k in services.SESSION_FIELDS},
            "instance": f.instance if f.instance.pk else None,
            "delete": f.cleaned_data.get("DELETE", False),
        }
        for f in formset.forms
        if f.cleaned_data
    ]


@routes.path("manage/<int:pk>/registrations/", name="registrations")
class EventRegistrations(_ManagedEventPage, DetailPage):
    permission = "event.view_registrations"
    template_name = "events/registrations.html"
    read_fields = ("registrations",)

    def extra_context(self):
        event = self.object
        page = paginate(self.request, selectors.registration_list(event=event), per_page=100)
        sessions = list(event.sessions.all())
        page.object_list = selectors.mark_completed(page.object_list, sessions=len(sessions))
        return {
            "page": page,
            "sessions": sessions,
            "remaining": event.remaining,
            "share": services.completion_share(),
            "phone_only": selectors.phone_only_count(event=event),
        }


@routes.path("manage/<int:pk>/certificates/", name="certificates_send")
class CertificatesSend(_ManagedEventPage, ActionPage):
    permission = "event.send_certificates"
    success_detail = "events:registrations"

    def act(self, form):
        sent = services.certificates_send(
            event=self.object, by=self.user, base_url=_base_url(self.request)
        )
        if sent:
            messages.success(
                self.request,
                ngettext(
                    "The certificate link is being sent to %(count)d person who completed the course.",
                    "The certificate link is being sent to %(count)d people who completed the course.",
                    sent,
                )
                % {"count": sent},
            )
        else:
            messages.info(self.request, _("Nobody who completed the course has an e-mail address."))
        return sent


@routes.path("manage/<int:pk>/cancel/", name="cancel")
class EventCancel(_ManagedEventPage, ActionPage):
    permission = "event.cancel"
    success_message = gettext_lazy("The event is cancelled. Every registrant is being told.")
    success_detail = "events:registrations"

    def act(self, form):
        return services.event_cancel(event=self.object, by=self.user)


@routes.path("manage/sessions/<int:pk>/attendance/", name="attendance")
@login_required
def session_attendance(request, pk: int):
    session = selectors.session_get(fetched_by=request.user, pk=pk)
    require(request.user, "event.take_attendance", session.event)
    if request.method == "POST":
        present = {int(v) for v in request.POST.getlist("present") if v.isdecimal()}
        services.attendance_save(session=session, present_ids=present, by=request.user)
        messages.success(request, _("Attendance saved."))
        return redirect("events:attendance", pk=pk)
    rows = selectors.attendance_sheet(session=session)
    audit_read(request.user, session.event, fields=["attendance"])
    return render(
        request,
        "events/attendance.html",
        {
            "session": session,
            "event": session.event,
            "rows": rows,
            "present_count": sum(1 for r in rows if r["present"]),
        },
    )


@routes.path("manage/sessions/<int:pk>/attendance/<int:registration>/", name="attendance_mark")
@login_required
@require_POST
def session_attendance_mark(request, pk: int, registration: int):
    """One tick from the htmx tick list: a tiny request, works on a slow connection."""
    session = selectors.session_get(fetched_by=request.user, pk=pk)
    require(request.user, "event.take_attendance", session.event)
    found = get_object_or_404(session.event.registrations, pk=registration)
    # The checkbox's value is the registration id; htmx also sends the form's other ticks.
    values = request.POST.getlist("present")
    present = str(found.pk) in values or bool({"on", "true"} & set(values))
    try:
        services.attendance_set(
            session=session, registration=found, present=present, by=request.user
        )
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400)
    return render(
        request,
        "events/_attendance_row.html",
        {"row": {"registration": found, "present": present}, "session": session},
    )


@routes.path("manage/report/", name="report")
class EventReport(ListPage):
    """Figures for the events a coordinator may report on, and their export."""

    permission = "event.report"
    template_name = "events/report.html"
    title = gettext_lazy("Events in numbers")
    filter_form = ReportFilterForm

    def report_events(self, filters):
        return exports.report_events(user=self.user, filters=filters)

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt not in {"csv", "xlsx"}:
            return super().get(request, *args, **kwargs)
        require(request.user, self.permission)
        form = ReportFilterForm(request.GET)
        events = self.report_events(form.cleaned_data if form.is_valid() else {})
        audit(request.user, "mosty.event.report.exported", details={"format": fmt})
        return exports.report_download(events=events, fmt=fmt)

    def rows(self, filters):
        self.filters = filters
        self.events = self.report_events(filters)
        # Paginated on the bare events, so the per-event counts are counted for the rows of
        # the page only (SQLite evaluates them for every event before sorting).
        return self.events.order_by("starts_at", "pk").values_list("pk", flat=True)

    def page_context(self, page):
        page.object_list = list(
            selectors.event_report_rows(events=self.events.filter(pk__in=list(page.object_list)))
        )
        return {}

    def extra_context(self):
        return {
            "totals": selectors.event_report_totals(
                fetched_by=self.user, events=self.events, filters=self.filters
            )
        }
