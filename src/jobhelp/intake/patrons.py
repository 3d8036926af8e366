"""How jobhelp reaches a request's patron by itself: one channel per patron (email, or a text
message for a patron who chose texts and gave no email), and the one function that queues a
message to them. Used by triage, scheduling, casework and the request's own confirmation."""

from dataclasses import dataclass

from django.db.models import Q

from jobhelp.intake.enums import ContactMethod
from jobhelp.intake.models import HelpRequest
from jobhelp.notifications import sms
from jobhelp.notifications.enums import MessageChannel
from jobhelp.notifications.outbox import queue_message


@dataclass(frozen=True)
class PatronAddress:
    channel: MessageChannel
    to: str

    @property
    def is_text(self) -> bool:
        return self.channel == MessageChannel.SMS


def patron_address(help_request: HelpRequest) -> PatronAddress | None:
    """Where the messages jobhelp sends by itself (confirmations, appointments, reminders) reach
    the patron of `help_request`: one channel per patron.

    Their email address when they gave one; otherwise their phone by text message when they
    chose text messages as the way to reach them and texting is on (SMS_BACKEND); otherwise
    None, and staff tell them by phone. Nothing once their details are erased.
    """
    if help_request.erased_at is not None:
        return None
    if help_request.email:
        return PatronAddress(MessageChannel.EMAIL, help_request.email)
    if (
        help_request.preferred_contact == ContactMethod.TEXT
        and help_request.phone
        and sms.is_configured()
    ):
        return PatronAddress(MessageChannel.SMS, help_request.phone)
    return None


def reachable_patrons(prefix: str = "") -> Q:
    """patron_address as a filter: the requests (or, with `prefix` such as "request__", the
    rows of a request) whose patron jobhelp can write to. Erased requests have no email or
    phone left."""
    reachable = ~Q(**{f"{prefix}email": ""})
    if sms.is_configured():
        reachable |= Q(**{f"{prefix}preferred_contact": ContactMethod.TEXT}) & ~Q(
            **{f"{prefix}phone": ""}
        )
    return reachable


def message_patron(
    help_request: HelpRequest,
    *,
    template: str,
    context: dict,
    organization=None,
    dedupe_key: str | None = None,
    email_attachment=None,
):
    """Queue `template` for the patron by the channel patron_address gives, in their language;
    None when they cannot be written to (or the dedupe key was used). `email_attachment(to)`
    makes an attachment for an email (a text has none)."""
    address = patron_address(help_request)
    if address is None:
        return None
    attachment = None
    if email_attachment is not None and address.channel == MessageChannel.EMAIL:
        attachment = email_attachment(address.to)
    return queue_message(
        to=address.to,
        channel=address.channel,
        template=template,
        context=context,
        language=help_request.language,
        organization=organization or help_request.organization,
        related=help_request,
        dedupe_key=dedupe_key,
        attachment=attachment,
    )
