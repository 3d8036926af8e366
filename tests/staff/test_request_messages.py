"""The request page lists the messages sent about the request, with their channel."""

import re

from jobhelp.notifications.domain import deliver_message
from jobhelp.notifications.enums import MessageChannel
from jobhelp.notifications.models import OutboundMessage
from jobhelp.notifications.outbox import queue_message
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import AppointmentTypeFactory


def listed_messages(response) -> list[str]:
    html = response.content.decode()
    section = html.split("Messages sent about this request</h2>")[1].split("</ul>")[0]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    # Drop the time each line starts with.
    return [item.split(" — ", 1)[1] for item in items]


def test_texts_and_emails_are_told_apart_with_their_number_or_address(
    client, front_desk, library, texting
):
    help_request = HelpRequestFactory(
        organization=library, reference="4K7M9Q", phone="+17635550123", preferred_contact="text"
    )
    text = queue_message(
        to="+17635550123",
        channel=MessageChannel.SMS,
        template="request_received",
        context={"request": help_request},
        language="en",
        related=help_request,
    )
    deliver_message(text.pk)
    queue_message(
        to="rosa@example.com",
        template="request_received",
        context={"request": help_request, "needs": []},
        language="en",
        related=help_request,
    )
    refused = queue_message(
        to="+17635550123",
        channel=MessageChannel.SMS,
        template="appointment_offer",
        context={
            "request": help_request,
            "appointment_type": AppointmentTypeFactory(organization=library, name="Resumé review"),
        },
        language="en",
        related=help_request,
        dedupe_key="refused",
    )
    OutboundMessage.objects.filter(pk=refused.pk).update(
        state="failed", last_error="twilio 400 21211"
    )
    client.force_login(front_desk)

    response = client.get("/staff/requests/4K7M9Q/")

    assert listed_messages(response) == [
        "Text message to (763) 555-0123 — We received your request for job help (4K7-M9Q) — Sent",
        "Email to rosa@example.com — We received your request for job help (4K7-M9Q) "
        "— Waiting to be sent",
        "Text message to (763) 555-0123 — Choose a time for your appointment "
        "— Could not be delivered (twilio 400 21211)",
    ]
