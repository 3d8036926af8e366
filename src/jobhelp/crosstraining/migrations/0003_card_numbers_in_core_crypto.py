"""Temporary card numbers move from crosstraining's own keys (JOBHELP_CARD_KEYS, or a key
derived from SECRET_KEY under DEBUG) to core.crypto's (JOBHELP_FIELD_ENCRYPTION_KEYS), which
rotate_encryption_keys rotates: each number is opened with the old keys, encrypted again with
core.crypto, and its digest replaced by core.crypto's fingerprint. A number already in the new
form is left as it is, so the migration is safe to run twice. Reversed, the numbers go back to
the old keys (which must then still be configured).

The old scheme is written out here, not imported: its module (crosstraining.cipher) is gone.
"""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

from jobhelp.core import crypto

_LOCAL_PREFIX = "django-insecure-"


def legacy_keys() -> list[bytes]:
    """The keys crosstraining.cipher used: JOBHELP_CARD_KEYS, else (with DEBUG or the local
    default SECRET_KEY) one derived from SECRET_KEY; none otherwise."""
    if settings.CROSSTRAINING_CARD_KEYS:
        return [key.encode() for key in settings.CROSSTRAINING_CARD_KEYS]
    if settings.DEBUG or settings.SECRET_KEY.startswith(_LOCAL_PREFIX):
        derived = hashlib.sha256(b"jobhelp.crosstraining.cards:" + settings.SECRET_KEY.encode())
        return [base64.urlsafe_b64encode(derived.digest())]
    return []


def legacy_encrypt(number: str) -> str:
    return MultiFernet([Fernet(key) for key in legacy_keys()]).encrypt(number.encode()).decode()


def legacy_digest(number: str) -> str:
    return hmac.new(legacy_keys()[-1], number.encode(), hashlib.sha256).hexdigest()


def _open(stored: str, last_four: str) -> str:
    keys = legacy_keys()
    if keys:
        try:
            number = MultiFernet([Fernet(key) for key in keys]).decrypt(stored.encode()).decode()
        except InvalidToken:
            pass
        else:
            if number[-4:] == last_four:
                return number
    try:
        number = crypto.decrypt(stored)
    except ImproperlyConfigured:
        number = None
    if number is None or number[-4:] != last_four:
        raise ImproperlyConfigured(
            "A temporary card's number could be read neither with JOBHELP_CARD_KEYS nor with "
            "JOBHELP_FIELD_ENCRYPTION_KEYS: set JOBHELP_CARD_KEYS to the keys the cards were "
            "stored with and migrate again."
        )
    return number


def to_core_crypto(apps, schema_editor):
    Card = apps.get_model("crosstraining", "Card")
    for pk, stored, last_four in Card.objects.order_by("pk").values_list(
        "pk", "number_encrypted", "last_four"
    ):
        number = _open(stored, last_four)
        Card.objects.filter(pk=pk).update(
            number_encrypted=crypto.encrypt(number), number_digest=crypto.fingerprint(number)
        )


def to_card_keys(apps, schema_editor):
    Card = apps.get_model("crosstraining", "Card")
    if Card.objects.exists() and not legacy_keys():
        raise ImproperlyConfigured("Set JOBHELP_CARD_KEYS to move the card numbers back to it.")
    for pk, stored in Card.objects.order_by("pk").values_list("pk", "number_encrypted"):
        number = crypto.decrypt(stored)
        Card.objects.filter(pk=pk).update(
            number_encrypted=legacy_encrypt(number), number_digest=legacy_digest(number)
        )


class Migration(migrations.Migration):
    dependencies = [("crosstraining", "0002_training_materials")]

    operations = [migrations.RunPython(to_core_crypto, to_card_keys)]
