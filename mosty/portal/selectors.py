"""Reads of the portal: the participant's own records (always from the `own_*` querysets of
`mosty/access/domains/portal.py`) and, for staff, what participants sent them."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from mosty.access.domains.cases import visible_cases
from mosty.access.domains.events import visible_registrations
from mosty.access.domains.people import visible_participants
from mosty.access.domains.portal import (
    own_cases,
    own_consents,
    own_help_requests,
    own_matches,
    own_participant,
    own_referrals,
    own_registrations,
    own_tasks,
    visible_help_requests,
    visible_task_reports,
)
from mosty.accounts.models import Membership, Role
from mosty.cases.models import (
    CaseStatus,
    Goal,
    GoalStatus,
    ReferralStatus,
    SupportKind,
    SupportLog,
    Task,
)
from mosty.events.models import Attendance, Registration
from mosty.mentoring.models import MatchStatus
from mosty.messaging.models import Message, MessageStatus
from mosty.portal.models import HelpRequest, HelpStatus, PortalAccount, PortalInvitation, TaskReport


def participant_of(user: Any) -> Any:
    return own_participant(user)


def plan_list(*, fetched_by: Any) -> list[Any]:
    """The open cases of the participant with their open goals and tasks (never notes or the
    coordinator's comments); a task they marked done carries their own report of it
    (`my_reports`: the note they left and whether the team has read it)."""
    own = own_participant(fetched_by)
    reports = TaskReport.objects.filter(participant=own).order_by("-created_at", "-pk")
    tasks = Task.objects.order_by("status", "due_date", "pk").prefetch_related(
        Prefetch("portal_reports", queryset=reports, to_attr="my_reports")
    )
    goals = Goal.objects.exclude(status=GoalStatus.DROPPED).prefetch_related(
        Prefetch("tasks", queryset=tasks.exclude(status="cancelled"))
    )
    return list(
        own_cases(fetched_by)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("organisation")
        .prefetch_related(Prefetch("goals", queryset=goals))
        .order_by("-opened_on", "-pk")
    )


def own_task_get(*, fetched_by: Any, pk: int) -> Task:
    task: Task = get_object_or_404(own_tasks(fetched_by).select_related("goal"), pk=pk)
    return task


def open_task_count(*, fetched_by: Any) -> int:
    return own_tasks(fetched_by).filter(status__in=("todo", "in_progress")).count()


def mentor_of(*, fetched_by: Any) -> dict[str, str] | None:
    """The participant's mentor as the portal shows them: first name, and the organisation to
    contact (the mentor's own contact stays with the coordinator)."""
    match = (
        own_matches(fetched_by)
        .filter(status__in=(MatchStatus.ACCEPTED, MatchStatus.ACTIVE))
        .select_related("mentor", "organisation")
        .first()
    )
    if match is None:
        return None
    organisation = match.organisation
    return {
        "first_name": (match.mentor.name.split() or [""])[0],
        "active": match.status == MatchStatus.ACTIVE,
        "organisation": organisation.name,
        "email": organisation.email,
        "phone": organisation.phone,
    }


def plain_referral_status(status: str, organisation: str) -> str:
    """What a referral's status means to the person it is about."""
    texts: dict[str, str] = {
        ReferralStatus.SENT: _(
            "We asked %(organisation)s to help you. They have not answered yet."
        ),
        ReferralStatus.ACCEPTED: _("%(organisation)s agreed to help you. They will contact you."),
        ReferralStatus.DECLINED: _(
            "%(organisation)s cannot help you this time. Your caseworker will look for another way."
        ),
        ReferralStatus.COMPLETED: _("%(organisation)s has finished helping you."),
        ReferralStatus.WITHDRAWN: _("This request to %(organisation)s was cancelled."),
    }
    return texts.get(status, "%(organisation)s") % {"organisation": organisation}


def referral_list(*, fetched_by: Any) -> list[dict[str, Any]]:
    referrals = own_referrals(fetched_by).select_related("to_organisation").order_by("-created_at")
    return [
        {
            "referral": r,
            "organisation": r.to_organisation.name,
            "text": plain_referral_status(r.status, r.to_organisation.name),
        }
        for r in referrals[:50]
    ]


def registration_list(*, fetched_by: Any) -> QuerySet[Any]:
    return (
        own_registrations(fetched_by)
        .select_related("event")
        .prefetch_related("event__translations", "event__sessions")
        .order_by("-created_at")[:50]
    )


def consent_list(*, fetched_by: Any) -> QuerySet[Any]:
    return own_consents(fetched_by).order_by("-given_at", "-pk")


def consent_get(*, fetched_by: Any, pk: int) -> Any:
    return get_object_or_404(own_consents(fetched_by), pk=pk)


def consent_withdraw_consequences(consent: Any) -> list[str]:
    """What follows when the participant withdraws `consent`, said before they confirm."""
    from mosty.people.models import ConsentPurpose

    said = [
        _(
            "From now on we no longer use your data for this purpose. What was done before "
            "stays as it is."
        )
    ]
    if consent.purpose == ConsentPurpose.MESSAGES:
        said.append(_("We no longer send you messages this way."))
    if consent.purpose == ConsentPurpose.REFERRAL:
        said.append(
            _(
                "Requests we sent to other organisations to help you are cancelled if they "
                "have not answered yet."
            )
        )
    if consent.purpose == ConsentPurpose.PORTAL:
        said.append(
            _(
                "Your account in this portal ends at once: you are logged out and can no longer "
                "open these pages."
            )
        )
    return said


def help_list_own(*, fetched_by: Any) -> QuerySet[HelpRequest]:
    return own_help_requests(fetched_by).order_by("-created_at")[:10]


# --- staff ------------------------------------------------------------------------------------


def invitation_participant_get(*, fetched_by: Any, pk: int) -> Any:
    return get_object_or_404(visible_participants(fetched_by), pk=pk)


def open_accounts() -> QuerySet[PortalAccount]:
    """Portal accounts whose access is open: their participant membership in the organisation
    that registered the person is active. Withdrawing the consent to the portal ends it
    (`services.portal_access_end`); the account stays, and a new invitation opens it again."""
    return PortalAccount.objects.filter(
        Exists(
            Membership.objects.filter(
                user=OuterRef("user"),
                organisation=OuterRef("participant__owner"),
                role=Role.PARTICIPANT,
                is_active=True,
            )
        )
    )


def portal_status(*, participant: Any) -> dict[str, Any]:
    account = PortalAccount.objects.filter(participant=participant).first()
    account_open = account is not None and open_accounts().filter(pk=account.pk).exists()
    invitation = (
        PortalInvitation.objects.filter(
            participant=participant, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .order_by("-created_at")
        .first()
    )
    messages = list(
        Message.objects.filter(recipient_participant=participant).order_by("-created_at", "-pk")[:5]
    )
    held = Message.objects.filter(
        recipient_participant=participant, status=MessageStatus.HELD
    ).count()
    return {
        "account": account,
        "account_open": account_open,
        "invitation": invitation,
        "messages": messages,
        "held": held,
    }


def help_request_list(
    *, fetched_by: Any, filters: dict[str, Any] | None = None
) -> QuerySet[HelpRequest]:
    """The requests for help `fetched_by` sees: waiting for an answer, or (`state` "closed")
    answered or handled, newest first."""
    qs = visible_help_requests(fetched_by).select_related(
        "participant", "organisation", "case", "handled_by"
    )
    if (filters or {}).get("state") == "closed":
        return qs.exclude(status=HelpStatus.OPEN).order_by("-handled_at", "-pk")
    return qs.filter(status=HelpStatus.OPEN).order_by("-created_at", "-pk")


# How many of a case's requests for help its page shows; the staff list has them all.
CASE_HELP_SHOWN = 10


def help_request_for_case(*, fetched_by: Any, case: Any) -> list[HelpRequest]:
    """The requests for help on `case` that `fetched_by` sees, for the case's page: those
    waiting first, newest first, then the answered or handled, latest handled first. One more
    than `CASE_HELP_SHOWN`, so the page can tell whether there are more."""
    return list(
        visible_help_requests(fetched_by)
        .filter(case=case)
        .select_related("participant", "handled_by")
        .order_by(F("handled_at").desc(nulls_first=True), "-created_at", "-pk")[
            : CASE_HELP_SHOWN + 1
        ]
    )


def help_request_get(*, fetched_by: Any, pk: int) -> HelpRequest:
    found: HelpRequest = get_object_or_404(visible_help_requests(fetched_by), pk=pk)
    return found


def task_report_list(
    *, fetched_by: Any, filters: dict[str, Any] | None = None
) -> QuerySet[TaskReport]:
    """The tasks participants marked done on the cases `fetched_by` sees, with their notes:
    not yet read by the team, newest first, or (`state` "read") read, latest read first."""
    qs = visible_task_reports(fetched_by).select_related(
        "task", "task__goal", "participant", "seen_by"
    )
    if (filters or {}).get("state") == "read":
        return qs.filter(seen_at__isnull=False).order_by("-seen_at", "-pk")
    return qs.filter(seen_at__isnull=True).order_by("-created_at", "-pk")


# How many tasks marked done a case's page shows, and the dashboard.
CASE_REPORTS_SHOWN = 10
DASHBOARD_REPORTS_SHOWN = 5


def task_report_for_case(*, fetched_by: Any, case: Any) -> list[TaskReport]:
    """The tasks of `case` its participant marked done, for the case's page: those the team
    has not read first, newest first, then the read ones. One more than
    `CASE_REPORTS_SHOWN`, so the page can tell whether there are more."""
    return list(
        visible_task_reports(fetched_by)
        .filter(task__goal__case=case)
        .select_related("task", "seen_by")
        .order_by(F("seen_at").desc(nulls_first=True), "-created_at", "-pk")[
            : CASE_REPORTS_SHOWN + 1
        ]
    )


def task_report_get(*, fetched_by: Any, pk: int) -> TaskReport:
    found: TaskReport = get_object_or_404(
        visible_task_reports(fetched_by).select_related("task__goal", "participant", "seen_by"),
        pk=pk,
    )
    return found


def attendance_summary(*, fetched_by: Any, participant: Any) -> dict[str, Any]:
    """Sessions and events `participant` attended, among registrations `fetched_by` sees: one
    aggregate over a subquery, however many registrations the person has (a regular at a
    weekly course has hundreds)."""
    registrations = visible_registrations(fetched_by).filter(
        # By subquery on the participant's rows: see `events.nav._participant_registrations`.
        pk__in=Registration.objects.filter(participant=participant).values("pk")
    )
    return Attendance.objects.filter(
        registration__in=registrations.values("pk"), present=True
    ).aggregate(
        sessions=Count("pk"),
        events=Count("registration__event", distinct=True),
        last=Max("session__starts_at"),
    )


def support_summary(*, fetched_by: Any, participant: Any) -> dict[str, Any]:
    """Support minutes by kind from the participant's cases `fetched_by` may see (kind and
    minutes are seen by the whole case team; summaries are not read here)."""
    cases = list(
        visible_cases(fetched_by)
        .filter(participant=participant)
        .select_related("participant")
        .only("pk", "participant__code")
    )
    labels = dict(SupportKind.choices)
    rows = (
        SupportLog.objects.filter(case__in=cases)
        .values("kind")
        .annotate(minutes=Sum("minutes"), sessions=Count("pk"))
        .order_by("-minutes")
    )
    kinds = [{**row, "label": labels.get(row["kind"], row["kind"])} for row in rows]
    return {"cases": cases, "kinds": kinds, "minutes": sum(row["minutes"] for row in kinds)}


def portal_invitables(*, fetched_by: Any, participants: list[Any]) -> list[Any]:
    """Of `participants` (a match's newcomer and their household, a registrant just linked),
    those `fetched_by` may invite to the portal and whose access is not open: no account yet,
    or one whose access ended (one query)."""
    from mosty.access.policy import can

    wanted = {p.pk: p for p in participants if p is not None and p.anonymised_at is None}
    having = set(
        open_accounts().filter(participant_id__in=wanted).values_list("participant_id", flat=True)
    )
    return [
        p for pk, p in wanted.items() if pk not in having and can(fetched_by, "portal.invite", p)
    ]


def household_of(*, participant: Any) -> list[Any]:
    """`participant` and the members of their household who have a participant record."""
    if participant.household_id is None:
        return [participant]
    others = (
        participant.household.members.filter(participant__isnull=False)
        .exclude(participant=participant)
        .select_related("participant", "participant__owner")
    )
    return [participant, *(member.participant for member in others)]


def document_list(*, fetched_by: Any) -> dict[str, Any]:
    """ "My documents": certificates of the courses the participant completed, and the booklets
    for newcomers (every article in them is for newcomers) printed in their language."""
    from django.db.models import Exists, OuterRef, Q

    from mosty.events.selectors import is_completed
    from mosty.knowledge.models import Audience, BookletExport, BookletItem, ExportStatus

    registrations = (
        own_registrations(fetched_by)
        .filter(status="confirmed")
        .select_related("event")
        .prefetch_related("event__translations")
        .annotate(
            sessions=Count("event__sessions", distinct=True),
            attended=Count("attendance", filter=Q(attendance__present=True), distinct=True),
        )
        .order_by("-event__starts_at")
    )
    certificates = [
        r
        for r in registrations
        if is_completed(status=r.status, attended=r.attended, sessions=r.sessions)
    ]
    language = getattr(fetched_by, "language", "") or ""
    not_for_newcomers = BookletItem.objects.filter(booklet=OuterRef("booklet")).exclude(
        article__audience=Audience.NEWCOMERS
    )
    booklets = list(
        BookletExport.objects.filter(status=ExportStatus.DONE, language=language)
        .exclude(pdf="")
        .exclude(Exists(not_for_newcomers))
        .select_related("booklet")
        .order_by("booklet_id", "-created_at")
        .distinct()
    )
    latest = {export.booklet_id: export for export in reversed(booklets)}
    for export in latest.values():
        export.title = export.booklet.title_in(language)  # type: ignore[attr-defined]
    return {"certificates": certificates, "booklets": list(latest.values())}


def own_booklet_get(*, fetched_by: Any, pk: int) -> Any:
    """A booklet PDF the participant may download: one `document_list` shows them."""
    for export in document_list(fetched_by=fetched_by)["booklets"]:
        if export.pk == pk:
            return export
    from django.http import Http404

    raise Http404
