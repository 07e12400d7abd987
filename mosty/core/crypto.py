"""Encryption at rest for sensitive free text, with rotatable keys (docs/architecture.md, Security and privacy).

Keys come from `settings.MOSTY_ENCRYPTION_KEYS` (Fernet keys): the first one encrypts, every one
decrypts, so a new key is added in front, `mosty rotate-keys` re-encrypts every row with it, and
the old key can then be dropped.
"""

from __future__ import annotations

from collections.abc import Iterator

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

_cache: dict[tuple[str, ...], MultiFernet] = {}


def _fernet() -> MultiFernet:
    keys = tuple(getattr(settings, "MOSTY_ENCRYPTION_KEYS", ()) or ())
    if not keys:
        raise ImproperlyConfigured("MOSTY_ENCRYPTION_KEYS must hold at least one Fernet key.")
    if keys not in _cache:
        try:
            _cache[keys] = MultiFernet([Fernet(key.encode()) for key in keys])
        except ValueError as exc:
            raise ImproperlyConfigured(
                "MOSTY_ENCRYPTION_KEYS must be comma-separated Fernet keys "
                "(32 url-safe base64-encoded bytes each)."
            ) from exc
    return _cache[keys]


def generate_key() -> str:
    return Fernet.generate_key().decode()


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "Encrypted data cannot be read with any key in MOSTY_ENCRYPTION_KEYS "
            "(was a key removed before `mosty rotate-keys` ran?)."
        ) from exc


def rotate(token: str) -> str:
    """The same plaintext, encrypted with the primary key (keeps the token's timestamp)."""
    return _fernet().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """Free text stored as a Fernet token; Python code only ever sees the plaintext.

    The database cannot search or sort by it. Empty strings stay empty (an empty note says
    nothing), NULL stays NULL.
    """

    description = "Text encrypted at rest"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)


def encrypted_fields() -> Iterator[tuple[type[models.Model], list[str]]]:
    from django.apps import apps

    for model in apps.get_models():
        names = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if names and not model._meta.proxy:
            yield model, names


def rotate_model(model: type[models.Model], fields: list[str], *, batch: int = 2000) -> int:
    """Re-encrypt `fields` of every row of `model` with the primary key; returns rows done.

    Raw tokens are read with `.values_list()` on a plain TextField cast, so rotation never
    needs the plaintext in Python objects longer than one batch.

    Each batch is read and rewritten in one transaction that locks its rows
    (`select_for_update`; SQLite's IMMEDIATE transactions lock the whole database), so a note
    edited while the rotation runs waits for the batch and is then saved: the rotation never
    writes an older token over a newer one.
    """
    return _convert_rows(model, fields, rotate, batch=batch)


class _Raw(models.Value):
    """A value written as-is, so an already-encrypted token is not encrypted twice."""

    def __init__(self, value):
        super().__init__(value, output_field=models.TextField())


def _is_token(value: str) -> bool:
    try:
        _fernet().decrypt(value.encode())
    except (InvalidToken, ValueError, TypeError):
        return False
    return True


def _convert_rows(model, fields: list[str], convert, *, batch: int = 2000) -> int:
    """Rewrite the raw stored text of `fields` through `convert` (raw -> raw, None to keep),
    batch by batch under `select_for_update`; returns the rows rewritten."""
    from django.db import transaction
    from django.db.models import TextField
    from django.db.models.functions import Cast

    done = 0
    last_pk = None
    raw = {f"_raw_{name}": Cast(name, output_field=TextField()) for name in fields}
    while True:
        with transaction.atomic():
            qs = model._base_manager.select_for_update().order_by("pk")
            if last_pk is not None:
                qs = qs.filter(pk__gt=last_pk)
            rows = list(qs.annotate(**raw).values_list("pk", *raw.keys())[:batch])
            if not rows:
                return done
            objects = []
            for pk, *values in rows:
                changed = {}
                for name, value in zip(fields, values, strict=True):
                    new = convert(value) if value else None
                    if new is not None and new != value:
                        changed[name] = new
                if changed:
                    obj = model(pk=pk)
                    for name in fields:
                        value = changed.get(name, values[fields.index(name)])
                        setattr(obj, name, _Raw(value))
                    objects.append(obj)
            if objects:
                model._base_manager.bulk_update(objects, fields, batch_size=500)
                done += len(objects)
        last_pk = rows[-1][0]


def encrypt_existing(app_label: str, model_name: str, fields: list[str]):
    """A migration operation that encrypts the plaintext already stored in `fields` (which the
    migration has just turned into EncryptedTextFields), and decrypts it again when reversed.

    Values that are already tokens are left alone, so running it twice does no harm.
    """
    from django.db import migrations

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        _convert_rows(model, fields, lambda v: None if _is_token(v) else encrypt(v))

    def backwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        _convert_rows(model, fields, lambda v: decrypt(v) if _is_token(v) else None)

    return migrations.RunPython(forwards, backwards, elidable=False)
