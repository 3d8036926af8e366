"""Class reminders: a day ahead on the wall clock and two hours ahead, each sent once."""

from datetime import timedelta

import pytest

from jobhelp.notifications.models import OutboundMessage
from jobhelp.workshops.domain import Registrant, cancel_registration, register
from jobhelp.workshops.reminders import send_due_class_reminders
from jobhelp.workshops.sessions import change_session
from tests.factories.workshops import WorkshopFactory, WorkshopSessionFactory
from tests.scheduling.times import local

REGISTERED_AT = local(2026, 3, 1, 9)


@pytest.fixture
def session(library):
    return WorkshopSessionFactory(
        workshop=WorkshopFactory(organization=library),
        # The Monday after the spring clock change: the day-ahead reminder is 23 hours ahead.
        starts=local(2026, 3, 9, 10),
        ends=local(2026, 3, 9, 11),
    )


def reminders() -> list[str]:
    return list(
        OutboundMessage.objects.filter(template="workshop_reminder")
        .order_by("pk")
        .values_list("dedupe_key", flat=True)
    )


def sign_up(session, **fields):
    values = {"name": "Ana Ruiz", "email": "ana@example.org", "language": "es", **fields}
    return register(session, registrant=Registrant(**values), now=REGISTERED_AT).registration


def test_registrants_are_reminded_a_day_and_two_hours_before_once_each(session):
    ana = sign_up(session)
    assert send_due_class_reminders(now=local(2026, 3, 8, 9, 59)) == 0
    assert send_due_class_reminders(now=local(2026, 3, 8, 10)) == 1
    assert send_due_class_reminders(now=local(2026, 3, 8, 10, 1)) == 0
    assert send_due_class_reminders(now=local(2026, 3, 9, 8)) == 1
    assert send_due_class_reminders(now=local(2026, 3, 9, 8, 30)) == 0
    assert reminders() == [f"class-reminder:{ana.pk}:0:1440", f"class-reminder:{ana.pk}:0:120"]
    message = OutboundMessage.objects.filter(template="workshop_reminder").first()
    assert (message.language, message.attachment_name) == ("es", "class.ics")
    assert "https://meet.example.org/interview-tips" in message.body


def test_people_waiting_cancelled_or_without_email_are_not_reminded(session):
    session.capacity = 1
    session.save()
    sign_up(session, phone="+16125550100", email="")
    sign_up(session, name="Bo", email="bo@example.org")
    gone = sign_up(session, name="Cy", email="cy@example.org")
    cancel_registration(gone, now=REGISTERED_AT)
    assert send_due_class_reminders(now=local(2026, 3, 8, 10)) == 0


def test_a_moved_session_is_reminded_again(session, library, front_desk, monkeypatch):
    ana = sign_up(session)
    send_due_class_reminders(now=local(2026, 3, 8, 10))
    monkeypatch.setattr("django.utils.timezone.now", lambda: local(2026, 3, 8, 11))
    change_session(session, by=front_desk, starts=local(2026, 3, 10, 10))
    send_due_class_reminders(now=local(2026, 3, 9, 10))
    assert reminders() == [f"class-reminder:{ana.pk}:0:1440", f"class-reminder:{ana.pk}:1:1440"]


def test_past_sessions_are_not_reminded(session):
    sign_up(session)
    assert send_due_class_reminders(now=session.starts + timedelta(minutes=1)) == 0
