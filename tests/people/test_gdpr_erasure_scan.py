"""Erasure that no module can forget: a person with data in every module is erased, then every
column of every table is searched for their names, contacts and the phrases of their notes.

Encrypted columns hold tokens that no plain search finds, so they are also read through the
ORM (decrypted): an erased note must be gone, not merely unreadable without the key.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mosty.cases.models import (
    Assessment,
    AssessmentScore,
    Case,
    Goal,
    Note,
    Referral,
    ReferralEvent,
    SupportLog,
    Task,
)
from mosty.core.crypto import encrypted_fields
from mosty.events.models import Attendance, Registration
from mosty.mentoring.models import CheckIn, Match, MatchProposal, Meeting, MentoringProfile
from mosty.people import gdpr
from mosty.people.models import Consent, Household, HouseholdMember, Participant, ParticipantImport
from tests.conftest import PASSWORD
from tests.events.factories import make_event, make_registration
from tests.mentoring.factories import MentorFactory, queued_run

NAMES = ["Xanthippe", "xanthippe", "Quarrington", "quarrington", "Ксантіппа", "Кворрінгтон"]
CONTACTS = ["600 987 321", "600987321"]
PHRASES = [
    "asylum interview and her depression",
    "nightmares since the crossing",
    "eviction notice from Wrzeszcz",
    "trauma therapy waiting list",
    "deportation order appeal",
    "insulin pump",
    "lost her passport at the border",
    "afraid of her ex-husband",
]
NEEDLES = NAMES + CONTACTS + PHRASES


def _person_everywhere(world) -> Participant:
    org, caseworker = world.org_a, world.user("caseworker", "a")
    household = Household.objects.create(owner=org, label="Quarrington family")
    person = Participant.objects.create(
        first_name="Xanthippe",
        last_name="Quarrington",
        first_name_original="Ксантіппа",
        last_name_original="Кворрінгтон",
        birth_year=1988,
        phone="+48 600 987 321",
        email="xanthippe.quarrington@example.org",
        owner=org,
        created_by=caseworker,
        district=world.district,
        household=household,
    )
    HouseholdMember.objects.create(
        household=household, participant=person, relationship="mother of the Quarrington twins"
    )
    HouseholdMember.objects.create(
        household=household, name="Zoe Quarrington", birth_year=2016, relationship="daughter"
    )
    for purpose in ("case_management", "referral", "mentoring"):
        Consent.objects.create(
            participant=person, purpose=purpose, text_shown="I agree.", given_at=timezone.now()
        )

    # cases: plan, assessment, referral and its history, notes, support sessions
    case = Case.objects.create(
        organisation=org,
        participant=person,
        lead=caseworker,
        opened_on=timezone.localdate(),
        plan_comment="Add the trauma therapy waiting list to the plan.",
    )
    assessment = Assessment.objects.create(case=case, assessed_on=timezone.localdate())
    AssessmentScore.objects.create(
        assessment=assessment, domain="health", score=2, comment="Needs an insulin pump."
    )
    goal = Goal.objects.create(case=case, domain="legal", title="Win the deportation order appeal")
    Task.objects.create(goal=goal, title="Ask Xanthippe for the decision", assignee_user=caseworker)
    referral = Referral.objects.create(
        case=case,
        from_organisation=org,
        to_organisation=world.org_b,
        domain="housing",
        shared_fields=["first_name"],
        message="Help after the eviction notice from Wrzeszcz.",
        decision_reason="We can take Xanthippe next week.",
        outcome="Found a room; the eviction notice from Wrzeszcz was withdrawn.",
        status="completed",
        sent_by=caseworker,
    )
    ReferralEvent.objects.create(
        referral=referral,
        status="completed",
        comment="Xanthippe moved in.",
        by=world.user("caseworker", "b"),
        organisation=world.org_b,
    )
    Note.objects.create(
        case=case, author=caseworker, body="She is afraid of her ex-husband.", visibility="team"
    )
    Note.objects.create(
        case=case,
        author=caseworker,
        body="Nightmares since the crossing; nightmares since the crossing.",
        visibility="restricted",
    )
    SupportLog.objects.create(
        case=case,
        kind="legal",
        happened_on=timezone.localdate(),
        minutes=45,
        summary="Prepared the deportation order appeal; she lost her passport at the border.",
        by=caseworker,
    )

    # mentoring: wishes, a match with feedback, meetings and check-ins
    MentoringProfile.objects.create(participant=person, interests=["cooking"])
    mentor = MentorFactory(organisation=org)
    match = Match.objects.create(
        organisation=org,
        mentor=mentor,
        participant=person,
        status="ended",
        ended_at=timezone.now(),
        end_reason="goals_reached",
        mentor_feedback="Xanthippe is doing well after the trauma therapy waiting list.",
        participant_feedback="My mentor helped with the asylum interview and her depression.",
    )
    Meeting.objects.create(
        match=match,
        date=timezone.localdate() - dt.timedelta(days=3),
        minutes=90,
        activity="office",
        note="Talked about the asylum interview and her depression.",
    )
    CheckIn.objects.create(
        match=match,
        date=timezone.localdate(),
        mentor_satisfaction=4,
        participant_satisfaction=5,
        note="Xanthippe still has nightmares since the crossing.",
    )
    # ... and what the newest matching proposed for her, with its reasons (the engine's codes)
    MatchProposal.objects.create(
        run=queued_run([org.pk], status="done", finished_at=timezone.now()),
        participant=person,
        mentor=MentorFactory(organisation=org),
        rank=1,
        score=0.82,
        parts={
            "languages": ["uk", "ru"],
            "interests": ["cooking"],
            "slots": ["tue-evening"],
            "km": 1.2,
            "household": "family",
        },
    )

    # events: a registration with her contact and needs, attendance
    event = make_event(org)
    registration = make_registration(
        event,
        name="Xanthippe Quarrington",
        email="xanthippe.quarrington@example.org",
        phone="+48 600 987 321",
        participant=person,
        accessibility_needs="Bring space for her insulin pump.",
    )
    Attendance.objects.create(session=event.sessions.first(), registration=registration)
    # ... and one she made herself on the public form, with the e-mail address on her record.
    make_registration(
        make_event(org, title="Kino"),
        name="X. Quarrington",
        email="Xanthippe.Quarrington@example.org",
    )
    make_registration(make_event(org, title="Koncert"), name="Ivan P.", email="ivan@example.org")

    # people: an uploaded list still holding her row (and someone else's)
    ParticipantImport.objects.create(
        owner=org,
        created_by=caseworker,
        filename="march.csv",
        headers=["first_name", "last_name", "phone"],
        rows=[
            ["Xanthippe", "Quarrington", "+48 600 987 321"],
            ["Ivan", "Petrenko", "+48 611 222 333"],
        ],
        total=2,
        status="has_errors",
    )

    # portal and messaging: her own login, what she wrote to her caseworker, a queued message
    from mosty.accounts.models import User
    from mosty.messaging.models import Message, Notification
    from mosty.portal.models import HelpRequest, PortalAccount, TaskReport

    login = User.objects.create_user(
        "xanthippe.quarrington@example.org", "pw", first_name="Xanthippe", phone="600987321"
    )
    PortalAccount.objects.create(
        user=login, participant=person, invited_at=timezone.now(), accepted_at=timezone.now()
    )
    HelpRequest.objects.create(
        participant=person,
        organisation=org,
        text="afraid of her ex-husband",
        language="uk",
        reply="A lawyer helps with the deportation order appeal on Monday.",
        replied_at=timezone.now(),
    )
    TaskReport.objects.create(
        task=Task.objects.filter(goal__case__participant=person).first(),
        participant=person,
        note="lost her passport at the border",
    )
    Message.objects.create(
        recipient_participant=person,
        channel="sms",
        template="help_requested",
        language="uk",
        payload='{"_to": "+48 600 987 321", "code": "x"}',
        idempotency_key="scan-1",
    )
    Notification.objects.create(
        user=caseworker, template="help_requested", payload={"code": person.code}
    )

    # networks: an invitation by e-mail to her address
    from mosty.networks.models import Network, NetworkInvitation

    NetworkInvitation.objects.create(
        network=Network.objects.create(name="Sieć", slug="siec-scan", theme="education"),
        email="xanthippe.quarrington@example.org",
        language="uk",
        token_hash="0" * 64,
        expires_at=timezone.now(),
    )
    return person


def _text_hits() -> list[str]:
    """`table.column: needle` for every stored value that contains a needle."""
    hits = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                for needle in NEEDLES:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608 - names from the schema
                        f"WHERE CAST({quote(column.name)} AS TEXT) LIKE %s",
                        [f"%{needle}%"],
                    )
                    if cursor.fetchone()[0]:
                        hits.append(f"{table}.{column.name}: {needle}")
    return hits


def _decrypted_hits() -> list[str]:
    hits = []
    for model, fields in encrypted_fields():
        for row in model._base_manager.values_list(*fields):
            for name, value in zip(fields, row, strict=True):
                hits += [f"{model._meta.db_table}.{name}: {n}" for n in NEEDLES if n in value or ""]
    return hits


@pytest.mark.django_db
def test_erasure_leaves_no_trace_in_any_column(world):
    person = _person_everywhere(world)
    # The person's data really is stored (the scan can find it) before erasure.
    assert any("Quarrington" in hit for hit in _text_hits())
    assert any("depression" in hit for hit in _decrypted_hits())

    client = Client()
    client.login(email=world.user("coordinator", "a").email, password=PASSWORD)
    client.get(reverse("people:detail", args=[person.pk]))
    page = client.get(reverse("people:export", args=[person.pk])).content.decode()
    assert "Talked about the asylum interview and her depression." in page
    response = client.post(reverse("people:erase", args=[person.pk]))
    assert response.status_code == 302

    assert _text_hits() == []
    assert _decrypted_hits() == []
    # The other person in the uploaded list is not erased with her.
    assert ParticipantImport.objects.get().rows == [["Ivan", "Petrenko", "+48 611 222 333"]]
    # What the figures count survives: the case, the match with its meeting minutes, attendance.
    person.refresh_from_db()
    assert person.anonymised_at is not None and person.code
    assert Meeting.objects.get().minutes == 90
    assert CheckIn.objects.get().participant_satisfaction == 5
    assert Attendance.objects.filter(registration__participant=person).count() == 1
    assert person.event_registrations.count() == 2
    assert Registration.objects.get(participant__isnull=True).email == "ivan@example.org"
    assert SupportLog.objects.get().minutes == 45


@pytest.mark.django_db
def test_export_holds_every_module(world):
    person = _person_everywhere(world)
    data = gdpr.export_participant(person, by=world.user("coordinator", "a"))
    match = data["mentoring"]["matches"][0]
    assert match["meetings"][0]["note"] == "Talked about the asylum interview and her depression."
    assert match["check_ins"][0]["note"] == "Xanthippe still has nightmares since the crossing."
    assert match["participant_feedback"].startswith("My mentor helped")
    assert data["mentoring"]["wishes"]["interests"] == ["cooking"]
    assert data["events"][0]["accessibility_needs"] == "Bring space for her insulin pump."
    assert [r["name"] for r in data["events"]] == ["Xanthippe Quarrington", "X. Quarrington"]
    referral = data["cases"][0]["referrals"][0]
    assert referral["outcome"].startswith("Found a room")
    assert referral["history"][0]["comment"] == "Xanthippe moved in."
    assert data["cases"][0]["plan_comment"].startswith("Add the trauma therapy")
    assert data["imports"] == [
        {
            "file": "march.csv",
            "uploaded_at": ParticipantImport.objects.get().created_at.isoformat(),
            "rows": [["Xanthippe", "Quarrington", "+48 600 987 321"]],
        }
    ]
    assert [i["email"] for i in data["networks"]] == ["xanthippe.quarrington@example.org"]


@pytest.mark.django_db
def test_export_page_names_every_key_in_the_readers_language(world):
    """The export page handed to the person says every key in words: a section that exports
    a key which is no field of its models declares what names it (`renamed`), or this fails
    with the machine name it would show."""
    import re

    person = _person_everywhere(world)
    client = Client()
    client.login(email=world.user("coordinator", "a").email, password=PASSWORD)
    page = client.get(reverse("people:export", args=[person.pk])).content.decode()
    keys = re.findall(r"<dt[^>]*>(.*?)</dt>", page)
    assert len(keys) > 50  # every section's rows are on the page
    assert not [key for key in keys if re.fullmatch(r"[a-z_]+", key)]


@pytest.mark.django_db
def test_export_page_says_every_value_in_words(world):
    """The same page says values as a person reads them, not as the JSON download stores
    them: no ISO timestamp, no True/False, no stored code (a language, a template, a field
    shared with a partner). A section that exports a code no field's choices describe
    declares it (`coded`), or this fails with the code it would show."""
    import re

    person = _person_everywhere(world)
    person.languages = [{"code": "uk", "level": "native"}, {"code": "pl", "level": "B1"}]
    person.save(update_fields=["languages"])
    client = Client()
    client.login(email=world.user("coordinator", "a").email, password=PASSWORD)
    page = client.get(reverse("people:export", args=[person.pk])).content.decode()
    values = re.findall(r"<(?:dd|li)[^>]*>([^<]+)</(?:dd|li)>", page)
    assert len(values) > 100
    machine = r"\d{4}-\d\d-\d\d[T ].*|True|False|[a-z]+_[a-z_]+|[a-z]{2}"
    assert not [value for value in values if re.fullmatch(machine, value)]
    assert "Ukrainian · native" in values and "Polish · B1" in values
    assert "Someone asks for help" in values  # the message's template, by its subject
    assert "First name" in values  # what a referral shared with the partner
