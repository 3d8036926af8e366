import logging
import smtplib
import socket
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.utils import timezone

from jobhelp.core import audit
from jobhelp.notifications import sms
from jobhelp.notifications.enums import MessageChannel, MessageState
from jobhelp.notifications.errors import PermanentDeliveryError, TransientDeliveryError
from jobhelp.notifications.models import OutboundMessage

log = logging.getLogger(__name__)

# A message stuck in "sending" this long belonged to a worker that died; it may be retried.
STALE_CLAIM = timedelta(minutes=10)


def _classify(error: Exception) -> Exception:
    if isinstance(error, TransientDeliveryError | PermanentDeliveryError):
        # Already sorted by a text-message backend.
        return error
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        if codes and all(400 <= code < 500 for code in codes):
            return TransientDeliveryError(f"recipient refused {codes[0]}")
        return PermanentDeliveryError(f"recipient refused {codes[0] if codes else ''}")
    if isinstance(error, smtplib.SMTPResponseException):
        kind = TransientDeliveryError if 400 <= error.smtp_code < 500 else PermanentDeliveryError
        return kind(f"smtp {error.smtp_code}")
    if isinstance(error, smtplib.SMTPServerDisconnected | socket.timeout | OSError):
        return TransientDeliveryError(type(error).__name__)
    return PermanentDeliveryError(type(error).__name__)


def _claim(message_id: int) -> OutboundMessage | None:
    """Take the message for this worker with one conditional UPDATE, so that two workers never
    send the same message."""
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(
        Q(state=MessageState.QUEUED, next_attempt_at__lte=now)
        | Q(state=MessageState.SENDING, claimed_at__lt=now - STALE_CLAIM),
        pk=message_id,
    ).update(state=MessageState.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return None
    return OutboundMessage.objects.get(pk=message_id)


def _send(message: OutboundMessage) -> None:
    if message.channel == MessageChannel.SMS:
        sms.get_backend().send(sms.TextMessage(to=message.to, body=message.body))
        return
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Auto-Submitted": "auto-generated", "Content-Language": message.language},
    )
    if message.attachment_name:
        email.attach(message.attachment_name, message.attachment, message.attachment_type)
    email.send()


def deliver_message(message_id: int) -> MessageState | None:
    """Send one queued message by its channel: email through Django's mailer, a text through
    the SMS_BACKEND (see notifications.sms).

    Side effects: on success the state becomes SENT and ``jobhelp.message.sent`` is audited; on a
    transient failure the message is queued again with a back-off; after the last retry, or on a
    permanent failure, the state becomes FAILED and ``jobhelp.message.failed`` is audited.
    Returns the new state, or None when there was nothing to do (already sent, or not due). A
    message queued again is due at its `next_attempt_at`; the task that called this enqueues
    it for then (notifications.tasks), or the sweep does.
    """
    message = _claim(message_id)
    if message is None:
        return None
    try:
        _send(message)
    except Exception as raw_error:
        error = _classify(raw_error)
        log.warning("message %s: %s", message.pk, error)
        delays = settings.OUTBOX_RETRY_DELAYS
        if isinstance(error, TransientDeliveryError) and message.attempts <= len(delays):
            retry_at = timezone.now() + timedelta(seconds=delays[message.attempts - 1])
            OutboundMessage.objects.filter(pk=message.pk).update(
                state=MessageState.QUEUED, next_attempt_at=retry_at, last_error=str(error)[:200]
            )
            return MessageState.QUEUED
        OutboundMessage.objects.filter(pk=message.pk).update(
            state=MessageState.FAILED, last_error=str(error)[:200], body="", attachment=""
        )
        audit.record(
            "jobhelp.message.failed",
            organization=message.organization,
            obj=message,
            data={
                "template": message.template,
                "channel": message.channel,
                "attempts": message.attempts,
            },
        )
        return MessageState.FAILED
    # The text has done its job; dropping it keeps personal data out of the table.
    OutboundMessage.objects.filter(pk=message.pk).update(
        state=MessageState.SENT, sent_at=timezone.now(), body="", attachment="", last_error=""
    )
    audit.record(
        "jobhelp.message.sent",
        organization=message.organization,
        obj=message,
        data={
            "template": message.template,
            "channel": message.channel,
            "attempts": message.attempts,
        },
    )
    return MessageState.SENT


def cancel_unsent_messages(ids, *, by) -> int:
    """Messages among `ids` not sent yet (waiting, or claimed by a worker that may have died)
    are never sent: the state becomes cancelled in one conditional UPDATE, so a worker that
    claims one later finds nothing to send. Called when a person's data is erased (the
    notifications privacy provider). Returns how many changed; a second run changes none.

    Side effects: audit ``jobhelp.message.cancelled`` once, with the count (no address).
    """
    cancelled = OutboundMessage.objects.filter(
        pk__in=list(ids), state__in=[MessageState.QUEUED, MessageState.SENDING]
    ).update(state=MessageState.CANCELLED)
    if cancelled:
        audit.record("jobhelp.message.cancelled", actor=by, data={"messages": cancelled})
    return cancelled


def erase_expired_messages(*, now=None) -> int:
    """Empty the recipient and subject of messages sent, or failed for good, longer ago than
    RETENTION["messages"], whatever they were about (their text went when they were sent). The
    row stays, with its template, state and times, as the record that the message went out.
    Returns how many messages changed; a second run changes none."""
    now = now or timezone.now()
    cutoff = now - settings.RETENTION["messages"]
    return (
        OutboundMessage.objects.filter(
            Q(state=MessageState.SENT, sent_at__lt=cutoff)
            # A failed message was last tried when it was last claimed.
            | Q(state=MessageState.FAILED, claimed_at__lt=cutoff)
        )
        .exclude(to="", subject="", body="", attachment="")
        .update(to="", subject="", body="", attachment="")
    )


def due_messages(*, now=None):
    """The ids of every message that is due but may have no task waiting for it: its enqueue
    was lost when a process died right after commit, or its worker died while sending. Sending
    any of them again is safe, since a message is claimed before it is sent."""
    now = now or timezone.now()
    return OutboundMessage.objects.filter(
        Q(state=MessageState.QUEUED, next_attempt_at__lte=now)
        | Q(state=MessageState.SENDING, claimed_at__lt=now - STALE_CLAIM)
    ).values_list("pk", flat=True)
