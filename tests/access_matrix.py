"""The access-matrix framework: every URL name has a Route entry (docs/access-policy.md).

Each module lists its routes in `tests/<module>/routes.py` as `ROUTES = [Route(...), ...]`.
`tests/access/test_matrix.py` checks, for each route: anonymous, a user of the wrong
organisation, every wrong role in the right organisation, and the right role(s).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ALL_ROLES = frozenset(
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
STAFF = frozenset({"admin", "coordinator", "caseworker"})


@dataclass
class Route:
    """One URL name and who may use it.

    - `kwargs(world)` builds the URL arguments (and may create objects in organisation A);
    - `allowed`: roles (in organisation A) that succeed; `"*"` in `allowed` means any logged-in user;
    - `public`: anonymous visitors succeed too;
    - `org_scoped`: users holding an allowed role but only in organisation B are refused;
    - `ok`: statuses that count as success; `denied`: statuses that count as refusal;
    - `reads_personal`: the route shows personal records (a detail, a list, a form filled with
      them): the right role's request must record a `…viewed` audit event for what it shows
      (`tests/access/test_read_audit.py`; a route showing participants' names without it fails).
    """

    name: str
    allowed: frozenset[str] = frozenset()
    public: bool = False
    kwargs: Callable | None = None
    query: str = ""
    method: str = "get"
    data: Callable | None = None
    org_scoped: bool = True
    ok: tuple[int, ...] = (200,)
    denied: tuple[int, ...] = (403, 404)
    anonymous: tuple[int, ...] | None = None
    logged_in_ok: tuple[int, ...] | None = None
    api: bool = False
    note: str = ""
    extra_check: Callable | None = field(default=None, repr=False)
    reads_personal: bool = False

    @property
    def any_user(self) -> bool:
        return "*" in self.allowed


@dataclass
class Exempt:
    """A URL name not in the matrix, with the reason (only third-party internals)."""

    name: str
    reason: str
