import threading
from datetime import UTC, datetime, time

import pytest
from django.db import connection

from jobhelp.core.models import AuditEntry
from jobhelp.intake.enums import RequestState
from jobhelp.intake.models import HelpRequest
from jobhelp.scheduling.domain import (
    BookingError,
    SlotTaken,
    book_appointment,
    cancel_appointment,
    reschedule_appointment,
)
from jobhelp.scheduling.enums import AppointmentState
from jobhelp.scheduling.models import Appointment
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import AppointmentTypeFactory, every_day
from tests.scheduling.times import local

NOW = local(2026, 3, 1, 12)


@pytest.fixture
def booked(library, hana, central, phone_help, front_desk):
    every_day(hana, central, time(9), time(12))

    def booked(starts, appointment_type=phone_help):
        return book_appointment(
            request=HelpRequestFactory(
                organization=library, state=RequestState.ASSIGNED, assigned_to=hana
            ),
            helper=hana,
            location=central,
            appointment_type=appointment_type,
            starts=starts,
            by=front_desk,
            now=NOW,
        )

    return booked


def states():
    return list(Appointment.objects.order_by("pk").values_list("starts", "state"))


def actions():
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def test_rescheduling_moves_the_appointment(booked, front_desk, library):
    old = booked(local(2026, 3, 2, 10))

    new = reschedule_appointment(
        old, starts=local(2026, 3, 3, 9, 30), by=front_desk, idempotency_key="r-1", now=NOW
    )

    assert (new.request, new.helper, new.location, new.appointment_type) == (
        old.request,
        old.helper,
        old.location,
        old.appointment_type,
    )
    assert states() == [
        (datetime(2026, 3, 2, 16, tzinfo=UTC), AppointmentState.CANCELLED),
        (datetime(2026, 3, 3, 15, 30, tzinfo=UTC), AppointmentState.BOOKED),
    ]
    assert HelpRequest.objects.get(pk=old.request_id).state == RequestState.SCHEDULED
    entry = AuditEntry.objects.get(action="jobhelp.appointment.rescheduled")
    assert (entry.actor, entry.organization, entry.object_id, entry.data) == (
        front_desk,
        library,
        str(new.pk),
        {"replaces": old.pk, "was": "2026-03-02T16:00Z", "starts": "2026-03-03T15:30Z"},
    )
    assert actions()[-1:] == ["jobhelp.appointment.rescheduled"]


def test_an_appointment_may_move_into_its_own_blocked_time(booked, front_desk, library):
    # 10:00-10:30 plus 15 minutes after blocks until 10:45: 10:30 is free only if the
    # appointment being moved does not count.
    padded = AppointmentTypeFactory(organization=library, padding_after=15)
    old = booked(local(2026, 3, 2, 10), appointment_type=padded)

    new = reschedule_appointment(old, starts=local(2026, 3, 2, 10, 30), by=front_desk, now=NOW)

    assert (new.starts, new.blocked_until) == (local(2026, 3, 2, 10, 30), local(2026, 3, 2, 11, 15))
    assert Appointment.objects.get(pk=old.pk).state == AppointmentState.CANCELLED


def test_the_same_key_reschedules_once(booked, front_desk):
    old = booked(local(2026, 3, 2, 10))
    arguments = {"starts": local(2026, 3, 3, 9), "by": front_desk, "now": NOW}

    first = reschedule_appointment(old, idempotency_key="r-1", **arguments)
    again = reschedule_appointment(old, idempotency_key="r-1", **arguments)

    assert again.pk == first.pk
    assert Appointment.objects.count() == 2
    assert actions().count("jobhelp.appointment.rescheduled") == 1


def test_rescheduling_into_a_taken_time_keeps_the_old_one(booked, front_desk):
    old = booked(local(2026, 3, 2, 10))
    booked(local(2026, 3, 2, 11))
    before = (states(), actions())

    with pytest.raises(SlotTaken) as caught:
        reschedule_appointment(old, starts=local(2026, 3, 2, 11), by=front_desk, now=NOW)

    assert str(caught.value) == "That time was just taken. Please choose another time."
    assert (states(), actions()) == before


@pytest.mark.parametrize(
    ("starts", "message"),
    [
        (local(2026, 3, 1, 10), "That time has already passed."),
        (
            local(2026, 3, 2, 13),
            "Hana is not available at that time. Please choose one of the times offered.",
        ),
    ],
)
def test_rescheduling_makes_the_same_checks(booked, front_desk, starts, message):
    old = booked(local(2026, 3, 2, 10))
    before = (states(), actions())

    with pytest.raises(BookingError) as caught:
        reschedule_appointment(old, starts=starts, by=front_desk, now=NOW)

    assert str(caught.value) == message
    assert (states(), actions()) == before


def test_a_cancelled_appointment_cannot_be_rescheduled(booked, front_desk, helper):
    old = booked(local(2026, 3, 2, 10))
    with pytest.raises(BookingError) as caught:
        reschedule_appointment(old, starts=local(2026, 3, 3, 9), by=helper, now=NOW)
    assert str(caught.value) == (
        "Only the person helping, front desk staff and managers can book or change appointments."
    )

    cancel_appointment(old, by=front_desk)
    before = (states(), actions())
    with pytest.raises(BookingError) as caught:
        reschedule_appointment(old, starts=local(2026, 3, 3, 9), by=front_desk, now=NOW)

    assert str(caught.value) == "This appointment is no longer booked, so it cannot be rescheduled."
    assert (states(), actions()) == before


@pytest.mark.django_db(transaction=True)
def test_two_reschedules_into_one_free_time_exactly_one_wins(booked, front_desk):
    first = booked(local(2026, 3, 2, 9))
    second = booked(local(2026, 3, 2, 9, 30))
    target = local(2026, 3, 2, 11)
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def press(index: int, appointment) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = reschedule_appointment(
                appointment, starts=target, by=front_desk, now=NOW
            )
        except Exception as error:  # handed to the test thread to assert on
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=press, args=(index, appointment))
        for index, appointment in enumerate([first, second])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(type(r).__name__ for r in results) == ["Appointment", "SlotTaken"]
    winner = next(r for r in results if isinstance(r, Appointment))
    loser = first if winner.request_id == second.request_id else second
    assert list(
        Appointment.objects.filter(state=AppointmentState.BOOKED)
        .order_by("starts")
        .values_list("pk", "starts")
    ) == sorted([(loser.pk, loser.starts), (winner.pk, target)], key=lambda row: row[1])
    assert AuditEntry.objects.filter(action="jobhelp.appointment.rescheduled").count() == 1
