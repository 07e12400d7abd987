from mosty.events.models import Attendance
from mosty.events.services import cancel_token, feed_token
from tests.access_matrix import Route
from tests.events.factories import make_event, make_registration

ORGANISERS = frozenset({"coordinator", "caseworker"})
MEMBERS = frozenset(
    {
        "admin",
        "coordinator",
        "caseworker",
        "mentor",
        "assistant",
        "institution_staff",
        "participant",
    }
)


def _event(world, **kwargs):
    return make_event(world.org_a, district=world.district, **kwargs)


def _event_pk(world):
    return {"pk": _event(world).pk}


def _internal_event_pk(world):
    """Internal: a member of org B must not see it at all (404)."""
    return {"pk": _event(world, is_public=False).pk}


def _session_pk(world):
    return {"pk": _event(world).sessions.first().pk}


def _attendance_mark(world):
    event = _event(world)
    registration = make_registration(event)
    return {"pk": event.sessions.first().pk, "registration": registration.pk}


def _token(world):
    return {"token": cancel_token(make_registration(_event(world)))}


def _own_registration(world):
    """Registration of org A's caseworker (so the 'right role' owns it); org B cannot see it."""
    event = _event(world)
    return {"pk": make_registration(event, user=world.user("caseworker", "a")).pk}


def _completed(world):
    """A registration of org A's caseworker who attended every session: a certificate exists."""
    event = _event(world)
    registration = make_registration(event, user=world.user("caseworker", "a"))
    for session in event.sessions.all():
        Attendance.objects.create(session=session, registration=registration, present=True)
    return registration


def _completed_pk(world):
    return {"pk": _completed(world).pk}


def _completed_token(world):
    return {"token": cancel_token(_completed(world))}


def _attendance_set(world):
    event = _event(world)
    world.extra["attendance_registration"] = make_registration(event)
    return {"pk": event.sessions.first().pk}


def _feed(world):
    return {"token": feed_token(world.user("participant", "a"))}


def _register_self(world):
    return {"consent": True}


ROUTES = [
    # Public pages: anyone, also without an account.
    Route("events:list", public=True, allowed=frozenset({"*"})),
    Route("events:calendar", public=True, allowed=frozenset({"*"})),
    Route(
        "events:calendar_month",
        public=True,
        allowed=frozenset({"*"}),
        kwargs=lambda w: {"year": 2026, "month": 12},
    ),
    Route("events:detail", public=True, allowed=frozenset({"*"}), kwargs=_event_pk),
    Route(
        "events:register",
        public=True,
        allowed=frozenset({"*"}),
        method="post",
        kwargs=_event_pk,
        ok=(200, 302),
        note="invalid empty form re-renders (200); valid one redirects",
    ),
    Route(
        "events:registration_mailed",
        public=True,
        allowed=frozenset({"*"}),
        kwargs=_event_pk,
        note="the same words after any visitor's registration with an e-mail address",
    ),
    Route("events:event_ics", public=True, allowed=frozenset({"*"}), kwargs=_event_pk),
    Route("events:public_ics", public=True, allowed=frozenset({"*"})),
    Route(
        "events:organisation_ics",
        public=True,
        allowed=frozenset({"*"}),
        kwargs=lambda w: {"pk": w.org_a.pk},
    ),
    Route("events:personal_ics", public=True, allowed=frozenset({"*"}), kwargs=_feed),
    Route("events:registration_token", public=True, allowed=frozenset({"*"}), kwargs=_token),
    Route(
        "events:certificate_token",
        public=True,
        allowed=frozenset({"*"}),
        kwargs=_completed_token,
        note="the token holder of a completed course gets the PDF (not completed: tested apart)",
    ),
    # Logged-in users.
    Route("events:mine", allowed=frozenset({"*"}), org_scoped=False),
    Route(
        "events:feed_reset",
        allowed=frozenset({"*"}),
        org_scoped=False,
        method="post",
        ok=(302,),
        note="anyone logged in makes a new address for their own calendar",
    ),
    Route(
        "events:registration_cancel",
        allowed=ORGANISERS,
        method="post",
        kwargs=_own_registration,
        ok=(302,),
        note="owner (caseworker A registered themself) or organiser staff; others 404",
    ),
    Route(
        "events:certificate",
        allowed=ORGANISERS,
        kwargs=_completed_pk,
        note="completed: the owner (caseworker A) and organiser staff get the PDF; others 404",
    ),
    Route(
        "events:register_person",
        allowed=ORGANISERS,
        kwargs=_event_pk,
        org_scoped=False,
        note="any caseworker or coordinator may register a person they support",
    ),
    # Organiser staff.
    Route("events:manage", allowed=ORGANISERS, org_scoped=False),
    Route("events:create", allowed=frozenset({"coordinator"}), org_scoped=False),
    Route("events:edit", allowed=frozenset({"coordinator"}), kwargs=_event_pk),
    Route("events:registrations", reads_personal=True, allowed=ORGANISERS, kwargs=_event_pk),
    Route(
        "events:cancel",
        allowed=frozenset({"coordinator"}),
        kwargs=_event_pk,
        method="post",
        ok=(302,),
        note="each role's request gets a fresh event (_event_pk), so cancelling twice is not met",
    ),
    Route(
        "events:certificates_send",
        allowed=ORGANISERS,
        kwargs=_event_pk,
        method="post",
        ok=(302,),
    ),
    Route("events:attendance", reads_personal=True, allowed=ORGANISERS, kwargs=_session_pk),
    Route(
        "events:attendance_mark",
        allowed=ORGANISERS,
        method="post",
        kwargs=_attendance_mark,
        data=lambda w: {"present": "on"},
    ),
    Route("events:report", allowed=frozenset({"admin", "coordinator"}), org_scoped=False),
    # API.
    Route("api:event_list", allowed=MEMBERS, api=True, org_scoped=False),
    Route("api:event_detail", allowed=MEMBERS, api=True, kwargs=_internal_event_pk),
    Route(
        "api:event_create",
        allowed=frozenset({"coordinator"}),
        api=True,
        method="post",
        org_scoped=False,
        ok=(400,),
        denied=(403,),
        note="empty body: the coordinator gets 400 (validation), others 403",
    ),
    Route(
        "api:event_report", allowed=frozenset({"admin", "coordinator"}), api=True, org_scoped=False
    ),
    Route(
        "api:event_registration_list",
        reads_personal=True,
        allowed=ORGANISERS,
        api=True,
        kwargs=_event_pk,
    ),
    Route(
        "api:event_registration_create",
        allowed=MEMBERS,
        api=True,
        method="post",
        kwargs=_internal_event_pk,
        data=_register_self,
        ok=(201,),
    ),
    Route(
        "api:event_registration_cancel",
        allowed=ORGANISERS,
        api=True,
        method="post",
        kwargs=_own_registration,
    ),
    Route(
        "api:event_attendance_list",
        reads_personal=True,
        allowed=ORGANISERS,
        api=True,
        kwargs=_session_pk,
    ),
    Route(
        "api:event_attendance_set",
        allowed=ORGANISERS,
        api=True,
        method="post",
        kwargs=_attendance_set,
        data=lambda w: {"registration": w.extra["attendance_registration"].pk, "present": True},
        note="the organiser marks a confirmed registrant present",
    ),
]
