"""What each action tells whom: one call from the service that causes it, inside its
transaction. The rows are written with the action (and vanish if it rolls back); the sending is
handed to the worker on commit (`mosty.messaging.outbox`).

Staff hear through the bell (and nobody depends on e-mail alone); participants and mentors get
a message through their own channel, in their own language.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse

from mosty.access.domains.messaging import organisation_staff
from mosty.accounts.models import Role
from mosty.cases.models import Case, PlanStatus, Referral, ReferralStatus, Task
from mosty.events.models import Event, RegistrationStatus
from mosty.mentoring.models import Match
from mosty.messaging.broadcasts import event_broadcast_expand
from mosty.messaging.outbox import message_to_participant, message_to_user, notify


def _team(case: Case) -> list[Any]:
    return [case.lead, *case.members.all()]


def referral_sent(referral: Referral) -> None:
    """To the receiving organisation."""
    notify(
        organisation_staff(referral.to_organisation_id),
        "referral_sent",
        {"organisation": referral.from_organisation.name, "code": f"#{referral.pk}"},
        url=reverse("cases:referral_detail", args=[referral.pk]),
    )


def referral_answered(referral: Referral) -> None:
    """Back to the case team, and to the person when the partner accepted or declined."""
    if referral.status == ReferralStatus.WITHDRAWN:
        return
    case = referral.case
    notify(
        _team(case),
        "referral_answered",
        {"organisation": referral.to_organisation.name, "status": referral.status},
        url=reverse("cases:referral_detail", args=[referral.pk]),
    )
    if referral.status in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED):
        message_to_participant(
            case.participant,
            "referral_answered_participant",
            {"organisation": referral.to_organisation.name},
            key=f"referral:{referral.pk}:{referral.status}",
        )


def plan_requested(case: Case) -> None:
    notify(
        organisation_staff(case.organisation_id, Role.COORDINATOR),
        "plan_requested",
        {"case": case.pk},
        url=reverse("cases:detail", args=[case.pk]),
    )


def plan_decided(case: Case) -> None:
    notify(
        _team(case),
        "plan_decided",
        {"case": case.pk, "status": case.plan_status},
        url=reverse("cases:detail", args=[case.pk]),
    )
    if case.plan_status == PlanStatus.APPROVED:
        message_to_participant(
            case.participant,
            "plan_approved_participant",
            {},
            key=f"plan:{case.pk}:{case.plan_decided_at.isoformat() if case.plan_decided_at else ''}",
        )


def task_assigned(task: Task, by: Any) -> None:
    if task.assignee_user_id and task.assignee_user_id != getattr(by, "pk", None):
        case = task.goal.case
        notify(
            [task.assignee_user],
            "task_assigned",
            {"case": case.pk},
            url=reverse("cases:detail", args=[case.pk]),
        )


def task_due(task: Task) -> None:
    """The reminder's twin under the bell, so a due task does not rest on e-mail alone."""
    if task.assignee_user_id:
        case_id = task.goal.case_id
        notify(
            [task.assignee_user],
            "task_due",
            {"case": case_id},
            url=reverse("cases:detail", args=[case_id]),
        )


def match_proposed(match: Match) -> None:
    user = match.mentor.user
    if user is not None:
        payload = {"organisation": match.organisation.name, "code": match.participant.code}
        notify(
            [user],
            "match_proposed",
            payload,
            url=reverse("mentoring:match_detail", args=[match.pk]),
        )
        message_to_user(user, "match_proposed", payload, key=f"match:{match.pk}:proposed")


def match_activated(match: Match) -> None:
    message_to_participant(match.participant, "match_activated", {}, key=f"match:{match.pk}:active")
    user = match.mentor.user
    if user is not None:
        notify(
            [user],
            "match_activated_mentor",
            {"code": match.participant.code},
            url=reverse("mentoring:match_detail", args=[match.pk]),
        )


def _event_news(event: Event, template: str, key: str, by: Any) -> None:
    """Every registrant in their language and channel (expanded by the worker), and the staff
    who registered people they support under their bell."""
    transaction.on_commit(
        lambda: event_broadcast_expand.enqueue(event_id=event.pk, template=template, key=key)
    )
    registrars = (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .exclude(registered_by__isnull=True)
        .exclude(registered_by=by)
        .select_related("registered_by")
    )
    notify(
        [registration.registered_by for registration in registrars],
        template,
        {"title": event.title},
        url=reverse("events:detail", args=[event.pk]),
    )


def event_cancelled(event: Event, *, by: Any) -> None:
    _event_news(event, "event_cancelled", f"event:{event.pk}:cancelled", by)


def event_changed(event: Event, *, by: Any) -> None:
    """Its dates or place changed (one message per saved version)."""
    _event_news(event, "event_changed", f"event:{event.pk}:changed:{event.version}", by)
