import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "SECRET_KEY": "x7#kq!" * 10,
    "ALLOWED_HOSTS": "jobs.example.org",
    "JOBHELP_HTTPS": "true",
    "DATABASE_URL": "sqlite:///" + str(ROOT / "var" / "deploy-check.sqlite3"),
    "MAIL_BACKEND": "smtp",
    "SMTP_HOST": "mail.example.org",
}


def _manage(*args, env):
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}} | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_production_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert (result.returncode, result.stderr) == (0, "")


def test_a_misspelt_boolean_stops_start_up_with_a_clear_message():
    result = _manage("check", env=PRODUCTION | {"JOBHELP_HTTPS": "ture"})
    assert result.returncode == 1
    assert "JOBHELP_HTTPS must be one of" in result.stderr


TWILIO = {
    "SMS_BACKEND": "jobhelp.notifications.sms.TwilioBackend",
    "SMS_TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef",
    "SMS_TWILIO_AUTH_TOKEN": "secret-token",
    "SMS_FROM_NUMBER": "+17635550100",
}


def test_check_deploy_passes_with_texting_through_twilio():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION | TWILIO)
    assert (result.returncode, result.stderr) == (0, "")


def test_twilio_without_its_token_stops_start_up_with_a_clear_message():
    result = _manage("check", env=PRODUCTION | TWILIO | {"SMS_TWILIO_AUTH_TOKEN": ""})
    assert result.returncode == 1
    assert "SMS_TWILIO_AUTH_TOKEN must be set when SMS_BACKEND is TwilioBackend" in result.stderr


def test_a_misspelt_text_backend_stops_start_up():
    result = _manage("check", env=PRODUCTION | {"SMS_BACKEND": "twilio"})
    assert result.returncode == 1
    assert "SMS_BACKEND must be one of" in result.stderr


RETENTION_IN_DAYS = (
    "from django.conf import settings; "
    "print(sorted((kind, period.days) for kind, period in settings.RETENTION.items()))"
)


def test_notes_and_registrations_are_kept_as_long_as_requests_unless_set():
    env = {"JOBHELP_RETENTION_DAYS": "30", "JOBHELP_RETENTION_MESSAGES_DAYS": "90"}
    result = _manage("shell", "--no-imports", "-c", RETENTION_IN_DAYS, env=PRODUCTION | env)
    assert (result.stderr, result.stdout) == (
        "",
        "[('computer_counts', 1), ('links', 30), ('messages', 90), ('notes', 30), "
        "('rate_limits', 1), ('referrals', 90), ('registrations', 30), ('requests', 30)]\n",
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"JOBHELP_RETENTION_NOTES_DAYS": "0"}, "JOBHELP_RETENTION_NOTES_DAYS must be at least 1"),
        ({"JOBHELP_RETENTION_MESSAGES_DAYS": "6m"}, "JOBHELP_RETENTION_MESSAGES_DAYS must be an"),
        (
            {"JOBHELP_FORM_RATE_WINDOW": "86400"},
            "JOBHELP_RETENTION_RATE_LIMITS_DAYS must cover two JOBHELP_FORM_RATE_WINDOW windows",
        ),
        (
            {"JOBHELP_FIELD_ENCRYPTION_KEYS": "not-a-fernet-key"},
            "JOBHELP_FIELD_ENCRYPTION_KEYS: each key must be 32 url-safe base64-encoded bytes",
        ),
    ],
)
def test_a_bad_retention_period_stops_start_up(env, message):
    result = _manage("check", env=PRODUCTION | env)
    assert result.returncode == 1
    assert message in result.stderr


def test_content_security_policy_has_a_nonce_and_no_unsafe_inline(client, db):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "'nonce-" in policy
    assert "unsafe-inline" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert response.content.decode().count(f'nonce="{nonce}"') == 3
