"""Cases, assessments, plans, referrals, notes and support sessions.

Demo: a handful of cases for the demo caseworker (caseworker@demo.mosty.local, fundacja-most),
with progress over three assessments, an overdue task, a referral to centrum-wsparcia.
Large: a case for most seeded participants and 500,000 encrypted notes, written with
bulk_create in batches (each note is encrypted once, in Python, with the cached key set).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from mosty.accounts.models import Membership, Role, User
from mosty.cases.models import (
    Assessment,
    AssessmentScore,
    AssigneeKind,
    Case,
    CaseStatus,
    ClosureReason,
    Domain,
    Goal,
    Note,
    NoteVisibility,
    Referral,
    ReferralEvent,
    SupportKind,
    SupportLog,
    Task,
)
from mosty.core.seeding import HEAVY_ORGANISATIONS, batched, ngo_caseworker_emails, scaled_seeder
from mosty.organisations.models import Organisation

NOTE_TEXTS = [
    "Met at the office; talked about the flat search and school enrolment.",
    "Phone call: the appointment at the voivodeship office is confirmed.",
    "Brought documents for the PESEL application.",
    "Feels tired; we agreed to look for a support group.",
    "Registered for the Polish course starting next month.",
    "Job interview went well, waiting for an answer.",
    "Asked about benefits for the children; gave the leaflet in Ukrainian.",
    "Follow-up after the referral: the partner called back.",
]
GOALS = {
    Domain.HOUSING: "Wynająć mieszkanie z umową na siebie",
    Domain.WORK: "Znaleźć pracę zgodną z kwalifikacjami",
    Domain.POLISH: "Osiągnąć poziom A2 z polskiego",
    Domain.LEGAL: "Uzyskać kartę pobytu",
    Domain.SCHOOLING: "Zapisać dzieci do szkoły",
}


def _ensure_consents(participants, by) -> None:
    from mosty.people.models import Consent

    have = set(
        Consent.objects.filter(participant__in=participants, withdrawn_at__isnull=True).values_list(
            "participant_id", "purpose"
        )
    )
    now = timezone.now()
    Consent.objects.bulk_create(
        Consent(
            participant=p,
            purpose=purpose,
            text_shown="Zgadzam się na prowadzenie mojej sprawy i skierowania do partnerów.",
            language="pl",
            given_at=now,
            recorded_by=by,
        )
        for p in participants
        for purpose in ("case_management", "referral")
        if (p.pk, purpose) not in have
    )


def _demo_participants(org, by, rng, ctx):
    from mosty.people.models import Participant

    found = list(Participant.objects.filter(owner=org, anonymised_at__isnull=True)[:6])
    if len(found) >= 4:
        return found
    # The people seeder did not run: a few people so the demo shows cases.
    people = [
        ("Oleksandr", "Kovalenko", "Олександр", "Коваленко", 1986, "uk"),
        ("Mariia", "Bondarenko", "Марія", "Бондаренко", 1992, "uk"),
        ("Ahmad", "Karimi", "احمد", "کریمی", 1979, "fa"),
        ("Aisha", "Haddad", "عائشة", "حداد", 1995, "ar"),
    ]
    for first, last, first_o, last_o, year, lang in people[: 4 - len(found)]:
        found.append(
            Participant.objects.create(
                first_name=first,
                last_name=last,
                first_name_original=first_o,
                last_name_original=last_o,
                birth_year=year,
                languages=[{"code": lang, "level": "native"}],
                polish_level="A1",
                phone=f"+48 600 {rng.randint(100, 999)} {rng.randint(100, 999)}",
                owner=org,
                created_by=by,
            )
        )
    return found


@transaction.atomic
def _seed_demo(ctx) -> str:
    org = Organisation.objects.filter(slug="fundacja-most").first()
    partner = Organisation.objects.filter(slug="centrum-wsparcia").first()
    worker = User.objects.filter(email="caseworker@demo.mosty.local").first()
    coordinator = User.objects.filter(email="coordinator@demo.mosty.local").first()
    mentor = User.objects.filter(email="mentor@demo.mosty.local").first()
    if org is None or worker is None:
        return "no demo organisation or caseworker: skipped"
    if Case.objects.filter(lead=worker).exists():
        return f"{Case.objects.filter(lead=worker).count()} demo cases already there"
    rng = ctx.rng
    today = timezone.localdate()
    participants = _demo_participants(org, worker, rng, ctx)
    _ensure_consents(participants, worker)
    statuses = [CaseStatus.ACTIVE, CaseStatus.ACTIVE, CaseStatus.INTAKE, CaseStatus.ON_HOLD]
    cases = []
    for i, participant in enumerate(participants):
        status = statuses[i % len(statuses)]
        case = Case.objects.create(
            organisation=org,
            participant=participant,
            lead=worker,
            status=status,
            opened_on=today - datetime.timedelta(days=120 - i * 10),
            review_date=today + datetime.timedelta(days=3 + i * 4),
        )
        if coordinator is not None:
            case.members.add(coordinator)
        cases.append(case)
        # Three assessments, improving over time.
        for k, days_ago in enumerate((110, 60, 10)):
            assessment = Assessment.objects.create(
                case=case, assessed_on=today - datetime.timedelta(days=days_ago), assessed_by=worker
            )
            AssessmentScore.objects.bulk_create(
                AssessmentScore(
                    assessment=assessment,
                    domain=d,
                    score=max(1, min(5, 1 + k + rng.randint(0, 2))),
                    comment="",
                )
                for d in Domain.values
            )
        for j, (domain, title) in enumerate(list(GOALS.items())[: 2 + i % 3]):
            goal = Goal.objects.create(
                case=case,
                domain=domain,
                title=title,
                target_date=today + datetime.timedelta(days=30 + 30 * j),
                created_by=worker,
            )
            Task.objects.create(
                goal=goal,
                title="Przygotować dokumenty",
                assignee_kind=AssigneeKind.STAFF,
                assignee_user=worker,
                due_date=today + datetime.timedelta(days=-3 if j == 0 else 7 * j),
            )
            if mentor is not None and j == 1:
                Task.objects.create(
                    goal=goal,
                    title="Pójść razem do urzędu dzielnicy",
                    assignee_kind=AssigneeKind.MENTOR,
                    assignee_user=mentor,
                    due_date=today + datetime.timedelta(days=10),
                )
        for n in range(3):
            Note.objects.create(
                case=case,
                author=worker,
                body=NOTE_TEXTS[(i + n) % len(NOTE_TEXTS)],
                visibility=NoteVisibility.RESTRICTED if n == 2 else NoteVisibility.TEAM,
            )
        SupportLog.objects.create(
            case=case,
            kind=[SupportKind.LEGAL, SupportKind.PSYCHOLOGICAL, SupportKind.MATERIAL][i % 3],
            happened_on=today - datetime.timedelta(days=5 + i),
            minutes=45,
            summary="",
            by=worker,
        )
    if partner is not None:
        for case, status in ((cases[0], "accepted"), (cases[1], "sent")):
            referral = Referral.objects.create(
                case=case,
                from_organisation=org,
                to_organisation=partner,
                domain=Domain.HOUSING,
                shared_fields=["first_name", "languages", "contact"],
                message="Prosimy o pomoc w znalezieniu mieszkania i rozmowę z właścicielem.",
                status=status,
                sent_by=worker,
            )
            ReferralEvent.objects.create(
                referral=referral, status="sent", by=worker, organisation=org
            )
            if status == "accepted":
                ReferralEvent.objects.create(
                    referral=referral,
                    status="accepted",
                    organisation=partner,
                    comment="Zapraszamy w czwartek.",
                )
    return f"{len(cases)} demo cases for {worker.email}"


def _write_cases(rng, rows, today) -> int:
    """Cases for (participant id, organisation id, lead id, status) rows, each with an
    assessment, a goal with a task and two support sessions."""
    cases = [
        Case(
            organisation_id=owner_id,
            participant_id=pk,
            lead_id=lead,
            status=status,
            closure_reason=ClosureReason.GOALS_ACHIEVED if status == "closed" else "",
            closed_at=timezone.now() if status == "closed" else None,
            opened_on=today - datetime.timedelta(days=rng.randint(0, 700)),
            review_date=today + datetime.timedelta(days=rng.randint(-10, 60)),
        )
        for pk, owner_id, lead, status in rows
    ]
    with transaction.atomic():
        saved = _created(Case, cases, participant_id__in=[c.participant_id for c in cases])
        assessments = [
            Assessment(
                case_id=c.pk,
                assessed_on=c.opened_on + datetime.timedelta(days=7),
                assessed_by_id=c.lead_id,
            )
            for c in saved
        ]
        assessments = _created(Assessment, assessments, case_id__in=[c.pk for c in saved])
        AssessmentScore.objects.bulk_create(
            (
                AssessmentScore(assessment_id=a.pk, domain=d, score=rng.randint(1, 5), comment="")
                for a in assessments
                for d in Domain.values
            ),
            batch_size=5000,
        )
        goals = [
            Goal(
                case_id=c.pk,
                domain=rng.choice(list(GOALS)),
                title=rng.choice(list(GOALS.values())),
                target_date=today + datetime.timedelta(days=rng.randint(10, 200)),
                created_by_id=c.lead_id,
            )
            for c in saved
        ]
        goals = _created(Goal, goals, case_id__in=[c.pk for c in saved])
        Task.objects.bulk_create(
            Task(
                goal_id=g.pk,
                title="Przygotować dokumenty",
                assignee_kind=AssigneeKind.STAFF,
                assignee_user_id=g.created_by_id,
                due_date=today + datetime.timedelta(days=rng.randint(-20, 40)),
            )
            for g in goals
        )
        SupportLog.objects.bulk_create(
            SupportLog(
                case_id=c.pk,
                kind=rng.choice(SupportKind.values),
                happened_on=today - datetime.timedelta(days=rng.randint(0, 300)),
                minutes=rng.choice([30, 45, 60, 90]),
                summary="",
                by_id=c.lead_id,
            )
            for c in saved
            for _ in range(2)
        )
    return len(saved)


OPEN_STATUSES = [CaseStatus.ACTIVE] * 5 + [CaseStatus.INTAKE, CaseStatus.ON_HOLD]


def _seed_heavy_ngo(ctx, today) -> int:
    """The large NGO: 3,000 open cases, 150 for each of its 20 caseworkers, and 1,000 closed
    ones; its other participants have no case (yet)."""
    from mosty.people.models import Participant

    ngo = Organisation.objects.filter(slug=HEAVY_ORGANISATIONS["ngo"]).first()
    if ngo is None or Case.objects.filter(organisation=ngo).exists():
        return 0
    emails = ngo_caseworker_emails()
    by_email = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    workers = [by_email[e] for e in emails if e in by_email]
    if not workers:
        return 0
    open_total = ctx.size(demo=0, large=3000)
    closed_total = ctx.size(demo=0, large=1000)
    people = list(
        Participant.objects.filter(owner=ngo, anonymised_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[: open_total + closed_total]
    )
    rows = [
        (
            pk,
            ngo.pk,
            workers[i % len(workers)],
            ctx.rng.choice(OPEN_STATUSES) if i < open_total else CaseStatus.CLOSED,
        )
        for i, pk in enumerate(people)
    ]
    created = 0
    for batch in batched(rows, 2000):
        created += _write_cases(ctx.rng, batch, today)
        ctx.progress("cases of the large NGO", created, len(rows))
    return created


def _seed_large(ctx) -> str:
    from mosty.people.models import Participant

    target_cases = ctx.size(demo=0, large=40_000)
    target_notes = ctx.size(demo=0, large=500_000)
    rng = ctx.rng
    today = timezone.localdate()
    _seed_heavy_ngo(ctx, today)
    # One lead caseworker per organisation (the seeded caseworker, else any caseworker).
    leads = dict(
        Membership.objects.filter(role=Role.CASEWORKER, is_active=True)
        .order_by("organisation_id", "pk")
        .values_list("organisation_id", "user_id")
    )
    existing = Case.objects.count()
    participants = (
        Participant.objects.filter(anonymised_at__isnull=True, cases__isnull=True)
        .exclude(owner__slug=HEAVY_ORGANISATIONS["ngo"])
        .order_by("pk")
        .values_list("pk", "owner_id")
    )
    created = 0
    for batch in batched(participants.iterator(chunk_size=2000), 2000):
        if existing + created >= target_cases:
            break
        rows = []
        for pk, owner_id in batch:
            lead = leads.get(owner_id)
            if lead is None:
                continue
            status = rng.choice(OPEN_STATUSES + [CaseStatus.CLOSED])
            rows.append((pk, owner_id, lead, status))
        created += _write_cases(rng, rows[: max(0, target_cases - existing - created)], today)
        ctx.progress("cases", existing + created, target_cases)
    # Notes: spread over all cases, encrypted once each in Python during bulk_create.
    case_rows = list(Case.objects.values_list("pk", "lead_id"))
    have = Note.objects.count()
    if case_rows:
        done = have
        for batch in batched(range(have, target_notes), 5000):
            Note.objects.bulk_create(
                Note(
                    case_id=case_id,
                    author_id=lead_id,
                    body=rng.choice(NOTE_TEXTS),
                    visibility=NoteVisibility.TEAM if rng.random() < 0.9 else "restricted",
                )
                for case_id, lead_id in (rng.choice(case_rows) for _ in batch)
            )
            done += len(batch)
            ctx.progress("notes", done, target_notes)
    return f"{Case.objects.count():,} cases, {Note.objects.count():,} notes"


def _created(model, rows: list, **same_rows) -> list:
    """`bulk_create(rows)`, and the rows with their ids: SQLite before RETURNING gives none,
    so they are read back by `same_rows` (a filter that finds exactly the rows created)."""
    model.objects.bulk_create(rows)
    if all(row.pk for row in rows):
        return rows
    return list(model.objects.filter(**same_rows))


seed_cases = scaled_seeder("cases", order=40, demo=_seed_demo, large=_seed_large)
