"""What the outbox holds about a patron (core.privacy): the messages sent (or waiting) to one
of their phone numbers or email addresses, with their calendar attachments. Erasing empties the
recipient, subject, text and attachment; the row stays as the record that something was sent.
Messages about a request, appointment, registration or referral whose address was already
erased are erased by those apps' providers (notifications.outbox.erase_messages_about)."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jobhelp.core import privacy
from jobhelp.notifications.domain import cancel_unsent_messages
from jobhelp.notifications.models import OutboundMessage


def _messages(person: privacy.Person, organizations: QuerySet) -> QuerySet[OutboundMessage]:
    return OutboundMessage.objects.filter(
        person.contact_q(phone="to", email="to"), organization__in=organizations
    )


@privacy.provider("notifications.messages", label=_("Messages"), order=90)
class Messages:
    def collect(self, person, *, organizations) -> list[privacy.Record]:
        return [
            privacy.record(
                m,
                [
                    "channel",
                    "to",
                    "language",
                    "template",
                    "subject",
                    "body",
                    "attachment_name",
                    "state",
                    "created_at",
                    "sent_at",
                ],
            )
            for m in _messages(person, organizations).order_by("created_at", "pk")
        ]

    def cancel(self, person, *, organizations, by, now: datetime) -> int:
        """Every message to the person not sent yet, including those the other providers'
        cancellations might have queued, is never sent."""
        return cancel_unsent_messages(
            _messages(person, organizations).values_list("pk", flat=True), by=by
        )

    def erase(self, person, *, organizations, now: datetime) -> int:
        ids = list(_messages(person, organizations).values_list("pk", flat=True))
        OutboundMessage.objects.filter(pk__in=ids).update(to="", subject="", body="", attachment="")
        return len(ids)
