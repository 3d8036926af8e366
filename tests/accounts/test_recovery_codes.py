"""Recovery codes are kept only as salted hashes, work once, and the migration hashes the
clear ones django-otp kept (docs/security.md)."""

import importlib
import json
import logging

from django.apps import apps
from django.db import connection
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jobhelp.accounts.models import RecoveryCode, RecoveryCodes, hash_recovery_code
from jobhelp.accounts.twofactor import check_code, recovery_codes_left, regenerate_recovery_codes
from jobhelp.core.security import JsonFormatter

PASSWORD = "a-long-test-password"

migration = importlib.import_module("jobhelp.accounts.migrations.0006_recovery_codes_hashed")


def _every_stored_text() -> str:
    """Every column of the recovery-code tables, as the database holds it."""
    with connection.cursor() as cursor:
        rows = []
        for model in (RecoveryCodes, RecoveryCode):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608 (no input)
            rows += cursor.fetchall()
    return repr(rows)


def _unthrottle():
    RecoveryCodes.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)


def test_the_database_holds_no_code_in_clear(helper):
    codes = regenerate_recovery_codes(helper)

    stored = _every_stored_text()
    assert len(codes) == len(set(codes)) == 10
    for code in codes:
        assert code not in stored
        assert code.replace("-", "") not in stored
    # Each code is salted on its own: one code hashed twice gives two different digests.
    assert hash_recovery_code(codes[0]) != hash_recovery_code(codes[0])
    assert recovery_codes_left(helper) == 10


def test_a_code_works_once(helper):
    codes = regenerate_recovery_codes(helper)

    device = check_code(helper, codes[3])

    assert isinstance(device, RecoveryCodes)
    assert recovery_codes_left(helper) == 9
    _unthrottle()
    assert check_code(helper, codes[3]) is None
    _unthrottle()
    # Typed with spaces or in capitals, or without its hyphens, a code still works.
    assert check_code(helper, codes[4].upper().replace("-", " ")) is not None
    assert recovery_codes_left(helper) == 8


def test_a_wrong_code_fails_and_uses_up_nothing(helper):
    codes = regenerate_recovery_codes(helper)

    assert check_code(helper, "aaaa-bbbb-cccc-dddd") is None
    assert recovery_codes_left(helper) == 10
    # After a failure the next try waits (django-otp's throttling), even with a right code.
    assert check_code(helper, codes[0]) is None
    _unthrottle()
    assert check_code(helper, codes[0]) is not None


def test_an_authenticators_code_does_not_count_against_the_recovery_codes(helper):
    regenerate_recovery_codes(helper)
    TOTPDevice.objects.create(user=helper, name="authenticator", confirmed=True)

    assert check_code(helper, "000000") is None

    assert RecoveryCodes.objects.get(user=helper).throttling_failure_count == 0


def test_another_persons_code_does_not_work(helper, front_desk):
    codes = regenerate_recovery_codes(front_desk)
    regenerate_recovery_codes(helper)

    assert check_code(helper, codes[0]) is None
    assert recovery_codes_left(front_desk) == 10


def test_a_wrong_recovery_code_at_sign_in_is_a_security_event(client, helper, settings, caplog):
    settings.TWO_FACTOR_REQUIRED = True
    TOTPDevice.objects.create(user=helper, name="authenticator", confirmed=True)
    regenerate_recovery_codes(helper)
    logger = logging.getLogger("jobhelp.security")
    logger.propagate = True
    caplog.set_level(logging.INFO, logger="jobhelp.security")
    try:
        client.post("/staff/login/", {"username": helper.username, "password": PASSWORD})
        response = client.post("/staff/account/verify/", {"code": "zzzz-zzzz-zzzz-zzzz"})
    finally:
        logger.propagate = False

    assert response.status_code == 400
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == logger.name]
    failed = [line for line in lines if line["event"] == "two_factor.failed"]
    assert failed and failed[0]["user_id"] == helper.pk
    assert "zzzz" not in caplog.text
    assert client.get("/staff/").status_code == 302


def test_the_migration_hashes_the_clear_codes_and_they_still_work_once(helper):
    device = StaticDevice.objects.create(user=helper, name="recovery", confirmed=True)
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=t) for t in ("abcd2345", "efgh6723")]
    )

    migration.hash_static_tokens(apps, None)

    assert not StaticDevice.objects.exists() and not StaticToken.objects.exists()
    assert recovery_codes_left(helper) == 2
    assert "abcd2345" not in _every_stored_text()
    assert check_code(helper, "abcd2345") is not None
    _unthrottle()
    assert check_code(helper, "abcd2345") is None
    # Going back forgets the hashed codes; the person makes new ones.
    migration.forget_hashed_codes(apps, None)
    assert recovery_codes_left(helper) == 0
