"""Two-factor sign-in (django-otp): an authenticator app's codes (TOTP) and one-time recovery
codes. Who must use it, enrolling, checking a code, new recovery codes (docs/security.md).

At the level of `domain`; it never sees a request: the staff pages mark the session verified
(`django_otp.login`) with the device `check_code` returns.
"""

import base64
import secrets
import time

from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.models import (
    ApiToken,
    RecoveryCode,
    RecoveryCodes,
    User,
    hash_recovery_code,
)
from jobhelp.accounts.tenancy import roles_of
from jobhelp.core import audit

RECOVERY_DEVICE = "recovery"
AUTHENTICATOR_DEVICE = "authenticator"
RECOVERY_CODES = 10


def two_factor_required(user: User, *, roles: frozenset[str] | None = None) -> bool:
    """Administrators (Django's staff and superuser flags, or the admin role), managers, and
    anyone holding a live API token must sign in with a second factor. Two queries at most (one
    when the caller passes the `roles` it has read already); asked at sign-in, before a token
    is made, and by every staff page of a session that has not passed the second factor (a
    role gained during the session)."""
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if (roles_of(user) if roles is None else roles) & MANAGING_ROLES:
        return True
    return ApiToken.objects.filter(user_id=user.pk, revoked_at__isnull=True).exists()


def has_two_factor(user: User) -> bool:
    """Has the person a confirmed authenticator? (Recovery codes alone do not count: they are
    made with it.)"""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def new_authenticator(user: User) -> TOTPDevice:
    """An authenticator for `user`, not saved: its key is shown on the enrolment page (and
    kept in the person's session) until a code from the app confirms it. Writes nothing."""
    return TOTPDevice(user=user, name=AUTHENTICATOR_DEVICE, key=default_key(), confirmed=False)


def pending_authenticator(user: User, key: str) -> TOTPDevice | None:
    """The unsaved authenticator of `new_authenticator` again, from its key; None for a key
    that is not one."""
    try:
        if len(bytes.fromhex(key)) != 20:
            return None
    except (TypeError, ValueError):
        return None
    return TOTPDevice(user=user, name=AUTHENTICATOR_DEVICE, key=key, confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """The device's key as people type it into an app: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def confirm_enrolment(device: TOTPDevice, *, code: str) -> list[str] | None:
    """Save `device` (from `new_authenticator`) once a code from the app matches it. Returns
    new recovery codes (shown once), or None when the code is wrong, having written nothing.
    Any earlier authenticator of the person is replaced.

    Side effects: audit entry ``jobhelp.two_factor.enrolled``; the old authenticator and
    recovery codes deleted.
    """
    code = _digits(code)
    if device.pk is not None or not code.isdigit():
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(code), device.tolerance):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=device.user_id).delete()
        device.confirmed = True
        device.last_t = totp.t()
        device.drift = totp.drift
        device.save()
        codes = _new_recovery_codes(device.user)
        audit.record("jobhelp.two_factor.enrolled", actor=device.user, obj=device.user)
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    """New recovery codes for `user` (who has an authenticator); the old ones stop working.

    Side effects: audit entry ``jobhelp.two_factor.recovery_codes_made``.
    """
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit.record("jobhelp.two_factor.recovery_codes_made", actor=user, obj=user)
    return codes


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(device__user_id=user.pk).count()


def new_recovery_code() -> str:
    """80 random bits as 16 base32 letters and digits, in groups of four: abcd-efgh-ijkl-mnop."""
    text = base64.b32encode(secrets.token_bytes(10)).decode().lower()
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _new_recovery_codes(user: User) -> list[str]:
    # Only hashes are written; the codes are returned to be shown once.
    RecoveryCodes.objects.filter(user_id=user.pk).delete()
    StaticDevice.objects.filter(user_id=user.pk).delete()
    device = RecoveryCodes.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(device=device, digest=hash_recovery_code(code)) for code in codes]
    )
    return codes


def _digits(code: str) -> str:
    return "".join(code.split())


def check_code(user: User, code: str):
    """The confirmed device (authenticator or recovery codes) that accepts `code`, or None. Six
    digits go to the authenticator, anything else to the recovery codes, so neither's
    throttling counts the other's codes. A recovery code works once; an authenticator's code is
    refused if used before, and after repeated failures the device waits longer between tries
    (django-otp's throttling)."""
    code = _digits(code)
    if not code:
        return None
    if len(code) == 6 and code.isdigit():
        devices = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True)
    else:
        devices = RecoveryCodes.objects.filter(user_id=user.pk, confirmed=True)
    for device in devices:
        if device.verify_is_allowed()[0] and device.verify_token(code):
            return device
    return None


def remove_two_factor(user: User, *, by: User) -> None:
    """Remove a person's authenticator and recovery codes (a lost phone, by an administrator).

    Side effects: audit entry ``jobhelp.two_factor.removed``.
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=user.pk).delete()
        RecoveryCodes.objects.filter(user_id=user.pk).delete()
        StaticDevice.objects.filter(user_id=user.pk).delete()
        audit.record("jobhelp.two_factor.removed", actor=by, obj=user)
