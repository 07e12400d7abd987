"""Writes of the participation module: `<entity>_<action>(*, ..., by)`, atomic, checked with
`require`, audited (creates and updates by signal, events that matter by `audit`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mosty.access.audit import audit
from mosty.access.policy import require
from mosty.participation.models import (
    AlertSubscription,
    Call,
    CallTranslation,
    Programme,
    ProgrammeTranslation,
)
from mosty.participation.tasks import alert_confirmation_mail

PROGRAMME_FIELDS = [
    "kind",
    "source_language",
    "foreigners_may_take_part",
    "official_url",
    "is_published",
]
PROGRAMME_TEXTS = ["title", "summary", "eligibility", "steps"]
CALL_FIELDS = ["source_language", "opens_on", "closes_on", "official_url", "collects_opinions"]
CALL_TEXTS = ["title", "summary", "how_to_respond", "outcome"]


def _translations_save(
    record: models.Model,
    model: type[models.Model],
    parent: str,
    texts: list[str],
    items: list[dict[str, Any]],
) -> None:
    """Upsert one translation per language; an empty title removes that language. The source
    language must keep a title."""
    for item in items:
        language = item.get("language")
        title = (item.get("title") or "").strip()
        rows = model._default_manager.filter(**{parent: record, "language": language})
        if not title:
            rows.delete()
            continue
        found = rows.first() or model(**{parent: record, "language": language})
        for field in texts:
            setattr(found, field, (item.get(field) or "").strip())
        found.status = "published"  # type: ignore[attr-defined]
        found.full_clean()
        found.save()
    source = record.source_language  # type: ignore[attr-defined]
    if not model._default_manager.filter(**{parent: record, "language": source}).exists():
        raise ValidationError(
            {"source_language": _("Write the title at least in the source language.")}
        )


def _create(record: Any, fields: list[str], data: dict[str, Any], texts: Any) -> None:
    """Save a new translated record from the fields its form may set, then its texts."""
    for field in fields:
        if field in data:
            setattr(record, field, data[field])
    record.full_clean()
    record.save()
    texts()


def _update(
    record: Any, fields: list[str], data: dict[str, Any], version: int | None, by: Any, texts: Any
) -> None:
    """One guarded write (`EditConflict` when `version` is stale), then the texts if given."""
    changed = [f for f in fields if f in data]
    for field in changed:
        setattr(record, field, data[field])
    record.full_clean()
    record.save_changes(version=version, by=by, **{f: data[f] for f in changed})
    if texts is not None:
        texts()


def _programme_texts(programme: Programme, items: list[dict[str, Any]]) -> Any:
    return lambda: _translations_save(
        programme, ProgrammeTranslation, "programme", PROGRAMME_TEXTS, items
    )


def _call_texts(call: Call, items: list[dict[str, Any]]) -> Any:
    return lambda: _translations_save(call, CallTranslation, "call", CALL_TEXTS, items)


@transaction.atomic
def programme_create(
    *, organisation: Any, by: Any, translations: list[dict[str, Any]], **data: Any
) -> Programme:
    require(by, "programme.change", Programme(organisation=organisation))
    programme = Programme(organisation=organisation, created_by=by, updated_by=by)
    _create(programme, PROGRAMME_FIELDS, data, _programme_texts(programme, translations))
    return programme


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    by: Any,
    version: int | None = None,
    translations: list[dict[str, Any]] | None = None,
    **data: Any,
) -> Programme:
    """`version` is the one the editor's form showed: a save by someone else since is an
    `EditConflict`, and nothing is written (translations included)."""
    require(by, "programme.change", programme)
    texts = None if translations is None else _programme_texts(programme, translations)
    _update(programme, PROGRAMME_FIELDS, data, version, by, texts)
    return programme


@transaction.atomic
def call_create(
    *, programme: Programme, by: Any, translations: list[dict[str, Any]], **data: Any
) -> Call:
    require(by, "programme.change", programme)
    call = Call(programme=programme, created_by=by, updated_by=by)
    _create(call, CALL_FIELDS, data, _call_texts(call, translations))
    return call


@transaction.atomic
def call_update(
    *,
    call: Call,
    by: Any,
    version: int | None = None,
    translations: list[dict[str, Any]] | None = None,
    **data: Any,
) -> Call:
    require(by, "call.change", call)
    texts = None if translations is None else _call_texts(call, translations)
    _update(call, CALL_FIELDS, data, version, by, texts)
    return call


# --- alerts -------------------------------------------------------------------------------


@transaction.atomic
def alert_subscribe(
    *, email: str, language: str, base_url: str, by: Any = None
) -> AlertSubscription:
    """Ask for alerts: a confirmation mail goes out, nothing else until it is confirmed. The
    same answer whether the address was known or not, so the form reveals no subscriber."""
    require(by or AnonymousUser(), "alert.subscribe")
    email = email.strip()
    subscription = AlertSubscription.objects.filter(email__iexact=email).first()
    if subscription is not None and subscription.confirmed_at is not None:
        # Already confirmed: only the language changes; no mail that someone else could trigger.
        if subscription.language != language:
            subscription.language = language
            subscription.full_clean()
            subscription.save(update_fields=["language", "updated_at"])
        return subscription
    if subscription is None:
        subscription = AlertSubscription(email=email, language=language)
    else:
        subscription.language = language
    subscription.full_clean()
    subscription.save()
    pk = subscription.pk
    transaction.on_commit(
        lambda: alert_confirmation_mail.enqueue(subscription_id=pk, base_url=base_url)
    )
    return subscription


@transaction.atomic
def alert_confirm(*, subscription: AlertSubscription, by: Any = None) -> AlertSubscription:
    """The second opt-in step: the holder of the mailed link confirms."""
    require(by or AnonymousUser(), "alert.subscribe")
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at", "updated_at"])
        audit(by, "mosty.participation.alert.confirmed", subscription)
    return subscription


@transaction.atomic
def alert_unsubscribe(*, subscription: AlertSubscription, by: Any = None) -> None:
    """Deletes the address: an unsubscribed visitor leaves nothing behind."""
    require(by or AnonymousUser(), "alert.subscribe")
    subscription.delete()
