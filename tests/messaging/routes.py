from mosty.messaging.models import Notification
from tests.access_matrix import Route


def _mine(world):
    """A notification of org A's caseworker: only they may open it."""
    user = world.user("caseworker", "a")
    return {"pk": Notification.objects.create(user=user, template="help_requested").pk}


ROUTES = [
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
