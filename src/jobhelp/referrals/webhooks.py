"""Telling a receiving organization's own system of its referrals: one webhook per receiving
organization (Receiver.webhook_url), signed, retried with backoff by the periodic job
referrals.webhooks. See docs/referrals.md, "Webhook".

- **Queued** by the domain functions, in their transaction, as a WebhookDelivery naming the
  event (a new referral, a change of state, consent given or withdrawn); nothing is queued for
  an organization without a webhook.
- **Body built when sent**, from the referral as it is then (referrals.documents): a consent
  withdrawn after the event and before the delivery is respected; the person's details are in
  it only with a live consent (referrals.sharing).
- **Signed**: `X-Jobhelp-Signature: t=<unix time>,v1=<hex>`, the HMAC-SHA256 of
  `<t>.<body>` under the organization's secret, which its manager saw once.
- **Claimed** with one conditional UPDATE (as the outbox claims a message), so two runners
  never send one delivery twice; a delivery a dead runner held is free again after
  STALE_CLAIM.
- **Retried** on a network error, a time-out, HTTP 408, 429 or 5xx, after RETRY_DELAYS; any
  other answer, or the last retry, fails it. A redirect is not followed. Only HTTPS to a
  public address, unless settings.REFERRAL_WEBHOOK_ALLOW_LOCAL (tests, the demo).
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.core import audit
from jobhelp.referrals import rules
from jobhelp.referrals.documents import instant, referral_document
from jobhelp.referrals.enums import DeliveryState, WebhookEvent
from jobhelp.referrals.errors import ReferralError
from jobhelp.referrals.models import Receiver, Referral, WebhookDelivery
from jobhelp.referrals.sharing import shared_details

# Seconds before each retry: 1 and 5 minutes, half an hour, 2 and 6 hours; six tries in all.
RETRY_DELAYS = (60, 300, 1800, 7200, 21600)
STALE_CLAIM = timedelta(minutes=10)
# Deliveries sent by one run of the job at most; the rest wait for the next minute.
BATCH = 200
SIGNATURE_HEADER = "X-Jobhelp-Signature"


class TransientError(Exception):
    pass


class PermanentError(Exception):
    pass


def new_secret_value() -> str:
    return secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def queue_event(
    referral: Referral, event: WebhookEvent, *, from_state: str = "", to_state: str = ""
) -> WebhookDelivery | None:
    """In the caller's transaction: a delivery to the receiving organization's webhook, if it
    has one."""
    has_webhook = (
        Receiver.objects.filter(organization_id=referral.to_organization_id)
        .exclude(webhook_url="")
        .exists()
    )
    if not has_webhook:
        return None
    return WebhookDelivery.objects.create(
        organization_id=referral.to_organization_id,
        referral=referral,
        event=event,
        from_state=from_state,
        to_state=to_state,
        occurred_at=timezone.now(),
    )


def body_of(delivery: WebhookDelivery, *, now: datetime) -> bytes:
    referral = delivery.referral
    document = {
        "id": str(delivery.uuid),
        "event": delivery.event,
        "occurred_at": instant(delivery.occurred_at),
        "change": {"from": delivery.from_state or None, "to": delivery.to_state or None}
        if delivery.event == WebhookEvent.STATE_CHANGED
        else None,
        "referral": referral_document(referral, shared=shared_details(referral, now=now)),
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def check_url(url: str) -> None:
    """Refuse (PermanentError) an address jobhelp will not post to: not HTTPS, or naming a
    private, loopback or link-local address, unless settings.REFERRAL_WEBHOOK_ALLOW_LOCAL."""
    allow_local = settings.REFERRAL_WEBHOOK_ALLOW_LOCAL
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "https" and not (allow_local and parts.scheme == "http"):
        raise PermanentError("scheme_not_allowed")
    if not parts.hostname:
        raise PermanentError("no_host")
    if allow_local:
        return
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as error:
        raise TransientError(type(error).__name__) from None
    for _family, _type, _proto, _name, address in found:
        ip = ipaddress.ip_address(address[0])
        if not ip.is_global:
            raise PermanentError("address_not_allowed")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect would carry the signed body somewhere the manager did not name.
    def redirect_request(self, *args, **kwargs):
        return None


def post(url: str, *, secret: str, body: bytes, delivery: WebhookDelivery, now: datetime) -> int:
    """POST the body; returns the HTTP status of a 2xx answer, raises otherwise."""
    check_url(url)
    timestamp = int(now.timestamp())
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "jobhelp-webhooks",
            "X-Jobhelp-Event": delivery.event,
            "X-Jobhelp-Delivery": str(delivery.uuid),
            SIGNATURE_HEADER: sign(secret, timestamp, body),
        },
    )
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=settings.REFERRAL_WEBHOOK_TIMEOUT) as response:
            response.read(10_000)
            return response.status
    except urllib.error.HTTPError as error:
        status = error.code
        error.close()
        if status in (408, 429) or status >= 500:
            raise TransientError(f"http {status}") from None
        raise PermanentError(f"http {status}") from None
    except urllib.error.URLError as error:
        reason = error.reason if isinstance(error.reason, BaseException) else error
        raise TransientError(type(reason).__name__) from None
    except (OSError, http.client.HTTPException) as error:
        raise TransientError(type(error).__name__) from None


def _due(now: datetime) -> Q:
    return Q(state=DeliveryState.QUEUED, next_attempt_at__lte=now) | Q(
        state=DeliveryState.SENDING, claimed_at__lt=now - STALE_CLAIM
    )


def deliver(delivery_id: int, *, now: datetime | None = None) -> DeliveryState | None:
    """Send one delivery if it is still due and no runner holds it; returns its new state, or
    None when another runner has it or it was sent already. Safe to run twice."""
    now = now or timezone.now()
    claimed = WebhookDelivery.objects.filter(_due(now), pk=delivery_id).update(
        state=DeliveryState.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related(
        "referral__service", "referral__from_organization", "referral__to_organization"
    ).get(pk=delivery_id)
    receiver = Receiver.objects.filter(organization_id=delivery.organization_id).first()
    try:
        if receiver is None or not receiver.webhook_url:
            raise PermanentError("no_webhook")
        body = body_of(delivery, now=now)
        post(
            receiver.webhook_url,
            secret=receiver.webhook_secret,
            body=body,
            delivery=delivery,
            now=now,
        )
    except TransientError as error:
        if delivery.attempts <= len(RETRY_DELAYS):
            delay = RETRY_DELAYS[delivery.attempts - 1]
            return _finish(
                delivery,
                DeliveryState.QUEUED,
                error=str(error),
                next_attempt_at=now + timedelta(seconds=delay),
            )
        return _finish(delivery, DeliveryState.FAILED, error=str(error))
    except PermanentError as error:
        return _finish(delivery, DeliveryState.FAILED, error=str(error))
    return _finish(delivery, DeliveryState.DELIVERED, error="", delivered_at=now)


def _finish(delivery: WebhookDelivery, state: DeliveryState, *, error: str, **changes):
    WebhookDelivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
        state=state, last_error=error[:80], **changes
    )
    return state


def deliver_due(*, now: datetime | None = None) -> dict[str, int]:
    """Every delivery due at `now` (the periodic job referrals.webhooks); counts by outcome."""
    now = now or timezone.now()
    counts = {"delivered": 0, "retrying": 0, "failed": 0}
    due = list(
        WebhookDelivery.objects.filter(_due(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    names = {
        DeliveryState.DELIVERED: "delivered",
        DeliveryState.QUEUED: "retrying",
        DeliveryState.FAILED: "failed",
    }
    for pk in due:
        state = deliver(pk, now=now)
        if state is not None:
            counts[names[state]] += 1
    return counts


# --- Settings ---------------------------------------------------------------------------------


def save_receiving_settings(
    organization, *, by, expire_after_days: int, webhook_url: str, new_secret: bool = False
) -> str | None:
    """A receiving organization's managers set how many business days its referrals wait for
    an answer (for referrals sent from now on) and its webhook. A webhook gets a secret when
    it is first set, and a new one on request; returns that secret, shown once, or None.
    Emptying the address turns the webhook off and forgets its secret; deliveries still
    waiting then fail.

    Side effects: audit ``jobhelp.referral_settings.changed`` (the names of the fields
    changed; whether a secret was made), none when nothing changed."""
    if not rules.can_manage_receiving(by, organization):
        raise PermissionDenied
    if not 1 <= expire_after_days <= 60:
        raise ReferralError(_("Give between 1 and 60 business days."))
    webhook_url = webhook_url.strip()
    if webhook_url:
        try:
            check_url(webhook_url)
        except PermanentError:
            raise ReferralError(
                _("Give an https:// address of your system, reachable on the internet.")
            ) from None
        except TransientError:
            # The name does not resolve right now; deliveries will be retried.
            pass
    with transaction.atomic():
        receiver, _created = Receiver.objects.select_for_update().get_or_create(
            organization=organization
        )
        changed = []
        secret = None
        if receiver.expire_after_days != expire_after_days:
            receiver.expire_after_days = expire_after_days
            changed.append("expire_after_days")
        if receiver.webhook_url != webhook_url:
            receiver.webhook_url = webhook_url
            changed.append("webhook_url")
        if not webhook_url:
            if receiver.webhook_secret:
                receiver.webhook_secret = ""
                changed.append("webhook_secret")
        elif new_secret or not receiver.webhook_secret:
            secret = receiver.webhook_secret = new_secret_value()
            changed.append("webhook_secret")
        if not changed:
            return None
        receiver.updated_at = timezone.now()
        receiver.save()
        audit.record(
            "jobhelp.referral_settings.changed",
            actor=by,
            organization=organization,
            obj=receiver,
            data={"fields": changed, "secret_made": secret is not None},
        )
    return secret
