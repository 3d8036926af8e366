"""Scheduling sessions (recurrence in the location's zone), changing them, attendance."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from jobhelp.workshops.attendance import mark_attendance
from jobhelp.workshops.domain import Registrant, register
from jobhelp.workshops.enums import Recurrence, RegistrationState
from jobhelp.workshops.models import Registration
from jobhelp.workshops.seats import WorkshopError
from jobhelp.workshops.sessions import change_session, schedule_sessions, session_dates
from tests.factories.organizations import LocationFactory
from tests.factories.workshops import WorkshopFactory, WorkshopSessionFactory
from tests.scheduling.times import CHICAGO

BEFORE = datetime(2026, 1, 1, tzinfo=CHICAGO)


def test_every_first_tuesday():
    assert session_dates(date(2026, 2, 3), Recurrence.MONTHLY_NTH, 4) == [
        date(2026, 2, 3),
        date(2026, 3, 3),
        date(2026, 4, 7),
        date(2026, 5, 5),
    ]


def test_a_fifth_weekday_skips_months_without_one():
    assert session_dates(date(2026, 3, 31), Recurrence.MONTHLY_NTH, 3) == [
        date(2026, 3, 31),
        date(2026, 6, 30),
        date(2026, 9, 29),
    ]


def test_weekly_sessions_keep_their_local_time_across_the_clock_change(library, manager):
    central = LocationFactory(organization=library)
    workshop = WorkshopFactory(organization=library)
    sessions = schedule_sessions(
        workshop,
        by=manager,
        location=central,
        first=date(2026, 3, 3),
        starts=time(18, 30),
        minutes=60,
        recurrence=Recurrence.WEEKLY,
        count=2,
        now=BEFORE,
    )
    assert [s.starts.astimezone(CHICAGO).strftime("%Y-%m-%d %H:%M %Z") for s in sessions] == [
        "2026-03-03 18:30 CST",
        "2026-03-10 18:30 CDT",
    ]
    assert [s.capacity for s in sessions] == [workshop.capacity] * 2


def test_a_session_in_the_spring_gap_starts_after_it(library, manager):
    central = LocationFactory(organization=library)
    (session,) = schedule_sessions(
        WorkshopFactory(organization=library),
        by=manager,
        location=central,
        first=date(2026, 3, 8),
        starts=time(2, 30),
        minutes=60,
        now=BEFORE,
    )
    assert session.starts.astimezone(CHICAGO).strftime("%H:%M %Z") == "03:30 CDT"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"count": 0}, "Make between 1 and 104 sessions at a time."),
        ({"count": 105}, "Make between 1 and 104 sessions at a time."),
        ({"minutes": 2}, "A session lasts between 5 minutes and 8 hours."),
        ({"first": date(2025, 1, 1)}, "Sessions must start in the future."),
    ],
)
def test_bad_schedules_are_refused(library, manager, overrides, message):
    workshop = WorkshopFactory(organization=library)
    arguments = {
        "by": manager,
        "location": LocationFactory(organization=library),
        "first": date(2026, 2, 3),
        "starts": time(10),
        "minutes": 60,
        "recurrence": Recurrence.WEEKLY,
        "count": 3,
        "now": BEFORE,
        **overrides,
    }
    with pytest.raises(WorkshopError) as caught:
        schedule_sessions(workshop, **arguments)
    assert (str(caught.value), workshop.sessions.count()) == (message, 0)


def test_another_organizations_staff_or_location_is_refused(
    library, other_library, outsider, manager
):
    workshop = WorkshopFactory(organization=library)
    with pytest.raises(WorkshopError):
        schedule_sessions(
            workshop,
            by=outsider,
            location=LocationFactory(organization=library),
            first=date(2026, 2, 3),
            starts=time(10),
            minutes=60,
            now=BEFORE,
        )
    with pytest.raises(WorkshopError):
        schedule_sessions(
            workshop,
            by=manager,
            location=LocationFactory(organization=other_library),
            first=date(2026, 2, 3),
            starts=time(10),
            minutes=60,
            now=BEFORE,
        )
    assert workshop.sessions.count() == 0


@pytest.fixture
def held(library):
    """A session that happened an hour ago with three people registered."""
    workshop = WorkshopFactory(organization=library, no_show_frees_later_seats=True, capacity=3)
    session = WorkshopSessionFactory(workshop=workshop, starts=timezone.now() + timedelta(days=1))
    people = [
        register(session, registrant=Registrant(name=f"Ana Ruiz{n}", phone=f"+1763555{n:04d}"))
        for n in range(3)
    ]
    session.starts = timezone.now() - timedelta(hours=1)
    session.ends = timezone.now()
    session.save()
    return session, [p.registration for p in people]


def test_attendance_is_marked_and_can_be_corrected(held, front_desk):
    session, people = held
    assert mark_attendance(session, by=front_desk, attended={people[0].pk, people[1].pk}) == (2, 1)
    assert mark_attendance(session, by=front_desk, attended={people[0].pk}) == (1, 2)
    assert list(session.registrations.order_by("pk").values_list("state", flat=True)) == [
        "attended",
        "no_show",
        "no_show",
    ]


def test_a_no_show_gives_up_later_seats_under_the_policy(held, front_desk):
    session, people = held
    later = WorkshopSessionFactory(
        workshop=session.workshop, starts=timezone.now() + timedelta(days=30), capacity=1
    )
    missed_first = register(later, registrant=Registrant(name="Ana Ruiz0", phone="+17635550000"))
    came_first = register(later, registrant=Registrant(name="Ana Ruiz1", phone="+17635550001"))
    waiting = register(later, registrant=Registrant(name="Luis Soto", email="l@example.org"))
    assert [missed_first.registration.state, came_first.registration.state] == [
        "registered",
        "waitlisted",
    ]

    # Ana Ruiz0 and Ana Ruiz2 missed the first session; Ana Ruiz1 came.
    mark_attendance(session, by=front_desk, attended={people[1].pk})

    assert list(later.registrations.order_by("pk").values_list("state", flat=True)) == [
        RegistrationState.CANCELLED,
        RegistrationState.OFFERED,
        RegistrationState.WAITLISTED,
    ]
    assert Registration.objects.get(pk=waiting.registration.pk).state == "waitlisted"


def test_attendance_before_the_start_or_for_strangers_is_refused(library, front_desk, outsider):
    session = WorkshopSessionFactory(workshop=WorkshopFactory(organization=library))
    person = register(session, registrant=Registrant(name="Ana", phone="+17635550000"))
    with pytest.raises(WorkshopError) as early:
        mark_attendance(session, by=front_desk, attended={person.registration.pk})
    session.starts = timezone.now() - timedelta(minutes=5)
    session.save()
    with pytest.raises(WorkshopError) as stranger:
        mark_attendance(session, by=outsider, attended=set())
    with pytest.raises(WorkshopError) as unknown:
        mark_attendance(session, by=front_desk, attended={999999})
    assert (str(early.value), str(unknown.value)) == (
        "Attendance can be taken once the session has started.",
        "Mark only people on this session's roster.",
    )
    assert str(stranger.value) == "Only the host and staff of the host organization can do this."


def test_moving_a_session_tells_registrants_with_a_new_sequence(library, front_desk):
    session = WorkshopSessionFactory(workshop=WorkshopFactory(organization=library))
    register(session, registrant=Registrant(name="Ana", email="ana@example.org"))
    moved = change_session(session, by=front_desk, starts=session.starts + timedelta(days=7))
    from jobhelp.notifications.models import OutboundMessage

    changed = OutboundMessage.objects.get(template="workshop_changed")
    assert (moved.sequence, "SEQUENCE:1" in changed.attachment) == (1, True)


def test_more_seats_go_to_the_waitlist(library, front_desk):
    session = WorkshopSessionFactory(workshop=WorkshopFactory(organization=library, capacity=1))
    register(session, registrant=Registrant(name="Ana", email="ana@example.org"))
    waiting = register(session, registrant=Registrant(name="Bo", email="bo@example.org"))
    change_session(session, by=front_desk, capacity=2)
    assert Registration.objects.get(pk=waiting.registration.pk).state == "offered"
