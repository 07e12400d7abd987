"""Every free-text field about a person is classified: encrypted at rest, or a written reason."""

import pytest
from django.db import connection

from mosty.core import privacy
from mosty.core.crypto import EncryptedTextField

# Fields the issue names as sensitive; they must stay encrypted.
MUST_BE_ENCRYPTED = [
    "mentoring.Meeting.note",
    "mentoring.CheckIn.note",
    "mentoring.Match.mentor_feedback",
    "mentoring.Match.participant_feedback",
    "cases.Referral.message",
    "cases.Referral.decision_reason",
    "cases.Referral.outcome",
    "cases.Note.body",
    "cases.SupportLog.summary",
    "events.Registration.accessibility_needs",
]


def test_every_free_text_field_on_a_personal_model_is_classified():
    unclassified = sorted(key for key, how in privacy.classification().items() if not how)
    assert unclassified == [], (
        "Free-text fields on models holding personal data must be EncryptedTextField or listed "
        f"in mosty.core.privacy.PLAINTEXT with a reason: {unclassified}"
    )


def test_plaintext_entries_are_not_stale():
    classified = privacy.classification()
    stale = sorted(
        key for key in privacy.PLAINTEXT if classified.get(key) != privacy.PLAINTEXT[key]
    )
    assert stale == [], f"PLAINTEXT lists fields that are gone or now encrypted: {stale}"


def test_sensitive_text_is_encrypted():
    classified = privacy.classification()
    assert {key: classified.get(key) for key in MUST_BE_ENCRYPTED} == dict.fromkeys(
        MUST_BE_ENCRYPTED, "encrypted"
    )


@pytest.mark.django_db
def test_encrypted_fields_store_no_plaintext(world):
    from tests.mentoring.factories import MeetingFactory

    meeting = MeetingFactory(note="Talked about the asylum interview and her depression.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM mentoring_meeting WHERE id = %s", [meeting.pk])
        raw = cursor.fetchone()[0]
    assert "asylum" not in raw and raw.startswith("gAAAA")
    meeting.refresh_from_db()
    assert meeting.note == "Talked about the asylum interview and her depression."
    assert isinstance(type(meeting)._meta.get_field("note"), EncryptedTextField)
