"""Reminders: when they are due, across clock changes, and sent once."""

import smtplib
import threading
from datetime import UTC, datetime, time, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection

from jobhelp.core import periodic
from jobhelp.core.models import AuditEntry
from jobhelp.core.wallclock import due_at
from jobhelp.intake.enums import RequestState
from jobhelp.notifications.domain import deliver_message
from jobhelp.notifications.models import OutboundMessage
from jobhelp.scheduling.domain import book_appointment, cancel_appointment, reschedule_appointment
from jobhelp.scheduling.reminders import reminder_due, send_due_reminders
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import every_day
from tests.notifications.test_outbox import FlakyBackend
from tests.scheduling.times import CHICAGO, local

BOOKED_AT = local(2026, 2, 20, 12)


def reminders():
    return list(
        OutboundMessage.objects.filter(template="appointment_reminder")
        .order_by("pk")
        .values_list("dedupe_key", flat=True)
    )


@pytest.fixture
def book(hana, central, phone_help, front_desk, library):
    every_day(hana, central, time(0), time(23, 59))

    def book(starts, **request_fields):
        request = HelpRequestFactory(
            organization=library,
            state=RequestState.ASSIGNED,
            assigned_to=hana,
            email="patron@example.org",
            **request_fields,
        )
        with mock.patch("django.utils.timezone.now", return_value=BOOKED_AT):
            return book_appointment(
                request=request,
                helper=hana,
                location=central,
                appointment_type=phone_help,
                starts=starts,
                by=front_desk,
                now=BOOKED_AT,
            )

    return book


@pytest.mark.parametrize(
    ("starts", "expected", "hours_ahead"),
    [
        # Clocks spring forward in the night to Sunday: 10:00 Sunday is reminded at 10:00
        # Saturday, 23 hours before.
        (local(2026, 3, 8, 10), local(2026, 3, 7, 10), 23),
        # They fall back in the night to Sunday: 25 hours.
        (local(2026, 11, 1, 10), local(2026, 10, 31, 10), 25),
        # An ordinary day: 24 h.
        (local(2026, 3, 17, 10), local(2026, 3, 16, 10), 24),
    ],
)
def test_a_day_ahead_reminder_keeps_the_wall_clock_across_clock_changes(
    starts, expected, hours_ahead
):
    due = due_at(starts.astimezone(UTC), 24 * 60, CHICAGO)
    assert (due, (starts - due) / timedelta(hours=1)) == (expected, hours_ahead)


def test_a_day_ahead_reminder_into_the_spring_gap_goes_after_the_gap():
    # 02:30 on 2026-03-08 never happened in Chicago; the reminder goes at 03:30 daylight time.
    due = due_at(local(2026, 3, 9, 2, 30).astimezone(UTC), 24 * 60, CHICAGO)
    assert due.astimezone(CHICAGO).replace(tzinfo=None) == datetime(2026, 3, 8, 3, 30)


def test_a_two_hour_reminder_is_elapsed_time_across_the_change():
    # 03:30 daylight time on the day of the change is 1 h of wall clock after 01:30 standard.
    due = due_at(local(2026, 3, 8, 3, 30).astimezone(UTC), 120, CHICAGO)
    assert due.astimezone(CHICAGO).replace(tzinfo=None) == datetime(2026, 3, 8, 0, 30)


@pytest.mark.django_db
def test_the_reminder_job_queues_the_due_reminders_once_and_audits_the_count(book):
    book(local(2026, 3, 9, 10))

    runs = [
        periodic.run_jobs(names=["scheduling.appointment_reminders"], now=now)
        for now in (local(2026, 3, 8, 10), local(2026, 3, 8, 10, 1))
    ]

    assert [[o.counts for o in outcomes] for outcomes in runs] == [[{"queued": 1}], [{"queued": 0}]]
    assert list(
        AuditEntry.objects.filter(action="jobhelp.periodic.ran").values_list("data", flat=True)
    ) == [{"job": "scheduling.appointment_reminders", "queued": 1}]


@pytest.mark.django_db
def test_reminders_go_out_when_due_and_once(book):
    appointment = book(local(2026, 3, 9, 10))
    key = f"reminder:{appointment.uid}:0"

    assert send_due_reminders(now=local(2026, 3, 8, 9, 59)) == 0
    assert send_due_reminders(now=local(2026, 3, 8, 10)) == 1
    assert send_due_reminders(now=local(2026, 3, 8, 10, 1)) == 0
    assert send_due_reminders(now=local(2026, 3, 9, 8)) == 1
    assert send_due_reminders(now=local(2026, 3, 9, 9)) == 0
    assert reminders() == [f"{key}:1440", f"{key}:120"]


@pytest.mark.django_db
def test_a_reminder_is_in_the_patrons_language_with_the_calendar_file(book):
    book(local(2026, 3, 9, 10), language="es")
    send_due_reminders(now=local(2026, 3, 8, 10))
    message = OutboundMessage.objects.get(template="appointment_reminder")
    assert (message.language, message.attachment_name, message.subject) == (
        "es",
        "appointment.ics",
        "Recordatorio: su cita el 9 de marzo de 2026 a las 10:00",
    )


@pytest.mark.django_db
def test_after_an_outage_only_the_latest_reminder_goes(book):
    appointment = book(local(2026, 3, 9, 10))
    send_due_reminders(now=local(2026, 3, 9, 9))
    assert reminders() == [f"reminder:{appointment.uid}:0:120"]


@pytest.mark.django_db
def test_a_reminder_due_before_the_booking_is_skipped(book):
    # Booked on 20 February for 21 February at 11:00: the day-ahead time had already passed.
    appointment = book(local(2026, 2, 21, 11))
    assert send_due_reminders(now=local(2026, 2, 20, 13)) == 0
    assert send_due_reminders(now=local(2026, 2, 21, 9)) == 1
    assert reminders() == [f"reminder:{appointment.uid}:0:120"]


@pytest.mark.django_db
def test_cancelled_appointments_are_not_reminded(book, front_desk):
    appointment = book(local(2026, 3, 9, 10))
    cancel_appointment(appointment, by=front_desk)
    assert send_due_reminders(now=local(2026, 3, 8, 10)) == 0


@pytest.mark.django_db
def test_a_rescheduled_appointment_is_reminded_of_its_new_time(book, front_desk):
    appointment = book(local(2026, 3, 9, 10))
    send_due_reminders(now=local(2026, 3, 8, 10))
    moved = reschedule_appointment(
        appointment, starts=local(2026, 3, 10, 10), by=front_desk, now=local(2026, 3, 8, 11)
    )
    send_due_reminders(now=local(2026, 3, 9, 10))
    assert reminders() == [
        f"reminder:{appointment.uid}:0:1440",
        f"reminder:{moved.uid}:1:1440",
    ]


@pytest.mark.django_db
def test_reminders_follow_the_type(book, phone_help):
    phone_help.reminders = [60]
    phone_help.save()
    appointment = book(local(2026, 3, 9, 10))
    assert reminder_due(appointment, now=local(2026, 3, 8, 10)) is None
    assert reminder_due(appointment, now=local(2026, 3, 9, 9)) == 60


@pytest.fixture
def flaky_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.test_outbox.FlakyBackend"}}
    FlakyBackend.failures = []
    return FlakyBackend


@pytest.mark.django_db(transaction=True)
def test_two_runners_and_two_workers_with_a_failing_server_send_each_reminder_once(
    book, settings, flaky_mail
):
    """Two reminder runners fire in the same minute; then two workers deliver while the mail
    server refuses the first attempt for a moment. The patron gets one email."""
    settings.OUTBOX_RETRY_DELAYS = [0, 0, 0]
    book(local(2026, 3, 9, 10))
    now = local(2026, 3, 8, 10)

    def run_at_once(target, count=2):
        barrier = threading.Barrier(count)
        results = [None] * count

        def go(index):
            try:
                barrier.wait(timeout=10)
                results[index] = target()
            except Exception as error:  # handed to the test thread
                results[index] = error
            finally:
                connection.close()

        threads = [threading.Thread(target=go, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return results

    queued = run_at_once(lambda: send_due_reminders(now=now))
    assert sorted(queued) == [0, 1]
    message = OutboundMessage.objects.get(template="appointment_reminder")

    flaky_mail.failures = [smtplib.SMTPResponseException(451, b"try later")]
    mail.outbox = []
    run_at_once(lambda: deliver_message(message.pk))
    # The transient failure queued it again; the next two workers race for the retry.
    run_at_once(lambda: deliver_message(message.pk))
    message.refresh_from_db()
    reminder_mails = [m for m in mail.outbox if m.to == ["patron@example.org"]]
    assert (message.state, len(reminder_mails), message.attempts) == ("sent", 1, 2)
    assert [name for name, _content, _type in reminder_mails[0].attachments] == ["appointment.ics"]
