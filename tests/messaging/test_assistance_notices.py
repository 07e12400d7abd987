"""Assistance notices go through the outbox: a message row with its status, the bell beside
it, the text in the recipient's language, never twice, and no text in the audit."""

import json

import pytest
from django.core import mail

from mosty.access.models import AuditEvent
from mosty.assistance.tasks import assistance_mail
from mosty.messaging.models import Message, Notification
from tests.assistance.factories import make_offer, make_profile, make_request
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_cancel_notice_is_an_outbox_message_and_a_bell_line(world):
    user = UserFactory(email="told@example.org", language="uk")
    MembershipFactory(user=user, organisation=world.org_a, role="assistant")
    offer = make_offer(make_request(world.org_a), make_profile(world.org_a, user))
    assert assistance_mail.call(kind="cancelled", assignment_id=offer.pk) == 1
    assert assistance_mail.call(kind="cancelled", assignment_id=offer.pk) == 0  # never twice
    message = Message.objects.get(recipient_user=user)
    assert (message.template, message.channel, message.status) == (
        "assistance_cancelled",
        "email",
        "sent",
    )
    assert message.language == "uk" and message.payload == ""
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    assert "Скасовано" in mail.outbox[0].subject
    bell = Notification.objects.get(user=user)
    assert bell.template == "assistance_cancelled" and "/uk/" in bell.url
    event = AuditEvent.objects.get(action="mosty.messaging.message.sent")
    assert mail.outbox[0].body[:20] not in json.dumps(event.details)
