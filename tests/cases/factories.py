"""Objects of the cases module for tests: participants with consent, cases, referrals."""

import itertools

from django.utils import timezone

from mosty.cases.models import Case, Goal, Note, Referral, ReferralEvent, Task
from mosty.people.models import Consent, Participant
from tests.factories import OrganisationFactory

_n = itertools.count(1)


def make_participant(world, org: str = "a", consents=("case_management", "referral"), **kw):
    n = next(_n)
    data = {
        "first_name": f"Olena{n}",
        "last_name": "Testowa",
        "birth_year": 1990,
        "languages": [],
        "phone": f"+48600000{n:03d}",
        "owner": world.org(org),
        "created_by": world.user("caseworker", org),
        "district": world.district,
        **kw,
    }
    participant = Participant.objects.create(**data)
    for purpose in consents:
        for channel in _consent_channels(purpose, participant.preferred_channel):
            Consent.objects.create(
                participant=participant,
                purpose=purpose,
                channel=channel,
                text_shown="I agree.",
                given_at=timezone.now(),
            )
    return participant


def _consent_channels(purpose: str, preferred: str) -> list[str]:
    """Consent to messages is per channel: the preferred one (and SMS beside a chat app), as
    the migration made of the consents recorded before."""
    if purpose != "messages":
        return [""]
    if preferred in ("whatsapp", "signal", "telegram", "viber"):
        return [preferred, "sms"]
    return [preferred if preferred == "email" else "sms"]


def make_case(world, org: str = "a", participant=None, lead=None, members=(), **kw):
    participant = participant or make_participant(world, org)
    case = Case.objects.create(
        organisation=world.org(org),
        participant=participant,
        lead=lead or world.user("caseworker", org),
        opened_on=timezone.localdate(),
        **kw,
    )
    if members:
        case.members.set(members)
    return case


def make_goal(case, **kw):
    return Goal.objects.create(case=case, domain=kw.pop("domain", "housing"), title="Flat", **kw)


def make_task(goal, **kw):
    kw.setdefault("assignee_user", goal.case.lead)
    return Task.objects.create(goal=goal, title=kw.pop("title", "Call the landlord"), **kw)


def make_referral(case, to=None, status="sent", shared_fields=("first_name",)):
    to = to or OrganisationFactory()
    referral = Referral.objects.create(
        case=case,
        from_organisation=case.organisation,
        to_organisation=to,
        domain="housing",
        shared_fields=list(shared_fields),
        message="Please help with a flat.",
        status=status,
        sent_by=case.lead,
    )
    ReferralEvent.objects.create(
        referral=referral, status="sent", by=case.lead, organisation=case.organisation
    )
    return referral


def make_note(case, body="Met at the office.", visibility="team", author=None):
    return Note.objects.create(
        case=case, body=body, visibility=visibility, author=author or case.lead
    )
