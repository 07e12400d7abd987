"""`encrypt_existing`, the migration operation that turns plaintext already stored in a column
into tokens when a field becomes an EncryptedTextField, loses nothing and can be reversed."""

import pytest
from django.apps import apps
from django.db import connection

from mosty.core.crypto import _is_token, encrypt_existing
from mosty.mentoring.models import Meeting
from tests.mentoring.factories import MeetingFactory

TEXT = "Talked about the asylum interview and her depression."


def _raw() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM mentoring_meeting ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def _store_plaintext(text: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE mentoring_meeting SET note = %s", [text])


@pytest.mark.django_db
def test_plaintext_is_encrypted_in_place_and_decrypted_on_the_way_back(world):
    MeetingFactory(note="ignored")
    _store_plaintext(TEXT)  # as a column held it before the field was encrypted
    operation = encrypt_existing("mentoring", "Meeting", ["note"])

    operation.code(apps, None)
    tokens = _raw()
    assert tokens[0].startswith("gAAAA") and _is_token(tokens[0])
    assert Meeting.objects.get().note == TEXT

    operation.code(apps, None)  # a second run leaves tokens alone
    assert _raw() == tokens

    operation.reverse_code(apps, None)
    assert _raw() == [TEXT]
