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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mosty.access.audit import audit, audit_read
from mosty.access.domains.events import event_organiser_organisations
from mosty.access.policy import can, require
from mosty.core.forms import add_service_errors
from mosty.core.pagination import paginate, query_without_page
from mosty.core.ratelimit import public_form_spent, spent_message
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


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


# --- public -------------------------------------------------------------------------------


def event_list(request):
    require(request.user, "event.browse")
    filters = EventFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    page = paginate(request, selectors.event_public_list(fetched_by=request.user, filters=cleaned))
    days = [
        (day, list(items))
        for day, items in groupby(page, key=lambda e: timezone.localdate(e.starts_at))
    ]
    return render(
        request,
        "events/event_list.html",
        {
            "page": page,
            "days": days,
            "filters": filters,
            "querystring": query_without_page(request),
        },
    )


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
    by_day: dict = {}
    for session in selectors.session_month(
        fetched_by=request.user, first_day=weeks[0][0], last_day=weeks[-1][-1], filters=cleaned
    ):
        by_day.setdefault(timezone.localdate(session.starts_at), []).append(session)
    first = date(year, month, 1)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return render(
        request,
        "events/calendar.html",
        {
            "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
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


def event_detail(request, pk: int, form=None):
    event = selectors.event_get(fetched_by=request.user, pk=pk)
    require(request.user, "event.view", event)
    mine = selectors.registration_active(event=event, user=request.user)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "remaining": event.remaining,
            "form": form or (None if mine else _registration_form(request, event)),
            "mine": mine,
            "is_open": event.registration_is_open(),
        },
    )


@require_POST
def event_register(request, pk: int):
    event = selectors.event_get(fetched_by=request.user, pk=pk)
    require(request.user, "event.register", event)
    form = _registration_form(request, event, request.POST)
    anonymous = not request.user.is_authenticated
    if form.is_valid() and anonymous and public_form_spent(request, "event_register"):
        form.add_error(None, spent_message())
        response = event_detail(request, pk, form=form)
        response.status_code = 429
        return response
    if form.is_valid():
        data = dict(form.cleaned_data)
        consent = data.pop("consent")
        user = request.user if request.user.is_authenticated else None
        try:
            registration = services.registration_create(
                event=event,
                by=user,
                user=user,
                consent=consent,
                base_url=_base_url(request),
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, _("You are registered. Your place is confirmed."))
            else:
                messages.info(
                    request,
                    _(
                        "The event is full: you are on the waiting list. We will tell you if a place opens up."
                    ),
                )
            if user is not None:
                return redirect("events:mine")
            return redirect("events:registration_token", token=services.cancel_token(registration))
    return event_detail(request, pk, form=form)


@login_required
def event_register_person(request, pk: int):
    event = selectors.event_get(fetched_by=request.user, pk=pk)
    require(request.user, "event.register_person", event)
    form = PersonRegistrationForm(
        request.POST or None, event=event, user=request.user, initial={"language": "pl"}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        consent = data.pop("consent")
        data.pop("participant_code", None)
        try:
            registration = services.registration_create(
                event=event,
                by=request.user,
                participant=form.participant,
                consent=consent,
                base_url=_base_url(request),
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, _("The person is registered. Their place is confirmed."))
            else:
                messages.info(request, _("The event is full: the person is on the waiting list."))
            return redirect("events:detail", pk=pk)
    return render(request, "events/register_person.html", {"event": event, "form": form})


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
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{registration.pk}.pdf"'
    return response


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


@login_required
@require_POST
def calendar_feed_reset(request):
    services.calendar_feed_reset(user=request.user, by=request.user)
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("events:mine")


@login_required
@require_POST
def registration_cancel(request, pk: int):
    registration = selectors.registration_get(fetched_by=request.user, pk=pk)
    require(request.user, "registration.cancel", registration)
    services.registration_cancel(
        registration=registration, by=request.user, base_url=_base_url(request)
    )
    messages.success(request, _("The registration is cancelled."))
    if registration.user_id == request.user.pk:
        return redirect("events:mine")
    return redirect("events:registrations", pk=registration.event_id)


@login_required
def registration_certificate(request, pk: int):
    registration = selectors.registration_get(fetched_by=request.user, pk=pk)
    require(request.user, "registration.certificate", registration)
    return _certificate_response(request, registration)


# --- calendars ----------------------------------------------------------------------------


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar_public_ics(request):
    require(request.user, "event.browse")
    events = selectors.event_public_list(fetched_by=None, filters={"past": True})
    return _ics(ical.feed(events, name=_("Public events"), request=request), "events.ics")


def calendar_organisation_ics(request, pk: int):
    require(request.user, "event.browse")
    organisation = get_object_or_404(Organisation, pk=pk, is_active=True)
    events = selectors.event_public_list(
        fetched_by=None, filters={"past": True, "organisation": organisation}
    )
    return _ics(
        ical.feed(events, name=organisation.name, request=request),
        f"{organisation.slug}.ics",
    )


def calendar_personal_ics(request, token: str):
    user = services.user_from_feed_token(token)
    if user is None:
        raise Http404
    events = [
        r.event
        for r in selectors.registration_mine(user=user).filter(status=RegistrationStatus.CONFIRMED)
    ]
    return _ics(ical.feed(events, name=_("My events"), request=request), "my-events.ics")


def calendar_event_ics(request, pk: int):
    event = selectors.event_get(fetched_by=request.user, pk=pk)
    require(request.user, "event.view", event)
    return _ics(ical.feed([event], name=event.title, request=request), f"event-{pk}.ics")


# --- organiser ----------------------------------------------------------------------------


@login_required
def event_manage_list(request):
    require(request.user, "event.manage_list")
    page = paginate(request, selectors.event_managed_list(fetched_by=request.user))
    return render(
        request,
        "events/manage_list.html",
        {"page": page, "may_create": can(request.user, "event.create")},
    )


def _formsets(request, event):
    data = request.POST if request.method == "POST" else None
    return (
        TranslationFormSet(data, instance=event, prefix="tr"),
        SessionFormSet(data, instance=event, prefix="sessions"),
    )


def _event_form_page(request, *, event: Event | None, organisation):
    instance = event or Event(organisation=organisation, source_language=request.LANGUAGE_CODE)
    form = EventForm(request.POST or None, instance=instance)
    translations, sessions = _formsets(request, instance)
    if (
        request.method == "POST"
        and form.is_valid()
        and translations.is_valid()
        and sessions.is_valid()
    ):
        data = dict(form.cleaned_data)
        tr_data = [
            {k: f.cleaned_data.get(k) for k in ("language", "title", "description")}
            for f in translations.forms
            if f.cleaned_data
        ]
        session_data = [
            {
                **{
                    k: f.cleaned_data.get(k)
                    for k in ("starts_at", "ends_at", "district", "place", "online_url")
                },
                "instance": f.instance if f.instance.pk else None,
                "delete": f.cleaned_data.get("DELETE", False),
            }
            for f in sessions.forms
            if f.cleaned_data
        ]
        try:
            if event is None:
                saved = services.event_create(
                    organisation=organisation,
                    by=request.user,
                    translations=tr_data,
                    sessions=session_data,
                    **data,
                )
            else:
                # Reload: ModelForm validation already wrote the values onto `event`.
                fresh = selectors.event_managed_get(fetched_by=request.user, pk=event.pk)
                saved = services.event_update(
                    event=fresh,
                    by=request.user,
                    translations=tr_data,
                    sessions=session_data,
                    **data,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events:registrations", pk=saved.pk)
    return render(
        request,
        "events/event_form.html",
        {
            "form": form,
            "translations": translations,
            "sessions": sessions,
            "event": event,
            "organisation": organisation,
        },
    )


@login_required
def event_create(request):
    require(request.user, "event.create")
    organisations = event_organiser_organisations(request.user)
    organisation = organisations.filter(pk=request.GET.get("organisation") or 0).first()
    organisation = organisation or organisations.first()
    if organisation is None:
        raise Http404
    return _event_form_page(request, event=None, organisation=organisation)


@login_required
def event_edit(request, pk: int):
    event = selectors.event_managed_get(fetched_by=request.user, pk=pk)
    require(request.user, "event.change", event)
    return _event_form_page(request, event=event, organisation=event.organisation)


@login_required
def event_registrations(request, pk: int):
    event = selectors.event_managed_get(fetched_by=request.user, pk=pk)
    require(request.user, "event.view_registrations", event)
    page = paginate(request, selectors.registration_list(event=event), per_page=100)
    sessions = list(event.sessions.all())
    page.object_list = selectors.mark_completed(page.object_list, sessions=len(sessions))
    audit_read(request.user, event, fields=["registrations"])
    return render(
        request,
        "events/registrations.html",
        {
            "event": event,
            "page": page,
            "sessions": sessions,
            "remaining": event.remaining,
            "share": services.completion_share(),
        },
    )


@login_required
@require_POST
def certificates_send(request, pk: int):
    event = selectors.event_managed_get(fetched_by=request.user, pk=pk)
    require(request.user, "event.send_certificates", event)
    sent = services.certificates_send(event=event, by=request.user, base_url=_base_url(request))
    if sent:
        messages.success(
            request,
            ngettext(
                "The certificate link is being sent to %(count)d person who completed the course.",
                "The certificate link is being sent to %(count)d people who completed the course.",
                sent,
            )
            % {"count": sent},
        )
    else:
        messages.info(request, _("Nobody who completed the course has an e-mail address."))
    return redirect("events:registrations", pk=pk)


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


@login_required
def event_report(request):
    require(request.user, "event.report")
    filters = ReportFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    events = exports.report_events(user=request.user, filters=cleaned)
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        audit(request.user, "mosty.event.report.exported", details={"format": fmt})
        return exports.report_download(events=events, fmt=fmt)
    page = paginate(request, selectors.event_report_rows(events=events))
    return render(
        request,
        "events/report.html",
        {
            "filters": filters,
            "totals": selectors.event_report(events=events),
            "page": page,
            "querystring": query_without_page(request),
        },
    )
