import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from mosty.cases.models import Note
from mosty.core import crypto
from mosty.core.crypto import generate_key
from tests.cases.factories import make_case, make_note


def _raw_body(note_id) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM cases_note WHERE id = %s", [note_id])
        return cursor.fetchone()[0]


def test_ciphertext_in_the_database_is_not_the_plaintext(world):
    note = make_note(make_case(world), body="Panic attacks since the journey.")
    raw = _raw_body(note.pk)
    assert "Panic" not in raw
    assert raw.startswith("gAAAA")  # a Fernet token
    note.refresh_from_db()
    assert note.body == "Panic attacks since the journey."


def test_rotation_re_encrypts_with_the_new_key_and_old_key_can_go(world):
    old, new = generate_key(), generate_key()
    with override_settings(MOSTY_ENCRYPTION_KEYS=[old]):
        note = make_note(make_case(world), body="Legal advice about the residence card.")
        before = _raw_body(note.pk)
    with override_settings(MOSTY_ENCRYPTION_KEYS=[new, old]):
        call_command("rotate_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
        after = _raw_body(note.pk)
    assert after != before
    with override_settings(MOSTY_ENCRYPTION_KEYS=[new]):
        note.refresh_from_db()
        assert note.body == "Legal advice about the residence card."
    with override_settings(MOSTY_ENCRYPTION_KEYS=[old]):
        with pytest.raises(Exception, match="cannot be read"):
            note.refresh_from_db()


def test_empty_and_bad_keys():
    with override_settings(MOSTY_ENCRYPTION_KEYS=[]):
        with pytest.raises(Exception, match="at least one"):
            crypto.encrypt("x")
    with override_settings(MOSTY_ENCRYPTION_KEYS=["not-a-key"]):
        with pytest.raises(Exception, match="Fernet keys"):
            crypto.encrypt("x")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL (SQLite's test database is one shared in-memory file)",
)
@pytest.mark.django_db(transaction=True)
def test_rotation_locks_rows_so_a_concurrent_edit_is_not_lost(world, monkeypatch):
    """A note edited while `rotate-keys` rewrites its batch keeps the edit: the edit waits for
    the rotation's row lock instead of being overwritten by the rotated older token."""
    old, new = generate_key(), generate_key()
    with override_settings(MOSTY_ENCRYPTION_KEYS=[old]):
        note = make_note(make_case(world), body="First version.")
    edited = threading.Event()
    editor = None

    def edit():
        try:
            Note.objects.filter(pk=note.pk).update(body="Edited during the rotation.")
        finally:
            connection.close()
            edited.set()

    real_rotate = crypto.rotate

    def rotate_while_someone_edits(token):
        nonlocal editor
        if editor is None:
            editor = threading.Thread(target=edit)
            editor.start()
            # Holding the lock, the rotation does not wait for the edit to finish.
            edited.wait(timeout=1.5)
        return real_rotate(token)

    monkeypatch.setattr(crypto, "rotate", rotate_while_someone_edits)
    with override_settings(MOSTY_ENCRYPTION_KEYS=[new, old]):
        assert crypto.rotate_model(Note, ["body"]) == 1
        editor.join(timeout=10)
        assert edited.is_set()
        note.refresh_from_db()
        assert note.body == "Edited during the rotation."
