"""audit(): the one way to record what happened to personal data and to access.

Creates, updates and deletes of Mosty's models are recorded automatically (signals); services
call `audit()` for meaningful events (`mosty.case.referral.sent`) and `audit_read()` for every
read of a personal record.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

_context: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "mosty_audit_context", default=None
)

# Apps whose models are audited on every write, and models that are not (noise or the log itself).
AUDITED_APP_PREFIXES = ("mosty.",)
AUDITED_EXTRA_MODELS = {"mfa.authenticator", "authtoken.token"}
NOT_AUDITED = {"access.auditevent"}


@dataclass(frozen=True)
class AuditContext:
    actor_id: int | None
    actor_label: str
    request_id: str
    ip_address: str | None


def set_context(ctx: AuditContext | None):
    return _context.set(ctx)


def reset_context(token) -> None:
    _context.reset(token)


def current_context() -> AuditContext | None:
    return _context.get()


def _label(obj) -> str:
    label = getattr(obj, "audit_label", None)
    if label is None:
        label = str(obj)
    return str(label)[:200]


def _event(actor, action: str, obj, *, fields=None, details=None):
    from mosty.access.models import AuditEvent

    ctx = current_context()
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id, actor_label = actor.pk, actor.email
    elif ctx is not None and ctx.actor_id is not None:
        actor_id, actor_label = ctx.actor_id, ctx.actor_label
    else:
        actor_id, actor_label = None, "system" if ctx is None else "anonymous"
    return AuditEvent(
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=_label(obj) if obj is not None else "",
        fields=sorted(fields or []),
        details=details or {},
        ip_address=ctx.ip_address if ctx else None,
        request_id=ctx.request_id if ctx else "",
    )


def audit(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    fields: list[str] | None = None,
    details: dict | None = None,
):
    """Record one event. `actor` may be None (system, or taken from the request context)."""
    event = _event(actor, action, obj, fields=fields, details=details)
    event.save()
    return event


def _read_action(obj) -> str:
    return f"mosty.{obj._meta.app_label}.{obj._meta.model_name}.viewed"


def audit_read(actor, obj: models.Model, *, fields: list[str] | None = None):
    """Record that `actor` read a personal record (docs/access-policy.md)."""
    return audit(actor, _read_action(obj), obj, fields=fields)


def audit_reads(actor, objects, *, fields: list[str] | None = None) -> None:
    """`audit_read` for every record of a list page or list API, in one query."""
    from mosty.access.models import AuditEvent

    events = [_event(actor, _read_action(obj), obj, fields=fields) for obj in objects]
    if events:
        AuditEvent.objects.bulk_create(events)


def _is_audited(sender) -> bool:
    label = sender._meta.label_lower
    if label in NOT_AUDITED:
        return False
    if label in AUDITED_EXTRA_MODELS:
        return True
    return sender.__module__.startswith(AUDITED_APP_PREFIXES)


def _action(sender, verb: str) -> str:
    return f"mosty.{sender._meta.app_label}.{sender._meta.model_name}.{verb}"


# Bookkeeping fields whose change alone is not worth an event (logins are audited on their own).
_SKIP_FIELDS = {"last_login", "updated_at"}


def _changed_fields(sender, instance, update_fields) -> list[str]:
    if update_fields:
        return [f for f in update_fields if f not in _SKIP_FIELDS]
    try:
        old = sender._base_manager.filter(pk=instance.pk).values().first()
    except Exception:  # noqa: BLE001 - a missing table during migrations must not block a save
        old = None
    if old is None:
        return []
    changed = []
    for field in sender._meta.concrete_fields:
        if field.attname in old and old[field.attname] != getattr(instance, field.attname):
            changed.append(field.name)
    return [f for f in changed if f not in _SKIP_FIELDS]


def _pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or instance._state.adding or not _is_audited(sender):
        return
    instance._audit_changed = _changed_fields(sender, instance, update_fields)


def _post_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not _is_audited(sender):
        return
    if created:
        audit(None, _action(sender, "created"), instance)
        return
    changed = getattr(instance, "_audit_changed", None) or []
    if changed:
        audit(None, _action(sender, "updated"), instance, fields=changed)


def _post_delete(sender, instance, **kwargs):
    if _is_audited(sender):
        audit(None, _action(sender, "deleted"), instance)


def connect_model_signals() -> None:
    for model in apps.get_models():
        if _is_audited(model):
            uid = f"mosty-audit-{model._meta.label_lower}"
            pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + "-pre")
            post_save.connect(_post_save, sender=model, dispatch_uid=uid + "-post")
            post_delete.connect(_post_delete, sender=model, dispatch_uid=uid + "-del")
