"""Reports pages: the dashboard of figures, programmes with targets and their exports, the
reconciliation of event registrants, and the public statistics."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mosty.access.audit import audit, audit_reads
from mosty.access.domains.people import visible_participants
from mosty.access.policy import can, require
from mosty.core.charts import ChartView, column_chart
from mosty.core.collation import sort_key
from mosty.core.indicators import BREAKDOWNS, INDICATORS, Scope, breakdown_label_map, month_key
from mosty.core.pages import ActionPage, DetailPage, FormPage, ListPage, ShowPage, StaffPage
from mosty.core.routing import Routes
from mosty.events.models import Registration
from mosty.reports import exports, selectors, services
from mosty.reports.forms import (
    BudgetLineForm,
    LinkForm,
    PeriodForm,
    ProgrammeForm,
    TargetForm,
)
from mosty.reports.models import CitySnapshot, Programme

routes = Routes()


def _chosen_format(data: Any) -> str:
    """The file format a report is asked for (`format=`): XLSX unless it names one of
    `exports.FORMATS`."""
    fmt = data.get("format", "xlsx")
    return fmt if fmt in exports.FORMATS else "xlsx"


def period(
    request: HttpRequest, default: tuple[datetime.date, datetime.date]
) -> tuple[PeriodForm, datetime.date, datetime.date]:
    """The period asked for in the query string (a bad one: the form says why, the default
    period is shown)."""
    form = PeriodForm(request.GET or None, initial={"start": default[0], "end": default[1]})
    if request.GET and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, default[0], default[1]


def monthly_chart(
    *, fetched_by: Any, scope: Scope, code: str, kept: selectors.Kept | None = None
) -> ChartView:
    """The indicator month by month over the scope (months without any: zero)."""
    indicator = INDICATORS[code]
    split = {
        key: value
        for key, _label, value in selectors.breakdown(
            fetched_by=fetched_by, scope=scope, code=code, by="month", kept=kept
        )
    }
    shown = months(scope.start, scope.end)
    labels = breakdown_label_map("month", shown)
    return column_chart(
        str(indicator.name),
        [(labels[key], split.get(key, 0)) for key in shown],
        label_heading=str(BREAKDOWNS["month"]),
        value_heading=str(indicator.unit_label),
        decimals=1 if code.endswith("hours") else 0,
    )


def months(start: datetime.date, end: datetime.date, *, limit: int = 36) -> list[str]:
    """ "2026-01", "2026-02", … from `start`'s month to `end`'s (the last `limit` of them)."""
    found = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        found.append(month_key(datetime.date(year, month, 1)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found[-limit:]


def refresh_context(user: Any, kept: selectors.Kept | None, here: str) -> dict[str, Any]:
    """What the freshness line and the "refresh now" button need."""
    return {
        "freshness": selectors.freshness(kept=kept),
        "may_refresh": can(user, "report.refresh"),
        "refresh_next": here,
    }


@routes.path("", name="dashboard")
class Dashboard(ShowPage):
    """The reader's figures: the whole city for the admin and the city office, else their
    organisations'."""

    permission = "report.view"
    template_name = "reports/dashboard.html"

    def extra_context(self) -> dict[str, Any]:
        form, start, end = period(self.request, selectors.default_period())
        scope = selectors.reader_scope(fetched_by=self.user, start=start, end=end)
        kept = selectors.kept_figures(scope)
        return {
            "filters": form,
            "scope": scope,
            # Each figure beside the same over the period of the same length just before.
            "rows": list(
                zip(
                    selectors.figures(fetched_by=self.user, scope=scope, kept=kept),
                    selectors.figures(fetched_by=self.user, scope=selectors.previous(scope)),
                    strict=True,
                )
            ),
            "previous": selectors.previous(scope),
            "charts": [
                monthly_chart(
                    fetched_by=self.user, scope=scope, code="events.programme_hours", kept=kept
                ),
                monthly_chart(fetched_by=self.user, scope=scope, code="cases.opened", kept=kept),
            ],
            **refresh_context(self.user, kept, reverse("reports:dashboard")),
            "may_reconcile": can(self.user, "report.reconcile"),
            "min_cell": selectors.min_cell(),
            **self.city_export_context(start, end),
        }

    def city_export_context(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        if not can(self.user, "report.city_export"):
            return {}
        return {
            "may_city_export": True,
            "start_iso": start.isoformat(),
            "end_iso": end.isoformat(),
            "city_snapshots": selectors.city_snapshot_list(fetched_by=self.user)[:5],
        }


@routes.path("refresh/", name="refresh")
class RefreshNow(ActionPage):
    """Queue a refresh of the kept figures; back to the page it was asked from."""

    permission = "report.refresh"
    object_optional = True

    def permission_target(self) -> None:
        return None

    def act(self, form: Any) -> Any:
        return services.rollup_refresh_request(by=self.user)

    def success_text(self, result: Any) -> str:
        return _("The figures will be counted again in the background.")

    def success_url(self, result: Any) -> str:
        target = self.request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=False
        ) and target.startswith("/"):
            return target
        return reverse("reports:dashboard")


@routes.path("programmes/", name="programme_list")
class ProgrammeList(ListPage):
    permission = "programme.list"
    template_name = "reports/programme_list.html"
    title = gettext_lazy("Programmes")
    selector = selectors.programme_list

    def extra_context(self) -> dict[str, Any]:
        return {
            "may_create": can(self.user, "programme.create"),
            "invitations": list(selectors.invitation_list(fetched_by=self.user)),
        }


@routes.path("programmes/new/", name="programme_create")
class ProgrammeCreate(FormPage):
    permission = "programme.create"
    template_name = "reports/programme_form.html"
    form_class = ProgrammeForm
    context_object_name = "programme"
    success_message = gettext_lazy("Programme saved.")
    success_detail = "reports:programme_detail"

    def form_kwargs(self) -> dict[str, Any]:
        return {
            "instance": self.object,
            "organisations": selectors.programme_organisations(self.user),
            "links": selectors.programme_link_choices(fetched_by=self.user),
        }

    def save(self, form: Any) -> Programme:
        return services.programme_create(by=self.user, **form.cleaned_data)


@routes.path("programmes/<int:pk>/edit/", name="programme_edit")
class ProgrammeEdit(ProgrammeCreate):
    permission = "programme.change"
    selector = selectors.programme_get

    def initial(self) -> dict[str, Any]:
        return {"version": self.object.version}

    def save(self, form: Any) -> Programme:
        return services.programme_update(programme=self.object, by=self.user, **form.cleaned_data)


@routes.path("programmes/<int:pk>/", name="programme_detail")
class ProgrammeDetail(DetailPage):
    permission = "programme.view"
    template_name = "reports/programme_detail.html"
    context_object_name = "programme"
    selector = selectors.programme_get

    def extra_context(self) -> dict[str, Any]:
        programme = self.object
        form, start, end = period(self.request, (programme.starts_on, programme.ends_on))
        scope = programme.scope(start, end)
        kept = selectors.kept_figures(scope)
        progress = selectors.programme_progress(
            fetched_by=self.user, programme=programme, start=start, end=end, kept=kept
        )
        return {
            "filters": form,
            "start": start,
            "end": end,
            "progress": progress,
            "chart": monthly_chart(
                fetched_by=self.user, scope=scope, code="events.programme_hours", kept=kept
            ),
            **refresh_context(
                self.user, kept, reverse("reports:programme_detail", args=[programme.pk])
            ),
            "target_form": TargetForm(),
            "links": selectors.programme_links(programme=programme),
            "budget_lines": list(programme.budget_lines.order_by("pk")),
            "budget_form": BudgetLineForm(),
            "may_change": can(self.user, "programme.change", programme),
            "snapshots": selectors.snapshot_list(fetched_by=self.user, programme=programme)[:10],
            "partners": sorted(programme.partners.all(), key=lambda o: (sort_key(o.name), o.pk)),
            "invitations": selectors.programme_invitations(programme=programme),
            "may_leave": can(self.user, "programme.leave", programme),
            "taking_part": programme.organisation_ids(),
            "start_iso": start.isoformat(),
            "end_iso": end.isoformat(),
            "min_cell": selectors.min_cell(),
        }


@routes.path("invitations/<int:pk>/accept/", name="partner_accept")
class PartnerAccept(ActionPage):
    permission = "programme.answer"
    selector = selectors.invitation_get
    service = services.partner_accept
    object_kwarg = "invitation"
    success_message = gettext_lazy("Your organisation takes part in the programme now.")

    def success_url(self, result: Any) -> str:
        if result is None:
            return reverse("reports:programme_list")
        return reverse("reports:programme_detail", args=[result.pk])


@routes.path("invitations/<int:pk>/decline/", name="partner_decline")
class PartnerDecline(ActionPage):
    permission = "programme.answer"
    selector = selectors.invitation_get
    service = services.partner_decline
    object_kwarg = "invitation"
    success_list = "reports:programme_list"
    success_message = gettext_lazy("You declined the invitation. The lead organisation is told.")


@routes.path("programmes/<int:pk>/leave/", name="programme_leave")
class ProgrammeLeave(ActionPage):
    permission = "programme.leave"
    selector = selectors.programme_get
    service = services.programme_leave
    object_kwarg = "programme"
    success_list = "reports:programme_list"
    success_message = gettext_lazy(
        "Your organisation no longer takes part: the programme's figures no longer count its "
        "records."
    )


class _ProgrammeFormAction(ActionPage):
    """A small form on the programme's page (a target, a budget line): the service adds it
    to the programme, bad input shows the programme's page again with the errors beside
    the fields, and the user goes back to that page."""

    permission = "programme.change"
    selector = selectors.programme_get
    shown_on = ProgrammeDetail
    object_kwarg = "programme"
    success_detail = "reports:programme_detail"


class _ProgrammePartDelete(ActionPage):
    """Removes one line of a programme (a target, a budget line): asked about the
    programme, and back to its page."""

    permission = "programme.change"
    owner = "programme"
    owner_detail = "reports:programme_detail"


@routes.path("programmes/<int:pk>/targets/", name="target_set")
class TargetSet(_ProgrammeFormAction):
    form_class = TargetForm
    form_name = "target_form"
    service = services.target_set
    success_message = gettext_lazy("Target saved.")


@routes.path("targets/<int:pk>/delete/", name="target_delete")
class TargetDelete(_ProgrammePartDelete):
    selector = selectors.target_get
    service = services.target_delete
    object_kwarg = "target"
    success_message = gettext_lazy("Target removed.")


@routes.path("programmes/<int:pk>/budget/", name="budget_line_add")
class BudgetLineAdd(_ProgrammeFormAction):
    form_class = BudgetLineForm
    form_name = "budget_form"
    service = services.budget_line_add
    success_message = gettext_lazy("Budget line added.")


@routes.path("budget/<int:pk>/delete/", name="budget_line_delete")
class BudgetLineDelete(_ProgrammePartDelete):
    selector = selectors.budget_line_get
    service = services.budget_line_delete
    object_kwarg = "line"
    success_message = gettext_lazy("Budget line removed.")


@routes.path("programmes/<int:pk>/export/", name="programme_export")
class ProgrammeExport(DetailPage):
    """Issues a report: the programme's figures for the period in the query string, kept as
    a `ReportSnapshot` and answered as XLSX (one sheet per indicator), CSV or PDF. A POST,
    because it writes the snapshot: a link prefetched or followed twice must not issue one."""

    permission = "programme.export"
    http_method_names = ["post"]  # noqa: RUF012
    selector = selectors.programme_get

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        programme = self.object
        form, start, end = period(request, (programme.starts_on, programme.ends_on))
        fmt = _chosen_format(request.POST)
        snapshot = services.report_issue(programme=programme, start=start, end=end, by=self.user)
        audit(self.user, "mosty.report.snapshot.exported", snapshot, details={"format": fmt})
        return exports.snapshot_response(snapshot, fmt=fmt)


class _IssuedDownload(DetailPage):
    """An issued report again, the same figures as the day it was issued: the file in the
    format asked for, its export audited as `audit_action`."""

    audit_action: str
    answer: Any  # the exports function writing the file (a staticmethod)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = _chosen_format(request.GET)
        audit(self.user, self.audit_action, self.object, details={"format": fmt})
        return self.answer(self.object, fmt=fmt)


@routes.path("issued/<int:pk>/", name="snapshot_download")
class SnapshotDownload(_IssuedDownload):
    """A programme's issued report."""

    permission = "programme.export"
    selector = selectors.snapshot_get
    audit_action = "mosty.report.snapshot.exported"
    answer = staticmethod(exports.snapshot_response)
    owner = "programme"


@routes.path("city/export/", name="city_export")
class CityExport(StaffPage):
    """Issues the city report: every indicator over the whole city for the period posted,
    with its breakdowns, kept as a `CitySnapshot` and answered as XLSX, CSV or PDF when its
    figures are kept (a calendar year); else counted in the background, back to the
    dashboard, which shows how far it got. A bad period goes back to the dashboard too,
    which says what is wrong beside the field."""

    permission = "report.city_export"
    http_method_names = ["post"]  # noqa: RUF012

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require(self.user, self.permission)
        form = PeriodForm(request.POST)
        if not form.is_valid():
            given = {name: request.POST.get(name, "") for name in ("start", "end")}
            return HttpResponseRedirect(reverse("reports:dashboard") + "?" + urlencode(given))
        fmt = _chosen_format(request.POST)
        snapshot = services.city_report_request(
            start=form.cleaned_data["start"], end=form.cleaned_data["end"], by=self.user
        )
        if snapshot.status != CitySnapshot.Status.READY:
            messages.info(
                request,
                _(
                    "The city's figures for this period are not kept, so they are being "
                    "counted in the background. The report will be listed below when it is "
                    "ready."
                ),
            )
            given = {name: request.POST.get(name, "") for name in ("start", "end")}
            return HttpResponseRedirect(reverse("reports:dashboard") + "?" + urlencode(given))
        audit(self.user, "mosty.report.city.exported", snapshot, details={"format": fmt})
        return exports.city_response(snapshot, fmt=fmt)


@routes.path("city/issued/<int:pk>/", name="city_download")
class CityDownload(_IssuedDownload):
    """An issued city report."""

    permission = "report.city_export"
    selector = selectors.city_snapshot_get
    audit_action = "mosty.report.city.exported"
    answer = staticmethod(exports.city_response)

    def permission_target(self) -> None:
        return None


@routes.path("reconcile/", name="reconcile")
class Reconcile(ListPage):
    """Event registrants without a participant record, each with the participants who may be
    them (same e-mail address or phone, or a name the intake search matches)."""

    permission = "report.reconcile"
    template_name = "reports/reconcile.html"
    per_page = 10
    # Counting them all costs a pass over every registration of hundreds of organisations.
    counted = False
    selector = selectors.unlinked_registrations
    filtered = False

    @cached_property
    def candidates(self) -> dict[int, list[Any]]:
        """The participants who may be each registrant of the page shown, by registration:
        looked for once, in one query for the whole page (the audit and the page both need
        them)."""
        return selectors.registration_candidates(
            fetched_by=self.user, registrations=list(self.page)
        )

    def page_context(self, page: Any) -> dict[str, Any]:
        rows = [(registration, self.candidates.get(registration.pk, [])) for registration in page]
        return {"rows": rows, "invitables": self.invitables}

    @cached_property
    def invitables(self) -> list[Any]:
        """The participant just linked, if they may be invited to the portal."""
        from mosty.portal.selectors import portal_invitables

        linked = self.request.GET.get("linked", "")
        if not linked.isdecimal():
            return []
        found = visible_participants(self.user).filter(pk=linked).first()
        return portal_invitables(fetched_by=self.user, participants=[found])

    def audit(self, page: Any, filters: dict[str, Any]) -> None:
        audit_reads(self.user, self.invitables, fields=["first_name", "last_name"])
        registrations = list(page)
        audit_reads(self.user, registrations, fields=["name", "email", "phone"])
        candidates = {p.pk: p for found in self.candidates.values() for p in found}
        audit_reads(
            self.user, list(candidates.values()), fields=["code", "first_name", "last_name"]
        )


@routes.path("reconcile/<int:pk>/link/", name="registration_link")
class RegistrationLink(ActionPage):
    permission = "report.reconcile"
    form_class = LinkForm

    def get_object(self) -> Registration:
        return selectors.unlinked_registration_get(fetched_by=self.user, pk=self.kwargs["pk"])

    def permission_target(self) -> None:
        return None

    def act(self, form: Any) -> Any:
        participant = selectors.participant_for_link(
            fetched_by=self.user, pk=form.cleaned_data["participant"]
        )
        services.registration_link(registration=self.object, participant=participant, by=self.user)
        return participant

    def success_text(self, result: Any) -> str:
        return _("Linked: the figures now count them as this participant.")

    def success_url(self, result: Any) -> str:
        # Back with the person just linked, so they can be invited to the portal from there.
        linked = f"?linked={result.pk}" if result is not None else ""
        return reverse("reports:reconcile") + linked


@routes.path("statistics/", name="public")
class PublicStatistics(ShowPage):
    """The city's headline figures for everyone, with small-cell suppression."""

    public = True
    permission = "statistics.public"
    template_name = "reports/public.html"

    def extra_context(self) -> dict[str, Any]:
        form, start, end = period(self.request, selectors.default_period())
        return {"filters": form, **selectors.public_statistics(start=start, end=end)}
