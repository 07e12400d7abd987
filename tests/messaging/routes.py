from mosty.messaging.models import Notification
from tests.access_matrix import Route
from tests.events.factories import make_event


def _mine(world):
    """A notification of org A's caseworker: only they may open it."""
    user = world.user("caseworker", "a")
    return {"pk": Notification.objects.create(user=user, template="help_requested").pk}


def _event(world):
    return {"pk": make_event(world.org_a, district=world.district).pk}


ROUTES = [
    Route(
        "messaging:event_broadcast",
        allowed=frozenset({"coordinator", "caseworker"}),
        kwargs=_event,
        note="the event's organiser staff; others 404 (not among the events they manage)",
    ),
    Route("messaging:list", allowed=frozenset({"*"}), org_scoped=False),
    Route(
        "messaging:read_all",
        allowed=frozenset({"*"}),
        org_scoped=False,
        method="post",
        ok=(302,),
        note="each user marks their own notifications read",
    ),
    Route(
        "messaging:read",
        allowed=frozenset({"caseworker"}),
        method="post",
        kwargs=_mine,
        ok=(302,),
        denied=(404,),
        note="one's own notification; anyone else's is a 404",
    ),
]
