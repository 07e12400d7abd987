"""On SQLite too the database itself refuses to change or delete audit events.

After 0004, whose table rebuild on SQLite would have dropped a trigger created earlier. Any later
migration that rebuilds `access_auditevent` on SQLite must create these triggers again
(tests/access/test_audit.py fails if they are missing).
"""

from django.db import migrations

TRIGGERS = {
    "access_auditevent_no_update": "UPDATE",
    "access_auditevent_no_delete": "DELETE",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, operation in TRIGGERS.items():
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {operation} ON access_auditevent "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")


class Migration(migrations.Migration):
    dependencies = [("access", "0004_audit_actor_outlives_user")]
    operations = [migrations.RunPython(forwards, backwards)]
