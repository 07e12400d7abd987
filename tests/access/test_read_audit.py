"""Every route that shows personal records records who read them (docs/access-policy.md).

Routes marked `reads_personal` in `tests/<module>/routes.py` must record a `…viewed` event by
the user who asked (lists too: one event per record shown, written in one insert). And every
page or API answer that shows a participant's name, or what a person wrote to their team (a
request for help, the note of a task they marked done), must be marked: a new route that shows
personal data without auditing the read fails here, like a route without a matrix entry fails
`test_matrix.py`. Routes any logged-in user may open (the dashboard) are asked by a caseworker.
"""

import pytest
from django.db.models import Q
from django.urls import reverse

from mosty.access.models import AuditEvent
from mosty.people.models import Participant
from mosty.portal.models import HelpRequest, TaskReport
from tests.access.test_matrix import ROUTES
from tests.access_matrix import Route
from tests.cases.factories import make_case, make_note, make_participant, make_referral
from tests.conftest import build_world
from tests.mentoring.factories import MatchFactory, MeetingFactory
from tests.mentoring.routes import the_mentor
from tests.participation.factories import make_idea
from tests.portal.factories import help_request, task_report

PERSONAL = [r for r in ROUTES if r.reads_personal]
# Staff-facing reads that could show participants: GET routes a logged-in role may use.
STAFF_READS = [r for r in ROUTES if r.method == "get" and r.allowed and not r.public]


def _world():
    """The matrix world plus a participant of organisation A whom lists show: on a case led by
    A's caseworker with A's coordinator on the team (with a note and a referral to B), matched
    with A's mentor (a meeting with a note), with an idea; and a newcomer of A with a portal,
    who asked their team for help and marked a task done with a note. Each holds free text in
    an encrypted field, which `_encrypted_texts` looks for on every page."""
    world = build_world()
    participant = make_participant(
        world,
        first_name="Bystanderka",
        last_name="Listowska",
        consents=("case_management", "referral", "mentoring"),
    )
    case = make_case(world, participant=participant, members=[world.user("coordinator")])
    make_note(case, body="Sąsiadka pomaga jej z tłumaczeniem w urzędzie.")
    make_referral(case, to=world.org_b)
    match = MatchFactory(mentor=the_mentor(world), participant=participant)
    MeetingFactory(
        match=match, logged_by=world.user("mentor"), note="Rozmawialiśmy o szkole córki."
    )
    make_idea(world, participant=participant)
    help_request(world, "a")
    task_report(world, "a")
    return world


def _request(client, route: Route, world):
    kwargs = route.kwargs(world) if route.kwargs else {}
    url = reverse(route.name, kwargs=kwargs) + (f"?{route.query}" if route.query else "")
    role = min(route.allowed - {"*"}, default="caseworker")
    user = world.user(role, "a")
    client.force_login(user)
    data = route.data(world) if route.data else {}
    return user, client.get(url, data)


def _reads(user, since: int):
    return AuditEvent.objects.filter(pk__gt=since, actor=user).filter(
        Q(action__endswith=".viewed") | Q(action__endswith=".exported")
    )


def _last_event_id() -> int:
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def test_marked_routes_are_gets():
    assert all(r.method == "get" for r in PERSONAL), "only reads can be marked reads_personal"


@pytest.mark.parametrize("route", PERSONAL, ids=[r.name for r in PERSONAL])
def test_reading_personal_data_is_audited(route: Route, db, client):
    world = _world()
    since = _last_event_id()
    user, response = _request(client, route, world)
    assert response.status_code in (route.logged_in_ok or route.ok), response.status_code
    assert _reads(user, since).exists(), f"{route.name} showed personal data and recorded no read"


def _shown_names(content: str) -> list[str]:
    """Participants' names, and what people wrote to their team, that `content` shows."""
    names = set()
    for first, last in Participant.objects.values_list("first_name", "last_name"):
        names |= {n for n in (first, last) if n and len(n) >= 4}
    names |= {h.text for h in HelpRequest.objects.all()}
    names |= {r.note for r in TaskReport.objects.exclude(note="")}
    names |= _encrypted_texts()
    return sorted(n for n in names if n in content)


def _encrypted_texts() -> set[str]:
    """Every text the world holds in an encrypted field (a note about a person, minutes):
    free text about people, which a page shows only with its read recorded."""
    from django.apps import apps

    from mosty.core.crypto import EncryptedTextField

    texts: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                values = model.objects.values_list(field.name, flat=True)
                texts |= {v for v in values if v and len(v) >= 12}
    return texts


@pytest.mark.parametrize("route", STAFF_READS, ids=[r.name for r in STAFF_READS])
def test_routes_that_show_participants_are_marked(route: Route, db, client):
    world = _world()
    since = _last_event_id()
    user, response = _request(client, route, world)
    if response.status_code != 200 or route.reads_personal:
        return
    content = b"".join(response.streaming_content) if response.streaming else response.content
    shown = _shown_names(content.decode(errors="replace"))
    assert not shown, (
        f"{route.name} shows participants ({', '.join(shown)}) but is not marked reads_personal"
        + ("" if _reads(user, since).exists() else " and records no read")
    )
