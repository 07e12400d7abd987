from tests.access_matrix import Route
from tests.factories import MembershipFactory, UserFactory

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


def _membership(world):
    membership = MembershipFactory(user=UserFactory(), organisation=world.org_a, role="caseworker")
    return {"pk": membership.pk}


ROUTES = [
    Route("organisations:list", allowed=MEMBERS, org_scoped=False),
    Route("organisations:create", allowed=frozenset({"admin"})),
    Route("organisations:detail", allowed=MEMBERS, kwargs=lambda w: {"pk": w.org_a.pk}),
    Route(
        "organisations:edit",
        allowed=frozenset({"admin", "coordinator"}),
        kwargs=lambda w: {"pk": w.org_a.pk},
    ),
    Route(
        "organisations:members",
        reads_personal=True,
        allowed=frozenset({"admin", "coordinator"}),
        kwargs=lambda w: {"pk": w.org_a.pk},
    ),
    Route(
        "organisations:membership_end",
        allowed=frozenset({"admin", "coordinator"}),
        method="post",
        kwargs=_membership,
        ok=(302,),
    ),
    Route("api:organisation_list", allowed=MEMBERS, org_scoped=False, api=True),
    Route(
        "api:organisation_detail", allowed=MEMBERS, kwargs=lambda w: {"pk": w.org_a.pk}, api=True
    ),
]
