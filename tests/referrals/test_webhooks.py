"""The receiving organization's webhook, against a real HTTP server on 127.0.0.1: signed
bodies, retries with backoff through the periodic job, failures, and the addresses refused."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from jobhelp.core import periodic
from jobhelp.core.models import AuditEntry
from jobhelp.referrals import domain
from jobhelp.referrals.enums import DeliveryState
from jobhelp.referrals.errors import ReferralError
from jobhelp.referrals.models import Receiver, WebhookDelivery
from jobhelp.referrals.webhooks import (
    RETRY_DELAYS,
    PermanentError,
    check_url,
    deliver_due,
    save_receiving_settings,
)
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """What the partner's system does with the signature header."""
    parts = dict(part.split("=", 1) for part in headers["X-Jobhelp-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), parts["v1"])


def test_a_new_referral_and_each_change_are_posted_signed(
    agreement, wioa, rosa, helper, partner_staff, center_webhook, webhook_server
):
    referral = refer(rosa, wioa, helper)
    domain.accept_referral(referral, by=partner_staff)
    now = timezone.now()
    assert deliver_due(now=now) == {"delivered": 2, "retrying": 0, "failed": 0}
    assert deliver_due(now=now) == {"delivered": 0, "retrying": 0, "failed": 0}
    first, second = webhook_server.received
    assert [verify(center_webhook, r["headers"], r["body"]) for r in (first, second)] == [
        True,
        True,
    ]
    assert not verify("another-secret", first["headers"], first["body"])
    body = json.loads(second["body"])
    assert (body["event"], body["change"]) == (
        "referral.state_changed",
        {"from": "requested", "to": "accepted"},
    )
    assert (body["referral"]["code"], body["referral"]["fhir_status"]) == (
        referral.code,
        "accepted",
    )
    assert second["headers"]["X-Jobhelp-Event"] == "referral.state_changed"
    delivery = WebhookDelivery.objects.get(event="referral.state_changed")
    assert second["headers"]["X-Jobhelp-Delivery"] == str(delivery.uuid)
    assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 1)


def test_a_failing_system_is_tried_again_with_backoff_then_given_up(
    agreement, wioa, rosa, helper, center_webhook, webhook_server
):
    refer(rosa, wioa, helper)
    webhook_server.answers = [503] * (len(RETRY_DELAYS) + 1)
    now = timezone.now()
    delivery = WebhookDelivery.objects.get()
    for attempt, delay in enumerate(RETRY_DELAYS, start=1):
        assert deliver_due(now=now) == {"delivered": 0, "retrying": 1, "failed": 0}
        delivery.refresh_from_db()
        assert (delivery.attempts, delivery.next_attempt_at, delivery.last_error) == (
            attempt,
            now + timedelta(seconds=delay),
            "http 503",
        )
        # Not again before its time.
        assert deliver_due(now=now + timedelta(seconds=delay - 1))["retrying"] == 0
        now += timedelta(seconds=delay)
    assert deliver_due(now=now) == {"delivered": 0, "retrying": 0, "failed": 1}
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, len(RETRY_DELAYS) + 1)
    assert len(webhook_server.received) == len(RETRY_DELAYS) + 1


def test_a_refusal_is_not_tried_again_and_a_second_try_may_succeed(
    agreement, wioa, rosa, helper, center_webhook, webhook_server
):
    refer(rosa, wioa, helper)
    refer(rosa, wioa, helper)
    webhook_server.answers = [400, 500]
    now = timezone.now()
    assert deliver_due(now=now) == {"delivered": 0, "retrying": 1, "failed": 1}
    assert deliver_due(now=now + timedelta(seconds=RETRY_DELAYS[0])) == {
        "delivered": 1,
        "retrying": 0,
        "failed": 0,
    }


def test_the_periodic_job_sends_them(agreement, wioa, rosa, helper, center_webhook, webhook_server):
    refer(rosa, wioa, helper)
    outcomes = periodic.run_jobs(names=["referrals.webhooks"], now=timezone.now())
    assert [(o.job, o.status, o.counts) for o in outcomes] == [
        ("referrals.webhooks", "ran", {"delivered": 1, "retrying": 0, "failed": 0})
    ]
    assert len(webhook_server.received) == 1


def test_nothing_is_queued_for_an_organization_without_a_webhook(agreement, wioa, rosa, helper):
    refer(rosa, wioa, helper)
    assert WebhookDelivery.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://partner.example.org/hook",
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest",
    ],
)
def test_plain_http_and_local_addresses_are_refused_in_production(url, settings):
    settings.REFERRAL_WEBHOOK_ALLOW_LOCAL = False
    with pytest.raises(PermanentError):
        check_url(url)


def test_the_secret_is_made_once_shown_and_renewed_on_request(center, center_manager, settings):
    settings.REFERRAL_WEBHOOK_ALLOW_LOCAL = True
    url = "http://127.0.0.1:9/hook"
    secret = save_receiving_settings(
        center, by=center_manager, expire_after_days=5, webhook_url=url
    )
    assert len(secret) >= 40
    assert (
        save_receiving_settings(center, by=center_manager, expire_after_days=5, webhook_url=url)
        is None
    )
    renewed = save_receiving_settings(
        center, by=center_manager, expire_after_days=5, webhook_url=url, new_secret=True
    )
    assert renewed not in (None, secret)
    assert Receiver.objects.get(organization=center).webhook_secret == renewed
    save_receiving_settings(center, by=center_manager, expire_after_days=5, webhook_url="")
    assert Receiver.objects.get(organization=center).webhook_secret == ""
    assert list(
        AuditEntry.objects.filter(action="jobhelp.referral_settings.changed")
        .order_by("id")
        .values_list("data", flat=True)
    ) == [
        {"fields": ["expire_after_days", "webhook_url", "webhook_secret"], "secret_made": True},
        {"fields": ["webhook_secret"], "secret_made": True},
        {"fields": ["webhook_url", "webhook_secret"], "secret_made": False},
    ]


def test_only_the_organizations_managers_keep_its_settings(center, partner_staff, manager):
    for person in (partner_staff, manager):
        with pytest.raises(PermissionDenied):
            save_receiving_settings(center, by=person, expire_after_days=5, webhook_url="")


def test_a_webhook_address_that_is_not_https_is_refused(center, center_manager, settings):
    settings.REFERRAL_WEBHOOK_ALLOW_LOCAL = False
    with pytest.raises(ReferralError, match="https://"):
        save_receiving_settings(
            center, by=center_manager, expire_after_days=5, webhook_url="http://x.example/h"
        )
    assert Receiver.objects.count() == 0
