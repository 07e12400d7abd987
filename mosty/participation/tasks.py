"""Mails of the participation module, each rendered in the subscriber's own language."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from mosty.participation import selectors
from mosty.participation.models import AlertSubscription, Call, Idea
from mosty.participation.tokens import confirm_token, unsubscribe_token

# Alerts remind subscribers of a deadline this many days before it.
DEADLINE_NOTICE_DAYS = 7


def _link(base_url: str, name: str, token: str, language: str) -> str:
    with translation.override(language):
        path = reverse(name, kwargs={"token": token})
    return base_url.rstrip("/") + path


def _send(subscription: AlertSubscription, subject: str, body: str, unsubscribe: str) -> int:
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[subscription.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>"},
    )
    return message.send()


@task()
def alert_confirmation_mail(*, subscription_id: int, base_url: str) -> int:
    """The double opt-in mail: nothing else is sent until its link is followed."""
    subscription = AlertSubscription.objects.filter(
        pk=subscription_id, confirmed_at__isnull=True
    ).first()
    if subscription is None:
        return 0
    language = subscription.language
    confirm = _link(base_url, "participation:alert_confirm", confirm_token(subscription), language)
    unsubscribe = _link(
        base_url, "participation:alert_unsubscribe", unsubscribe_token(subscription), language
    )
    with translation.override(language):
        subject = _("Confirm your alerts about participation programmes")
        body = render_to_string(
            "participation/mail/confirm.txt",
            {"confirm_url": confirm, "unsubscribe_url": unsubscribe},
        )
    return _send(subscription, subject, body, unsubscribe)


@task()
def call_alerts_send(today: str = "") -> int:
    """Daily (MOSTY_DAILY_TASKS): tell every confirmed subscriber about calls published since
    their last alert and calls whose deadline is DEADLINE_NOTICE_DAYS away. Returns the number
    of mails sent."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    closing = selectors.calls_closing_on(day + datetime.timedelta(days=DEADLINE_NOTICE_DAYS))
    subscriptions = list(
        AlertSubscription.objects.filter(confirmed_at__isnull=False).order_by("pk")
    )
    if not subscriptions:
        return 0
    starts = [s.last_sent_at or s.confirmed_at for s in subscriptions]
    oldest = min(start for start in starts if start is not None)
    published = selectors.calls_published_since(oldest)
    sent = 0
    for subscription in subscriptions:
        since = subscription.last_sent_at or subscription.confirmed_at
        new = [c for c in published if since is not None and c.created_at > since]
        if not new and not closing:
            continue
        language = subscription.language
        unsubscribe = _link(
            settings.MOSTY_SITE_URL,
            "participation:alert_unsubscribe",
            unsubscribe_token(subscription),
            language,
        )
        with translation.override(language):
            subject = _("Participation: new calls and coming deadlines")
            body = render_to_string(
                "participation/mail/alert.txt",
                {
                    "new": [(c, _call_url(c, language)) for c in new],
                    "closing": [(c, _call_url(c, language)) for c in closing],
                    "language": language,
                    "unsubscribe_url": unsubscribe,
                },
            )
        sent += _send(subscription, subject, body, unsubscribe)
        AlertSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=timezone.now())
    return sent


def _call_url(call: Call, language: str) -> str:
    with translation.override(language):
        path = reverse("participation:call_detail", args=[call.pk])
    return settings.MOSTY_SITE_URL.rstrip("/") + path


@task()
def idea_answer_mail(*, idea_id: int, base_url: str) -> int:
    """Tell the author of an opinion (a newcomer with an account) that the authority answered,
    in their language. The mail names no one and links to the idea's page, behind login."""
    idea = Idea.objects.select_related("author").filter(pk=idea_id).first()
    if idea is None or idea.author is None or not idea.author.email or not idea.author.is_active:
        return 0
    language = idea.author.language or "pl"
    with translation.override(language):
        path = reverse("participation:idea_detail", args=[idea.pk])
        subject = _("Your opinion has an answer")
        body = _(
            "The authority has answered the opinion you sent through Mosty. Read the answer here:"
        )
    message = EmailMessage(
        subject=subject, body=f"{body}\n{base_url.rstrip('/')}{path}\n", to=[idea.author.email]
    )
    return message.send()
