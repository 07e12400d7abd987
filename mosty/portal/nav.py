from typing import Any

from django.utils.translation import gettext_lazy as _

from mosty.access.audit import audit_read, audit_reads
from mosty.access.policy import can
from mosty.core.navigation import NEWCOMERS, dashboard_panel, nav_item, record_section
from mosty.portal import selectors

nav_item(_("My page"), "portal:home", rule="portal.use", order=1)
nav_item(
    _("Requests for help"), "portal:help_list", rule="help_request.list", order=22, group=NEWCOMERS
)
nav_item(
    _("Tasks done by participants"),
    "portal:task_report_list",
    rule="help_request.list",
    order=23,
    group=NEWCOMERS,
)


def _panel(request: Any) -> dict[str, Any] | None:
    """The caseworker's view of what participants sent: open requests for help (their cases'
    and, for an organisation's staff, the intake queue) and tasks marked done."""
    user = request.user
    if not user.is_authenticated or not can(user, "help_request.list"):
        return None
    shown = selectors.DASHBOARD_REPORTS_SHOWN
    help_requests = list(selectors.help_request_list(fetched_by=user)[:shown])
    reports = list(selectors.task_report_list(fetched_by=user)[:shown])
    # The panel shows what the people wrote: read as on the lists and the case's page.
    audit_reads(user, help_requests, fields=["text", "reply"])
    audit_reads(user, reports, fields=["note"])
    return {"help_requests": help_requests, "reports": reports}


dashboard_panel("portal/_dashboard.html", _panel, order=15)


def _participant_home(request: Any) -> dict[str, Any] | None:
    """A participant who logs in lands on the dashboard: point them to their own page."""
    user = request.user
    if not user.is_authenticated or not can(user, "portal.use"):
        return None
    return {}


dashboard_panel("portal/_dashboard_participant.html", _participant_home, order=1)


def _participant_portal(request: Any, participant: Any) -> dict[str, Any] | None:
    user = request.user
    if not can(user, "portal.invite", participant):
        return None
    return {
        "participant": participant,
        "may_invite": True,
        **selectors.portal_status(participant=participant),
    }


record_section("participant", "portal/_participant_portal.html", _participant_portal, order=90)


def _case_rows(
    request: Any, case: Any, rows_of: Any, limit: int, fields: list[str]
) -> dict[str, Any] | None:
    """A case page's section of what its person sent the team from their page: the rows the
    user sees (`rows_of`, a selector fetching one more than `limit`), at most `limit` shown,
    their reads audited with `fields`; no section while there are none."""
    user = request.user
    if not can(user, "help_request.list"):
        return None
    rows = rows_of(fetched_by=user, case=case)
    if not rows:
        return None
    shown = rows[:limit]
    audit_reads(user, shown, fields=fields)
    return {"rows": shown, "more": len(rows) > len(shown)}


def _case_help(request: Any, case: Any) -> dict[str, Any] | None:
    """The requests for help the person sent about this case: the team answers them there
    and sees what was answered (reads audited with both texts, as on the staff list)."""
    return _case_rows(
        request,
        case,
        selectors.help_request_for_case,
        selectors.CASE_HELP_SHOWN,
        ["text", "reply"],
    )


record_section("case", "portal/_case_help.html", _case_help, order=30)


def _case_done(request: Any, case: Any) -> dict[str, Any] | None:
    """The tasks of the plan the person marked done from their page, with the note they left
    for the team: not yet read first, each with "Mark as read"."""
    return _case_rows(
        request, case, selectors.task_report_for_case, selectors.CASE_REPORTS_SHOWN, ["note"]
    )


record_section("case", "portal/_case_done.html", _case_done, order=35)


def _participant_summary(request: Any, participant: Any) -> dict[str, Any] | None:
    """What the person took part in, for staff allowed to see it: events attended (sessions,
    events, the last one) among registrations the user organises, and support minutes by kind
    from the cases the user may see. Each part is checked and audited on its own; a fixed
    number of queries whatever the history."""
    user = request.user
    attendance = (
        selectors.attendance_summary(fetched_by=user, participant=participant)
        if can(user, "event.manage_list")
        else None
    )
    support = (
        selectors.support_summary(fetched_by=user, participant=participant)
        if can(user, "case.list")
        else None
    )
    if attendance is None and support is None:
        return None

    if attendance is not None:
        # Figures about the person, not a list of their registrations: one read of the
        # participant (a list of hundreds of registration reads would say no more).
        audit_read(user, participant, fields=["attendance"])
    if support is not None:
        audit_reads(user, support["cases"], fields=["support_logs"])
    return {"attendance": attendance, "support": support}


record_section("participant", "portal/_participant_summary.html", _participant_summary, order=45)
