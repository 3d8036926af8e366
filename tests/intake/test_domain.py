import pytest
from django.contrib.contenttypes.models import ContentType

from jobhelp.core.models import AuditEntry
from jobhelp.intake.domain import (
    REFERENCE_ALPHABET,
    RequestDetails,
    normalize_reference,
    submit_request,
)
from jobhelp.intake.enums import IntakeChannel, RequestState
from jobhelp.intake.models import HelpRequest
from jobhelp.notifications.models import OutboundMessage


def details(**overrides) -> RequestDetails:
    fields = {
        "name": "Rosa",
        "phone": "+17635550123",
        "email": "",
        "preferred_contact": "phone",
        "best_time": "morning",
        "voicemail_ok": True,
        "needs": ["resume"],
        "language": "en",
        "preferred_location": None,
        "modality": "phone",
        "note": "Laid off last month.",
    }
    return RequestDetails(**{**fields, **overrides})


def stored_fields(help_request: HelpRequest) -> dict:
    help_request = HelpRequest.objects.get(pk=help_request.pk)
    return {
        "organization": help_request.organization,
        "state": help_request.state,
        "closing_reason": help_request.closing_reason,
        "name": help_request.name,
        "phone": help_request.phone,
        "email": help_request.email,
        "preferred_contact": help_request.preferred_contact,
        "best_time": help_request.best_time,
        "voicemail_ok": help_request.voicemail_ok,
        "language": help_request.language,
        "preferred_location": help_request.preferred_location,
        "modality": help_request.modality,
        "note": help_request.note,
        "channel": help_request.channel,
        "taken_by": help_request.taken_by,
        "assigned_to": help_request.assigned_to,
        "needs": sorted(help_request.needs.values_list("need", flat=True)),
    }


def test_submit_request_stores_every_field(library, central):
    help_request = submit_request(
        organization=library,
        details=details(
            email="rosa@example.com",
            preferred_contact="email",
            needs=["resume", "digital"],
            language="es",
            preferred_location=central,
            modality="in_person",
        ),
        channel=IntakeChannel.WEB,
    )

    assert stored_fields(help_request) == {
        "organization": library,
        "state": RequestState.NEW,
        "closing_reason": "",
        "name": "Rosa",
        "phone": "+17635550123",
        "email": "rosa@example.com",
        "preferred_contact": "email",
        "best_time": "morning",
        "voicemail_ok": True,
        "language": "es",
        "preferred_location": central,
        "modality": "in_person",
        "note": "Laid off last month.",
        "channel": "web",
        "taken_by": None,
        "assigned_to": None,
        "needs": ["digital", "resume"],
    }
    assert help_request.consent_at is not None


def test_submit_request_stores_each_need_once(library):
    help_request = submit_request(
        organization=library,
        details=details(needs=["resume", "interview", "resume"]),
        channel=IntakeChannel.WEB,
    )

    assert list(help_request.needs.order_by("need").values_list("need", flat=True)) == [
        "interview",
        "resume",
    ]


def test_submit_request_records_who_took_a_phone_request(library, front_desk):
    help_request = submit_request(
        organization=library, details=details(), channel=IntakeChannel.PHONE, taken_by=front_desk
    )

    stored = HelpRequest.objects.get(pk=help_request.pk)
    assert (stored.channel, stored.taken_by) == ("phone", front_desk)


def test_reference_is_six_characters_from_the_reference_alphabet(library):
    references = [
        submit_request(organization=library, details=details(), channel=IntakeChannel.WEB).reference
        for _ in range(20)
    ]

    assert [len(r) for r in references] == [6] * 20
    assert set("".join(references)) - set(REFERENCE_ALPHABET) == set()
    assert len(set(references)) == 20


def test_display_reference_splits_the_code_in_two(library):
    help_request = submit_request(
        organization=library, details=details(), channel=IntakeChannel.WEB
    )

    assert help_request.display_reference == (
        f"{help_request.reference[:3]}-{help_request.reference[3:]}"
    )


def test_request_naming_a_branch_location_goes_to_the_branch(library, branch):
    northtown = branch.locations.get()

    help_request = submit_request(
        organization=library,
        details=details(preferred_location=northtown),
        channel=IntakeChannel.WEB,
    )

    assert HelpRequest.objects.get(pk=help_request.pk).organization == branch
    assert AuditEntry.objects.get(action="jobhelp.request.created").organization == branch


def test_request_without_a_location_stays_with_the_organization(library, branch):
    help_request = submit_request(
        organization=library, details=details(), channel=IntakeChannel.WEB
    )

    assert HelpRequest.objects.get(pk=help_request.pk).organization == library


def test_submit_request_writes_one_audit_entry_without_personal_text(library, front_desk):
    help_request = submit_request(
        organization=library,
        details=details(needs=["resume", "digital"], language="es"),
        channel=IntakeChannel.PHONE,
        taken_by=front_desk,
    )

    entries = [
        (e.action, e.actor, e.organization, e.content_type, e.object_id, e.data)
        for e in AuditEntry.objects.all()
    ]
    assert entries == [
        (
            "jobhelp.request.created",
            front_desk,
            library,
            ContentType.objects.get_for_model(HelpRequest),
            str(help_request.pk),
            {"channel": "phone", "needs": ["digital", "resume"], "language": "es"},
        )
    ]


def test_web_request_is_audited_without_an_actor(library):
    submit_request(organization=library, details=details(), channel=IntakeChannel.WEB)

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.data) == (
        "jobhelp.request.created",
        None,
        {"channel": "web", "needs": ["resume"], "language": "en"},
    )


def test_confirmation_is_queued_when_an_email_is_given(library):
    help_request = submit_request(
        organization=library,
        details=details(email="rosa@example.com", needs=["resume", "digital"]),
        channel=IntakeChannel.WEB,
    )

    message = OutboundMessage.objects.get()
    assert (
        message.to,
        message.template,
        message.language,
        message.state,
        message.organization,
        message.object_id,
        message.subject,
    ) == (
        "rosa@example.com",
        "request_received",
        "en",
        "queued",
        library,
        str(help_request.pk),
        f"We received your request for job help ({help_request.display_reference})",
    )
    assert help_request.display_reference in message.body
    assert "- Computer and digital skills\n- Resumé\n" in message.body


def test_no_confirmation_without_an_email(library):
    submit_request(organization=library, details=details(email=""), channel=IntakeChannel.WEB)

    assert OutboundMessage.objects.count() == 0


def test_spanish_patron_gets_the_confirmation_in_spanish(library):
    submit_request(
        organization=library,
        details=details(email="rosa@example.com", language="es"),
        channel=IntakeChannel.WEB,
    )

    message = OutboundMessage.objects.get()
    assert (message.language, message.template) == ("es", "request_received")


@pytest.mark.parametrize("language", ["ht", "so", "hmn", "vi", "other"])
def test_patron_in_a_language_the_site_lacks_gets_english(library, language):
    help_request = submit_request(
        organization=library,
        details=details(email="jean@example.com", language=language),
        channel=IntakeChannel.WEB,
    )

    message = OutboundMessage.objects.get()
    assert (message.language, message.template, message.subject) == (
        "en",
        "request_received",
        f"We received your request for job help ({help_request.display_reference})",
    )
    # The request itself still says which language the patron wants help in.
    assert HelpRequest.objects.get(pk=help_request.pk).language == language


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("4K7M9Q", "4K7M9Q"),
        ("4k7-m9q", "4K7M9Q"),
        (" 4k7 m9q ", "4K7M9Q"),
        ("4K7–M9Q", "4K7M9Q"),
        ("", ""),
    ],
)
def test_normalize_reference(typed, expected):
    assert normalize_reference(typed) == expected
