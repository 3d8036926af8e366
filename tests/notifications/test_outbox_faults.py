"""The outbox under faults: a worker killed between claiming a message and sending it, and a
mail server that fails one time in ten while a thousand reminders are due. Each message is sent
once: never lost, never twice."""

import os
import random
import signal
import smtplib
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from jobhelp.intake.enums import RequestState
from jobhelp.intake.models import HelpRequest
from jobhelp.notifications.domain import STALE_CLAIM, deliver_message, due_messages
from jobhelp.notifications.enums import MessageState
from jobhelp.notifications.models import OutboundMessage
from jobhelp.notifications.outbox import queue_message
from jobhelp.scheduling.models import Appointment
from jobhelp.scheduling.reminders import send_due_reminders
from tests.factories.accounts import UserFactory
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import AppointmentFactory, AppointmentTypeFactory

ROOT = Path(__file__).resolve().parents[2]

# A worker that claims the message, says so, and hangs before sending, until it is killed.
WORKER = """
import sys, time
import django
django.setup()
from jobhelp.notifications import domain

def hang(message):
    print("claimed", message.pk, flush=True)
    time.sleep(600)

domain._send = hang
domain.deliver_message(int(sys.argv[1]))
"""


def _database_url() -> str:
    """The test database, as the worker in another process reaches it."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT']}/{settings['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_after_claiming_leaves_the_message_to_be_sent_once_after_the_lease(
    library,
):
    help_request = HelpRequestFactory(organization=library, email="rosa@example.com")
    message = queue_message(
        to="rosa@example.com",
        template="request_received",
        context={"request": help_request, "needs": ["Resumé"]},
        language="en",
        organization=library,
        related=help_request,
    )
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "jobhelp.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "MAIL_BACKEND": "locmem",
    }
    worker = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
        [sys.executable, "-c", WORKER, str(message.pk)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout.readline().split() == ["claimed", str(message.pk)]
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert worker.returncode == -signal.SIGKILL

    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.SENDING, 1)
    # While the dead worker's lease lasts, nobody takes the message: it might still be sending.
    assert list(due_messages()) == []
    assert deliver_message(message.pk) is None

    after_lease = timezone.now() + STALE_CLAIM + timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=after_lease):
        assert list(due_messages()) == [message.pk]
        assert deliver_message(message.pk) == MessageState.SENT
        assert deliver_message(message.pk) is None
        assert list(due_messages()) == []

    assert [m.to for m in mail.outbox] == [["rosa@example.com"]]
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.SENT, 2)


class OneInTenFails(EmailBackend):
    """A mail server that drops the connection on one message in ten, at random."""

    rng = random.Random(18)
    failures = 0

    def send_messages(self, messages):
        if OneInTenFails.rng.random() < 0.1:
            OneInTenFails.failures += 1
            raise smtplib.SMTPServerDisconnected("connection dropped")
        return super().send_messages(messages)


REMINDERS = 1000


HELPERS = 50
# Each helper's appointments this far apart, so that none overlaps another of the same helper.
SPACING = timedelta(minutes=40)


def _thousand_appointments(library, central, starts):
    """1,000 patrons with an appointment each: 50 helpers, 20 appointments each, all within
    fourteen hours, so that one moment has every 24-hour reminder due."""
    helpers = UserFactory.create_batch(HELPERS)
    appointment_type = AppointmentTypeFactory(organization=library, reminders=[1440])
    requests = HelpRequest.objects.bulk_create(
        HelpRequest(
            organization=library,
            reference=f"F{n:05d}",
            name=f"Patron {n}",
            email=f"patron{n}@example.org",
            preferred_contact="email",
            language="en",
            modality="phone",
            channel="web",
            state=RequestState.SCHEDULED,
            assigned_to=helpers[n % HELPERS],
            consent_at=timezone.now(),
        )
        for n in range(REMINDERS)
    )
    Appointment.objects.bulk_create(
        AppointmentFactory.build(
            request=help_request,
            helper=helpers[n % HELPERS],
            location=central,
            appointment_type=appointment_type,
            starts=starts + (n // HELPERS) * SPACING,
        )
        for n, help_request in enumerate(requests)
    )


@pytest.mark.django_db
def test_a_thousand_reminders_with_the_mail_server_failing_one_time_in_ten_are_each_sent_once(
    settings, library, central
):
    settings.MAILERS = {
        "default": {"BACKEND": "tests.notifications.test_outbox_faults.OneInTenFails"}
    }
    OneInTenFails.rng, OneInTenFails.failures = random.Random(18), 0
    starts = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    _thousand_appointments(library, central, starts)
    # Past the last one's 24-hour mark, before the first one starts: every reminder is due.
    last = starts + (REMINDERS // HELPERS - 1) * SPACING
    clock = [last - timedelta(hours=24) + timedelta(minutes=1)]
    assert clock[0] < starts

    with mock.patch("django.utils.timezone.now", side_effect=lambda: clock[0]):
        queued = send_due_reminders(now=clock[0])
        rounds = 0
        while due := list(due_messages(now=clock[0])):
            rounds += 1
            for message_id in due:
                deliver_message(message_id)
            # The scheduler runs again meanwhile; the dedupe keys store nothing new.
            assert send_due_reminders(now=clock[0]) == 0
            # Past the longest wait before a retry (OUTBOX_RETRY_DELAYS).
            clock[0] += timedelta(seconds=max(settings.OUTBOX_RETRY_DELAYS) + 60)
            assert rounds <= len(settings.OUTBOX_RETRY_DELAYS) + 1

    recipients = [m.to[0] for m in mail.outbox]
    assert queued == REMINDERS
    assert len(recipients) == len(set(recipients)) == REMINDERS
    assert set(
        OutboundMessage.objects.filter(template="appointment_reminder").values_list(
            "state", flat=True
        )
    ) == {MessageState.SENT}
    # The flaky server really did fail, about one time in ten (of roughly 1,100 tries).
    assert 60 <= OneInTenFails.failures <= 160
