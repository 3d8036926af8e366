"""Patrons who chose text messages: the confirmation and who will help them, by text."""

from datetime import UTC, datetime

import pytest

from jobhelp.accounts.enums import Role
from jobhelp.intake.domain import RequestDetails, submit_request
from jobhelp.intake.enums import IntakeChannel
from jobhelp.intake.patrons import PatronAddress, patron_address
from jobhelp.intake.triage import assign_request, claim_request
from jobhelp.notifications.models import OutboundMessage
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory

PHONE = "+17635550123"


def details(**overrides) -> RequestDetails:
    fields = {
        "name": "Rosa",
        "phone": PHONE,
        "email": "",
        "preferred_contact": "text",
        "best_time": "any",
        "voicemail_ok": False,
        "needs": ["resume"],
        "language": "es",
        "preferred_location": None,
        "modality": "phone",
        "note": "",
    }
    return RequestDetails(**{**fields, **overrides})


def outbox() -> list[tuple[str, str, str, str]]:
    return list(
        OutboundMessage.objects.order_by("pk").values_list("template", "channel", "to", "language")
    )


@pytest.fixture
def hana(library):
    return staff_member(
        library,
        Role.HELPER,
        needs=["resume"],
        first_name="Hana",
        email="hana@example.org",
        preferred_language="es",
    )


def test_the_confirmation_is_texted_in_the_patrons_language(library, texting):
    help_request = submit_request(
        organization=library, details=details(), channel=IntakeChannel.WEB
    )

    message = OutboundMessage.objects.get()
    assert (outbox(), message.subject, message.body) == (
        [("request_received", "sms", PHONE, "es")],
        f"Recibimos su solicitud de ayuda de empleo ({help_request.display_reference})",
        "Riverbend County Library: recibimos su solicitud de ayuda de empleo.\n"
        f"Código: {help_request.display_reference}\n"
        "Alguien se comunicará con usted, por lo general en un plazo de dos días hábiles. "
        "Si nos llama, dé su código.",
    )


def test_without_texting_a_patron_without_email_gets_nothing(library):
    submit_request(organization=library, details=details(), channel=IntakeChannel.WEB)

    assert outbox() == []


def test_a_patron_who_gave_an_email_too_gets_the_confirmation_by_email(library, texting):
    submit_request(
        organization=library,
        details=details(email="rosa@example.com"),
        channel=IntakeChannel.WEB,
    )

    assert outbox() == [("request_received", "email", "rosa@example.com", "es")]


@pytest.mark.parametrize(
    ("fields", "texting_on", "expected"),
    [
        ({"email": "rosa@example.com"}, True, PatronAddress("email", "rosa@example.com")),
        ({}, True, PatronAddress("sms", PHONE)),
        ({}, False, None),
        ({"preferred_contact": "phone"}, True, None),
        ({"erased_at": datetime(2026, 1, 1, tzinfo=UTC)}, True, None),
    ],
    ids=["email-first", "text", "texting-off", "prefers-calls", "erased"],
)
def test_one_channel_per_patron(library, settings, fields, texting_on, expected):
    if texting_on:
        settings.SMS_BACKEND = "jobhelp.notifications.sms.LocmemBackend"
    help_request = HelpRequestFactory(
        organization=library, **{"phone": PHONE, "email": "", "preferred_contact": "text", **fields}
    )

    assert patron_address(help_request) == expected


def test_a_text_patron_is_texted_who_will_help(library, front_desk, hana, texting):
    help_request = HelpRequestFactory(
        organization=library, phone=PHONE, preferred_contact="text", language="es"
    )

    assign_request(help_request, helper=hana, by=front_desk)

    message = OutboundMessage.objects.get(template="request_assigned_patron")
    assert outbox() == [
        ("request_assigned_helper", "email", "hana@example.org", "es"),
        ("request_assigned_patron", "sms", PHONE, "es"),
    ]
    assert message.body == (
        "Riverbend County Library: Hana le ayudará con su solicitud y pronto se comunicará "
        f"con usted.\nCódigo: {help_request.display_reference}"
    )


def test_claiming_texts_a_text_patron_too(library, hana, texting):
    help_request = HelpRequestFactory(organization=library, phone=PHONE, preferred_contact="text")

    claim_request(help_request, by=hana)

    assert outbox() == [("request_assigned_patron", "sms", PHONE, "en")]


def test_a_text_patron_who_gave_an_email_hears_it_from_the_helper(
    library, front_desk, hana, texting
):
    # Their channel is email, but they asked to be texted first: the helper's first text says it.
    help_request = HelpRequestFactory(
        organization=library, phone=PHONE, email="rosa@example.com", preferred_contact="text"
    )

    assign_request(help_request, helper=hana, by=front_desk)

    assert outbox() == [("request_assigned_helper", "email", "hana@example.org", "es")]
