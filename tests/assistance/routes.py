import datetime

from django.utils import timezone

from mosty.assistance.models import AssignmentLog, AvailabilityException, AvailabilitySlot
from mosty.events.tokens import feed_token
from tests.access_matrix import Route
from tests.assistance.factories import make_offer, make_profile, make_request
from tests.factories import MembershipFactory, UserFactory

STAFF = frozenset({"institution_staff"})
COORDINATOR = frozenset({"coordinator"})
ASSISTANT = frozenset({"assistant"})
# Who sees a request: its institution, its pool's coordinators, the assistant offered it.
SEES_REQUEST = frozenset({"institution_staff", "coordinator", "assistant"})


def _profile(world):
    """Org A's assistant, with a profile in org A's pool (created once per world)."""
    if "profile" not in world.extra:
        world.extra["profile"] = make_profile(world.org_a, world.user("assistant"))
    return world.extra["profile"]


def _offered(world, **kwargs):
    request = make_request(
        world.org_a, created_by=world.user("institution_staff"), district=world.district, **kwargs
    )
    return request, make_offer(request, _profile(world))


def _request_pk(world):
    return {"pk": _offered(world)[0].pk}


def _offer_pk(world):
    return {"pk": _offered(world)[1].pk}


def _past_assignment(world):
    start = timezone.now() - datetime.timedelta(days=2)
    request, offer = _offered(world, starts_at=start, status="covered")
    offer.status = "accepted"
    offer.save()
    return request, offer


def _done_request_pk(world):
    request, offer = _past_assignment(world)
    AssignmentLog.objects.create(assignment=offer, minutes=60, outcome="completed")
    offer.status = "done"
    offer.save()
    request.status = "done"
    request.save()
    return {"pk": request.pk}


def _accepted_pk(world):
    """A coming assignment org A's assistant accepted (theirs to give back)."""
    request, offer = _offered(world, status="covered")
    offer.status = "accepted"
    offer.save()
    return {"pk": offer.pk}


def _log_pk(world):
    return {"pk": _past_assignment(world)[1].pk}


def _proposable(world):
    """An open request and a second assistant of org A who fits it (the offer's target)."""
    user = UserFactory(email="second.assistant@example.org")
    MembershipFactory(user=user, organisation=world.org_a, role="assistant")
    world.extra["proposed"] = make_profile(world.org_a, user)
    return _request_pk(world)


def _slot_pk(world):
    slot = AvailabilitySlot.objects.filter(profile=_profile(world)).first()
    return {"pk": slot.pk}


def _exception_pk(world):
    today = timezone.localdate()
    item = AvailabilityException.objects.create(
        profile=_profile(world), date_from=today, date_to=today
    )
    return {"pk": item.pk}


def _certificate(world):
    _done_request_pk(world)
    return {"pk": _profile(world).pk}


def _feed(world):
    _offered(world)
    return {"token": feed_token(world.user("assistant"))}


def _with_profile(world):
    _profile(world)
    return {}


CERTIFICATE_PERIOD = "date_from=2020-01-01&date_to=2040-12-31"

ROUTES = [
    # Institution staff
    Route("assistance:request_list", allowed=STAFF, org_scoped=False),
    Route("assistance:request_create", allowed=STAFF, org_scoped=False),
    Route("assistance:request_detail", allowed=SEES_REQUEST, kwargs=_request_pk),
    Route(
        "assistance:request_cancel",
        allowed=frozenset({"institution_staff", "coordinator"}),
        method="post",
        kwargs=_request_pk,
        data=lambda w: {"reason": "not_needed"},
        ok=(302,),
    ),
    Route("assistance:request_feedback", allowed=STAFF, kwargs=_done_request_pk),
    # Assistants
    Route("assistance:profile", allowed=ASSISTANT, org_scoped=False),
    Route("assistance:availability", allowed=ASSISTANT, org_scoped=False, kwargs=_with_profile),
    Route(
        "assistance:slot_add",
        allowed=ASSISTANT,
        org_scoped=False,
        method="post",
        kwargs=_with_profile,
        data=lambda w: {"weekday": "2", "starts": "09:00", "ends": "12:00"},
        ok=(302,),
    ),
    Route(
        "assistance:slot_delete",
        allowed=ASSISTANT,
        method="post",
        kwargs=_slot_pk,
        ok=(302,),
        note="another organisation's assistant gets 404 for a slot that is not theirs",
    ),
    Route(
        "assistance:exception_add",
        allowed=ASSISTANT,
        org_scoped=False,
        method="post",
        kwargs=_with_profile,
        data=lambda w: {"date_from": "2030-07-01", "date_to": "2030-07-14", "kind": "holiday"},
        ok=(302,),
    ),
    Route(
        "assistance:exception_delete",
        allowed=ASSISTANT,
        method="post",
        kwargs=_exception_pk,
        ok=(302,),
    ),
    Route("assistance:offers", allowed=ASSISTANT, org_scoped=False),
    Route("assistance:offer_accept", allowed=ASSISTANT, method="post", kwargs=_offer_pk, ok=(302,)),
    Route(
        "assistance:offer_decline", allowed=ASSISTANT, method="post", kwargs=_offer_pk, ok=(302,)
    ),
    Route("assistance:schedule", allowed=ASSISTANT, org_scoped=False),
    Route("assistance:feed_reset", allowed=ASSISTANT, org_scoped=False, method="post", ok=(302,)),
    Route("assistance:feed", public=True, allowed=frozenset({"*"}), kwargs=_feed),
    Route("assistance:assignment_log", allowed=ASSISTANT, kwargs=_log_pk),
    Route("assistance:assignment_release", allowed=ASSISTANT, kwargs=_accepted_pk),
    Route("assistance:hours", allowed=ASSISTANT, org_scoped=False),
    Route(
        "assistance:certificate",
        allowed=frozenset({"assistant", "coordinator"}),
        kwargs=_certificate,
        query=CERTIFICATE_PERIOD,
    ),
    # Coordinators
    Route("assistance:open_requests", allowed=COORDINATOR, org_scoped=False),
    Route("assistance:proposals", allowed=COORDINATOR, kwargs=_proposable),
    Route("assistance:service_level", allowed=COORDINATOR, org_scoped=False),
    Route("assistance:hours_report", allowed=frozenset({"admin", "coordinator"}), org_scoped=False),
    # API
    Route("api:assistance_request_list", allowed=SEES_REQUEST, api=True, org_scoped=False),
    Route("api:assistance_request_detail", allowed=SEES_REQUEST, api=True, kwargs=_request_pk),
    Route(
        "api:assistance_request_create",
        allowed=STAFF,
        api=True,
        method="post",
        org_scoped=False,
        ok=(400,),
        denied=(403,),
        note="empty body: institution staff get 400 (validation), others 403",
    ),
    Route(
        "api:assistance_request_cancel",
        allowed=frozenset({"institution_staff", "coordinator"}),
        api=True,
        method="post",
        kwargs=_request_pk,
    ),
    Route("api:assistance_request_proposals", allowed=COORDINATOR, api=True, kwargs=_proposable),
    Route(
        "api:assistance_request_offer",
        allowed=COORDINATOR,
        api=True,
        method="post",
        kwargs=_proposable,
        data=lambda w: {"assistants": [w.extra["proposed"].pk]},
        ok=(201,),
    ),
    Route("api:assistance_assignment_list", allowed=SEES_REQUEST, api=True, org_scoped=False),
    Route(
        "api:assistance_assignment_accept",
        allowed=ASSISTANT,
        api=True,
        method="post",
        kwargs=_offer_pk,
    ),
    Route(
        "api:assistance_assignment_decline",
        allowed=ASSISTANT,
        api=True,
        method="post",
        kwargs=_offer_pk,
    ),
    Route(
        "api:assistance_assignment_release",
        allowed=ASSISTANT,
        api=True,
        method="post",
        kwargs=_accepted_pk,
        data=lambda w: {"reason": "illness"},
        note="the coordinator and the institution see the assignment but may not give it back",
    ),
]
