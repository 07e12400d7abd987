import datetime

from mosty.reports.models import BudgetLine, CitySnapshot, PartnerInvitation, ReportSnapshot
from tests.access_matrix import Route
from tests.cases.factories import make_participant
from tests.reports.factories import attended, make_programme, past_event

READERS = frozenset({"admin", "coordinator"})
COORDINATOR = frozenset({"coordinator"})
# The whole city's figures: the admin, and coordinators of a city office (organisation A is
# not one; tests/reports/test_city_export.py covers them).
CITY = frozenset({"admin"})


def _programme(world):
    return {"pk": make_programme(world).pk}


def _invitation(world):
    """Org B's programme asks org A to take part: org A's coordinator answers."""
    programme = make_programme(world, "b")
    return {
        "pk": PartnerInvitation.objects.create(programme=programme, organisation=world.org_a).pk
    }


def _partnered(world):
    """Org B's programme in which org A takes part: org A's coordinator may leave it."""
    programme = make_programme(world, "b")
    programme.partners.add(world.org_a)
    return {"pk": programme.pk}


def _target(world):
    return {"pk": make_programme(world).targets.get().pk}


def _budget_line(world):
    programme = make_programme(world)
    return {"pk": BudgetLine.objects.create(programme=programme, name="Druk", amount=100).pk}


def _snapshot(world):
    programme = make_programme(world)
    snapshot = ReportSnapshot.objects.create(
        programme=programme,
        period_start=programme.starts_on,
        period_end=programme.ends_on,
        figures={"indicators": {"events.programme_hours": {"value": "2.0", "breakdowns": {}}}},
    )
    return {"pk": snapshot.pk}


def _city_snapshot(world):
    snapshot = CitySnapshot.objects.create(
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        figures={"indicators": {"events.programme_hours": {"value": "2.0", "breakdowns": {}}}},
    )
    return {"pk": snapshot.pk}


def _unlinked(world):
    """Someone who came to org A's workshop, registered without a participant record."""
    registration = attended(past_event(world.org_a), name="Olena Testowa", email="o@example.org")
    world.extra["participant"] = make_participant(world, first_name="Olena")
    return registration


def _unlinked_pk(world):
    return {"pk": _unlinked(world).pk}


ROUTES = [
    Route("reports:public", public=True, allowed=frozenset({"*"})),
    Route("api:statistics_public", public=True, api=True),
    Route("reports:dashboard", allowed=READERS, org_scoped=False),
    Route("reports:programme_list", allowed=READERS, org_scoped=False),
    Route("reports:programme_create", allowed=COORDINATOR, org_scoped=False),
    Route("reports:programme_detail", allowed=READERS, kwargs=_programme),
    Route("reports:programme_edit", allowed=COORDINATOR, kwargs=_programme),
    Route(
        "reports:target_set",
        allowed=COORDINATOR,
        method="post",
        kwargs=_programme,
        data=lambda w: {"indicator": "events.sessions_held", "value": "8"},
        ok=(302,),
    ),
    Route(
        "reports:partner_accept", allowed=COORDINATOR, method="post", kwargs=_invitation, ok=(302,)
    ),
    Route(
        "reports:partner_decline", allowed=COORDINATOR, method="post", kwargs=_invitation, ok=(302,)
    ),
    Route(
        "reports:programme_leave", allowed=COORDINATOR, method="post", kwargs=_partnered, ok=(302,)
    ),
    Route("reports:target_delete", allowed=COORDINATOR, method="post", kwargs=_target, ok=(302,)),
    Route(
        "reports:budget_line_add",
        allowed=COORDINATOR,
        method="post",
        kwargs=_programme,
        data=lambda w: {"name": "Warsztaty", "amount": "2400", "currency": "PLN"},
        ok=(302,),
    ),
    Route(
        "reports:budget_line_delete",
        allowed=COORDINATOR,
        method="post",
        kwargs=_budget_line,
        ok=(302,),
    ),
    Route(
        "reports:programme_export",
        allowed=READERS,
        kwargs=_programme,
        method="post",
        data=lambda world: {"format": "csv"},
    ),
    Route("reports:snapshot_download", allowed=READERS, kwargs=_snapshot, query="format=csv"),
    Route(
        "reports:city_export",
        allowed=CITY,
        method="post",
        org_scoped=False,
        data=lambda world: {"start": "2026-01-01", "end": "2026-12-31", "format": "csv"},
        # Nothing is kept in the test world: the report is queued, back to the dashboard.
        ok=(302,),
    ),
    Route(
        "reports:city_download",
        allowed=CITY,
        org_scoped=False,
        kwargs=_city_snapshot,
        query="format=csv",
    ),
    Route(
        "reports:reconcile",
        allowed=COORDINATOR,
        org_scoped=False,
        reads_personal=True,
        kwargs=lambda w: (_unlinked(w), {})[1],
    ),
    Route(
        "reports:registration_link",
        allowed=COORDINATOR,
        method="post",
        kwargs=_unlinked_pk,
        data=lambda w: {"participant": w.extra["participant"].pk},
        ok=(302,),
    ),
    Route("reports:refresh", allowed=READERS, method="post", org_scoped=False, ok=(302,)),
    Route("api:programme_list", allowed=READERS, api=True, org_scoped=False),
    Route("api:programme_detail", allowed=READERS, api=True, kwargs=_programme),
    Route(
        "api:programme_invitation_list",
        allowed=READERS,
        api=True,
        org_scoped=False,
        kwargs=lambda w: (_invitation(w), {})[1],
        note="each reader gets the invitations of the organisations they coordinate",
    ),
    Route(
        "api:programme_invitation_accept",
        allowed=COORDINATOR,
        api=True,
        method="post",
        kwargs=_invitation,
    ),
    Route(
        "api:programme_invitation_decline",
        allowed=COORDINATOR,
        api=True,
        method="post",
        kwargs=_invitation,
    ),
    Route(
        "api:programme_leave",
        allowed=COORDINATOR,
        api=True,
        method="post",
        kwargs=_partnered,
        note="org B's coordinator leads it: sees it, but has no partner to take out (403)",
    ),
]
