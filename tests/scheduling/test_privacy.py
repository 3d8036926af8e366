"""Erasing a person (privacy) cancels their appointments still to come: the helper's time is
free again for someone else, the patron is told nothing, and it is audited as the privacy
officer."""

from datetime import time

import pytest

from jobhelp.core.models import AuditEntry
from jobhelp.intake.enums import RequestState
from jobhelp.notifications.enums import MessageState
from jobhelp.notifications.models import OutboundMessage
from jobhelp.privacy.domain import Lookup, erase_person, find_person
from jobhelp.scheduling.domain import SlotTaken, book_appointment
from jobhelp.scheduling.enums import AppointmentState
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import every_day
from tests.scheduling.times import local

NOW = local(2026, 3, 1, 12)
PHONE = "+17635550188"


@pytest.fixture
def book(hana, central, phone_help, front_desk, library):
    every_day(hana, central, time(9), time(12))

    def book(request, starts):
        return book_appointment(
            request=request,
            helper=hana,
            location=central,
            appointment_type=phone_help,
            starts=starts,
            by=front_desk,
            idempotency_key=None,
            now=NOW,
        )

    return book


def _request(library, hana, **fields):
    return HelpRequestFactory(
        organization=library, state=RequestState.ASSIGNED, assigned_to=hana, **fields
    )


def test_an_erased_persons_future_appointment_frees_its_slot(book, library, hana, privacy_officer):
    rosa = _request(library, hana, name="Rosa Leakwell", phone=PHONE, email="rosa@example.org")
    appointment = book(rosa, local(2026, 3, 2, 10))
    someone = _request(library, hana, phone="+17635550199")
    with pytest.raises(SlotTaken):
        book(someone, local(2026, 3, 2, 10))
    told_before = set(OutboundMessage.objects.values_list("pk", flat=True))

    counts = erase_person(
        privacy_officer, find_person(privacy_officer, Lookup(phone=PHONE)), now=NOW
    )

    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CANCELLED
    assert counts["scheduling_appointments_cancelled"] == 1
    # The time is free again.
    assert book(someone, local(2026, 3, 2, 10)).state == AppointmentState.BOOKED
    # Nobody told Rosa: no message was written for the cancellation, and her booking's
    # confirmation, not sent yet, never will be.
    new = OutboundMessage.objects.exclude(pk__in=told_before)
    assert not new.filter(template__startswith="appointment_cancelled").exists()
    assert not OutboundMessage.objects.filter(
        object_id=str(appointment.pk), state__in=[MessageState.QUEUED, MessageState.SENDING]
    ).exists()
    entry = AuditEntry.objects.get(action="jobhelp.appointment.cancelled")
    assert (entry.actor, entry.data["erased"]) == (privacy_officer, True)
    rosa.refresh_from_db()
    assert rosa.state == RequestState.IN_PROGRESS


def test_a_past_appointment_is_left_as_it_was(book, library, hana, privacy_officer):
    rosa = _request(library, hana, phone=PHONE)
    appointment = book(rosa, local(2026, 3, 2, 10))

    later = local(2026, 3, 3, 12)
    erase_person(privacy_officer, find_person(privacy_officer, Lookup(phone=PHONE)), now=later)

    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED
    assert not AuditEntry.objects.filter(action="jobhelp.appointment.cancelled").exists()


def _erase_rosa(privacy_officer):
    return erase_person(privacy_officer, find_person(privacy_officer, Lookup(phone=PHONE)), now=NOW)


def _patrons_details(rosa, appointment) -> list[str]:
    return [
        rosa.name,
        "Leakwell",
        PHONE,
        "763",
        "555-0188",
        rosa.email,
        rosa.reference,
        appointment.reference,
        appointment.display_reference,
        "Laid off",
    ]


def test_the_helper_is_told_the_time_is_free_with_nothing_about_the_person(
    book, library, hana, privacy_officer
):
    rosa = _request(
        library,
        hana,
        name="Rosa Leakwell",
        phone=PHONE,
        email="rosa@example.org",
        note="Laid off from the plant",
    )
    appointment = book(rosa, local(2026, 3, 2, 10))
    before = set(OutboundMessage.objects.values_list("pk", flat=True))

    _erase_rosa(privacy_officer)

    new = OutboundMessage.objects.exclude(pk__in=before)
    notice = new.get(template="appointment_erased_helper")
    assert (notice.to, notice.language, notice.state) == (hana.email, "en", MessageState.QUEUED)
    text = f"{notice.subject}\n{notice.body}"
    # The time, on the location's wall clock (10:00 in Chicago is 16:00 UTC).
    assert "March 2, 2026" in text and "10 a.m." in text and "CST" in text
    assert "Phone help" in notice.body and "Central Library" in notice.body
    assert "erased at their request" in notice.body
    for detail in _patrons_details(rosa, appointment):
        assert detail not in text, detail
    assert notice.content_type is None and notice.object_id == ""
    # Nothing is written to Rosa.
    assert not new.filter(to__in=[PHONE, "rosa@example.org"]).exists()
    assert list(new.values_list("template", flat=True)) == ["appointment_erased_helper"]


def test_a_spanish_speaking_helper_is_told_in_spanish(book, library, hana, privacy_officer):
    hana.preferred_language = "es"
    hana.save()
    rosa = _request(library, hana, name="Rosa Leakwell", phone=PHONE, email="rosa@example.org")
    appointment = book(rosa, local(2026, 3, 2, 10))

    _erase_rosa(privacy_officer)

    notice = OutboundMessage.objects.get(template="appointment_erased_helper")
    assert notice.language == "es"
    assert "2 de marzo de 2026" in notice.subject and "10:00" in notice.subject
    assert "borraron" in notice.body and "10:00" in notice.body
    for detail in _patrons_details(rosa, appointment):
        assert detail not in f"{notice.subject}\n{notice.body}", detail


def test_a_helper_without_an_email_address_is_not_written_to(book, library, hana, privacy_officer):
    hana.email = ""
    hana.save()
    rosa = _request(library, hana, phone=PHONE)
    book(rosa, local(2026, 3, 2, 10))

    _erase_rosa(privacy_officer)

    assert not OutboundMessage.objects.filter(template="appointment_erased_helper").exists()


def test_a_past_appointments_helper_is_not_told(book, library, hana, privacy_officer):
    rosa = _request(library, hana, phone=PHONE)
    book(rosa, local(2026, 3, 2, 10))

    erase_person(
        privacy_officer,
        find_person(privacy_officer, Lookup(phone=PHONE)),
        now=local(2026, 3, 3, 12),
    )

    assert not OutboundMessage.objects.filter(template="appointment_erased_helper").exists()
