from django.utils import timezone

from tests.access_matrix import Route
from tests.mentoring.factories import (
    MatchFactory,
    MeetingFactory,
    MentorFactory,
    queued_run,
    waiting_participant,
)

COORD = frozenset({"coordinator"})
MENTOR = frozenset({"mentor"})
BOTH = frozenset({"coordinator", "mentor"})


def the_mentor(world):
    """The Mentor record of org A's mentor user (created once per world)."""
    if "mentor" not in world.extra:
        world.extra["mentor"] = MentorFactory(
            organisation=world.org_a, user=world.user("mentor", "a"), email="mentor.a@example.org"
        )
    return world.extra["mentor"]


def _mentor(world):
    return {"pk": the_mentor(world).pk}


def _match(status):
    def build(world):
        match = MatchFactory(mentor=the_mentor(world), status=status)
        return {"pk": match.pk}

    return build


def _match_with_meeting(world):
    match = MatchFactory(mentor=the_mentor(world), status="active")
    MeetingFactory(match=match, note="Practised Polish at the market.")
    return {"pk": match.pk}


def _logged_meeting(world):
    """A meeting org A's mentor logged on their active match (theirs to correct or delete)."""
    match = MatchFactory(mentor=the_mentor(world), status="active")
    meeting = MeetingFactory(match=match, logged_by=world.user("mentor", "a"), note="At the park.")
    return {"pk": meeting.pk}


def _pair(world):
    participant = waiting_participant(world.org_a)
    return {"pair": f"{participant.pk}-{the_mentor(world).pk}"}


def _run(world):
    """A run computing for the organisations org A's coordinator coordinates (org A)."""
    return {"pk": queued_run([world.org_a.pk], by=world.user("coordinator", "a")).pk}


def _participant(world):
    return {"pk": waiting_participant(world.org_a).pk}


ROUTES = [
    Route("mentoring:apply", public=True, allowed=frozenset({"*"}), org_scoped=False),
    Route("mentoring:applied", public=True, allowed=frozenset({"*"}), org_scoped=False),
    Route("mentoring:home", reads_personal=True, allowed=MENTOR, org_scoped=False),
    Route(
        "mentoring:availability",
        allowed=MENTOR,
        kwargs=lambda w: (the_mentor(w), {})[1],
        org_scoped=False,
    ),
    Route("mentoring:mentor_list", reads_personal=True, allowed=COORD, org_scoped=False),
    Route("mentoring:mentor_detail", reads_personal=True, allowed=BOTH, kwargs=_mentor),
    Route(
        "mentoring:mentor_vet",
        allowed=COORD,
        kwargs=lambda w: {"pk": MentorFactory(organisation=w.org_a, status="applied").pk},
        method="post",
        data=lambda w: {"step": "interviewed"},
        ok=(302,),
    ),
    Route("mentoring:matching", reads_personal=True, allowed=COORD, org_scoped=False),
    Route(
        "mentoring:matching_recompute",
        allowed=COORD,
        method="post",
        ok=(302,),
        org_scoped=False,
    ),
    Route("mentoring:matching_progress", allowed=COORD, kwargs=_run),
    Route(
        "mentoring:propose",
        allowed=COORD,
        method="post",
        data=_pair,
        ok=(302,),
        kwargs=lambda w: (the_mentor(w), {})[1],
    ),
    Route(
        "mentoring:reject",
        allowed=COORD,
        method="post",
        data=_pair,
        ok=(302,),
        kwargs=lambda w: (the_mentor(w), {})[1],
    ),
    Route(
        "mentoring:by_hand",
        allowed=COORD,
        method="post",
        data=lambda w: {"participant": "", "mentor": ""},
        ok=(400,),
        org_scoped=False,
    ),
    Route(
        "mentoring:swap",
        allowed=COORD,
        method="post",
        data=lambda w: {"first": "", "second": ""},
        ok=(400,),
        org_scoped=False,
    ),
    Route("mentoring:wishes", reads_personal=True, allowed=COORD, kwargs=_participant),
    Route("mentoring:candidates", reads_personal=True, allowed=COORD, kwargs=_participant),
    Route("mentoring:match_list", reads_personal=True, allowed=COORD, org_scoped=False),
    Route("mentoring:match_detail", reads_personal=True, allowed=BOTH, kwargs=_match("active")),
    Route(
        "mentoring:match_respond",
        allowed=MENTOR,
        kwargs=_match("proposed"),
        method="post",
        data=lambda w: {"answer": "accept"},
        ok=(302,),
    ),
    Route(
        "mentoring:match_activate",
        allowed=COORD,
        kwargs=_match("accepted"),
        method="post",
        ok=(302,),
    ),
    Route("mentoring:match_end", allowed=BOTH, kwargs=_match("active")),
    Route("mentoring:meeting_log", allowed=BOTH, kwargs=_match("active")),
    Route("mentoring:checkin", allowed=COORD, kwargs=_match("active")),
    Route("mentoring:meeting_edit", reads_personal=True, allowed=BOTH, kwargs=_logged_meeting),
    Route("mentoring:meeting_delete", allowed=BOTH, kwargs=_logged_meeting),
]


def _apply_data(world):
    return {
        "organisation": world.org_a.pk,
        "kind": "individual",
        "name": "Ewa",
        "email": f"ewa{world.org_a.pk}@example.org",
        "languages": [{"code": "pl", "level": "native"}],
        "motivation": "To help.",
        "consent": True,
    }


ROUTES += [
    Route(
        "api:mentor_apply",
        public=True,
        allowed=frozenset({"*"}),
        org_scoped=False,
        method="post",
        data=_apply_data,
        ok=(201, 400),
        api=True,
    ),
    Route("api:mentor_list", reads_personal=True, allowed=COORD, org_scoped=False, api=True),
    Route("api:mentor_detail", reads_personal=True, allowed=BOTH, kwargs=_mentor, api=True),
    Route("api:match_list", reads_personal=True, allowed=BOTH, org_scoped=False, api=True),
    Route("api:match_detail", reads_personal=True, allowed=BOTH, kwargs=_match("active"), api=True),
    Route(
        "api:meeting_list",
        reads_personal=True,
        allowed=BOTH,
        kwargs=_match_with_meeting,
        api=True,
    ),
    Route(
        "api:meeting_create",
        allowed=BOTH,
        kwargs=_match("active"),
        method="post",
        data=lambda w: {"date": str(timezone.localdate()), "minutes": 60, "activity": "language"},
        ok=(201,),
        api=True,
    ),
    Route(
        "api:meeting_update",
        allowed=BOTH,
        kwargs=_logged_meeting,
        method="patch",
        data=lambda w: {"minutes": 45, "version": 1},
        api=True,
        note="the mentor who logged it, or a coordinator of the match's organisation",
    ),
    Route(
        "api:meeting_delete",
        allowed=BOTH,
        kwargs=_logged_meeting,
        method="post",
        data=lambda w: {"version": 1},
        ok=(204,),
        api=True,
    ),
    Route("api:matching_proposals", allowed=COORD, org_scoped=False, api=True),
    Route(
        "api:matching_run_create",
        allowed=COORD,
        org_scoped=False,
        api=True,
        method="post",
        ok=(202,),
    ),
]
