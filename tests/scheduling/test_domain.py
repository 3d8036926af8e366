from datetime import UTC, datetime, time

import pytest

from jobhelp.accounts.enums import Role
from jobhelp.core.models import AuditEntry
from jobhelp.intake.enums import RequestState
from jobhelp.scheduling.domain import (
    BookingError,
    SlotTaken,
    book_appointment,
    cancel_appointment,
)
from jobhelp.scheduling.enums import AppointmentState
from jobhelp.scheduling.models import Appointment
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.scheduling import AppointmentTypeFactory, WeeklyHoursFactory, every_day
from tests.scheduling.times import local

NOW = local(2026, 3, 1, 12)


@pytest.fixture
def hours(hana, central):
    every_day(hana, central, time(9), time(12))


@pytest.fixture
def book(hana, central, phone_help, front_desk, library, hours):
    def book(starts, **overrides):
        arguments = {
            "request": HelpRequestFactory(
                organization=library, state=RequestState.ASSIGNED, assigned_to=hana
            ),
            "helper": hana,
            "location": central,
            "appointment_type": phone_help,
            "starts": starts,
            "by": front_desk,
            "idempotency_key": None,
            "now": NOW,
            **overrides,
        }
        return book_appointment(**arguments)

    return book


def appointment_actions():
    return list(
        AuditEntry.objects.filter(action__startswith="jobhelp.appointment.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_booking_an_offered_slot(book, hana, central, phone_help, front_desk, library):
    appointment = book(local(2026, 3, 2, 10))

    stored = Appointment.objects.get()
    assert stored == appointment
    assert (stored.starts, stored.ends, stored.state, stored.helper, stored.location) == (
        datetime(2026, 3, 2, 16, tzinfo=UTC),
        datetime(2026, 3, 2, 16, 30, tzinfo=UTC),
        AppointmentState.BOOKED,
        hana,
        central,
    )
    entry = AuditEntry.objects.get(action="jobhelp.appointment.booked")
    assert (entry.actor, entry.organization, entry.data) == (
        front_desk,
        library,
        {
            "helper": hana.pk,
            "location": central.pk,
            "type": phone_help.pk,
            "request": stored.request_id,
            "starts": "2026-03-02T16:00Z",
        },
    )


def test_the_same_key_books_once(book):
    first = book(local(2026, 3, 2, 10), idempotency_key="form-1")
    again = book(local(2026, 3, 2, 10), idempotency_key="form-1")

    assert again.pk == first.pk
    assert Appointment.objects.count() == 1
    assert appointment_actions() == ["jobhelp.appointment.booked"]


def test_an_overlong_key_is_refused(book):
    with pytest.raises(BookingError) as caught:
        book(local(2026, 3, 2, 10), idempotency_key="k" * 65)

    assert str(caught.value) == "This form is out of date. Please reload the page and try again."
    assert Appointment.objects.count() == 0


def test_a_taken_slot_offers_the_next_free_times(book):
    book(local(2026, 3, 2, 10))

    with pytest.raises(SlotTaken) as caught:
        book(local(2026, 3, 2, 10))

    assert str(caught.value) == "That time was just taken. Please choose another time."
    assert caught.value.next_starts == [
        local(2026, 3, 2, 9),
        local(2026, 3, 2, 9, 30),
        local(2026, 3, 2, 10, 30),
    ]
    assert Appointment.objects.count() == 1


def test_padding_makes_a_neighbouring_slot_taken(book, library):
    padded = AppointmentTypeFactory(organization=library, padding_after=15)
    book(local(2026, 3, 2, 10), appointment_type=padded)

    with pytest.raises(SlotTaken):
        book(local(2026, 3, 2, 10, 30))


def test_the_first_occurrence_of_a_repeated_time_can_be_booked(book, hana, central):
    WeeklyHoursFactory(helper=hana, location=central, weekday=6, starts=time(0), ends=time(3))

    appointment = book(local(2026, 11, 1, 1, 30, fold=0), now=local(2026, 10, 31, 12))

    assert appointment.starts == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    with pytest.raises(BookingError) as caught:
        book(local(2026, 11, 1, 1, 30, fold=1), now=local(2026, 10, 31, 12))
    assert str(caught.value) == (
        "Hana is not available at that time. Please choose one of the times offered."
    )
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    ("starts", "message"),
    [
        (local(2026, 3, 1, 10), "That time has already passed."),
        (
            local(2026, 3, 2, 13),
            "Hana is not available at that time. Please choose one of the times offered.",
        ),
        (
            # Inside the hours, but not one of the times offered (9:00, 9:30, 10:00 ...).
            local(2026, 3, 2, 10, 10),
            "Hana is not available at that time. Please choose one of the times offered.",
        ),
        (local(2026, 3, 8, 2, 30), "That time does not exist on the clock that day."),
        (datetime(2026, 3, 2, 10), "The time must include its time zone."),
        (local(2026, 4, 2, 10), "This kind of appointment can be booked at most 28 days ahead."),
    ],
)
def test_bad_times_are_refused_and_nothing_is_written(book, hana, central, starts, message):
    WeeklyHoursFactory(helper=hana, location=central, weekday=6, starts=time(1), ends=time(5))
    with pytest.raises(BookingError) as caught:
        book(starts)

    assert str(caught.value) == message
    assert Appointment.objects.count() == 0
    assert appointment_actions() == []


def test_minimum_notice_is_enforced(book, library):
    next_day_only = AppointmentTypeFactory(organization=library, min_notice=24 * 60)

    with pytest.raises(BookingError) as caught:
        book(local(2026, 3, 2, 9), appointment_type=next_day_only, now=local(2026, 3, 1, 10))

    assert str(caught.value) == "This kind of appointment needs at least 1440 minutes’ notice."
    assert appointment_actions() == []
    assert Appointment.objects.count() == 0


def test_a_helper_of_another_organization_is_refused(book, other_library, central):
    stranger = staff_member(other_library, Role.HELPER, first_name="Olu", last_name="Ade")
    every_day(stranger, central, time(9), time(12))

    with pytest.raises(BookingError) as caught:
        book(local(2026, 3, 2, 10), helper=stranger)

    assert str(caught.value) == "Olu Ade does not help at Central Library."
    assert Appointment.objects.count() == 0
    assert appointment_actions() == []


def test_front_desk_staff_cannot_be_booked_as_helpers(book, front_desk):
    with pytest.raises(BookingError) as caught:
        book(local(2026, 3, 2, 10), helper=front_desk)

    assert str(caught.value) == f"{front_desk} does not help at Central Library."


def test_another_organizations_request_or_type_is_refused(book, other_library, hana):
    with pytest.raises(BookingError) as caught:
        book(local(2026, 3, 2, 10), request=HelpRequestFactory(organization=other_library))
    assert str(caught.value) == (
        "Only the person helping, front desk staff and managers can book or change appointments."
    )

    # Even the person the request is with cannot book a helper of another organization for it.
    foreign = HelpRequestFactory(
        organization=other_library, state=RequestState.ASSIGNED, assigned_to=hana
    )
    with pytest.raises(BookingError) as caught:
        book(local(2026, 3, 2, 10), request=foreign, by=hana)
    assert str(caught.value) == "This request belongs to another organization."

    with pytest.raises(BookingError) as caught:
        book(
            local(2026, 3, 2, 10),
            appointment_type=AppointmentTypeFactory(organization=other_library),
        )
    assert str(caught.value) == "This kind of appointment is not offered at Central Library."
    assert Appointment.objects.count() == 0
    assert appointment_actions() == []


def test_cancelling_gives_the_time_back(book, front_desk):
    appointment = book(local(2026, 3, 2, 10))

    cancelled = cancel_appointment(appointment, by=front_desk, late=True)

    assert cancelled.state == AppointmentState.CANCELLED_LATE
    entry = AuditEntry.objects.get(action="jobhelp.appointment.cancelled")
    assert (entry.actor, entry.data) == (front_desk, {"late": True, "state": "cancelled_late"})
    assert book(local(2026, 3, 2, 10)).state == AppointmentState.BOOKED
    with pytest.raises(BookingError) as caught:
        cancel_appointment(appointment, by=front_desk)
    assert str(caught.value) == "This appointment is no longer booked, so it cannot be cancelled."
    assert appointment_actions() == [
        "jobhelp.appointment.booked",
        "jobhelp.appointment.cancelled",
        "jobhelp.appointment.booked",
    ]
