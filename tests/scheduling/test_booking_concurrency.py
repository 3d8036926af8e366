import threading
from datetime import time, timedelta

import pytest
from django.db import connection

from jobhelp.core.models import AuditEntry
from jobhelp.intake.enums import RequestState
from jobhelp.scheduling.domain import SlotTaken, book_appointment, cancel_appointment
from jobhelp.scheduling.enums import AppointmentState
from jobhelp.scheduling.models import Appointment
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import every_day
from tests.scheduling.times import local

THREADS = 20
ROUNDS = 20
NOW = local(2026, 3, 1, 12)


def book_at_once(requests: list, *, starts, keys=None, **arguments) -> list:
    """Everyone presses "book" for the same time at the same moment. Returns, per thread,
    the appointment or the exception raised."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def press(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = book_appointment(
                request=requests[index],
                starts=starts,
                idempotency_key=keys[index] if keys else None,
                now=NOW,
                **arguments,
            )
        except Exception as error:  # handed to the test thread to assert on
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(index,)) for index in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [thread.is_alive() for thread in threads] == [False] * len(threads)
    return results


@pytest.mark.django_db(transaction=True)
def test_twenty_people_booking_one_time_exactly_one_wins(
    library, central, hana, phone_help, front_desk
):
    every_day(hana, central, time(9), time(20))
    arguments = {
        "helper": hana,
        "location": central,
        "appointment_type": phone_help,
        "by": front_desk,
    }

    for round_ in range(ROUNDS):
        starts = local(2026, 3, 2, 9) + timedelta(minutes=30 * round_)
        requests = [
            HelpRequestFactory(organization=library, state=RequestState.ASSIGNED, assigned_to=hana)
            for _ in range(THREADS)
        ]

        results = book_at_once(requests, starts=starts, **arguments)

        winners = [r for r in results if isinstance(r, Appointment)]
        losers = [r for r in results if not isinstance(r, Appointment)]
        assert (len(winners), {type(r) for r in losers}, len(losers)) == (
            1,
            {SlotTaken},
            THREADS - 1,
        )
        assert list(Appointment.objects.filter(starts=starts).values_list("request", "state")) == [
            (winners[0].request_id, AppointmentState.BOOKED)
        ]
        assert starts not in losers[0].next_starts

    assert Appointment.objects.count() == ROUNDS


@pytest.mark.django_db(transaction=True)
def test_ten_identical_submits_make_one_appointment(library, central, hana, phone_help, front_desk):
    every_day(hana, central, time(9), time(12))
    request = HelpRequestFactory(
        organization=library, state=RequestState.ASSIGNED, assigned_to=hana
    )

    results = book_at_once(
        [request] * 10,
        starts=local(2026, 3, 2, 10),
        keys=["same-form"] * 10,
        helper=hana,
        location=central,
        appointment_type=phone_help,
        by=front_desk,
    )

    stored = Appointment.objects.get()
    assert [getattr(r, "pk", r) for r in results] == [stored.pk] * 10


@pytest.mark.django_db(transaction=True)
def test_ten_people_cancelling_at_once_cancel_once(library, central, hana, phone_help, front_desk):
    every_day(hana, central, time(9), time(12))
    appointment = book_appointment(
        request=HelpRequestFactory(
            organization=library, state=RequestState.ASSIGNED, assigned_to=hana
        ),
        helper=hana,
        location=central,
        appointment_type=phone_help,
        starts=local(2026, 3, 2, 10),
        by=front_desk,
        now=NOW,
    )
    barrier = threading.Barrier(10)
    results: list = [None] * 10

    def press(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = cancel_appointment(appointment, by=front_desk)
        except Exception as error:  # handed to the test thread to assert on
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(index,)) for index in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(type(r).__name__ for r in results) == ["Appointment"] + ["BookingError"] * 9
    assert AuditEntry.objects.filter(action="jobhelp.appointment.cancelled").count() == 1
    assert Appointment.objects.get().state == AppointmentState.CANCELLED


@pytest.mark.django_db(transaction=True)
def test_booking_and_cancelling_the_same_time_at_once_stay_consistent(
    library, central, hana, phone_help, front_desk
):
    """One person cancels a booked time while another books it: whichever goes first, at the
    end there is never more than one booked appointment at that time, the booking either
    succeeded or was told the time was taken, and each request's state matches."""
    every_day(hana, central, time(9), time(17))
    for round_ in range(10):
        starts = local(2026, 3, 2, 9) + timedelta(minutes=30 * round_)
        first = book_appointment(
            request=HelpRequestFactory(
                organization=library, state=RequestState.ASSIGNED, assigned_to=hana
            ),
            helper=hana,
            location=central,
            appointment_type=phone_help,
            starts=starts,
            by=front_desk,
            now=NOW,
        )
        second_request = HelpRequestFactory(
            organization=library, state=RequestState.ASSIGNED, assigned_to=hana
        )
        barrier = threading.Barrier(2)
        results: list = [None, None]

        def cancel(first=first, barrier=barrier, results=results) -> None:
            try:
                barrier.wait(timeout=10)
                results[0] = cancel_appointment(first, by=front_desk)
            except Exception as error:  # handed to the test thread to assert on
                results[0] = error
            finally:
                connection.close()

        def book(
            second_request=second_request, starts=starts, barrier=barrier, results=results
        ) -> None:
            try:
                barrier.wait(timeout=10)
                results[1] = book_appointment(
                    request=second_request,
                    helper=hana,
                    location=central,
                    appointment_type=phone_help,
                    starts=starts,
                    by=front_desk,
                    now=NOW,
                )
            except Exception as error:  # handed to the test thread to assert on
                results[1] = error
            finally:
                connection.close()

        threads = [threading.Thread(target=cancel), threading.Thread(target=book)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert isinstance(results[0], Appointment)
        assert isinstance(results[1], Appointment | SlotTaken)
        booked = list(
            Appointment.objects.filter(starts=starts, state=AppointmentState.BOOKED).values_list(
                "request_id", flat=True
            )
        )
        second_request.refresh_from_db()
        first.request.refresh_from_db()
        if isinstance(results[1], Appointment):
            assert (booked, second_request.state) == ([second_request.pk], RequestState.SCHEDULED)
        else:
            assert (booked, second_request.state) == ([], RequestState.ASSIGNED)
        assert first.request.state == RequestState.IN_PROGRESS
