"""Who may see and run participation programmes, calls and consultations, and who sees the
ideas and consultation responses newcomers prepare with support.

Published programmes and their calls are public; an unpublished one is seen by members of the
organisation that prepares it. Coordinators of that organisation publish and edit them. A city
runs its citizens' budget and consultations as an organisation too (its city office), whose
coordinators manage them. The installation's admin does not: the admin operates the
installation (configuration, users, organisations: docs/architecture.md, "Who uses it"), and an
organisation's drafts and the responses it receives are its own, like any organisation's data.
The admin reads the published programmes like every visitor, and the menu offers them no
management link; an admin who also runs the city's programmes holds a coordinator membership at
the city office.

An idea is seen by the coordinators and caseworkers of the organisation that supports it, the
mentor or assistant assigned to it and its author (a newcomer with an account). A consultation
response, once submitted, is also seen by the coordinators of the consultation's organiser, who
record the authority's answer: they see the text and title, not who the participant is.
"""

import rules
from django.db.models import Q, QuerySet
from django.utils import timezone

from mosty.access.policy import POLICY
from mosty.access.roles import (
    has_role,
    holds_role_at,
    in_visible,
    is_authenticated,
    names_the_user,
    orgs_where,
    remembered,
    role_map,
)
from mosty.accounts.models import Role
from mosty.core.collation import by_name
from mosty.events.models import Event, EventKind
from mosty.participation.models import (
    Call,
    CallDocument,
    Group,
    GroupMember,
    Idea,
    IdeaKind,
    IdeaStatus,
    MemberRole,
    Programme,
)

STAFF = (Role.COORDINATOR, Role.CASEWORKER)
SUPPORTERS = (Role.MENTOR, Role.ASSISTANT)


@rules.predicate
def is_coordinator(user) -> bool:
    return has_role(user, Role.COORDINATOR)


@rules.predicate
def programme_is_visible(user, programme) -> bool:
    return programme is not None and (
        programme.is_published or programme.organisation_id in role_map(user)
    )


coordinates_programme = holds_role_at("organisation_id", Role.COORDINATOR)


@rules.predicate
def call_is_visible(user, call) -> bool:
    return call is not None and programme_is_visible(user, call.programme)


@rules.predicate
def coordinates_call(user, call) -> bool:
    return call is not None and coordinates_programme(user, call.programme)


def programme_organisations(user) -> QuerySet:
    """The organisations `user` may publish participation programmes for."""
    from mosty.organisations.models import Organisation

    return Organisation.objects.filter(pk__in=orgs_where(user, Role.COORDINATOR)).order_by(
        *by_name("name")
    )


POLICY.add_rule("civic_programme.browse", rules.always_allow)
POLICY.add_rule("civic_programme.view", programme_is_visible)
POLICY.add_rule("civic_programme.manage_list", is_coordinator)
POLICY.add_rule("civic_programme.create", is_coordinator)
POLICY.add_rule("civic_programme.change", coordinates_programme)
POLICY.add_rule("call.view", call_is_visible)
POLICY.add_rule("call.change", coordinates_call)
POLICY.add_rule("alert.subscribe", rules.always_allow)
POLICY.add_rule("call.answer_responses", coordinates_call)


@rules.predicate
def may_write_ideas(user) -> bool:
    return has_role(user, *STAFF, Role.PARTICIPANT)


@rules.predicate
def sees_ideas(user) -> bool:
    return has_role(user, *STAFF, *SUPPORTERS, Role.PARTICIPANT)


@rules.predicate
def idea_is_visible(user, idea) -> bool:
    return idea is not None and in_visible(
        user, "_mosty_visible_ideas", lambda: visible_ideas(user), idea.pk
    )


supports_idea_as_staff = holds_role_at("organisation_id", *STAFF)


coordinates_idea = holds_role_at("organisation_id", Role.COORDINATOR)


is_idea_supporter = names_the_user("supporter_id")
is_idea_author = names_the_user("author_id")


@rules.predicate
def idea_is_open(user, idea) -> bool:
    return idea is not None and idea.status in (IdeaStatus.DRAFT, IdeaStatus.SUBMITTED)


@rules.predicate
def organises_consultation_of(user, idea) -> bool:
    return (
        idea is not None
        and idea.kind == IdeaKind.RESPONSE
        and idea.status != IdeaStatus.DRAFT
        and idea.call is not None
        and coordinates_call(user, idea.call)
    )


HELPS = supports_idea_as_staff | is_idea_supporter
POLICY.add_rule("idea.list", sees_ideas)
POLICY.add_rule("idea.create", may_write_ideas)
POLICY.add_rule("idea.view", idea_is_visible)
POLICY.add_rule("idea.change", idea_is_open & (HELPS | is_idea_author))
POLICY.add_rule("idea.assign", coordinates_idea)
POLICY.add_rule("idea.log_support", idea_is_open & HELPS)
POLICY.add_rule("idea.submit", idea_is_open & (HELPS | is_idea_author))
POLICY.add_rule("idea.withdraw", idea_is_open & (HELPS | is_idea_author))
POLICY.add_rule("idea.record_result", idea_is_open & HELPS)
POLICY.add_rule("idea.answer", organises_consultation_of)


def visible_programmes(user) -> QuerySet[Programme]:
    """Published programmes for everyone, plus unpublished ones of the user's organisations."""
    orgs = list(role_map(user))
    if orgs:
        return Programme.objects.filter(Q(is_published=True) | Q(organisation_id__in=orgs))
    return Programme.objects.filter(is_published=True)


def managed_programmes(user) -> QuerySet[Programme]:
    return Programme.objects.filter(organisation_id__in=orgs_where(user, Role.COORDINATOR))


def visible_calls(user) -> QuerySet[Call]:
    return Call.objects.filter(programme__in=visible_programmes(user))


def _idea_rules(user) -> list[Q]:
    """Why a user sees an idea, one condition per reason, each served by its own index."""
    return [
        Q(organisation_id__in=orgs_where(user, *STAFF)),
        Q(supporter=user),
        Q(author=user),
        Q(
            # A subquery, not a join: the staff list of a big organisation stays on its index.
            kind=IdeaKind.RESPONSE,
            call_id__in=Call.objects.filter(
                programme__organisation_id__in=orgs_where(user, Role.COORDINATOR)
            ).values("pk"),
            status__in=[s for s in IdeaStatus.values if s != IdeaStatus.DRAFT],
        ),
    ]


def visible_ideas(user) -> QuerySet[Idea]:
    if not is_authenticated(user):
        return Idea.objects.none()
    rules_ = _idea_rules(user)
    seen = rules_[0]
    for rule in rules_[1:]:
        seen |= rule
    return Idea.objects.filter(seen)


def visible_idea_parts(user) -> list[QuerySet[Idea]]:
    """`visible_ideas` as disjoint parts (each idea in exactly one): one per reason, less the
    ideas an earlier reason shows. Each part is searched on its own index, so a list can
    count and sort them part by part instead of one OR that no index serves."""
    if not is_authenticated(user):
        return []
    parts, earlier = [], Q()
    for rule in _idea_rules(user):
        parts.append(
            Idea.objects.filter(rule).exclude(earlier) if earlier else Idea.objects.filter(rule)
        )
        earlier = earlier | rule if earlier else rule
    return parts


def consultation_responses(user, call: Call) -> QuerySet[Idea]:
    """Submitted responses to a consultation, for its organiser's coordinators."""
    if not coordinates_call(user, call):
        return Idea.objects.none()
    return Idea.objects.filter(call=call, kind=IdeaKind.RESPONSE).exclude(status=IdeaStatus.DRAFT)


def visible_call_documents(user) -> QuerySet[CallDocument]:
    return CallDocument.objects.filter(call__in=visible_calls(user))


def idea_organisations(user) -> QuerySet:
    """Organisations a user may record an idea in: where they support people (staff) or where
    they are a participant (their own idea)."""
    from mosty.organisations.models import Organisation

    return Organisation.objects.filter(pk__in=orgs_where(user, *STAFF, Role.PARTICIPANT)).order_by(
        *by_name("name")
    )


def writes_for_others(user, organisation) -> bool:
    """Staff record ideas on a participant's behalf; a participant writes only their own."""
    return organisation is not None and organisation.pk in orgs_where(user, *STAFF)


def idea_supporter_candidates(organisation) -> QuerySet:
    """The mentors and assistants of the organisation an idea may be given to."""
    from mosty.accounts.models import Membership, User

    return User.objects.filter(
        pk__in=Membership.objects.filter(
            organisation=organisation, role__in=SUPPORTERS, is_active=True
        ).values("user_id"),
        is_active=True,
    ).order_by(*by_name("first_name", "last_name"), "pk")


# --- groups -------------------------------------------------------------------------------
# A group's members see it; its leaders (and the host organisation's coordinators) run it.
# Leadership is a group role, not an organisation role: it opens the group's pages only.


def _active_members(user) -> QuerySet[GroupMember]:
    today = timezone.localdate()
    return GroupMember.objects.filter(user=user, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


def group_roles(user) -> dict[int, str]:
    """group id -> the user's role there (active terms only), read once per request."""
    return remembered(
        user,
        "_mosty_group_roles",
        lambda: dict(_active_members(user).values_list("group_id", "role")),
        anonymous={},
    )


@rules.predicate
def is_group_member(user, group) -> bool:
    return group is not None and group.pk in group_roles(user)


@rules.predicate
def leads_group(user, group) -> bool:
    return group is not None and group_roles(user).get(group.pk) == MemberRole.LEADER


hosts_group = holds_role_at("organisation_id", Role.COORDINATOR)


@rules.predicate
def group_is_public(user, group) -> bool:
    return group is not None and group.is_public


@rules.predicate
def sees_groups(user) -> bool:
    return bool(group_roles(user)) or has_role(user, Role.COORDINATOR)


POLICY.add_rule("group.list", sees_groups)
POLICY.add_rule("group.create", is_coordinator)
POLICY.add_rule("group.view", is_group_member | hosts_group)
POLICY.add_rule("group.view_public", group_is_public)
POLICY.add_rule("group.manage", leads_group | hosts_group)
POLICY.add_rule("group.add_participant", hosts_group)
POLICY.add_rule("group.comment", is_group_member)


def visible_groups(user) -> QuerySet[Group]:
    """Groups the user belongs to or hosts (as coordinator)."""
    if not is_authenticated(user):
        return Group.objects.none()
    return Group.objects.filter(
        Q(pk__in=list(group_roles(user)))
        | Q(organisation_id__in=orgs_where(user, Role.COORDINATOR))
    )


def public_groups() -> QuerySet[Group]:
    return Group.objects.filter(is_public=True)


def group_host_organisations(user) -> QuerySet:
    from mosty.organisations.models import Organisation

    return Organisation.objects.filter(pk__in=orgs_where(user, Role.COORDINATOR)).order_by(
        *by_name("name")
    )


# --- the Participatory Migrant Academy ---------------------------------------------------------
# What became of an academy course's participants (ideas, opinions, groups) is counted for staff
# who may see the course; staff of other organisations than its organiser see small counts
# suppressed (MOSTY_STATS_MIN_CELL), like the public statistics.


@rules.predicate
def staff_sees_academy_course(user, event) -> bool:
    return (
        event is not None
        and event.kind == EventKind.ACADEMY
        and has_role(user, *STAFF)
        and (event.is_public or event.organisation_id in role_map(user))
    )


POLICY.add_rule("academy.outcomes", staff_sees_academy_course)


def visible_academy_courses(user) -> QuerySet[Event]:
    if not has_role(user, *STAFF):
        return Event.objects.none()
    return Event.objects.filter(kind=EventKind.ACADEMY).filter(
        Q(is_public=True) | Q(organisation_id__in=list(role_map(user)))
    )


def academy_counts_exact(user, event) -> bool:
    """Exact counts for staff of the course's organiser; suppressed small ones for others."""
    return event.organisation_id in orgs_where(user, *STAFF)
