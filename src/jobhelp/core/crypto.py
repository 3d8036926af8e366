"""Sensitive free text encrypted at rest (docs/privacy.md, "Encryption at rest").

`EncryptedTextField` stores its text as a Fernet token (AES-128-CBC with HMAC-SHA256, from the
`cryptography` library) made with the first key of settings.FIELD_ENCRYPTION_KEYS and read with
any of them (MultiFernet), so keys can be rotated: put a new key first, run
`manage.py rotate_encryption_keys` (which re-encrypts every such field with it), then drop the
old key. An empty text stays empty, so "has a note" still filters in the database; nothing may
search or order by the text itself (the database holds only tokens). A value that is not a
token is read as it is: rows written before the field was encrypted, until their migration
(or the rotation command) has rewritten them.

**Values only ever decrypted on purpose** (a temporary library card's number) are not an
EncryptedTextField, which decrypts whenever a row is loaded: their app stores `encrypt(value)`
in a plain column, calls `decrypt` only where it must, and keeps beside it a `fingerprint` (an
HMAC under the first key) so an equal value can be found without decrypting every row; a lookup
compares with `fingerprints` (under every key, so it still finds rows during a rotation). Such
an app registers a function that rewrites its rows with the first key (`register_rotation`),
which `rotate_encryption_keys` runs after the fields: one set of keys, one command.
"""

import base64
import hashlib
import hmac
from collections.abc import Callable
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models

# Every Fernet token starts with its version byte 0x80, base64url-encoded.
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - not a secret


def derived_key(secret: str) -> str:
    """A Fernet key derived from another secret (the local default, from SECRET_KEY)."""
    return base64.urlsafe_b64encode(hashlib.sha256(b"jobhelp-fields:" + secret.encode()).digest())


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS needs at least one key")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS: {error}") from None


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def _forget_keys(*, setting, **kwargs):
    if setting == "FIELD_ENCRYPTION_KEYS":
        _fernet.cache_clear()


setting_changed.connect(_forget_keys)


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(stored: str) -> str:
    """The text of a stored value; a value that is not a token is returned as it is. Raises
    ImproperlyConfigured for a token none of the keys opens (a key removed too early)."""
    if not stored or not stored.startswith(TOKEN_PREFIX):
        return stored
    try:
        return fernet().decrypt(stored.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "An encrypted field could not be read with any of FIELD_ENCRYPTION_KEYS"
        ) from None


def _fingerprint(key: str, text: str) -> str:
    return hmac.new(
        key.encode(), b"jobhelp-fingerprint:" + text.encode(), hashlib.sha256
    ).hexdigest()


def fingerprint(text: str) -> str:
    """A keyed digest of `text` under the first key: equal texts have equal fingerprints, and
    without the key nobody can test a guess against it."""
    return _fingerprint(settings.FIELD_ENCRYPTION_KEYS[0], text)


def fingerprints(text: str) -> list[str]:
    """The fingerprints of `text` under every key, newest first: what a lookup compares with,
    so a row fingerprinted before a rotation is still found until the command rewrites it."""
    return [_fingerprint(key, text) for key in settings.FIELD_ENCRYPTION_KEYS]


_rotations: dict[str, Callable[[], int]] = {}


def register_rotation(label: str, rewrite: Callable[[], int]) -> None:
    """`rewrite()` writes an app's explicitly encrypted values again with the first key (and
    their fingerprints) and returns how many rows it rewrote; rotate_encryption_keys runs it.
    It must be safe to run twice and to stop midway, as `reencrypt` is."""
    known = _rotations.get(label)
    if known is not None and known is not rewrite:
        raise ValueError(f"{label!r} already has a rotation")
    _rotations[label] = rewrite


def rotations() -> dict[str, Callable[[], int]]:
    return dict(sorted(_rotations.items()))


def is_encrypted(stored: str) -> bool:
    return bool(stored) and stored.startswith(TOKEN_PREFIX)


class EncryptedTextField(models.TextField):
    """A TextField kept encrypted in the database (see the module's docstring)."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted fields, and their names."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if names:
            found.append((model, names))
    return found


def reencrypt(model: type[models.Model], names: list[str], *, batch: int = 500) -> int:
    """Write every non-empty value of `names` again, encrypted with the first key (plain text
    from before the encryption included). Returns how many rows were rewritten. Safe to run
    twice and to stop midway: each row is readable before and after."""
    rewritten = 0
    manager = model._base_manager
    last = 0
    while True:
        rows = list(manager.filter(pk__gt=last).order_by("pk").values_list("pk", *names)[:batch])
        if not rows:
            return rewritten
        for pk, *values in rows:
            changes = {name: value for name, value in zip(names, values, strict=True) if value}
            if changes:
                manager.filter(pk=pk).update(**changes)
                rewritten += 1
        last = rows[-1][0]


def write_plain(model: type[models.Model], names: list[str], *, batch: int = 500) -> int:
    """The reverse of the migrations that encrypt: write the text of `names` back in the clear
    (a Value expression skips the field's encryption). Returns how many rows were rewritten."""
    rewritten = 0
    manager = model._base_manager
    last = 0
    while True:
        rows = list(manager.filter(pk__gt=last).order_by("pk").values_list("pk", *names)[:batch])
        if not rows:
            return rewritten
        for pk, *values in rows:
            changes = {
                name: models.Value(value, output_field=models.TextField())
                for name, value in zip(names, values, strict=True)
                if value
            }
            if changes:
                manager.filter(pk=pk).update(**changes)
                rewritten += 1
        last = rows[-1][0]


def migration_operation(app_label: str, fields: dict[str, list[str]]):
    """The RunPython step of a migration that turns fields into EncryptedTextFields: after the
    AlterFields, it encrypts the rows already there; reversed, it writes them in the clear."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        for model_name, names in fields.items():
            reencrypt(apps.get_model(app_label, model_name), names)

    def backwards(apps, schema_editor):
        for model_name, names in fields.items():
            write_plain(apps.get_model(app_label, model_name), names)

    return migrations.RunPython(forwards, backwards, elidable=True)
