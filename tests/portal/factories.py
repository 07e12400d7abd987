"""Portal objects for tests: a participant user linked to a participant with a case and a task."""

from django.utils import timezone

from mosty.portal.models import HelpRequest, PortalAccount, TaskReport
from tests.cases.factories import make_case, make_goal, make_participant, make_task


def link(world, org: str = "a", participant=None):
    """Link the `participant`-role user of `org` to a participant record (with a case, a goal and
    an open task), as an accepted invitation would."""
    user = world.user("participant", org)
    existing = PortalAccount.objects.filter(user=user).select_related("participant").first()
    if existing is not None:
        return existing.participant
    participant = participant or make_participant(
        world, org, consents=("case_management", "referral", "portal")
    )
    PortalAccount.objects.create(
        user=user,
        participant=participant,
        invited_by=world.user("caseworker", org),
        invited_at=timezone.now(),
        accepted_at=timezone.now(),
    )
    for attr in ("_mosty_own_participant",):
        if hasattr(user, attr):
            delattr(user, attr)
    return participant


def with_plan(world, org: str = "a"):
    """A linked participant with a case, a goal and an open task; returns the task."""
    participant = link(world, org)
    case = participant.cases.first() or make_case(world, org, participant=participant)
    goal = make_goal(case)
    return make_task(goal, title="Register at the city office")


def help_request(world, org: str = "a", *, with_case: bool = True):
    participant = link(world, org)
    case = make_case(world, org, participant=participant) if with_case else None
    return HelpRequest.objects.create(
        participant=participant,
        organisation=world.org(org),
        case=case,
        text="I need a doctor who speaks Ukrainian.",
        language="uk",
    )


def task_report(world, org: str = "a", note: str = "Byłam w urzędzie, mam PESEL."):
    """The linked participant of `org` marked the open task of their plan done, with `note`
    for their caseworker, as from their page (the task is done)."""
    from mosty.cases.models import TaskStatus

    task = with_plan(world, org)
    task.status = TaskStatus.DONE
    task.completed_at = timezone.now()
    task.save(update_fields=["status", "completed_at"])
    return TaskReport.objects.create(task=task, participant=link(world, org), note=note)


def asked(world, login, text: str = "Потрібен лікар"):
    """The newcomer of organisation A asks for help through their page (with an e-mail
    address to be told by); the request, as staff find it."""
    from django.urls import reverse

    participant = link(world, "a")
    participant.email = "olena@example.org"
    participant.save(update_fields=["email"])
    login("participant").post(reverse("portal:help"), {"text": text})
    return HelpRequest.objects.get()
