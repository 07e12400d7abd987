from tests.access_matrix import Route

ANY = frozenset({"*"})


def _member_of_a(world):
    return {"pk": world.user("mentor", "a").pk}


ROUTES = [
    Route("accounts:user_list", allowed=frozenset({"admin"})),
    Route("accounts:user_create", allowed=frozenset({"admin"})),
    # A coordinator may view people of their own organisation; the user viewed is org A's mentor.
    Route(
        "accounts:user_detail",
        reads_personal=True,
        allowed=frozenset({"admin", "coordinator", "mentor"}),
        kwargs=_member_of_a,
        note="mentor = the person themself",
    ),
    Route(
        "accounts:user_edit", reads_personal=True, allowed=frozenset({"admin"}), kwargs=_member_of_a
    ),
    Route("accounts:user_membership_add", allowed=frozenset({"admin"}), kwargs=_member_of_a),
    Route("accounts:user_grants", allowed=frozenset({"admin"}), kwargs=_member_of_a),
    Route("accounts:grant_list", allowed=frozenset({"admin"})),
    Route("accounts:api_token", allowed=ANY),
    Route("accounts:api_token_list", allowed=frozenset({"admin"}), org_scoped=False),
]
