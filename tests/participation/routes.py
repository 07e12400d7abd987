from mosty.participation.models import AlertSubscription
from mosty.participation.tokens import confirm_token, unsubscribe_token
from tests.access_matrix import Route
from tests.participation.factories import make_call, make_programme

COORDINATOR = frozenset({"coordinator"})


def _programme_pk(world):
    return {"pk": make_programme(world.org_a).pk}


def _unpublished_programme_pk(world):
    """Unpublished: only members of org A see it; org B gets 404."""
    return {"pk": make_programme(world.org_a, published=False).pk}


def _call_pk(world):
    return {"pk": make_call(make_programme(world.org_a)).pk}


def _subscription(world):
    return AlertSubscription.objects.create(email="visitor@example.org", language="uk")


ROUTES = [
    # Public pages.
    Route("participation:programme_list", public=True, allowed=frozenset({"*"})),
    Route(
        "participation:programme_detail",
        public=True,
        allowed=frozenset({"*"}),
        kwargs=_programme_pk,
    ),
    Route("participation:call_list", public=True, allowed=frozenset({"*"})),
    Route("participation:call_detail", public=True, allowed=frozenset({"*"}), kwargs=_call_pk),
    Route("participation:alert_subscribe", public=True, allowed=frozenset({"*"})),
    Route(
        "participation:alert_confirm",
        public=True,
        allowed=frozenset({"*"}),
        kwargs=lambda w: {"token": confirm_token(_subscription(w))},
    ),
    Route(
        "participation:alert_unsubscribe",
        public=True,
        allowed=frozenset({"*"}),
        kwargs=lambda w: {"token": unsubscribe_token(_subscription(w))},
    ),
    # Organisers.
    Route("participation:manage", allowed=COORDINATOR, org_scoped=False),
    Route("participation:programme_create", allowed=COORDINATOR, org_scoped=False),
    Route("participation:programme_edit", allowed=COORDINATOR, kwargs=_unpublished_programme_pk),
    Route("participation:call_create", allowed=COORDINATOR, kwargs=_programme_pk),
    Route("participation:call_edit", allowed=COORDINATOR, kwargs=_call_pk),
]
