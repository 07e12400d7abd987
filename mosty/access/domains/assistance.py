"""Who requests, assigns and gives institution assistance.

- Institution staff request help for their organisation and see their organisation's requests.
- Coordinators of the organisation that keeps an assistant pool (the request's `provider`) see
  its open requests, assign assistants and see the pool's hours and service level.
- An assistant sees their own profile, the offers made to them, the requests behind them, and
  their own schedule and hours; they may give back an assignment they accepted.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q, QuerySet

from mosty.access.policy import POLICY
from mosty.access.roles import has_role, holds_role_at, is_admin, names_the_user, orgs_where
from mosty.accounts.models import Role
from mosty.assistance.models import (
    Assignment,
    AssignmentStatus,
    AssistanceRequest,
    AssistantProfile,
    RequestStatus,
)
from mosty.core.collation import by_name
from mosty.organisations.models import Organisation


@rules.predicate
def is_institution_staff(user: Any) -> bool:
    return has_role(user, Role.INSTITUTION_STAFF)


@rules.predicate
def is_assistant(user: Any) -> bool:
    return has_role(user, Role.ASSISTANT)


@rules.predicate
def coordinates_pool(user: Any) -> bool:
    return bool(orgs_where(user, Role.COORDINATOR))


requests_for = holds_role_at("organisation_id", Role.INSTITUTION_STAFF)


provides = holds_role_at("provider_id", Role.COORDINATOR)


@rules.predicate
def assigned_to(user: Any, request: AssistanceRequest | None) -> bool:
    return (
        request is not None
        and getattr(user, "is_authenticated", False)
        and request.assignments.filter(assistant__user=user).exists()
    )


@rules.predicate
def is_open(user: Any, request: AssistanceRequest | None) -> bool:
    return request is not None and request.status in (RequestStatus.OPEN, RequestStatus.COVERED)


@rules.predicate
def is_done(user: Any, request: AssistanceRequest | None) -> bool:
    return request is not None and request.status == RequestStatus.DONE


@rules.predicate
def holds_assignment(user: Any, assignment: Assignment | None) -> bool:
    return (
        assignment is not None
        and getattr(user, "is_authenticated", False)
        and assignment.assistant.user_id == user.pk
    )


@rules.predicate
def assignment_held(user: Any, assignment: Assignment | None) -> bool:
    return assignment is not None and assignment.status in (
        AssignmentStatus.ACCEPTED,
        AssignmentStatus.DONE,
    )


@rules.predicate
def assignment_accepted(user: Any, assignment: Assignment | None) -> bool:
    return assignment is not None and assignment.status == AssignmentStatus.ACCEPTED


@rules.predicate
def provides_assignment(user: Any, assignment: Assignment | None) -> bool:
    return assignment is not None and provides(user, assignment.request)


own_profile = names_the_user("user_id")


coordinates_profile = holds_role_at("organisation_id", Role.COORDINATOR)


# Any role that takes part (the API's lists, which show each only their own part)
POLICY.add_rule("assistance.request_browse", is_institution_staff | coordinates_pool | is_assistant)
# Institution staff
POLICY.add_rule("assistance.request_create", is_institution_staff)
POLICY.add_rule("assistance.request_list", is_institution_staff)
POLICY.add_rule("assistance.request_view", requests_for | provides | assigned_to)
POLICY.add_rule("assistance.request_assignments", requests_for | provides)
POLICY.add_rule("assistance.request_cancel", (requests_for | provides) & is_open)
POLICY.add_rule("assistance.feedback", requests_for & is_done)
# Coordinators of a pool
POLICY.add_rule("assistance.coordinate", coordinates_pool)
POLICY.add_rule("assistance.assign", provides & is_open)
POLICY.add_rule("assistance.report", is_admin | coordinates_pool)
# Assistants
POLICY.add_rule("assistance.profile", is_assistant)
POLICY.add_rule("assistance.profile_change", own_profile)
POLICY.add_rule("assistance.certificate", own_profile | coordinates_profile)
POLICY.add_rule("assignment.view", holds_assignment | provides_assignment)
# Only the assistant the offer was made to answers it; whether it is still open (not taken by
# someone else, not cancelled) is the service's answer, said as such, not an access refusal.
POLICY.add_rule("assignment.respond", holds_assignment)
POLICY.add_rule("assignment.log", holds_assignment & assignment_held)
# The assistant holding an accepted assignment gives it back (before it starts: the service
# says so after, when the hours are to be logged instead).
POLICY.add_rule("assignment.release", holds_assignment & assignment_accepted)


def visible_requests(user: Any) -> QuerySet[AssistanceRequest]:
    """Requests of the user's institutions, requests to the pools they coordinate, and the
    requests they were offered as an assistant."""
    if not getattr(user, "is_authenticated", False):
        return AssistanceRequest.objects.none()
    q = Q(organisation_id__in=orgs_where(user, Role.INSTITUTION_STAFF)) | Q(
        provider_id__in=orgs_where(user, Role.COORDINATOR)
    )
    if has_role(user, Role.ASSISTANT):
        q |= Q(pk__in=Assignment.objects.filter(assistant__user=user).values("request_id"))
    return AssistanceRequest.objects.filter(q)


def coordinated_pools(user: Any) -> list[int]:
    """The organisations whose pools the user coordinates."""
    return orgs_where(user, Role.COORDINATOR)


def coordinated_requests(user: Any) -> QuerySet[AssistanceRequest]:
    """Requests to the pools the user coordinates (what they assign)."""
    return AssistanceRequest.objects.filter(provider_id__in=coordinated_pools(user))


def visible_assignments(user: Any) -> QuerySet[Assignment]:
    """The user's own assignments, and those of the pools they coordinate."""
    if not getattr(user, "is_authenticated", False):
        return Assignment.objects.none()
    return Assignment.objects.filter(
        Q(assistant__user=user) | Q(request__provider_id__in=orgs_where(user, Role.COORDINATOR))
    )


def visible_profiles(user: Any) -> QuerySet[AssistantProfile]:
    """The user's own profile, and the profiles in the pools they coordinate (every profile
    for the administrator)."""
    if getattr(user, "is_authenticated", False) and is_admin(user):
        return AssistantProfile.objects.all()
    return certifiable_profiles(user)


def certifiable_profiles(user: Any) -> QuerySet[AssistantProfile]:
    """Profiles whose volunteer-hours certificate `user` may issue (`assistance.certificate`):
    their own, and those of the pools they coordinate. The administrator reads every pool's
    hours but a certificate is the pool's own word, so not every profile they see is here."""
    if not getattr(user, "is_authenticated", False):
        return AssistantProfile.objects.none()
    return AssistantProfile.objects.filter(
        Q(user=user) | Q(organisation_id__in=orgs_where(user, Role.COORDINATOR))
    )


def request_organisations(user: Any) -> QuerySet[Organisation]:
    """The institutions `user` may request help for."""
    return Organisation.objects.filter(pk__in=orgs_where(user, Role.INSTITUTION_STAFF)).order_by(
        *by_name("name")
    )


def assistant_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations whose pool `user` works in as an assistant."""
    return Organisation.objects.filter(pk__in=orgs_where(user, Role.ASSISTANT)).order_by("pk")


def provider_organisations() -> QuerySet[Organisation]:
    """Organisations keeping an active assistant pool: where a request can be sent."""
    return Organisation.objects.filter(
        is_active=True,
        pk__in=AssistantProfile.objects.filter(is_active=True).values("organisation_id"),
    ).order_by(*by_name("name"))


def reported_pools(user: Any) -> list[int] | None:
    """The pools whose assistants' hours the user's exports cover: None (all) for the admin,
    else those they coordinate."""
    if is_admin(user):
        return None
    return orgs_where(user, Role.COORDINATOR)


def reported_profiles(user: Any) -> QuerySet[AssistantProfile]:
    """Assistants whose hours the user's exports cover: all for the admin, else their pools."""
    pools = reported_pools(user)
    if pools is None:
        return AssistantProfile.objects.all()
    return AssistantProfile.objects.filter(organisation_id__in=pools)
