"""audit(): the one way to record what happened to personal data and to access.

Every write to a Mosty model is recorded automatically, whichever ORM path it takes: `save()` and
`delete()` through signals; `QuerySet.update()`, `bulk_create()` and `bulk_update()` through the
audited QuerySet methods installed by `install()`; many-to-many changes (`case.members.set()`)
through `m2m_changed`. Services call `audit()` for meaningful events (`mosty.case.referral.sent`)
and `audit_read()` / `audit_reads()` for every read of personal records.

The actor is resolved when the event is written, not when the request starts: an explicit actor,
else the user of `acting_as()`, else the request's user as authenticated *by then* (DRF
authenticates tokens inside the view and sets the Django request's user, so API writes made with
a token carry their user too), else "anonymous" inside a request and "system" outside one.
"""

from __future__ import annotations

import contextvars
import functools
import importlib
import inspect
import pkgutil
import sys
from contextlib import contextmanager
from dataclasses import dataclass, replace

from django.apps import apps
from django.db import models
from django.db.models.query import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

_context: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "mosty_audit_context", default=None
)

# Apps whose models are audited on every write, and models that are not (noise or the log itself).
AUDITED_APP_PREFIXES = ("mosty.",)
AUDITED_EXTRA_MODELS = {"mfa.authenticator", "authtoken.token"}
# Each with the reason (a model listed here writes no audit event on any path).
NOT_AUDITED = {
    "access.auditevent": "the audit log itself",
    "knowledge.articleviewcount": (
        "aggregate counter, no person, written by anonymous readers: an event per page view "
        "would record readers' addresses and flood the log"
    ),
}


@dataclass(frozen=True)
class AuditContext:
    actor_id: int | None
    actor_label: str
    request_id: str
    ip_address: str | None
    # The request being served: its user is read when an event is written (see the module doc).
    request: object = None


def set_context(ctx: AuditContext | None):
    return _context.set(ctx)


def reset_context(token) -> None:
    _context.reset(token)


def current_context() -> AuditContext | None:
    return _context.get()


@contextmanager
def acting_as(user):
    """Attribute every write inside the block to `user` (a service's `by`, a worker's job owner)."""
    if user is None or not getattr(user, "is_authenticated", False):
        yield
        return
    ctx = current_context() or AuditContext(None, "system", "", None)
    token = set_context(replace(ctx, actor_id=user.pk, actor_label=user.email, request=None))
    try:
        yield
    finally:
        reset_context(token)


def _actor(actor, ctx: AuditContext | None) -> tuple[int | None, str]:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.pk, actor.email
    if ctx is None:
        return None, "system"
    if ctx.actor_id is not None:
        return ctx.actor_id, ctx.actor_label
    user = getattr(ctx.request, "user", None) if ctx.request is not None else None
    if user is not None and user.is_authenticated:
        return user.pk, user.email
    return None, ctx.actor_label or "anonymous"


def _label(obj) -> str:
    """The object's `audit_label`, or nothing: the log is append-only, so it must never hold a
    name or free text that erasure would have to remove (`str()` of a mentor is their name, of a
    goal its title). The viewer shows the object's type and id beside the label."""
    label = getattr(obj, "audit_label", None)
    return "" if label is None else str(label)[:200]


def _event(actor, action: str, obj, *, fields=None, details=None):
    return _event_row(
        actor,
        action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=_label(obj) if obj is not None else "",
        fields=fields,
        details=details,
    )


def _event_row(actor, action, *, object_type, object_id, object_label, fields, details):
    from mosty.access.models import AuditEvent

    ctx = current_context()
    actor_id, actor_label = _actor(actor, ctx)
    return AuditEvent(
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
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
    """`audit_read` for every record of a list page or list API, in one query (a record shown
    twice on the page is recorded once)."""
    from mosty.access.models import AuditEvent

    seen, events = set(), []
    for obj in objects:
        key = (type(obj), obj.pk)
        if key not in seen:
            seen.add(key)
            events.append(_event(actor, _read_action(obj), obj, fields=fields))
    if events:
        AuditEvent.objects.bulk_create(events)


def _is_audited(sender) -> bool:
    meta = sender._meta
    if meta.auto_created:
        # Many-to-many tables: recorded on the owning object by m2m_changed.
        return False
    label = meta.label_lower
    if label in NOT_AUDITED:
        return False
    if label in AUDITED_EXTRA_MODELS:
        return True
    return sender.__module__.startswith(AUDITED_APP_PREFIXES)


def _action(sender, verb: str) -> str:
    return f"mosty.{sender._meta.app_label}.{sender._meta.model_name}.{verb}"


# Bookkeeping fields whose change alone is not worth an event (logins are audited on their own;
# `version` is the optimistic-locking counter every real change bumps anyway; `processed` and
# `progress` are the progress bars of imports and exports, whose status changes are recorded).
_SKIP_FIELDS = {"last_login", "updated_at", "version", "processed", "progress"}


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


# --- Writes that send no save/delete signal: QuerySet.update, bulk_create, bulk_update ---------

_ORIGINAL = {
    "update": QuerySet.update,
    "bulk_create": QuerySet.bulk_create,
    "bulk_update": QuerySet.bulk_update,
}


def _field_names(model, names) -> list[str]:
    out = []
    for name in names:
        try:
            name = model._meta.get_field(name).name
        except Exception:  # noqa: BLE001 - an unknown name is Django's error to raise, not ours
            pass
        if name not in _SKIP_FIELDS:
            out.append(name)
    return out


def _record_rows(model, verb: str, pks, fields=None, details=None) -> None:
    """One event per row written, stored with one insert (batched for very large writes)."""
    from mosty.access.models import AuditEvent

    action = _action(model, verb)
    label = model._meta.label_lower
    events = [
        _event_row(
            None,
            action,
            object_type=label,
            object_id="" if pk is None else str(pk),
            object_label="",
            fields=fields,
            details=details,
        )
        for pk in pks
    ]
    if events:
        AuditEvent.objects.bulk_create(events, batch_size=2000)


# Set inside `summarised()`: the caller records one event for the whole job itself.
_summarised: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "mosty_audit_summarised", default=False
)


@contextmanager
def summarised():
    """For bulk jobs that record one summary event themselves (an HSDS import of 20,000 services,
    a key rotation re-encrypting every note): inside, `QuerySet.update()`, `bulk_create()` and
    `bulk_update()` write no per-row events; `save()`, `delete()` and m2m changes still do.
    Usable as a decorator. Not for personal data a person may ask about row by row."""
    token = _summarised.set(True)
    try:
        yield
    finally:
        _summarised.reset(token)


def _per_row(model) -> bool:
    return _is_audited(model) and not _summarised.get()


# Set while bulk_update runs: it writes through update(), whose own event would be a duplicate.
_in_bulk_update: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "mosty_audit_in_bulk_update", default=False
)


def _audited_update(self, **kwargs):
    if not _per_row(self.model) or _in_bulk_update.get():
        return _ORIGINAL["update"](self, **kwargs)
    fields = _field_names(self.model, kwargs)
    pks = list(self.values_list("pk", flat=True)) if fields else []
    rows = _ORIGINAL["update"](self, **kwargs)
    if rows and fields:
        _record_rows(self.model, "updated", pks, fields, {"via": "update"})
    return rows


def _audited_bulk_create(self, objs, *args, **kwargs):
    if not _per_row(self.model):
        return _ORIGINAL["bulk_create"](self, objs, *args, **kwargs)
    created = _ORIGINAL["bulk_create"](self, objs, *args, **kwargs)
    _record_rows(self.model, "created", [o.pk for o in created], None, {"via": "bulk_create"})
    return created


def _audited_bulk_update(self, objs, fields, *args, **kwargs):
    if not _per_row(self.model):
        return _ORIGINAL["bulk_update"](self, objs, fields, *args, **kwargs)
    objs = list(objs)
    token = _in_bulk_update.set(True)
    try:
        rows = _ORIGINAL["bulk_update"](self, objs, fields, *args, **kwargs)
    finally:
        _in_bulk_update.reset(token)
    names = _field_names(self.model, fields)
    if rows and names:
        _record_rows(self.model, "updated", [o.pk for o in objs], names, {"via": "bulk_update"})
    return rows


AUDITED_QUERYSET_METHODS = {
    "update": _audited_update,
    "bulk_create": _audited_bulk_create,
    "bulk_update": _audited_bulk_update,
}


def _install_queryset_methods() -> None:
    """Every QuerySet of every model gets the audited write methods (non-Mosty models pass through).

    On the base class rather than on each model's manager, so that no path escapes: the default
    manager, `_base_manager`, related managers and querysets built by third-party code alike.
    """
    for name, method in AUDITED_QUERYSET_METHODS.items():
        setattr(QuerySet, name, method)


# --- Many-to-many: `case.members.set()`, `.add()`, `.remove()`, `.clear()` ----------------------

_M2M_VERBS = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}
_m2m_fields: dict[type, models.ManyToManyField] = {}


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    change = _M2M_VERBS.get(action)
    field = _m2m_fields.get(sender)
    if change is None or field is None or not _is_audited(type(instance)):
        return
    name = field.remote_field.get_accessor_name() if reverse else field.name
    details = {"change": change, "related": model._meta.label_lower}
    if pk_set is not None:
        details["ids"] = sorted(str(pk) for pk in pk_set)[:200]
    audit(None, _action(type(instance), "updated"), instance, fields=[name], details=details)


def connect_model_signals() -> None:
    for model in apps.get_models():
        if _is_audited(model):
            uid = f"mosty-audit-{model._meta.label_lower}"
            pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + "-pre")
            post_save.connect(_post_save, sender=model, dispatch_uid=uid + "-post")
            post_delete.connect(_post_delete, sender=model, dispatch_uid=uid + "-del")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                _m2m_fields[through] = field
                m2m_changed.connect(
                    _m2m_changed, sender=through, dispatch_uid=f"{uid}-m2m-{field.name}"
                )
    _install_queryset_methods()


# --- Services carry their caller: `by` is the actor of every write they make -------------------


def _takes_by(fn) -> bool:
    try:
        return "by" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def acts_as_by(fn):
    """Run a service as its `by`: the writes it makes are attributed to the caller even outside a
    request (a worker, a command, a test), and inside a request to `by` rather than whoever
    happens to be logged in."""
    if getattr(fn, "_audit_acts_as_by", False):
        return fn

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with acting_as(kwargs.get("by")):
            return fn(*args, **kwargs)

    wrapper.__dict__["_audit_acts_as_by"] = True  # the mark test_audit_writes looks for
    return wrapper


# Modules of an app that hold no services: the web layer, reads, declarations.
_NOT_SERVICE_MODULES = (
    "views",
    "api",
    "urls",
    "forms",
    "selectors",
    "nav",
    "apps",
    "admin",
    "seed",
)


def service_modules():
    """The modules of Mosty's apps that may hold services: `services.py`
    and the others that write (`imports.py`, `gdpr.py`, `hsds.py`, …); not the web layer."""
    import mosty

    def walk(package):
        for module in pkgutil.iter_modules(package.__path__):
            name = f"{package.__name__}.{module.name}"
            if module.ispkg:
                # A module grown into a package (`directory/hsds/`) holds services too.
                if module.name not in ("migrations", "management", "templatetags", "locale"):
                    yield from walk(importlib.import_module(name))
            elif not module.name.endswith(_NOT_SERVICE_MODULES):
                yield importlib.import_module(name)

    for app in pkgutil.iter_modules(mosty.__path__):
        if app.ispkg:
            yield from walk(importlib.import_module(f"mosty.{app.name}"))


def service_functions(module):
    """The public functions a module defines that take a `by` (Mosty's services do)."""
    for name, fn in vars(module).items():
        if (
            not name.startswith("_")
            and inspect.isfunction(fn)
            and fn.__module__ == module.__name__
            and _takes_by(fn)
        ):
            yield name, fn


def attribute_services() -> None:
    """Wrap every service that takes `by` with `acts_as_by` (called once, from ready())."""
    wrapped = {}
    for module in service_modules():
        for name, fn in list(service_functions(module)):
            wrapper = acts_as_by(fn)
            wrapped[id(fn)] = wrapper
            setattr(module, name, wrapper)
    # A package re-exporting a service (`from .importer import hsds_import`) took the name
    # before it was wrapped: point every such reference at the wrapper.
    for mod_name, module in list(sys.modules.items()):
        if not mod_name.startswith("mosty.") or module is None:
            continue
        for name, value in list(vars(module).items()):
            if inspect.isfunction(value) and id(value) in wrapped:
                setattr(module, name, wrapped[id(value)])
