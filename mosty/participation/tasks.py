"""Messages of the participation module, through the messaging outbox (`mosty.messaging`): each
is a template code (`participation/notices.py`) with its values, sent by the worker after the
commit, in the recipient's language, once per idempotency key.

Alert subscribers are addresses: the confirmation (double opt-in) always goes to the address
typed. Alerts go through the channel of the person behind a confirmed address when Mosty knows
one (a participant's own page: their chosen channel and consent; an account: e-mail, in the
account's language), else by e-mail in the language the visitor chose.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from mosty.accounts.models import User
from mosty.messaging.outbox import broadcast, message_to_user, participant_language
from mosty.participation import selectors
from mosty.participation.models import AlertSubscription, Call, Idea
from mosty.participation.tokens import confirm_token, unsubscribe_token

# Alerts remind subscribers of a deadline this many days before it.
DEADLINE_NOTICE_DAYS = 7


def _link(base_url: str, name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        path = reverse(name, kwargs=kwargs)
    return base_url.rstrip("/") + path


def _unsubscribe_url(subscription: AlertSubscription, base_url: str, language: str) -> str:
    token = unsubscribe_token(subscription)
    return _link(base_url, "participation:alert_unsubscribe", language, token=token)


def alert_confirmation_message(subscription: AlertSubscription, *, base_url: str) -> int:
    """The double opt-in message, to the address typed: nothing else is sent until its link is
    followed. Keyed by the subscription's key (a new one on every request)."""
    language = subscription.language
    token = confirm_token(subscription)
    payload = {
        "confirm_url": _link(base_url, "participation:alert_confirm", language, token=token),
        "unsubscribe_url": _unsubscribe_url(subscription, base_url, language),
    }
    return broadcast(
        [{"to": subscription.email, "language": language}],
        "participation_alert_confirm",
        payload,
        key=f"participation:alert-confirm:{subscription.pk}:{subscription.key}",
    )


def _recipient(subscription: AlertSubscription, accounts: dict[str, Any]) -> dict[str, Any]:
    """Who Mosty knows behind a confirmed address, as the outbox takes a recipient."""
    user = accounts.get(subscription.email.lower())
    account = getattr(user, "portal_account", None) if user is not None else None
    if account is not None:
        return {"participant": account.participant}
    if user is not None:
        return {"user": user}
    return {"to": subscription.email, "language": subscription.language}


def _language(recipient: dict[str, Any]) -> str:
    if "participant" in recipient:
        return participant_language(recipient["participant"])
    if "user" in recipient:
        return str(recipient["user"].language or settings.LANGUAGE_CODE)
    return str(recipient["language"])


def _accounts(subscriptions: list[AlertSubscription]) -> dict[str, Any]:
    emails = [s.email for s in subscriptions]
    users = User.objects.filter(email__in=emails, is_active=True).select_related(
        "portal_account__participant__portal_account__user"
    )
    return {u.email.lower(): u for u in users}


@task()
def call_alerts_send(today: str = "") -> int:
    """Daily (MOSTY_DAILY_TASKS): tell every confirmed subscriber about calls published since
    their last alert and calls whose deadline is DEADLINE_NOTICE_DAYS away. Returns the number
    of messages put in the outbox (one per subscriber and day)."""
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
    accounts = _accounts(subscriptions)
    sent = 0
    for subscription in subscriptions:
        since = subscription.last_sent_at or subscription.confirmed_at
        new = [c for c in published if since is not None and c.created_at > since]
        if not new and not closing:
            continue
        recipient = _recipient(subscription, accounts)
        language = _language(recipient)
        with translation.override(language):
            calls = render_to_string(
                "participation/mail/alert.txt",
                {
                    "new": [(c, _call_url(c, language)) for c in new],
                    "closing": [(c, _call_url(c, language)) for c in closing],
                },
            ).strip()
        payload = {
            "calls": calls,
            "unsubscribe_url": _unsubscribe_url(subscription, settings.MOSTY_SITE_URL, language),
        }
        sent += broadcast(
            [recipient],
            "participation_alert",
            payload,
            key=f"participation:alert:{day.isoformat()}:{subscription.pk}",
        )
        AlertSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=timezone.now())
    return sent


def _call_url(call: Call, language: str) -> str:
    return _link(settings.MOSTY_SITE_URL, "participation:call_detail", language, pk=call.pk)


def idea_answer_message(idea: Idea, *, base_url: str) -> None:
    """Tell the author of an opinion (a newcomer with an account) that the authority answered,
    in their language. The message names no one and links to the idea's page, behind login."""
    author = idea.author
    if author is None or not author.email or not author.is_active:
        return
    language = author.language or settings.LANGUAGE_CODE
    with translation.override(language):
        link = base_url.rstrip("/") + reverse("participation:idea_detail", args=[idea.pk])
    answered = idea.answered_at.isoformat() if idea.answered_at else ""
    message_to_user(
        author,
        "participation_idea_answered",
        {"link": link},
        key=f"participation:idea:{idea.pk}:answered:{answered}",
    )
