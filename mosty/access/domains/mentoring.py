"""Who may see and work on mentors, matches, meetings and check-ins (docs/architecture.md, roles; issue 5).

- Anyone, without logging in, may apply to become a mentor.
- A coordinator vets the mentors of their organisation, runs matching for its participants,
  records check-ins and sees every match of the organisation.
- A mentor (a user linked to an approved Mentor record) sees only their own matches, and of the
  matched person only the first name, languages, district and the plan tasks given to them; they
  accept or decline proposals, log meetings (and correct or delete those they logged) and may
  end a match.
- The installation admin and caseworkers see no mentoring data.
"""

import rules
from django.db.models import Q, QuerySet

from mosty.access.policy import POLICY
from mosty.access.roles import is_authenticated, orgs_where
from mosty.accounts.models import Role
from mosty.core.collation import by_name


def _coordinated(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return orgs_where(user, Role.COORDINATOR)


def _mentoring_orgs(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return orgs_where(user, Role.MENTOR)


@rules.predicate
def coordinates_mentoring(user) -> bool:
    return bool(_coordinated(user))


@rules.predicate
def coordinates_mentor_org(user, obj) -> bool:
    return obj is not None and obj.organisation_id in _coordinated(user)


@rules.predicate
def is_mentor(user) -> bool:
    return bool(_mentoring_orgs(user))


@rules.predicate
def is_the_mentor(user, obj) -> bool:
    """`obj` is a Mentor, or a Match whose mentor is the user (with the role in that org)."""
    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    mentor = getattr(obj, "mentor", obj)
    return mentor.user_id == user.pk and mentor.organisation_id in _mentoring_orgs(user)


def mentor_application_organisations() -> QuerySet:
    """Programmes a resident may apply to: active organisations with a coordinator that run
    mentoring (members of a mentors' network, or already with mentors); all of them while no
    organisation does yet."""
    from mosty.accounts.models import Membership
    from mosty.mentoring.models import Mentor
    from mosty.networks.models import NetworkMembership, NetworkTheme
    from mosty.organisations.models import Organisation

    coordinated = Membership.objects.filter(role=Role.COORDINATOR, is_active=True).values(
        "organisation_id"
    )
    candidates = Organisation.objects.filter(is_active=True, pk__in=coordinated)
    in_network = NetworkMembership.objects.filter(
        network__theme=NetworkTheme.MENTORS, organisation__isnull=False
    ).values("organisation_id")
    # Subqueries, not a join on mentors: a join needs DISTINCT over thousands of mentors,
    # which cost the public sign-up page most of its time.
    with_mentors = Mentor.objects.values("organisation_id")
    running = candidates.filter(Q(pk__in=in_network) | Q(pk__in=with_mentors))
    return (running if running.exists() else candidates).order_by(*by_name("name"))


@rules.predicate
def takes_mentor_applications(user, organisation) -> bool:
    """The page itself (no organisation yet) is open; an application goes only to a programme
    that takes them."""
    if organisation is None:
        return True
    return mentor_application_organisations().filter(pk=organisation.pk).exists()


@rules.predicate
def match_is_proposed(user, match) -> bool:
    return match is not None and match.status == "proposed"


@rules.predicate
def match_is_open(user, match) -> bool:
    return match is not None and match.status in ("proposed", "accepted", "active")


@rules.predicate
def match_is_accepted(user, match) -> bool:
    return match is not None and match.status == "accepted"


@rules.predicate
def match_is_running(user, match) -> bool:
    return match is not None and match.status in ("accepted", "active")


@rules.predicate
def match_is_active(user, match) -> bool:
    return match is not None and match.status == "active"


@rules.predicate
def coordinates_meeting_org(user, meeting) -> bool:
    return meeting is not None and coordinates_mentor_org(user, meeting.match)


@rules.predicate
def logged_the_meeting(user, meeting) -> bool:
    """The mentor of the meeting's match, who logged it themself."""
    return (
        meeting is not None
        and getattr(user, "is_authenticated", False)
        and meeting.logged_by_id == user.pk
        and is_the_mentor(user, meeting.match)
    )


@rules.predicate
def meeting_match_is_active(user, meeting) -> bool:
    return meeting is not None and match_is_active(user, meeting.match)


POLICY.add_rule("mentor.apply", takes_mentor_applications)
POLICY.add_rule("mentor.list", coordinates_mentoring)
POLICY.add_rule("mentor.view", coordinates_mentor_org | is_the_mentor)
POLICY.add_rule("mentor.vet", coordinates_mentor_org)
POLICY.add_rule("mentor.update_own", is_the_mentor)
POLICY.add_rule("mentor.home", is_mentor)
POLICY.add_rule("matching.run", coordinates_mentoring)
POLICY.add_rule("match.list", coordinates_mentoring)
POLICY.add_rule("match.view", coordinates_mentor_org | is_the_mentor)
POLICY.add_rule("match.respond", is_the_mentor & match_is_proposed)
POLICY.add_rule("match.manage", coordinates_mentor_org & match_is_open)
POLICY.add_rule("match.activate", coordinates_mentor_org & match_is_accepted)
# A coordinator may call off an accepted match before it starts; the mentor ends it, and either
# logs meetings, only once the coordinator has made it active.
POLICY.add_rule(
    "match.end",
    (coordinates_mentor_org & match_is_running) | (is_the_mentor & match_is_active),
)
POLICY.add_rule("meeting.log", (coordinates_mentor_org | is_the_mentor) & match_is_active)
# A logged meeting is corrected or deleted, while the match runs, by whoever may log meetings
# for it: a coordinator of the organisation, or the mentor if they logged it themself.
POLICY.add_rule(
    "meeting.change", (coordinates_meeting_org | logged_the_meeting) & meeting_match_is_active
)
POLICY.add_rule("checkin.record", coordinates_mentor_org & match_is_running)
POLICY.add_rule("mentoring.api", is_authenticated & (coordinates_mentoring | is_mentor))


def _coordinated_or_own(user, model, mentor_user_field: str) -> QuerySet:
    """Rows of `model` in the organisations the user coordinates, and in those they mentor
    for, the user's own (`mentor_user_field` leads from the row to the mentor's account)."""
    if not getattr(user, "is_authenticated", False):
        return model.objects.none()
    coordinated, mentoring = _coordinated(user), _mentoring_orgs(user)
    q = Q(organisation_id__in=coordinated) if coordinated else Q(pk__in=[])
    if mentoring:
        q |= Q(**{mentor_user_field: user.pk}, organisation_id__in=mentoring)
    return model.objects.filter(q)


def visible_mentors(user) -> QuerySet:
    from mosty.mentoring.models import Mentor

    return _coordinated_or_own(user, Mentor, "user_id")


def visible_matches(user) -> QuerySet:
    from mosty.mentoring.models import Match

    return _coordinated_or_own(user, Match, "mentor__user_id")


def visible_meetings(user) -> QuerySet:
    from mosty.mentoring.models import Meeting

    return Meeting.objects.filter(match__in=visible_matches(user).values("pk"))


def matchable_participants(user) -> QuerySet:
    """Participants of the organisations the user coordinates (for matching)."""
    return matchable_participants_of(_coordinated(user))


def matchable_participants_of(organisation_ids) -> QuerySet:
    """Participants matching may consider for these organisations (a stored matching run
    computes for the organisations its coordinator had, in the background)."""
    from mosty.people.models import Participant

    return Participant.objects.filter(owner_id__in=organisation_ids, anonymised_at__isnull=True)


def matching_scope(user) -> list[int]:
    """The organisations a user's matching runs cover: those they coordinate, in order."""
    return sorted(_coordinated(user))


def visible_matching_runs(user) -> QuerySet:
    """Runs computed for exactly the organisations the user coordinates now: another
    coordinator with the same organisations shares them; a run that covered an organisation
    the user no longer coordinates is not theirs to read."""
    from mosty.mentoring.models import MatchingRun, matching_scope_key

    scope = matching_scope(user)
    if not scope:
        return MatchingRun.objects.none()
    return MatchingRun.objects.filter(scope=matching_scope_key(scope), organisation_id__in=scope)
