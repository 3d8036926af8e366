"""Temporary card numbers, encrypted at rest (Fernet, keys from JOBHELP_CARD_KEYS) and
fingerprinted (HMAC) so the same card cannot be added twice. Nothing else in the project
decrypts a number: after entry only the last four digits are shown."""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_LOCAL_PREFIX = "django-insecure-"


def _keys() -> list[bytes]:
    if settings.CROSSTRAINING_CARD_KEYS:
        return [key.encode() for key in settings.CROSSTRAINING_CARD_KEYS]
    if settings.DEBUG or settings.SECRET_KEY.startswith(_LOCAL_PREFIX):
        derived = hashlib.sha256(b"jobhelp.crosstraining.cards:" + settings.SECRET_KEY.encode())
        return [base64.urlsafe_b64encode(derived.digest())]
    raise ImproperlyConfigured("JOBHELP_CARD_KEYS must be set to store temporary card numbers")


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


def encrypt(number: str) -> str:
    return _fernet().encrypt(number.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def digest(number: str) -> str:
    # Keyed by the oldest key, which stays in the list while rows made with it remain.
    key = _keys()[-1]
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()
