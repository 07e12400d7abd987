"""The participant portal and the staff bell (issue 19).

- A participant user reaches their own record only through their `PortalAccount`, and only while
  their participant membership in the organisation that registered them is active. Everything
  they see starts from `own_*` querysets filtered on that one participant: never staff notes,
  restricted fields or anyone else's data (a second participant's request is a 404).
- Staff may invite a participant they may change (`participant.change`), and see the requests
  for help and the tasks reported done of the cases they see; a request without a case lands in
  the intake queue of the organisation that registered the person, seen by its coordinators
  and caseworkers.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q, QuerySet

from mosty.access.domains.cases import visible_cases
from mosty.access.domains.people import may_see_participant, participant_is_not_anonymised
from mosty.access.policy import POLICY
from mosty.access.roles import orgs_where
from mosty.accounts.models import Membership, Role

STAFF_ROLES = (Role.COORDINATOR, Role.CASEWORKER)


def own_participant(user: Any) -> Any:
    """The participant record `user` is linked to, or None (cached for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_mosty_own_participant"):
        from mosty.portal.models import PortalAccount

        account = (
            PortalAccount.objects.select_related("participant")
            .filter(user=user, participant__anonymised_at__isnull=True)
            .first()
        )
        participant = account.participant if account is not None else None
        if participant is not None and participant.owner_id not in orgs_where(
            user, Role.PARTICIPANT
        ):
            participant = None
        user._mosty_own_participant = participant
    return user._mosty_own_participant


def _own_id(user: Any) -> int | None:
    participant = own_participant(user)
    return participant.pk if participant is not None else None


def _own(user: Any, model: Any, field: str = "participant_id") -> QuerySet:
    """`model`'s rows about the user's own participant record (through `field`), or none for a
    user who has none."""
    pk = _own_id(user)
    return model.objects.filter(**{field: pk}) if pk else model.objects.none()


def own_cases(user: Any) -> QuerySet:
    from mosty.cases.models import Case

    return _own(user, Case)


def own_tasks(user: Any) -> QuerySet:
    from mosty.cases.models import Task

    return _own(user, Task, "goal__case__participant_id")


def own_referrals(user: Any) -> QuerySet:
    from mosty.cases.models import Referral

    return _own(user, Referral, "case__participant_id")


def own_matches(user: Any) -> QuerySet:
    from mosty.mentoring.models import Match

    return _own(user, Match)


def own_registrations(user: Any) -> QuerySet:
    """Registrations made by the user themself or for their participant record by staff."""
    from mosty.events.models import Registration

    if not getattr(user, "is_authenticated", False):
        return Registration.objects.none()
    q = Q(user_id=user.pk)
    pk = _own_id(user)
    if pk:
        q |= Q(participant_id=pk)
    return Registration.objects.filter(q)


def own_consents(user: Any) -> QuerySet:
    from mosty.people.models import Consent

    return _own(user, Consent)


def own_help_requests(user: Any) -> QuerySet:
    from mosty.portal.models import HelpRequest

    return _own(user, HelpRequest)


def visible_help_requests(user: Any) -> QuerySet:
    """Requests on the cases the user sees, and the intake queue of their organisations."""
    from mosty.portal.models import HelpRequest

    orgs = orgs_where(user, *STAFF_ROLES) if getattr(user, "is_authenticated", False) else []
    if not orgs:
        return HelpRequest.objects.none()
    return HelpRequest.objects.filter(
        Q(case__in=visible_cases(user).values("pk"))
        | Q(case__isnull=True, organisation_id__in=orgs)
    )


def visible_task_reports(user: Any) -> QuerySet:
    from mosty.portal.models import TaskReport

    return TaskReport.objects.filter(task__goal__case__in=visible_cases(user).values("pk"))


def login_beyond_portal(user: Any) -> bool:
    """Whether the login of a portal account does more than open the portal: it holds another
    role (the newcomer became an interpreter), is a superuser's, or an administrator switched
    it off. An invitation code, which the inviting caseworker sees too, sets the password of
    the account whose access ended (`portal.services.invitation_accept`): not of such a login."""
    return (
        not user.is_active
        or user.is_superuser
        or Membership.objects.filter(user=user, is_active=True)
        .exclude(role=Role.PARTICIPANT)
        .exists()
    )


# --- predicates ---------------------------------------------------------------------------


@rules.predicate
def has_portal(user: Any) -> bool:
    return own_participant(user) is not None


@rules.predicate
def owns_task(user: Any, task: Any) -> bool:
    pk = _own_id(user)
    return bool(pk and task is not None and own_tasks(user).filter(pk=task.pk).exists())


@rules.predicate
def task_open(user: Any, task: Any) -> bool:
    return task is not None and task.status in ("todo", "in_progress")


@rules.predicate
def owns_consent(user: Any, consent: Any) -> bool:
    pk = _own_id(user)
    return bool(pk and consent is not None and consent.participant_id == pk)


@rules.predicate
def consent_active(user: Any, consent: Any) -> bool:
    return consent is not None and consent.withdrawn_at is None


@rules.predicate
def owns_registration(user: Any, registration: Any) -> bool:
    return registration is not None and own_registrations(user).filter(pk=registration.pk).exists()


@rules.predicate
def works_with_people(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and orgs_where(user, *STAFF_ROLES))


@rules.predicate
def sees_help_request(user: Any, help_request: Any) -> bool:
    return (
        help_request is not None and visible_help_requests(user).filter(pk=help_request.pk).exists()
    )


@rules.predicate
def help_is_open(user: Any, help_request: Any) -> bool:
    return help_request is not None and help_request.status == "open"


@rules.predicate
def sees_task_report(user: Any, report: Any) -> bool:
    return report is not None and visible_task_reports(user).filter(pk=report.pk).exists()


POLICY.add_rule("portal.use", has_portal)
POLICY.add_rule("portal.task.complete", has_portal & owns_task & task_open)
POLICY.add_rule("portal.consent.withdraw", has_portal & owns_consent & consent_active)
POLICY.add_rule("portal.registration.view", has_portal & owns_registration)
POLICY.add_rule("portal.help.ask", has_portal)
POLICY.add_rule("portal.export", has_portal)
POLICY.add_rule("portal.invite", may_see_participant & participant_is_not_anonymised)
POLICY.add_rule("help_request.list", works_with_people)
POLICY.add_rule("help_request.handle", sees_help_request & help_is_open)
# The case team marks a task the participant reported done as read (it leaves the dashboard).
POLICY.add_rule("task_report.read", works_with_people & sees_task_report)
