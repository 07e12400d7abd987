"""Consent to messages becomes per channel. An existing consent (its text said "text message
or chat app") becomes the consent for the person's preferred channel; when that is a chat app,
a copy of the same consent covers text messages too, as the text did, so nobody who was reached
by SMS before stops being reached. Without a usable preference: SMS when there is a phone
number, else e-mail."""

from django.db import migrations

CHAT = {"whatsapp", "signal", "telegram", "viber"}
CONTACT = {"email", "sms", *CHAT}


def forwards(apps, schema_editor):
    Consent = apps.get_model("people", "Consent")
    rows = Consent.objects.filter(purpose="messages", channel="").select_related("participant")
    for consent in rows.iterator():
        person = consent.participant
        preferred = person.preferred_channel or ""
        if preferred not in CONTACT:
            preferred = "sms" if person.phone else "email"
        consent.channel = preferred
        consent.save(update_fields=["channel"])
        if preferred in CHAT:
            consent.pk = None
            consent.channel = "sms"
            consent.save()


def backwards(apps, schema_editor):
    Consent = apps.get_model("people", "Consent")
    messages = Consent.objects.filter(purpose="messages")
    # Keep one row per original consent: the copies made for SMS go.
    for consent in messages.filter(channel="sms"):
        if messages.filter(
            participant_id=consent.participant_id,
            given_at=consent.given_at,
            text_shown=consent.text_shown,
        ).exclude(pk=consent.pk).exists():
            consent.delete()
    messages.update(channel="")


class Migration(migrations.Migration):
    dependencies = [("people", "0012_consent_channel")]

    operations = [migrations.RunPython(forwards, backwards)]
