"""The migrations that encrypt existing free text lose nothing, and can be reversed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mosty.cases.models import Assessment, AssessmentScore, Referral
from mosty.core.crypto import _convert_rows, _is_token, encrypt
from mosty.events.models import Registration
from mosty.mentoring.models import Meeting, VettingStep
from tests.cases.factories import make_case, make_referral
from tests.events.factories import make_event, make_registration
from tests.mentoring.factories import MeetingFactory

BEFORE = [
    ("mentoring", "0001_initial"),
    ("events", "0003_registration_contact_or_participant"),
    ("cases", "0003_referral_to_service"),
]
COLUMNS = {
    "mentoring_meeting": "note",
    "mentoring_vettingstep": "note",
    "events_registration": "accessibility_needs",
    "cases_referral": "outcome",
    "cases_assessmentscore": "comment",
}
TEXT = {
    "mentoring_meeting": "Talked about the asylum interview and her depression.",
    "mentoring_vettingstep": "Certificate shows nothing relevant.",
    "events_registration": "Wheelchair access; insulin breaks.",
    "cases_referral": "Found a room in Oliwa.",
    "cases_assessmentscore": "Sleeps badly since the journey.",
}


def _raw(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {COLUMNS[table]} FROM {table} ORDER BY id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_existing_text_is_encrypted_in_place_and_decrypted_on_the_way_back(world):
    meeting = MeetingFactory(note=TEXT["mentoring_meeting"])
    VettingStep.objects.create(
        mentor=meeting.match.mentor, step="certificate_checked", note=TEXT["mentoring_vettingstep"]
    )
    make_registration(make_event(world.org_a), accessibility_needs=TEXT["events_registration"])
    case = make_case(world)
    referral = make_referral(case)
    Referral.objects.filter(pk=referral.pk).update(outcome=TEXT["cases_referral"])
    assessment = Assessment.objects.create(case=case, assessed_on=case.opened_on)
    AssessmentScore.objects.create(
        assessment=assessment, domain="wellbeing", score=2, comment=TEXT["cases_assessmentscore"]
    )
    assert all(_raw(t) and _raw(t)[0].startswith("gAAAA") for t in COLUMNS)

    # Back to before encryption: the text is plaintext again, nothing lost.
    _migrate(BEFORE)
    assert {t: _raw(t) for t in COLUMNS} == {t: [TEXT[t]] for t in COLUMNS}

    # Forward again: stored encrypted, read back unchanged; a second run changes nothing.
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    tokens = {t: _raw(t) for t in COLUMNS}
    assert all(value[0].startswith("gAAAA") for value in tokens.values())
    assert Meeting.objects.get().note == TEXT["mentoring_meeting"]
    assert VettingStep.objects.get().note == TEXT["mentoring_vettingstep"]
    assert Registration.objects.get().accessibility_needs == TEXT["events_registration"]
    assert Referral.objects.get().outcome == TEXT["cases_referral"]
    assert AssessmentScore.objects.get().comment == TEXT["cases_assessmentscore"]
    _convert_rows(Meeting, ["note"], lambda v: None if _is_token(v) else encrypt(v))
    assert _raw("mentoring_meeting") == tokens["mentoring_meeting"]
