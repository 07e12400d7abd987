import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from mosty.organisations.models import Organisation

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="file copy backup tested on SQLite"
)


def test_backup_and_restore_round_trip(transactional_db, tmp_path):
    from tests.factories import OrganisationFactory

    OrganisationFactory(name="Przed kopią")
    target = tmp_path / "mosty.backup"
    call_command("backup", str(target))
    assert target.stat().st_size > 0
    Organisation.objects.all().delete()
    OrganisationFactory(name="Po kopii")
    call_command("restore", str(target), yes=True)
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Przed kopią"]


def test_restore_refuses_a_file_that_is_not_a_backup(transactional_db, tmp_path):
    bogus = tmp_path / "bogus.backup"
    bogus.write_text("hello")
    with pytest.raises(CommandError, match="not a Mosty SQLite backup"):
        call_command("restore", str(bogus), yes=True)
