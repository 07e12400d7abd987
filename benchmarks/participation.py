"""Civic participation at a large city's size. The large seed holds no participation data, so the
benchmark writes its own inside a transaction it rolls back (any seeded or demo database with an
organisation and a coordinator will do): 60 programmes and 1,800 calls (about half still open or
coming), each in the seven languages; a busy NGO's 20,000 ideas of 5,000 participants; one
group of 600 members with 400 meetings and 50 documents.

Measured, each as the whole page through Django's test client (routing, the policy, the ORM,
the read audit, the template) against a fair bare-SQL baseline: the queries that fetch the same
rows the page shows, with the same joins, filters, ordering and page size, and the count a
pager needs, but no ORM, no policy, no audit and no rendering. The ratio therefore says what the
framework and the page cost over the data it needs; p50 and p95 are reported for each:

- the public calendar of calls (anonymous, first page of 25): open and coming calls by deadline
  with their programme, in the reader's language;
- a programme's public page with its 30 calls;
- the group's page for its host coordinator: the first 30 members (with their accounts or
  codes) and the newest 30 meetings with how many there are in all, documents, policy
  documents;
- the coordinator's idea list (first page of 25 of 20,000), and its query count on the first
  and the last page (the same, or the list does not scale). The baseline reads the
  organisation's ideas only; the page asks the whole visibility rule (the organisation's ideas,
  or given to the user, or written by them, or answering their consultations), an OR that no
  single index serves.
"""

from __future__ import annotations

import datetime
import statistics
from typing import Any

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mosty.core.benchmarking import BenchResult, benchmark, p95, timed_pair

REPEAT = 30
LANGUAGES = ("pl", "en", "uk", "ru", "ar", "fa", "fr")
PROGRAMMES, CALLS_EACH = 60, 30
IDEAS, PEOPLE = 20_000, 5_000
MEMBERS, MEETINGS, DOCUMENTS = 600, 400, 50

CALENDAR_SQL = """
SELECT c.id, c.opens_on, c.closes_on, c.collects_opinions, p.kind,
  (SELECT t.title FROM participation_calltranslation t WHERE t.call_id = c.id
   AND t.language IN (%(lang)s, c.source_language) ORDER BY t.language = %(lang)s DESC LIMIT 1),
  (SELECT t.summary FROM participation_calltranslation t WHERE t.call_id = c.id
   AND t.language IN (%(lang)s, c.source_language) ORDER BY t.language = %(lang)s DESC LIMIT 1),
  (SELECT t.title FROM participation_programmetranslation t WHERE t.programme_id = p.id
   AND t.language IN (%(lang)s, p.source_language) ORDER BY t.language = %(lang)s DESC LIMIT 1)
FROM participation_call c JOIN participation_programme p ON p.id = c.programme_id
WHERE p.is_published AND c.closes_on >= %(today)s
ORDER BY c.closes_on, c.id LIMIT 25
"""
CALENDAR_COUNT_SQL = """
SELECT COUNT(*) FROM participation_call c JOIN participation_programme p ON p.id = c.programme_id
WHERE p.is_published AND c.closes_on >= %(today)s
"""
PROGRAMME_SQL = """
SELECT p.id, p.kind, p.official_url, o.name, t.title, t.summary, t.eligibility, t.steps
FROM participation_programme p JOIN organisations_organisation o ON o.id = p.organisation_id
LEFT JOIN participation_programmetranslation t ON t.programme_id = p.id AND t.language = %(lang)s
WHERE p.id = %(programme)s
"""
PROGRAMME_CALLS_SQL = """
SELECT c.id, c.opens_on, c.closes_on, c.collects_opinions, t.title, t.summary
FROM participation_call c
LEFT JOIN participation_calltranslation t ON t.call_id = c.id AND t.language = %(lang)s
WHERE c.programme_id = %(programme)s ORDER BY c.closes_on DESC, c.id
"""
GROUP_SQL = [
    """SELECT g.id, g.name, g.kind, g.women_only, g.description, g.is_public, o.name
    FROM participation_group g JOIN organisations_organisation o ON o.id = g.organisation_id
    WHERE g.id = %(group)s""",
    """SELECT m.id, m.role, m.starts_on, m.ends_on, u.first_name, u.last_name, p.code
    FROM participation_groupmember m LEFT JOIN accounts_user u ON u.id = m.user_id
    LEFT JOIN people_participant p ON p.id = m.participant_id
    WHERE m.group_id = %(group)s ORDER BY m.role, m.id LIMIT 30""",
    "SELECT COUNT(*) FROM participation_groupmember WHERE group_id = %(group)s",
    """SELECT id, date, place, decisions, minutes FROM participation_groupmeeting
    WHERE group_id = %(group)s ORDER BY date DESC, id DESC LIMIT 30""",
    "SELECT COUNT(*) FROM participation_groupmeeting WHERE group_id = %(group)s",
    """SELECT id, title FROM participation_groupdocument WHERE group_id = %(group)s
    ORDER BY created_at DESC, id DESC""",
    """SELECT id, title FROM participation_policydocument WHERE group_id = %(group)s""",
]
IDEAS_SQL = """
SELECT i.id, i.kind, i.status, i.title, i.created_at, p.code, u.first_name, u.last_name,
  (SELECT t.title FROM participation_calltranslation t WHERE t.call_id = i.call_id
   AND t.language = %(lang)s)
FROM participation_idea i LEFT JOIN people_participant p ON p.id = i.participant_id
LEFT JOIN accounts_user u ON u.id = i.supporter_id
WHERE i.organisation_id = %(org)s ORDER BY i.created_at DESC, i.id DESC LIMIT 25
"""
IDEAS_COUNT_SQL = "SELECT COUNT(*) FROM participation_idea WHERE organisation_id = %(org)s"


class _Rollback(Exception):
    pass


def _sql(queries: list[str], params: dict[str, Any]) -> None:
    with connection.cursor() as cursor:
        for query in queries:
            cursor.execute(query, params)
            cursor.fetchall()


def _get(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries.captured_queries)


def _texts(model: Any, parent: str, rows: list[Any], **texts: str) -> list[Any]:
    return [
        model(**{parent: row}, language=lang, status="published", **texts)
        for row in rows
        for lang in LANGUAGES
    ]


def _build(organisation: Any, coordinator: Any) -> dict[str, Any]:
    """The large city's participation data (bulk writes; rolled back by the caller)."""
    from mosty.participation.models import (
        Call,
        CallTranslation,
        Group,
        GroupDocument,
        GroupMeeting,
        GroupMember,
        Idea,
        Programme,
        ProgrammeTranslation,
    )
    from mosty.people.models import Participant

    today = timezone.localdate()
    kinds = ["citizens_budget", "micro_grants", "consultation", "local_initiative"]
    programmes = Programme.objects.bulk_create(
        Programme(
            organisation=organisation,
            kind=kinds[n % 4],
            source_language="pl",
            is_published=True,
            created_by=coordinator,
        )
        for n in range(PROGRAMMES)
    )
    ProgrammeTranslation.objects.bulk_create(
        _texts(ProgrammeTranslation, "programme", programmes, title="Budżet", summary="Opis. " * 20)
    )
    calls = Call.objects.bulk_create(
        Call(
            programme=programme,
            source_language="pl",
            opens_on=today + datetime.timedelta(days=n * 12 - 200),
            closes_on=today + datetime.timedelta(days=n * 12 - 170),
            collects_opinions=programme.kind == "consultation",
            created_by=coordinator,
        )
        for programme in programmes
        for n in range(CALLS_EACH)
    )
    CallTranslation.objects.bulk_create(
        _texts(CallTranslation, "call", calls, title="Nabór", summary="Zgłoś projekt. " * 10),
        batch_size=2000,
    )
    start = Participant.objects.count()
    people = Participant.objects.bulk_create(
        (
            Participant(code=f"BN-{start + n:07d}", owner=organisation, created_by=coordinator)
            for n in range(PEOPLE)
        ),
        batch_size=2000,
    )
    Idea.objects.bulk_create(
        (
            Idea(
                organisation=organisation,
                kind="project",
                participant=people[n % PEOPLE],
                call=calls[n % len(calls)] if n % 3 else None,
                title=f"Pomysł {n}",
                text="Ogród sąsiedzki.",
                status=("draft", "submitted", "selected", "rejected")[n % 4],
                created_by=coordinator,
            )
            for n in range(IDEAS)
        ),
        batch_size=2000,
    )
    group = Group.objects.create(
        organisation=organisation, name="Regionalny Zespół Imigrantów", kind="advisory_team"
    )
    GroupMember.objects.bulk_create(
        GroupMember(
            group=group,
            participant=people[n],
            role="leader" if n < 3 else "member",
            starts_on=today - datetime.timedelta(days=n),
        )
        for n in range(MEMBERS)
    )
    GroupMeeting.objects.bulk_create(
        GroupMeeting(
            group=group,
            date=today - datetime.timedelta(days=7 * n),
            place="Biblioteka",
            decisions="Piszemy opinię.",
            minutes="Protokół. " * 30,
        )
        for n in range(MEETINGS)
    )
    GroupDocument.objects.bulk_create(
        GroupDocument(group=group, title=f"Dokument {n}", url=f"https://example.org/{n}")
        for n in range(DOCUMENTS)
    )
    return {"programme": programmes[0], "group": group, "today": today}


def _pair(name: str, client: Client, url: str, queries: list[str], params: dict[str, Any]) -> Any:
    ours, bare = timed_pair(
        lambda _x: _get(client, url), lambda _x: _sql(queries, params), [None], repeat=REPEAT
    )
    p50, p50_bare = statistics.median(ours), statistics.median(bare)
    return [
        BenchResult("participation", f"{name} p50", round(p50, 3), round(p50_bare, 3), "—"),
        BenchResult("participation", f"{name} p95", p95(ours), p95(bare), "p95 under 100 ms"),
    ]


@benchmark("participation")
def participation_benchmark() -> list[BenchResult]:
    from mosty.accounts.models import Membership, Role

    membership = (
        Membership.objects.filter(role=Role.COORDINATOR, is_active=True, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise SystemExit("No coordinator: run `mosty seed --scale large` (or `mosty demo`) first.")
    organisation, coordinator = membership.organisation, membership.user
    results: list[BenchResult] = []
    try:
        with transaction.atomic():
            built = _build(organisation, coordinator)
            params = {
                "lang": "pl",
                "today": built["today"],
                "programme": built["programme"].pk,
                "group": built["group"].pk,
                "org": organisation.pk,
            }
            visitor, staff = Client(), Client()
            staff.force_login(coordinator)
            results += _pair(
                "public calendar of calls",
                visitor,
                "/pl/participation/calls/",
                [CALENDAR_SQL, CALENDAR_COUNT_SQL],
                params,
            )
            results += _pair(
                f"programme page ({CALLS_EACH} calls)",
                visitor,
                f"/pl/participation/{built['programme'].pk}/",
                [PROGRAMME_SQL, PROGRAMME_CALLS_SQL],
                params,
            )
            results += _pair(
                f"group page ({MEMBERS} members, {MEETINGS} meetings)",
                staff,
                f"/pl/participation/groups/{built['group'].pk}/",
                GROUP_SQL,
                params,
            )
            first = _get(staff, "/pl/participation/ideas/")
            last = _get(staff, f"/pl/participation/ideas/?page={-(-IDEAS // 25)}")
            results += _pair(
                f"coordinator's idea list ({IDEAS} ideas; {first} queries on page 1, {last} on the last)",
                staff,
                "/pl/participation/ideas/",
                [IDEAS_SQL, IDEAS_COUNT_SQL],
                params,
            )
            raise _Rollback
    except _Rollback:
        pass
    return results
