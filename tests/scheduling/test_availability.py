from datetime import UTC, date, datetime, time

from jobhelp.scheduling.availability import free_intervals, slots, working_intervals
from jobhelp.scheduling.enums import AppointmentState, ExceptionKind
from jobhelp.scheduling.models import AvailabilityException, Closure
from tests.factories.organizations import LocationFactory
from tests.factories.scheduling import (
    AppointmentFactory,
    AppointmentTypeFactory,
    WeeklyHoursFactory,
    every_day,
)
from tests.scheduling.times import CHICAGO, local

MONDAY = date(2026, 3, 2)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def in_chicago(intervals):
    return [(s.astimezone(CHICAGO), e.astimezone(CHICAGO)) for s, e in intervals]


def test_weekly_hours_stay_at_nine_local_across_the_spring_change(hana, central):
    every_day(hana, central, time(9), time(12))

    free = free_intervals(hana, central, date(2026, 3, 6), date(2026, 3, 9))

    assert free == [
        (utc(2026, 3, 6, 15), utc(2026, 3, 6, 18)),  # CST, UTC-6
        (utc(2026, 3, 7, 15), utc(2026, 3, 7, 18)),
        (utc(2026, 3, 8, 14), utc(2026, 3, 8, 17)),  # CDT, UTC-5
        (utc(2026, 3, 9, 14), utc(2026, 3, 9, 17)),
    ]
    assert [(s.time(), e.time()) for s, e in in_chicago(free)] == [(time(9), time(12))] * 4


def test_weekly_hours_stay_at_nine_local_across_the_autumn_change(hana, central):
    every_day(hana, central, time(9), time(12))

    free = free_intervals(hana, central, date(2026, 10, 30), date(2026, 11, 2))

    assert free == [
        (utc(2026, 10, 30, 14), utc(2026, 10, 30, 17)),  # CDT
        (utc(2026, 10, 31, 14), utc(2026, 10, 31, 17)),
        (utc(2026, 11, 1, 15), utc(2026, 11, 1, 18)),  # CST
        (utc(2026, 11, 2, 15), utc(2026, 11, 2, 18)),
    ]
    assert [(s.time(), e.time()) for s, e in in_chicago(free)] == [(time(9), time(12))] * 4


def test_no_slot_at_a_time_that_does_not_exist(hana, central, phone_help):
    # Sunday 2026-03-08: the clocks jump from 2:00 to 3:00.
    WeeklyHoursFactory(helper=hana, location=central, weekday=6, starts=time(1), ends=time(5))

    found = slots(hana, central, phone_help, now=local(2026, 3, 7, 12), days=2)

    assert [s.astimezone(CHICAGO).strftime("%H:%M %Z") for s in found] == [
        "01:00 CST",
        "01:30 CST",
        "03:00 CDT",
        "03:30 CDT",
        "04:00 CDT",
        "04:30 CDT",
    ]
    assert found[2] - found[1] == found[1] - found[0]  # no hole in real time


def test_a_repeated_hour_is_offered_once_at_its_first_occurrence(hana, central, phone_help):
    # Sunday 2026-11-01: the clocks go back from 2:00 to 1:00, so 1:00 to 1:59 happen twice.
    # Slots are stepped on the wall clock and read with fold=0: 1:30 is offered once, in
    # daylight time, and the second 1:00 to 2:00 (standard time) is not offered.
    WeeklyHoursFactory(helper=hana, location=central, weekday=6, starts=time(0), ends=time(3))

    found = slots(hana, central, phone_help, now=local(2026, 10, 31, 12), days=2)

    assert [s.astimezone(CHICAGO).strftime("%H:%M %Z") for s in found] == [
        "00:00 CDT",
        "00:30 CDT",
        "01:00 CDT",
        "01:30 CDT",
        "02:00 CST",
        "02:30 CST",
    ]
    # An ambiguous local datetime never equals one in another zone (PEP 495): compare in UTC.
    assert local(2026, 11, 1, 1, 30, fold=0).astimezone(UTC) in found
    assert local(2026, 11, 1, 1, 30, fold=1).astimezone(UTC) not in found


def test_time_off_extra_hours_and_closures(hana, central):
    WeeklyHoursFactory(helper=hana, location=central, weekday=0, starts=time(9), ends=time(12))
    WeeklyHoursFactory(helper=hana, location=central, weekday=0, starts=time(13), ends=time(17))
    AvailabilityException.objects.create(
        helper=hana,
        location=central,
        date=MONDAY,
        starts=time(10),
        ends=time(11),
        kind=ExceptionKind.TIME_OFF,
    )
    AvailabilityException.objects.create(
        helper=hana,
        location=central,
        date=MONDAY,
        starts=time(17),
        ends=time(19),
        kind=ExceptionKind.EXTRA,
    )
    Closure.objects.create(
        location=central,
        starts=local(2026, 3, 2, 14),
        ends=local(2026, 3, 2, 15, 30),
        reason=Closure.Reason.WEATHER,
    )
    # Another location's closure changes nothing here.
    Closure.objects.create(
        location=LocationFactory(organization=central.organization),
        starts=local(2026, 3, 2, 9),
        ends=local(2026, 3, 2, 12),
        reason=Closure.Reason.WEATHER,
    )

    assert in_chicago(working_intervals(hana, central, MONDAY, MONDAY)) == [
        (local(2026, 3, 2, 9), local(2026, 3, 2, 10)),
        (local(2026, 3, 2, 11), local(2026, 3, 2, 12)),
        (local(2026, 3, 2, 13), local(2026, 3, 2, 14)),
        (local(2026, 3, 2, 15, 30), local(2026, 3, 2, 19)),
    ]


def test_a_whole_day_off_anywhere_removes_the_day(hana, central):
    every_day(hana, central, time(9), time(12))
    AvailabilityException.objects.create(
        helper=hana, location=None, date=MONDAY, kind=ExceptionKind.TIME_OFF
    )

    assert in_chicago(free_intervals(hana, central, MONDAY, date(2026, 3, 3))) == [
        (local(2026, 3, 3, 9), local(2026, 3, 3, 12)),
    ]


def test_booked_appointments_with_padding_are_taken_off(hana, central, library):
    WeeklyHoursFactory(helper=hana, location=central, weekday=0, starts=time(9), ends=time(12))
    padded = AppointmentTypeFactory(organization=library, padding_before=10, padding_after=15)
    AppointmentFactory(
        helper=hana, location=central, appointment_type=padded, starts=local(2026, 3, 2, 10)
    )
    # At another location: Hana cannot be in two places.
    AppointmentFactory(
        helper=hana,
        location=LocationFactory(organization=library),
        appointment_type=AppointmentTypeFactory(organization=library),
        starts=local(2026, 3, 2, 11, 30),
    )
    # Cancelled: gives the time back.
    AppointmentFactory(
        helper=hana,
        location=central,
        appointment_type=padded,
        starts=local(2026, 3, 2, 9),
        state=AppointmentState.CANCELLED,
    )

    assert in_chicago(free_intervals(hana, central, MONDAY, MONDAY)) == [
        (local(2026, 3, 2, 9), local(2026, 3, 2, 9, 50)),
        (local(2026, 3, 2, 10, 45), local(2026, 3, 2, 11, 30)),
    ]


def test_a_new_slot_keeps_its_own_padding_clear(hana, central, library):
    WeeklyHoursFactory(helper=hana, location=central, weekday=0, starts=time(9), ends=time(12))
    AppointmentFactory(
        helper=hana,
        location=central,
        appointment_type=AppointmentTypeFactory(organization=library),
        starts=local(2026, 3, 2, 10),
    )
    padded = AppointmentTypeFactory(organization=library, padding_before=10, padding_after=10)

    found = slots(hana, central, padded, now=local(2026, 3, 1, 12), days=2)

    assert found == [local(2026, 3, 2, 9), local(2026, 3, 2, 10, 40), local(2026, 3, 2, 11, 10)]


def test_minimum_notice_and_booking_window(hana, central, library):
    every_day(hana, central, time(9), time(12))
    hourly = AppointmentTypeFactory(
        organization=library, duration=60, min_notice=60, booking_window=2
    )
    now = local(2026, 3, 2, 9, 20)

    found = slots(hana, central, hourly, now=now, days=7)

    assert found == [
        local(2026, 3, 2, 10, 20),
        local(2026, 3, 3, 9),
        local(2026, 3, 3, 10),
        local(2026, 3, 3, 11),
        local(2026, 3, 4, 9),
        local(2026, 3, 4, 10),
        local(2026, 3, 4, 11),
    ]
    assert slots(hana, central, hourly, now=now, days=1) == [local(2026, 3, 2, 10, 20)]


def test_slot_search_takes_a_fixed_number_of_queries(
    hana, central, phone_help, django_assert_num_queries
):
    every_day(hana, central, time(9), time(12))
    for day in (2, 3, 4):
        AppointmentFactory(
            helper=hana,
            location=central,
            appointment_type=phone_help,
            starts=local(2026, 3, day, 10),
        )

    with django_assert_num_queries(4):
        found = slots(hana, central, phone_help, now=local(2026, 3, 1, 12), days=28)

    # 2026-03-01 is over by noon; 27 more days of six slots, less the three booked.
    assert len(found) == 27 * 6 - 3
