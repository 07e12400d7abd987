"""Pages of institution assistance, per role: institution staff request and give feedback,
assistants keep their profile and availability, answer offers, see their schedule and log
hours, coordinators assign from ranked proposals and watch the service level."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from mosty.access.audit import audit, audit_read
from mosty.access.domains.assistance import provider_organisations, request_organisations
from mosty.access.policy import can, require
from mosty.assistance import certificates, exports, ical, selectors, services
from mosty.assistance.forms import (
    CancelForm,
    CertificateForm,
    ExceptionForm,
    FeedbackForm,
    LogForm,
    OfferForm,
    OpenFilter,
    PeriodForm,
    ProfileForm,
    ReleaseForm,
    RequestForm,
    SlotForm,
    StatusFilter,
)
from mosty.assistance.models import (
    Assignment,
    AssignmentStatus,
    AssistanceRequest,
    AssistantProfile,
    AvailabilityException,
    AvailabilitySlot,
    RequestStatus,
)
from mosty.core.collation import by_name
from mosty.core.exports import download_response
from mosty.core.ical import ics_response
from mosty.core.models import District
from mosty.core.pages import ActionPage, DetailPage, FormPage, ListPage, ObjectPage, ShowPage
from mosty.core.routing import Routes
from mosty.events.services import calendar_feed_reset
from mosty.events.tokens import feed_token, user_from_feed_token

routes = Routes()

# What a request's detail shows that the audit log records as read.
REQUEST_READ_FIELDS = ["description", "place", "link", "starts_at"]


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _districts() -> Any:
    return District.objects.order_by(*by_name("name"))


class _RequestPage(ObjectPage):
    """Pages about one request this user may see (404 otherwise)."""

    context_object_name = "item"
    selector = selectors.request_get


class _AssignmentPage(ObjectPage):
    """Pages about one assignment this user may see (404 otherwise)."""

    selector = selectors.assignment_get


# --- institution staff --------------------------------------------------------------------


@routes.path("requests/", name="request_list")
class RequestList(ListPage):
    permission = "assistance.request_list"
    template_name = "assistance/request_list.html"
    title = gettext_lazy("Our assistance requests")
    filter_form = StatusFilter
    selector = selectors.request_list


@routes.path("requests/new/", name="request_create")
class RequestCreate(FormPage):
    permission = "assistance.request_create"
    template_name = "assistance/request_form.html"
    form_class = RequestForm

    def form_kwargs(self) -> dict[str, Any]:
        return {
            "organisations": request_organisations(self.user),
            "providers": provider_organisations(),
            "districts": _districts(),
        }

    def save(self, form: Any) -> list[AssistanceRequest]:
        return services.request_create(
            by=self.user, base_url=_base_url(self.request), **form.service_data()
        )

    def success_url(self, made: list[AssistanceRequest]) -> str:
        if len(made) > 1:
            messages.success(
                self.request,
                ngettext(
                    "%(count)s weekly request is sent.",
                    "%(count)s weekly requests are sent.",
                    len(made),
                )
                % {"count": len(made)},
            )
        else:
            messages.success(self.request, _("The request is sent."))
        return reverse("assistance:request_detail", args=[made[0].pk])


@routes.path("requests/<int:pk>/", name="request_detail")
class RequestDetail(_RequestPage, DetailPage):
    permission = "assistance.request_view"
    template_name = "assistance/request_detail.html"
    read_fields = REQUEST_READ_FIELDS

    def extra_context(self) -> dict[str, Any]:
        item = self.object
        assignments = selectors.request_assignments_for(fetched_by=self.user, request=item)
        return {
            "assignments": assignments,
            "feedback": getattr(item, "feedback", None),
            "may_cancel": not item.has_started
            and can(self.user, "assistance.request_cancel", item),
            "cancel_form": CancelForm(),
            "cancelled_side": selectors.request_cancelled_by_side(item),
            "may_assign": can(self.user, "assistance.assign", item),
            "may_feedback": can(self.user, "assistance.feedback", item),
        }


@routes.path("requests/<int:pk>/cancel/", name="request_cancel")
class RequestCancel(_RequestPage, ActionPage):
    """Cancelling asks why (a choice): the reason is shown to the other side too."""

    permission = "assistance.request_cancel"
    form_class = CancelForm
    form_name = "cancel_form"
    shown_on = RequestDetail
    success_message = gettext_lazy("The request is cancelled.")
    success_detail = "assistance:request_detail"

    def already_done(self) -> HttpResponse | None:
        # Cancelled from a second tab, after Back, or by the other side meanwhile: said on the
        # request's page to those who could have cancelled it, not refused (403).
        item = self.object
        if item.status != RequestStatus.CANCELLED or not can(
            self.user, "assistance.request_assignments", item
        ):
            return None
        messages.info(self.request, _("This request is already cancelled."))
        return redirect("assistance:request_detail", item.pk)

    def act(self, form: Any) -> None:
        services.request_cancel(
            request=self.object,
            by=self.user,
            reason=form.cleaned_data["reason"],
            base_url=_base_url(self.request),
        )


@routes.path("requests/<int:pk>/feedback/", name="request_feedback")
class RequestFeedback(_RequestPage, FormPage):
    permission = "assistance.feedback"
    template_name = "assistance/feedback_form.html"
    form_class = FeedbackForm
    success_message = gettext_lazy("Thank you for your feedback.")
    service = services.feedback_give
    object_kwarg = "request"
    object_detail = "assistance:request_detail"

    def initial(self) -> dict[str, Any]:
        # Changing one's feedback starts from what was given, not from an empty comment that
        # saving would put in its place.
        feedback = getattr(self.object, "feedback", None)
        if feedback is None:
            return {}
        if feedback.comment and self.request.method == "GET":
            audit_read(self.user, feedback, fields=["comment"])
        return {"rating": feedback.rating, "comment": feedback.comment}


# --- assistants ---------------------------------------------------------------------------


@routes.path("me/profile/", name="profile")
class ProfileEdit(FormPage):
    permission = "assistance.profile"
    template_name = "assistance/profile_form.html"
    form_class = ProfileForm
    success_message = gettext_lazy("Your profile is saved.")
    success_list = "assistance:availability"

    def get_object(self) -> AssistantProfile | None:
        return selectors.profile_of(self.user)

    def permission_target(self) -> Any:
        return None

    def form_kwargs(self) -> dict[str, Any]:
        return {"districts": _districts()}

    def initial(self) -> dict[str, Any]:
        profile = self.object
        if profile is None:
            return {"modes": ["on_site"], "is_active": True}
        data: dict[str, Any] = {
            "modes": profile.modes,
            "districts": list(profile.districts.all()),
            "is_sworn": profile.is_sworn,
            "is_active": profile.is_active,
        }
        for i, language in enumerate(profile.languages.all()):
            data[f"language_{i}"], data[f"level_{i}"] = language.code, language.level
        return data

    def save(self, form: Any) -> AssistantProfile:
        return services.profile_save(by=self.user, **form.service_data())


@routes.path("me/availability/", name="availability")
class Availability(ShowPage):
    permission = "assistance.profile"
    template_name = "assistance/availability.html"

    def extra_context(self) -> dict[str, Any]:
        profile = selectors.profile_of(self.user)
        return {
            "profile": profile,
            "slots": list(profile.slots.all()) if profile else [],
            "exceptions": list(profile.exceptions.filter(date_to__gte=timezone.localdate()))
            if profile
            else [],
            "slot_form": SlotForm(),
            "exception_form": ExceptionForm(),
        }


class _AvailabilityAction(ActionPage):
    permission = "assistance.profile"
    success_list = "assistance:availability"
    object_optional = True
    # Bad input (an end before the start, a time already given) comes back beside its field
    # in the form as filled in, not as a message above an emptied form.
    shown_on = Availability


@routes.path("me/availability/slots/", name="slot_add")
class SlotAdd(_AvailabilityAction):
    form_class = SlotForm
    form_name = "slot_form"
    success_message = gettext_lazy("The time is added.")
    service = services.slot_add


class _AvailabilityDelete(_AvailabilityAction):
    """Removes one of the user's own availability items (404 for anyone else's)."""

    model: type[AvailabilitySlot] | type[AvailabilityException]

    def act(self, form: Any) -> None:
        pk = self.kwargs["pk"]
        found = selectors.own_availability_get(self.model, fetched_by=self.user, pk=pk)
        services.availability_remove(item=found, by=self.user)


@routes.path("me/availability/slots/<int:pk>/delete/", name="slot_delete")
class SlotDelete(_AvailabilityDelete):
    success_message = gettext_lazy("The time is removed.")
    model = AvailabilitySlot


@routes.path("me/availability/exceptions/", name="exception_add")
class ExceptionAdd(_AvailabilityAction):
    """Days off are the assistant's to mark, also over an assignment they hold: they are
    warned, with its date and time, since the days off do not give it back."""

    form_class = ExceptionForm
    form_name = "exception_form"
    success_message = gettext_lazy("The days are marked as unavailable.")
    service = services.exception_add

    def act(self, form: Any) -> Any:
        item = super().act(form)
        held = selectors.held_on_days(
            fetched_by=self.user, date_from=item.date_from, date_to=item.date_to
        )
        moments = [
            date_format(timezone.localtime(a.starts_at), "SHORT_DATETIME_FORMAT") for a in held
        ]
        if moments:
            messages.warning(
                self.request,
                # The count is said, so that each language's plural form agrees with it.
                ngettext(
                    "You still hold %(count)d assignment you accepted: %(when)s. Days off do "
                    "not give it back: if you cannot go, give it back in your schedule.",
                    "You still hold %(count)d assignments you accepted: %(when)s. Days off do "
                    "not give them back: if you cannot go, give them back in your schedule.",
                    len(moments),
                )
                % {"count": len(moments), "when": ", ".join(moments)},
            )
        return item


@routes.path("me/availability/exceptions/<int:pk>/delete/", name="exception_delete")
class ExceptionDelete(_AvailabilityDelete):
    success_message = gettext_lazy("The days are available again.")
    model = AvailabilityException


@routes.path("me/offers/", name="offers")
class OfferList(ListPage):
    permission = "assistance.profile"
    template_name = "assistance/offers.html"
    selector = selectors.offer_list
    filtered = False


class _OfferAction(_AssignmentPage, ActionPage):
    permission = "assignment.respond"

    def success_url(self, result: Any) -> str:
        if result is not None and result.status == AssignmentStatus.ACCEPTED:
            return reverse("assistance:schedule")
        return reverse("assistance:offers")


@routes.path("offers/<int:pk>/accept/", name="offer_accept")
class OfferAccept(_OfferAction):
    success_message = gettext_lazy("Accepted: it is in your schedule.")

    def act(self, form: Any) -> Assignment:
        return services.assignment_accept(
            assignment=self.object, by=self.user, base_url=_base_url(self.request)
        )


@routes.path("offers/<int:pk>/decline/", name="offer_decline")
class OfferDecline(_OfferAction):
    success_message = gettext_lazy("Declined. Thank you for answering.")
    service = services.assignment_decline
    object_kwarg = "assignment"


@routes.path("assignments/<int:pk>/give-back/", name="assignment_release")
class AssignmentRelease(_AssignmentPage, FormPage):
    """The assistant gives back an assignment they accepted, before it starts, saying why."""

    permission = "assignment.release"
    template_name = "assistance/release_form.html"
    form_class = ReleaseForm
    success_message = gettext_lazy(
        "You gave the assignment back. The institution and the coordinator are told."
    )
    success_list = "assistance:schedule"
    context_object_name = "assignment"

    def already_done(self) -> HttpResponse | None:
        # Given back from a second tab or after Back, or cancelled by the institution while
        # the form was open: the assistant is told so on their schedule, not refused (403).
        assignment = self.object
        if assignment.status == AssignmentStatus.ACCEPTED or not can(
            self.user, "assignment.respond", assignment
        ):
            return None
        messages.info(self.request, _("You no longer hold this assignment."))
        return redirect("assistance:schedule")

    def save(self, form: Any) -> Assignment:
        return services.assignment_release(
            assignment=self.object,
            by=self.user,
            reason=form.cleaned_data["reason"],
            base_url=_base_url(self.request),
        )


@routes.path("me/schedule/", name="schedule")
class Schedule(ListPage):
    """Coming assignments grouped by day (the calendar), then the last ones to log."""

    permission = "assistance.profile"
    template_name = "assistance/schedule.html"
    selector = selectors.schedule_list
    filtered = False

    def page_context(self, page: Any) -> dict[str, Any]:
        days: dict[datetime.date, list[Assignment]] = {}
        for assignment in page:
            days.setdefault(timezone.localdate(assignment.starts_at), []).append(assignment)
        return {"days": list(days.items())}

    def extra_context(self) -> dict[str, Any]:
        return {
            "past": list(selectors.schedule_list(fetched_by=self.user, past=True)[:10]),
            "feed_url": self.request.build_absolute_uri(
                reverse("assistance:feed", kwargs={"token": feed_token(self.user)})
            ),
        }


@routes.path("me/schedule/feed/", name="feed_reset")
class FeedReset(ActionPage):
    permission = "assistance.profile"
    success_message = gettext_lazy("Your calendar has a new address; the old one no longer works.")
    success_list = "assistance:schedule"
    object_optional = True

    def act(self, form: Any) -> str:
        return calendar_feed_reset(user=self.user, by=self.user)


@routes.path("feed/<str:token>.ics", name="feed")
@require_GET
def schedule_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The assistant's schedule as iCalendar, for their calendar app (signed, revocable)."""
    user = user_from_feed_token(token)
    if user is None or not can(user, "assistance.profile"):
        raise Http404
    body = ical.schedule_feed(
        selectors.feed_assignments(user=user), name=_("My assistance schedule"), request=request
    )
    return ics_response(body, "assistance.ics")


@routes.path("assignments/<int:pk>/log/", name="assignment_log")
class AssignmentLogPage(_AssignmentPage, FormPage):
    permission = "assignment.log"
    template_name = "assistance/log_form.html"
    form_class = LogForm
    success_message = gettext_lazy("Thank you: your hours are logged.")
    success_list = "assistance:hours"
    context_object_name = "assignment"
    service = services.assignment_log
    object_kwarg = "assignment"

    def initial(self) -> dict[str, Any]:
        log = getattr(self.object, "log", None)
        if log is not None:
            return {
                "minutes": log.minutes,
                "travel_minutes": log.travel_minutes,
                "outcome": log.outcome,
            }
        return {"minutes": self.object.request.duration_minutes}


@routes.path("me/hours/", name="hours")
class Hours(ShowPage):
    permission = "assistance.profile"
    template_name = "assistance/hours.html"

    def extra_context(self) -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "months": selectors.hours_by_month(fetched_by=self.user),
            "profile": selectors.profile_of(self.user),
            "certificate_form": CertificateForm(
                initial={"date_from": today.replace(month=1, day=1), "date_to": today}
            ),
        }


@routes.path("assistants/<int:pk>/certificate/", name="certificate")
@require_GET
@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """A volunteer-hours certificate PDF in the assistant's language, for a period."""
    profile = selectors.profile_get(fetched_by=request.user, pk=pk)
    require(request.user, "assistance.certificate", profile)
    form = CertificateForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose the period of the certificate."))
        return redirect("assistance:hours")
    hours = selectors.certificate_hours(profile=profile, **form.cleaned_data)
    pdf = certificates.certificate_pdf(profile=profile, hours=hours, **form.cleaned_data)
    audit(request.user, "mosty.assistance.certificate.issued", profile)
    return download_response(pdf, f"hours-{profile.pk}.pdf", "application/pdf")


# --- coordinators -------------------------------------------------------------------------


@routes.path("coordinate/", name="open_requests")
class OpenRequests(ListPage):
    permission = "assistance.coordinate"
    template_name = "assistance/open_requests.html"
    title = gettext_lazy("Open assistance requests")
    filter_form = OpenFilter
    selector = selectors.request_open_list


@routes.path("requests/<int:pk>/proposals/", name="proposals")
class Proposals(_RequestPage, FormPage):
    """Assistants ranked for a request, each with the reasons; the coordinator offers it to
    one or several. After a decline the next one is at the top."""

    permission = "assistance.assign"
    template_name = "assistance/proposals.html"
    form_class = OfferForm
    read_fields = REQUEST_READ_FIELDS

    @cached_property
    def proposals(self) -> list[selectors.Proposal]:
        return selectors.proposals_for(request=self.object)

    def form_kwargs(self) -> dict[str, Any]:
        return {"proposals": self.proposals}

    def extra_context(self) -> dict[str, Any]:
        return {
            "proposals": self.proposals,
            "assignments": selectors.request_assignments(request=self.object),
        }

    def save(self, form: Any) -> list[Assignment]:
        chosen = {p.profile.pk: p.profile for p in self.proposals}
        return services.assignment_offer(
            request=self.object,
            assistants=[chosen[pk] for pk in form.cleaned_data["assistants"]],
            by=self.user,
            base_url=_base_url(self.request),
        )

    def success_url(self, made: list[Assignment]) -> str:
        messages.success(
            self.request,
            ngettext(
                "Offered to %(count)s assistant.", "Offered to %(count)s assistants.", len(made)
            )
            % {"count": len(made)},
        )
        return reverse("assistance:proposals", args=[self.object.pk])


@routes.path("coordinate/service-level/", name="service_level")
class ServiceLevel(ShowPage):
    permission = "assistance.coordinate"
    template_name = "assistance/service_level.html"

    def extra_context(self) -> dict[str, Any]:
        form = PeriodForm(self.request.GET or None)
        period = form.cleaned_data if form.is_valid() else {}
        figures = selectors.service_level(
            fetched_by=self.user,
            date_from=period.get("date_from"),
            date_to=period.get("date_to"),
        )
        return {"filters": form, "figures": figures}


@routes.path("coordinate/hours/", name="hours_report")
class HoursReport(ListPage):
    """Hours per assistant or per institution for a period, on screen and as CSV/XLSX."""

    permission = "assistance.report"
    template_name = "assistance/hours_report.html"
    filter_form = PeriodForm
    by = "assistant"
    table: exports.Table
    kept: Any = None
    span = ""

    def rows(self, filters: dict[str, Any]) -> list[tuple[Any, int | None]]:
        self.by = "institution" if self.request.GET.get("by") == "institution" else "assistant"
        keys: list[int] = []
        self.kept = selectors.hours_report_kept(
            fetched_by=self.user,
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            download=self.request.GET.get("format") in ("csv", "xlsx"),
        )
        self.table = exports.hours_table(
            user=self.user,
            by=self.by,
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            keys=keys,
            kept=self.kept,
        )
        today = timezone.localdate()
        self.span = urlencode(
            {
                "date_from": (
                    filters.get("date_from") or today.replace(month=1, day=1)
                ).isoformat(),
                "date_to": (filters.get("date_to") or today).isoformat(),
            }
        )
        # A city office's pools hold a thousand assistants: the screen shows a page of them (the
        # download has every row), and links the certificates of that page only.
        ids: list[int | None] = [*keys] if keys else [None] * len(self.table[1])
        return list(zip(self.table[1], ids, strict=True))

    def page_context(self, page: Any) -> dict[str, Any]:
        certifiable = selectors.certifiable_among(
            fetched_by=self.user, ids=[pk for _row, pk in page if pk is not None]
        )
        rows = [
            (
                row,
                f"{reverse('assistance:certificate', args=[pk])}?{self.span}"
                if pk in certifiable
                else None,
            )
            for row, pk in page
        ]
        return {
            "by": self.by,
            "header": self.table[0],
            "rows": rows,
            "kept_at": self.kept.refreshed_at if self.kept is not None else None,
        }

    def respond(self, context: dict[str, Any]) -> Any:
        fmt = self.request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            audit(self.user, "mosty.assistance.hours.exported", None, details={"by": self.by})
            return exports.hours_download(self.table, by=self.by, fmt=fmt)
        return super().respond(context)
