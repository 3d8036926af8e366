"""The one way jobhelp sends a message. See docs/conventions/messaging.md."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from jobhelp.core import audit
from jobhelp.core.env import E164
from jobhelp.notifications import sms
from jobhelp.notifications.enums import MessageChannel, MessageState
from jobhelp.notifications.models import OutboundMessage

_SITE_LANGUAGES = {code for code, _name in settings.LANGUAGES}
_RECORDING_HISTORY: ContextVar[bool] = ContextVar("recording_history", default=False)


@contextmanager
def recording_history() -> Iterator[None]:
    """Inside this block, messages are stored as already sent and nothing is enqueued: for
    loading activity that happened in the past (the demo's year of history), whose messages
    went out long ago and must not be sent, or printed by the console backends, now.

    Each such message is stored as deliver_message leaves a sent one: state sent, `sent_at`
    the current time (timezone.now(), the history's clock), its text dropped, and the audit
    entry ``jobhelp.message.sent``.
    """
    token = _RECORDING_HISTORY.set(True)
    try:
        yield
    finally:
        _RECORDING_HISTORY.reset(token)


def message_language(language: str) -> str:
    """The site language to write to someone who prefers `language` (English when we have none)."""
    return language if language in _SITE_LANGUAGES else settings.LANGUAGE_CODE


def queue_message(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    organization=None,
    related: models.Model | None = None,
    channel: MessageChannel = MessageChannel.EMAIL,
    dedupe_key: str | None = None,
    attachment: tuple[str, str, str] | None = None,
) -> OutboundMessage | None:
    """Render the message in the recipient's language, store it and send it from the task
    worker once the caller's transaction commits.

    An email is `notifications/<template>.subject.txt` and `.body.txt`; a text message
    (`channel=MessageChannel.SMS`, `to` a phone number in E.164 form) is one short plain text,
    `notifications/<template>.sms.txt`, with no attachment; its email's subject is stored as
    its label. Callers queue a text
    only when texting is on (notifications.sms.is_configured); if it is off, nothing is stored.

    `attachment` is (file name, content type, text), e.g. a calendar file; it is built by the
    caller in the recipient's language (see message_language). Returns None when a message with
    the same `dedupe_key` already exists, or for a text while texting is off.
    """
    from jobhelp.notifications.tasks import send_message

    if channel == MessageChannel.SMS:
        if attachment is not None:
            raise ValueError("a text message has no attachment")
        if not E164.fullmatch(to):
            raise ValueError("a text message goes to a phone number in E.164 form")
        if not sms.is_configured():
            return None
    language = message_language(language)
    with translation.override(language):
        context = {"site_name": settings.SITE_NAME, "base_url": settings.PUBLIC_BASE_URL, **context}
        # A text has no subject; its email's subject is kept as the label staff see in the
        # request's list of messages.
        subject = render_to_string(f"notifications/{template}.subject.txt", context)
        if _RECORDING_HISTORY.get():
            # Sent long ago: its text would be dropped at once, so it is not written.
            return _record_as_sent(
                channel=channel,
                to=to,
                language=language,
                template=template,
                subject=" ".join(subject.split())[:200],
                dedupe_key=dedupe_key,
                organization=organization,
                related=related,
            )
        if channel == MessageChannel.SMS:
            text = render_to_string(f"notifications/{template}.sms.txt", context)
            # One plain text: blank lines and indents would only cost characters.
            body = "\n".join(line.strip() for line in text.splitlines() if line.strip())
        else:
            body = render_to_string(f"notifications/{template}.body.txt", context).strip() + "\n"
    try:
        with transaction.atomic():
            message = OutboundMessage.objects.create(
                channel=channel,
                to=to,
                language=language,
                template=template,
                # Subjects are one line: a newline there would be a header injection.
                subject=" ".join(subject.split())[:200],
                body=body,
                dedupe_key=dedupe_key,
                attachment_name=attachment[0] if attachment else "",
                attachment_type=attachment[1] if attachment else "",
                attachment=attachment[2] if attachment else "",
                organization=organization,
                content_type=ContentType.objects.get_for_model(related) if related else None,
                object_id=str(related.pk) if related else "",
            )
    except IntegrityError:
        if dedupe_key and OutboundMessage.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    transaction.on_commit(lambda: send_message.enqueue(message.pk))
    return message


def _record_as_sent(*, related, dedupe_key, **fields) -> OutboundMessage | None:
    """A message of the past (recording_history): stored sent, without its text, never sent."""
    if dedupe_key and OutboundMessage.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    message = OutboundMessage.objects.create(
        **fields,
        body="",
        dedupe_key=dedupe_key,
        state=MessageState.SENT,
        attempts=1,
        sent_at=timezone.now(),
        content_type=ContentType.objects.get_for_model(related) if related else None,
        object_id=str(related.pk) if related else "",
    )
    audit.record(
        "jobhelp.message.sent",
        organization=message.organization,
        obj=message,
        data={"template": message.template, "channel": message.channel, "attempts": 1},
    )
    return message


def erase_messages_about(model: type[models.Model], ids, *, keep_templates=()) -> int:
    """Empty the recipient, subject, text and attachment of every message about the objects of
    `model` with these primary keys, in the caller's transaction; the rows stay as the record
    that something was sent. For the app that erases those objects' personal details. Returns
    how many messages changed. A message not sent yet is cancelled as well: without its
    recipient it could not go out. Messages written with one of `keep_templates` (notices to
    staff that by design name nobody, e.g. a referral's answer told to the other organization)
    are left as they are, and still go out."""
    about = OutboundMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in ids],
    ).exclude(template__in=sorted(keep_templates))
    about.filter(state__in=[MessageState.QUEUED, MessageState.SENDING]).update(
        state=MessageState.CANCELLED
    )
    return about.exclude(to="", subject="", body="", attachment="").update(
        to="", subject="", body="", attachment=""
    )


def messages_for(obj: models.Model):
    return OutboundMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).order_by("created_at", "pk")
