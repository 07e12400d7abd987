"""Demo programmes: one for each seed programme, with the targets its organisers published
(/work/shared/seeds: Gdańsk, Kujawsko-Pomorskie, Wrocław), linked to the demo events of the
kinds they ran, so each programme page shows its own figures against its own promises."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from mosty.core.seeding import HEAVY_ORGANISATIONS, seeder
from mosty.events.models import Event, EventKind
from mosty.organisations.models import Organisation
from mosty.reports.models import BudgetLine, PartnerInvitation, Programme, Target

# Budget lines are illustrative (the seed programmes do not publish their budgets), in PLN.
BUDGETS: list[list[tuple[str, str]]] = [
    [("Szkolenia kompetencji międzykulturowych", "48000"), ("Kursy języka polskiego", "96000")],
    [("Warsztaty samorzecznictwa", "32000"), ("Sieć asystentów", "54000"), ("Tłumaczenia", "8000")],
    [("Spotkania warsztatowe Akademii", "18000"), ("Mikrogranty inicjatyw", "25000")],
]

# name, donor, report language, event kinds it ran, [(indicator, target, wording)]
PROGRAMMES: list[tuple[str, str, str, list[str], list[tuple[str, int, str]]]] = [
    (
        "Łączenie sieci instytucjonalnych i społecznych na rzecz integracji uchodźców (Gdańsk)",
        "EEA Grants",
        "en",
        [EventKind.STAFF_TRAINING, EventKind.LANGUAGE_COURSE],
        [
            ("events.events_held", 10, "10 intercultural competence trainings"),
            ("events.participants", 116, "116 persons trained"),
            ("events.institutions_trained", 80, "from over 80 education institutions and police"),
            ("people.beneficiaries", 300, "Polish language courses for over 300 persons"),
        ],
    ),
    (
        "Organizowanie społeczności imigranckiej w województwie kujawsko-pomorskim",
        "",
        "pl",
        [EventKind.WORKSHOP, EventKind.SELF_HELP],
        [
            ("events.programme_hours", 160, "160 godzin warsztatów samorzecznictwa"),
            ("events.institutions_trained", 15, "sieć asystentów obsługująca 15 instytucji"),
            ("people.beneficiaries", 40, "40 osób skorzysta bezpośrednio"),
        ],
    ),
    (
        "Aktywni Migranci – Partycypacyjna Akademia Migrantów (Wrocław)",
        "",
        "pl",
        [EventKind.ACADEMY, EventKind.MENTORING_HOURS, EventKind.CULTURAL],
        [
            ("events.sessions_held", 8, "8 spotkań warsztatowych"),
            ("events.institutions_trained", 12, "12 zaangażowanych interesariuszy"),
        ],
    ),
]


def _lead() -> Organisation | None:
    return (
        Organisation.objects.filter(slug=HEAVY_ORGANISATIONS["ngo"]).first()
        or Organisation.objects.filter(kind="ngo").order_by("pk").first()
        or Organisation.objects.order_by("pk").first()
    )


# The demo's second coordinator finds an invitation to take part waiting (the programmes list).
INVITED = "centrum-wsparcia"


def _invite(programme: Programme) -> None:
    invited = Organisation.objects.filter(slug=INVITED).exclude(pk=programme.organisation_id)
    for organisation in invited:
        programme.partners.remove(organisation)
        PartnerInvitation.objects.get_or_create(programme=programme, organisation=organisation)


@seeder("reports", order=80)
@transaction.atomic
def seed_reports(ctx: Any) -> str:
    lead = _lead()
    if lead is None:
        return "no organisations: skipped"
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=365), today + datetime.timedelta(days=365)
    made = 0
    for (name, donor, language, kinds, targets), budget in zip(PROGRAMMES, BUDGETS, strict=True):
        if Programme.objects.filter(name=name).exists():
            continue
        events = list(Event.objects.filter(kind__in=kinds).order_by("pk")[:200])
        programme = Programme.objects.create(
            organisation=lead,
            name=name,
            donor=donor,
            starts_on=start,
            ends_on=end,
            language=language,
        )
        organisers = {event.organisation_id for event in events} - {lead.pk}
        programme.partners.set(Organisation.objects.filter(pk__in=organisers)[:50])
        if not made:
            _invite(programme)
        programme.events.set(events)
        Target.objects.bulk_create(
            Target(programme=programme, indicator=code, value=Decimal(value), note=wording)
            for code, value, wording in targets
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(programme=programme, name=line, amount=Decimal(amount), currency="PLN")
            for line, amount in budget
        )
        made += 1
    return f"{made} programmes with targets"
