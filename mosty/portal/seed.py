"""The demo participant login, linked to a participant with a case, a plan with tasks, a mentor
and event registrations (the cases, mentoring and events seeds make those)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mosty.accounts.models import Membership, Role, User
from mosty.cases.models import Case, CaseStatus, Task, TaskStatus
from mosty.core.seeding import seeder
from mosty.mentoring.models import Match, MatchStatus
from mosty.people.models import Consent, ConsentPurpose, Participant
from mosty.portal.models import HelpRequest, PortalAccount, TaskReport

DEMO_PARTICIPANT = "participant@demo.mosty.local"
DEMO_MENTOR = "mentor@demo.mosty.local"


def _demo_participant() -> Participant | None:
    """The demo mentor's active match: that person also has a case whose plan gives tasks to
    the mentor; else any participant of the demo NGO with a plan."""
    match = (
        Match.objects.filter(status=MatchStatus.ACTIVE, mentor__user__email=DEMO_MENTOR)
        .select_related("participant")
        .first()
    )
    if match is not None:
        return match.participant
    case = (
        Case.objects.filter(organisation__slug="fundacja-most", goals__tasks__isnull=False)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("participant")
        .first()
    )
    return case.participant if case else None


@seeder("portal", order=80)
def seed_portal(ctx: Any) -> str:
    user = User.objects.filter(email=DEMO_PARTICIPANT).first()
    if user is None or PortalAccount.objects.filter(user=user).exists():
        return "portal: nothing to link"
    participant = _demo_participant()
    if participant is None or PortalAccount.objects.filter(participant=participant).exists():
        return "portal: no participant with a plan to link"
    now = timezone.now()
    Membership.objects.get_or_create(
        user=user, organisation_id=participant.owner_id, role=Role.PARTICIPANT
    )
    # The login is that person's: the page greets them by the name their record has.
    user.first_name, user.last_name = participant.first_name, participant.last_name
    user.save(update_fields=["first_name", "last_name"])
    # The texts as the demo participant read them, in Ukrainian (the consent's `language`).
    for purpose, channel, text in (
        (ConsentPurpose.PORTAL, "", "Я хочу мати власну сторінку в Mosty."),
        (
            ConsentPurpose.MESSAGES,
            "sms",
            "Ви можете надсилати мені текстові повідомлення про мій план і події.",
        ),
    ):
        if not participant.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists():
            Consent.objects.create(
                participant=participant,
                purpose=purpose,
                channel=channel,
                text_shown=text,
                language="uk",
                given_at=now,
            )
    if not participant.phone:
        participant.phone = "+48 600 100 200"
    participant.preferred_channel = "sms"
    participant.save(update_fields=["phone", "preferred_channel"])
    PortalAccount.objects.create(
        user=user,
        participant=participant,
        invited_by=User.objects.filter(email="caseworker@demo.mosty.local").first(),
        invited_at=now - dt.timedelta(days=3),
        accepted_at=now - dt.timedelta(days=2),
    )
    case = participant.cases.exclude(status=CaseStatus.CLOSED).order_by("-opened_on").first()
    if case is not None:
        Case.objects.filter(pk=case.pk).update(review_date=timezone.localdate() + dt.timedelta(7))
        HelpRequest.objects.create(
            participant=participant,
            organisation_id=case.organisation_id,
            case=case,
            text="Чи можна перенести нашу зустріч на п'ятницю?",
            language="uk",
        )
        # A task of the plan marked done from the portal, with a note for the team, which
        # the caseworker finds on the dashboard and the case's page until they mark it read.
        task = (
            Task.objects.filter(
                goal__case=case, status__in=(TaskStatus.TODO, TaskStatus.IN_PROGRESS)
            )
            .order_by("due_date", "pk")
            .first()
        )
        if task is not None:
            Task.objects.filter(pk=task.pk).update(status=TaskStatus.DONE, completed_at=now)
            TaskReport.objects.create(
                task=task,
                participant=participant,
                note="Документи зібрала, копії принесу на нашу зустріч.",
            )
    return f"portal: {DEMO_PARTICIPANT} linked to {participant.code}"
