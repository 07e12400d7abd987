import io
import json
import urllib.error

import pytest
from django.core import mail
from django.db import transaction

from mosty.access.models import AuditEvent
from mosty.messaging import backends, tasks
from mosty.messaging.backends import SendError, SmsApiBackend
from mosty.messaging.models import Message
from mosty.messaging.outbox import broadcast, choose_channel, message_to_participant
from mosty.people.models import Consent
from tests.cases.factories import make_participant

pytestmark = pytest.mark.django_db


def _participant(world, **kw):
    return make_participant(world, "a", consents=("portal", "messages"), **kw)


def test_channel_follows_preference_and_consent(world):
    p = _participant(world, preferred_channel="whatsapp", email="o@example.org")
    assert choose_channel(p) == "sms"  # no WhatsApp adapter: a text message
    p.preferred_channel = "email"
    assert choose_channel(p) == "email"
    Consent.objects.filter(participant=p).update(withdrawn_at="2026-01-01T00:00Z")
    assert choose_channel(p) == ""  # opted out: nothing is sent


def test_message_is_sent_once_in_the_persons_language_and_audited_without_body(world):
    p = _participant(world, preferred_channel="sms", languages=[{"code": "uk", "level": "native"}])
    backends.SENT.clear()
    with transaction.atomic():
        m = message_to_participant(p, "event_cancelled", {"title": "Kurs"}, key="k1")
        again = message_to_participant(p, "event_cancelled", {"title": "Kurs"}, key="k1")
    assert m.pk == again.pk and m.language == "uk"
    assert tasks.deliver(m.pk) == "sent"
    assert tasks.deliver(m.pk) == "sent"  # a second run sends nothing
    assert len(backends.SENT) == 1
    assert backends.SENT[0]["to"] == p.phone
    assert "Kurs" in backends.SENT[0]["body"] and "We are sorry" not in backends.SENT[0]["body"]
    m.refresh_from_db()
    assert m.payload == "" and m.attempts == 1
    event = AuditEvent.objects.get(action="mosty.messaging.message.sent")
    assert "Kurs" not in json.dumps(event.details) and "Kurs" not in event.object_label


def test_failure_is_retried_then_marked_failed(world, settings, monkeypatch):
    settings.MOSTY_MESSAGE_ATTEMPTS = 2
    p = _participant(world, preferred_channel="sms")

    class Broken:
        def send(self, **kwargs):
            raise SendError("gateway down")

    monkeypatch.setattr(tasks, "backend_for", lambda channel, language="": Broken())
    m = message_to_participant(p, "event_cancelled", {"title": "X"}, key="k2")
    assert tasks.deliver(m.pk) == "queued"
    assert tasks.deliver(m.pk) == "failed"
    m.refresh_from_db()
    assert m.attempts == 2 and "gateway down" in m.error


def test_email_channel_sends_mail(world):
    p = _participant(world, preferred_channel="email", email="olena@example.org")
    m = message_to_participant(p, "help_requested", {"code": p.code}, key="k3")
    tasks.deliver(m.pk)
    assert mail.outbox[-1].to == ["olena@example.org"]


class _Response(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_smsapi_adapter_posts_with_bearer_token(monkeypatch):
    seen = {}

    def fake_urlopen(request, timeout):
        seen["url"] = request.full_url
        seen["auth"] = request.headers["Authorization"]
        seen["data"] = request.data.decode()
        return _Response(json.dumps({"count": 1, "list": [{"id": "ABC123"}]}).encode())

    monkeypatch.setattr("urllib.request.urlopen", fake_urlopen)
    backend = SmsApiBackend(token="secret", sender="Mosty")
    assert backend.send(address="+48600100200", subject="", body="Cześć") == "ABC123"
    assert seen["auth"] == "Bearer secret"
    assert "to=%2B48600100200" in seen["data"] and "from=Mosty" in seen["data"]


def test_smsapi_errors_become_send_errors(monkeypatch):
    monkeypatch.setattr(
        "urllib.request.urlopen",
        lambda request, timeout: _Response(b'{"error": 101, "message": "Bad token"}'),
    )
    with pytest.raises(SendError, match="101"):
        SmsApiBackend(token="x").send(address="1", subject="", body="b")

    def down(request, timeout):
        raise urllib.error.URLError("no route")

    monkeypatch.setattr("urllib.request.urlopen", down)
    with pytest.raises(SendError):
        SmsApiBackend(token="x").send(address="1", subject="", body="b")


def test_smsapi_switches_on_when_configured(settings):
    assert isinstance(backends.sms_backend(), backends.ConsoleSmsBackend)
    settings.MOSTY_SMSAPI_TOKEN = "t"
    assert isinstance(backends.sms_backend(), SmsApiBackend)


def test_broadcast_writes_in_batches_and_is_idempotent(world):
    people = [{"to": f"p{i}@example.org", "language": "fr"} for i in range(1203)]
    assert broadcast(people, "event_changed", {"title": "T"}, key="b1") == 1203
    assert broadcast(people, "event_changed", {"title": "T"}, key="b1") == 1203
    assert Message.objects.filter(idempotency_key__startswith="b1:").count() == 1203


def test_event_broadcast_page_hands_over_and_worker_writes_each_registrant(
    world, login, django_capture_on_commit_callbacks
):
    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult

    from mosty.messaging.broadcasts import event_broadcast_expand
    from tests.events.factories import make_event, make_registration

    event = make_event(world.org_a, district=world.district)
    participant = _participant(world, preferred_channel="sms")
    make_registration(event, participant=participant)
    make_registration(event, name="Anon", email="anon@example.org", language="fr")
    make_registration(event, name="Omid", email="", phone="+48 500 300 400")
    client = login("coordinator")
    page = client.get(reverse("messaging:event_broadcast", args=[event.pk])).content.decode()
    assert "1 osoba podała tylko numer telefonu" in page  # not among "every registrant"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("messaging:event_broadcast", args=[event.pk]), {"template": "event_cancelled"}
        )
    assert response.status_code == 302
    assert not Message.objects.exists()  # the page only handed it to the worker
    result = DBTaskResult.objects.get(task_path__endswith="event_broadcast_expand")
    assert event_broadcast_expand.call(**result.args_kwargs["kwargs"]) == 2
    by_channel = dict(Message.objects.values_list("channel", "language"))
    assert by_channel == {"sms": "pl", "email": "fr"}


class _FakeTransport:
    """Records each request and answers with the given status and JSON (no network)."""

    def __init__(self, answer, status=200):
        self.answer = answer
        self.status = status
        self.requests = []

    def __call__(self, request, timeout):
        self.requests.append(request)
        body = json.dumps(self.answer).encode()
        if self.status >= 400:
            raise urllib.error.HTTPError(request.full_url, self.status, "err", {}, io.BytesIO(body))
        return _Response(body)


def test_whatsapp_adapter_sends_a_template_in_the_persons_language():
    transport = _FakeTransport({"messages": [{"id": "wamid.1"}]})
    backend = backends.WhatsAppBackend(
        token="tok",
        phone_number_id="123",
        template="mosty_notice",
        language="uk",
        transport=transport,
    )
    assert backend.send(address="+48 600 100 200", subject="", body="Привіт") == "wamid.1"
    request = transport.requests[0]
    assert request.full_url == "https://graph.facebook.com/v21.0/123/messages"
    assert request.headers["Authorization"] == "Bearer tok"
    sent = json.loads(request.data)
    assert sent["to"] == "48600100200" and sent["type"] == "template"
    assert sent["template"]["language"]["code"] == "uk"
    assert sent["template"]["components"][0]["parameters"][0]["text"] == "Привіт"
    plain = backends.WhatsAppBackend(token="t", phone_number_id="1", transport=transport)
    plain.send(address="+481", subject="", body="Hi")
    assert json.loads(transport.requests[1].data)["text"] == {"body": "Hi"}


def test_signal_adapter_posts_to_v2_send():
    transport = _FakeTransport({"timestamp": "1700000000"}, status=201)
    backend = backends.SignalBackend(
        url="http://signal:8080/", number="+48100", transport=transport
    )
    assert backend.send(address="+48200", subject="", body="Cześć") == "1700000000"
    request = transport.requests[0]
    assert request.full_url == "http://signal:8080/v2/send"
    assert json.loads(request.data) == {
        "message": "Cześć",
        "number": "+48100",
        "recipients": ["+48200"],
    }


@pytest.mark.parametrize("channel", ["whatsapp", "signal"])
def test_chat_adapters_switch_on_when_configured_else_sms(world, settings, channel):
    p = _participant(world, preferred_channel=channel)
    assert backends.backend_for(channel) is None
    assert choose_channel(p) == "sms"
    settings.MOSTY_WHATSAPP_TOKEN, settings.MOSTY_WHATSAPP_PHONE_NUMBER_ID = "t", "1"
    settings.MOSTY_SIGNAL_URL, settings.MOSTY_SIGNAL_NUMBER = "http://signal:8080", "+48100"
    assert backends.backend_for(channel) is not None
    assert choose_channel(p) == channel


@pytest.mark.parametrize("channel", ["whatsapp", "signal"])
def test_chat_http_errors_are_retried_then_failed_and_audit_has_no_body(
    world, settings, monkeypatch, channel
):
    settings.MOSTY_MESSAGE_ATTEMPTS = 2
    settings.MOSTY_WHATSAPP_TOKEN, settings.MOSTY_WHATSAPP_PHONE_NUMBER_ID = "t", "1"
    settings.MOSTY_SIGNAL_URL, settings.MOSTY_SIGNAL_NUMBER = "http://signal:8080", "+48100"
    failing = _FakeTransport({"error": {"code": 131047, "message": "Re-engagement message"}}, 400)
    monkeypatch.setattr("urllib.request.urlopen", failing)
    p = _participant(world, preferred_channel=channel)
    m = message_to_participant(p, "event_cancelled", {"title": "Kurs"}, key=f"chat-{channel}")
    assert m.channel == channel
    assert tasks.deliver(m.pk) == "queued"
    m.refresh_from_db()
    assert "HTTP 400" in m.error and "Kurs" not in m.error
    assert tasks.deliver(m.pk) == "failed"
    ok = _FakeTransport({"messages": [{"id": "wamid.9"}], "timestamp": "17"})
    monkeypatch.setattr("urllib.request.urlopen", ok)
    m2 = message_to_participant(p, "event_cancelled", {"title": "Kurs"}, key=f"chat2-{channel}")
    assert tasks.deliver(m2.pk) == "sent"
    assert "Kurs" in ok.requests[0].data.decode()
    for event in AuditEvent.objects.filter(action="mosty.messaging.message.sent"):
        assert "Kurs" not in json.dumps(event.details) and "Kurs" not in event.object_label


def test_consent_is_per_channel_and_the_outbox_falls_back_or_holds(world, settings):
    from django.utils import timezone

    from mosty.people.models import Consent

    p = make_participant(world, "a", consents=(), preferred_channel="whatsapp", email="o@x.org")
    Consent.objects.create(
        participant=p,
        purpose="messages",
        channel="whatsapp",
        text_shown="ok",
        given_at=timezone.now(),
    )
    # WhatsApp not configured, no consent to SMS or e-mail: the message is held.
    held = message_to_participant(p, "event_cancelled", {"title": "T"}, key="held-1")
    assert held.status == "held"
    settings.MOSTY_WHATSAPP_TOKEN, settings.MOSTY_WHATSAPP_PHONE_NUMBER_ID = "t", "1"
    assert choose_channel(p) == "whatsapp"
    settings.MOSTY_WHATSAPP_TOKEN = ""
    email = Consent.objects.create(
        participant=p, purpose="messages", channel="email", text_shown="ok", given_at=timezone.now()
    )
    assert choose_channel(p) == "email"  # a consented channel, not SMS
    queued = message_to_participant(p, "event_cancelled", {"title": "T"}, key="held-2")
    assert queued.channel == "email" and queued.status == "queued"
    # Withdrawn before the worker sends it: nothing goes out, staff see it held.
    email.withdrawn_at = timezone.now()
    email.save()
    assert tasks.deliver(queued.pk) == "held"
    queued.refresh_from_db()
    assert queued.payload == ""


def test_old_consents_become_consents_for_the_preferred_channel(world):
    import importlib

    from django.apps import apps

    from mosty.people.models import Consent

    migration = importlib.import_module(
        "mosty.people.migrations.0013_consent_channel_from_preference"
    )
    chat = make_participant(world, "a", consents=(), preferred_channel="signal")
    mail_only = make_participant(
        world, "a", consents=(), preferred_channel="", phone="", email="a@x.org"
    )
    for person in (chat, mail_only):
        Consent.objects.create(
            participant=person,
            purpose="messages",
            text_shown="SMS or chat",
            given_at="2026-01-01T00:00Z",
        )
    migration.forwards(apps, None)
    assert sorted(chat.consents.values_list("channel", flat=True)) == ["signal", "sms"]
    assert list(mail_only.consents.values_list("channel", flat=True)) == ["email"]


def test_staff_record_consent_per_channel_and_see_held_messages(world, login):
    from django.urls import reverse

    from mosty.people import gdpr

    p = make_participant(world, "a", consents=(), preferred_channel="sms")
    message_to_participant(p, "event_cancelled", {"title": "T"}, key="held-3")
    client = login("caseworker")
    page = client.get(reverse("people:detail", args=[p.pk])).content.decode()
    assert "alert alert-warning small" in page  # the held message, on the portal block
    url = reverse("people:consent_record", args=[p.pk])
    response = client.post(
        url, {"purpose": "messages", "legal_basis": "consent", "text_shown": "Tak"}
    )
    assert response.status_code == 200  # the channel is needed
    assert not p.consents.exists()
    response = client.post(
        url,
        {"purpose": "messages", "channel": "sms", "legal_basis": "consent", "text_shown": "Tak"},
    )
    assert response.status_code == 302
    assert choose_channel(p) == "sms"
    exported = gdpr.export_participant(p, by=world.user("caseworker", "a"))
    assert exported["consents"][0]["channel"] == "sms"


def test_recording_a_channel_consent_sends_the_held_messages(
    world, login, settings, django_capture_on_commit_callbacks
):
    from django.urls import reverse
    from django.utils import translation

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    p = make_participant(world, "a", consents=(), preferred_channel="sms", email="o@x.org")
    held = message_to_participant(p, "event_cancelled", {"title": "Kurs"}, key="held-4")
    other = make_participant(world, "a", consents=(), preferred_channel="sms")
    not_theirs = message_to_participant(other, "event_cancelled", {"title": "K"}, key="held-5")
    assert held.status == "held"
    client = login("caseworker")
    with translation.override("en"):
        detail = reverse("people:detail", args=[p.pk])
        url = reverse("people:consent_record", args=[p.pk])
    assert "1 message is held" in client.get(detail).content.decode()
    # A channel this installation cannot use (WhatsApp is not configured): still held.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "purpose": "messages",
                "channel": "whatsapp",
                "legal_basis": "consent",
                "text_shown": "Tak",
            },
        )
    held.refresh_from_db()
    assert held.status == "held"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "purpose": "messages",
                "channel": "sms",
                "legal_basis": "consent",
                "text_shown": "Tak",
            },
            follow=True,
        )
    page = response.content.decode()
    assert "1 held message is being sent." in page
    assert "message is held" not in page
    held.refresh_from_db()
    assert (held.status, held.channel, held.payload) == ("sent", "sms", "")
    not_theirs.refresh_from_db()
    assert not_theirs.status == "held"


def test_a_broadcast_posted_twice_reaches_each_registrant_once(
    world, login, django_capture_on_commit_callbacks
):
    """A double click on "Send to every registrant", or the form posted again after Back:
    each newcomer got two text messages saying the event is cancelled."""
    import re

    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult

    from mosty.messaging.broadcasts import event_broadcast_expand
    from tests.events.factories import make_event, make_registration

    event = make_event(world.org_a, district=world.district)
    make_registration(event, participant=_participant(world, preferred_channel="sms"))
    make_registration(event, name="Anon", email="anon@example.org", language="fr")
    client = login("coordinator")
    url = reverse("messaging:event_broadcast", args=[event.pk])
    page = client.get(url).content.decode()
    sending = re.search(r'name="sending" value="([0-9a-f-]+)"', page).group(1)
    for _click in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"template": "event_cancelled", "sending": sending})
    for result in DBTaskResult.objects.filter(task_path__endswith="event_broadcast_expand"):
        event_broadcast_expand.call(**result.args_kwargs["kwargs"])
    assert Message.objects.count() == 2
    # The page opened again is another sending.
    again = client.get(url).content.decode()
    assert re.search(r'name="sending" value="([0-9a-f-]+)"', again).group(1) != sending
