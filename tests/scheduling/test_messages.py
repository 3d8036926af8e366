"""What the patron and helper are sent when an appointment is booked, moved or cancelled."""

from datetime import time

import pytest
from icalendar import Calendar

from jobhelp.intake.enums import RequestState
from jobhelp.notifications.models import OutboundMessage
from jobhelp.scheduling import links
from jobhelp.scheduling.domain import (
    book_appointment,
    cancel_appointment,
    reschedule_appointment,
)
from jobhelp.scheduling.models import PatronLink
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import every_day
from tests.scheduling.times import CHICAGO, local

NOW = local(2026, 3, 1, 12)


@pytest.fixture
def booked(hana, central, phone_help, front_desk, library):
    every_day(hana, central, time(9), time(12))
    request = HelpRequestFactory(
        organization=library,
        state=RequestState.ASSIGNED,
        assigned_to=hana,
        name="Rosa María Pérez",
        email="rosa@example.org",
        language="es",
    )
    return book_appointment(
        request=request,
        helper=hana,
        location=central,
        appointment_type=phone_help,
        starts=local(2026, 3, 9, 10),
        by=front_desk,
        now=NOW,
    )


def sent():
    return list(OutboundMessage.objects.order_by("pk").values_list("template", "to", "language"))


def calendar_of(message) -> Calendar:
    assert (message.attachment_name, message.attachment_type) == (
        "appointment.ics",
        "text/calendar",
    )
    return Calendar.from_ical(message.attachment)


def event_of(message):
    return calendar_of(message).walk("VEVENT")[0]


def test_booking_sends_the_patron_a_confirmation_in_their_language(booked):
    assert sent() == [("appointment_booked", "rosa@example.org", "es")]
    message = OutboundMessage.objects.get()
    assert message.subject == "Su cita con Riverbend County Library"
    assert "Código de referencia: " + booked.display_reference in message.body
    assert "Lunes, 9 de marzo de 2026" in message.body


def test_the_confirmation_holds_a_link_that_opens_the_appointment(booked):
    message = OutboundMessage.objects.get()
    token = message.body.split("/appointments/")[1].split("/")[0]
    assert links.open_link(token, now=NOW).appointment == booked


def test_the_calendar_file_opens_at_the_local_time_with_its_zone(booked):
    calendar = calendar_of(OutboundMessage.objects.get())
    event = calendar.walk("VEVENT")[0]
    assert (
        str(calendar["METHOD"]),
        event["DTSTART"].dt,
        event["DTSTART"].params["TZID"],
        [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")],
        event["SEQUENCE"],
        str(event["UID"]),
        str(event["STATUS"]),
    ) == (
        "REQUEST",
        local(2026, 3, 9, 10),
        "America/Chicago",
        ["America/Chicago"],
        0,
        f"{booked.uid}@127.0.0.1",
        "CONFIRMED",
    )
    # 10:00 in Chicago on a day of daylight time is 15:00 UTC, whatever the reader's zone.
    assert event["DTSTART"].dt.utcoffset().total_seconds() == -5 * 3600


def test_a_patron_without_email_gets_no_message(hana, central, phone_help, front_desk, library):
    every_day(hana, central, time(9), time(12))
    book_appointment(
        request=HelpRequestFactory(
            organization=library, state=RequestState.ASSIGNED, assigned_to=hana
        ),
        helper=hana,
        location=central,
        appointment_type=phone_help,
        starts=local(2026, 3, 9, 10),
        by=front_desk,
        now=NOW,
    )
    assert sent() == []


def test_rescheduling_keeps_the_uid_and_raises_the_sequence(booked, front_desk):
    moved = reschedule_appointment(booked, starts=local(2026, 3, 10, 11), by=front_desk, now=NOW)
    message = OutboundMessage.objects.order_by("pk").last()
    event = event_of(message)
    assert (
        message.template,
        str(event["UID"]),
        event["SEQUENCE"],
        event["DTSTART"].dt,
        moved.reference,
    ) == (
        "appointment_rescheduled",
        f"{booked.uid}@127.0.0.1",
        1,
        local(2026, 3, 10, 11),
        booked.reference,
    )


def test_links_to_the_old_time_show_the_new_one(booked, front_desk):
    token = links.link_to_appointment(booked)
    moved = reschedule_appointment(booked, starts=local(2026, 3, 10, 11), by=front_desk, now=NOW)
    assert links.open_link(token, now=NOW).appointment == moved


def test_cancelling_sends_a_calendar_cancellation(booked, front_desk):
    cancel_appointment(booked, by=front_desk)
    message = OutboundMessage.objects.order_by("pk").last()
    calendar = calendar_of(message)
    event = calendar.walk("VEVENT")[0]
    assert (
        message.template,
        str(calendar["METHOD"]),
        str(event["STATUS"]),
        str(event["UID"]),
        event["SEQUENCE"],
        str(event["ORGANIZER"].params["CN"]),
    ) == (
        "appointment_cancelled",
        "CANCEL",
        "CANCELLED",
        f"{booked.uid}@127.0.0.1",
        1,
        "Riverbend County Library",
    )
    assert sent() == [
        ("appointment_booked", "rosa@example.org", "es"),
        ("appointment_cancelled", "rosa@example.org", "es"),
    ]


def test_cancelling_a_moved_appointment_raises_the_sequence_again(booked, front_desk):
    moved = reschedule_appointment(booked, starts=local(2026, 3, 10, 11), by=front_desk, now=NOW)
    cancelled = cancel_appointment(moved, by=front_desk)
    event = event_of(OutboundMessage.objects.order_by("pk").last())
    assert (cancelled.sequence, event["SEQUENCE"], str(event["UID"])) == (
        2,
        2,
        f"{booked.uid}@127.0.0.1",
    )


def test_the_helper_hears_when_the_patron_cancels_through_their_link(booked, hana):
    hana.email = "hana@library.example"
    hana.save()
    cancel_appointment(booked, by=None, now=NOW)
    assert sent() == [
        ("appointment_booked", "rosa@example.org", "es"),
        ("appointment_cancelled", "rosa@example.org", "es"),
        ("appointment_patron_cancelled", "hana@library.example", hana.preferred_language),
    ]


def test_a_patron_cancelling_inside_the_notice_cancels_late(booked, phone_help):
    phone_help.min_notice = 24 * 60
    phone_help.save()
    cancelled = cancel_appointment(booked, by=None, now=local(2026, 3, 9, 8))
    assert cancelled.state == "cancelled_late"


def test_the_message_shows_the_time_in_the_location_zone(booked):
    message = OutboundMessage.objects.get()
    local_start = booked.starts.astimezone(CHICAGO)
    assert f"{local_start:%H:%M}" == "10:00"
    assert "10:00" in message.body


def test_a_sent_message_carries_the_calendar_file_and_keeps_no_copy(booked):
    from django.core import mail

    from jobhelp.notifications.domain import deliver_message

    message = OutboundMessage.objects.get()
    deliver_message(message.pk)
    message.refresh_from_db()
    (sent_mail,) = mail.outbox
    (name, content, content_type) = sent_mail.attachments[0]
    assert (name, content_type, "BEGIN:VCALENDAR" in content) == (
        "appointment.ics",
        "text/calendar",
        True,
    )
    assert (message.state, message.body, message.attachment) == ("sent", "", "")


def test_every_message_makes_its_own_link(booked, front_desk):
    reschedule_appointment(booked, starts=local(2026, 3, 10, 11), by=front_desk, now=NOW)
    assert PatronLink.objects.count() == 2
