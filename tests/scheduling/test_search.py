from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.accounts.enums import Role
from jobhelp.accounts.models import Qualification
from jobhelp.core.enums import Modality
from jobhelp.intake.routing import pool_for_requests
from jobhelp.scheduling.availability import from_micros, slots, to_micros
from jobhelp.scheduling.models import Appointment, AvailabilityException, Closure
from jobhelp.scheduling.search import (
    EpochMicroseconds,
    candidates_for_request,
    find_slots,
    slots_for_request,
)
from tests.factories.accounts import MembershipFactory, staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import LocationFactory
from tests.factories.scheduling import (
    AppointmentFactory,
    AppointmentTypeFactory,
    WeeklyHoursFactory,
    every_day,
)
from tests.scheduling.times import CHICAGO, local

NOW = local(2026, 3, 1, 12)


@pytest.fixture
def request_(library):
    return HelpRequestFactory(organization=library, needs=["resume"])


def helper_at(library, central, name, needs=("resume",), hours=(time(9), time(10))):
    user = staff_member(library, Role.HELPER, needs=needs, first_name=name, last_name="Helper")
    every_day(user, central, *hours)
    return user


def test_slots_across_qualified_helpers(
    library, central, phone_help, request_, hana, other_library
):
    every_day(hana, central, time(9), time(10))
    ben = helper_at(library, central, "Ben")
    helper_at(library, central, "Cy", needs=["interview"])  # not qualified for the need
    stranger = staff_member(other_library, Role.HELPER, needs=["resume"])
    every_day(stranger, central, time(9), time(10))  # does not serve the organization

    found = slots_for_request(request_, phone_help, now=NOW, days=2)

    assert [(str(h), loc, start) for h, loc, start in found] == [
        ("Ben Helper", central, local(2026, 3, 2, 9)),
        ("Hana Lee", central, local(2026, 3, 2, 9)),
        ("Ben Helper", central, local(2026, 3, 2, 9, 30)),
        ("Hana Lee", central, local(2026, 3, 2, 9, 30)),
    ]
    assert [s for h, _, s in found if h == ben] == slots(ben, central, phone_help, now=NOW, days=2)


def test_slots_leave_out_bookings_time_off_and_closures(
    library, central, phone_help, request_, hana, branch
):
    every_day(hana, central, time(9), time(11))
    AppointmentFactory(
        helper=hana, location=central, appointment_type=phone_help, starts=local(2026, 3, 2, 9)
    )
    AvailabilityException.objects.create(helper=hana, date=date(2026, 3, 3), kind="time_off")
    Closure.objects.create(
        location=central, starts=local(2026, 3, 4, 0), ends=local(2026, 3, 5, 0), reason="holiday"
    )
    northtown = branch.locations.get()
    AvailabilityException.objects.create(
        helper=hana,
        location=northtown,
        date=date(2026, 3, 4),
        starts=time(13),
        ends=time(14),
        kind="extra",
    )

    found = slots_for_request(request_, phone_help, now=NOW, days=4)

    assert [(loc, start) for _, loc, start in found] == [
        (central, local(2026, 3, 2, 9, 30)),
        (central, local(2026, 3, 2, 10)),
        (central, local(2026, 3, 2, 10, 30)),
        (northtown, local(2026, 3, 4, 13)),
        (northtown, local(2026, 3, 4, 13, 30)),
    ]
    for location in (central, northtown):
        assert [s for _, loc, s in found if loc == location] == slots(
            hana, location, phone_help, now=NOW, days=4
        )


def test_in_person_only_at_the_preferred_library(library, central, hana):
    in_person = AppointmentTypeFactory(organization=library, modality=Modality.IN_PERSON)
    elsewhere = LocationFactory(organization=library, name="Eastside")
    every_day(hana, central, time(9), time(10))
    every_day(hana, elsewhere, time(13), time(14))
    request_ = HelpRequestFactory(organization=library, preferred_location=elsewhere)

    found = slots_for_request(request_, in_person, now=NOW, days=2)

    assert [(loc, start) for _, loc, start in found] == [
        (elsewhere, local(2026, 3, 1, 13)),
        (elsewhere, local(2026, 3, 1, 13, 30)),
        (elsewhere, local(2026, 3, 2, 13)),
        (elsewhere, local(2026, 3, 2, 13, 30)),
    ]


def test_nobody_qualified_means_no_slots(library, central, phone_help):
    request_ = HelpRequestFactory(organization=library, needs=["interview"])

    assert slots_for_request(request_, phone_help, now=NOW, days=7) == []


def test_the_query_count_does_not_grow_with_helpers(library, central, phone_help, hana, request_):
    every_day(hana, central, time(9), time(12))

    def count():
        fresh = type(request_).objects.get(pk=request_.pk)
        with CaptureQueriesContext(connection) as queries:
            found = slots_for_request(fresh, phone_help, now=NOW, days=7)
        return len(queries), len({h for h, _, _ in found})

    one = count()
    for name in ("Ben", "Cy"):
        helper = helper_at(library, central, name)
        AppointmentFactory(
            helper=helper,
            location=central,
            appointment_type=phone_help,
            starts=local(2026, 3, 2, 9),
        )
    AvailabilityException.objects.create(helper=hana, date=date(2026, 3, 3), kind="time_off")
    three = count()

    assert (one[1], three[1]) == (1, 3)
    assert three[0] == one[0]


# --- The candidates and the interval arithmetic against the originals they stand for --------------


def test_candidates_are_the_helpers_the_routing_pool_would_suggest(
    library, branch, other_library, central
):
    today = timezone.localdate()
    people = {
        "system helper": staff_member(library, Role.HELPER, needs=["resume"]),
        "system coach, two needs": staff_member(
            library, Role.CAREER_COACH, needs=["resume", "interview"]
        ),
        "branch liaison": staff_member(branch, Role.LIAISON, needs=["interview"]),
        "partner staff, both": staff_member(branch, Role.PARTNER_STAFF, needs=["resume"]),
        "front desk, qualified": staff_member(library, Role.FRONT_DESK, needs=["resume"]),
        "manager, qualified": staff_member(branch, Role.MANAGER, needs=["interview"]),
        "inactive helper": staff_member(library, Role.HELPER, needs=["resume"], is_active=False),
        "elsewhere": staff_member(other_library, Role.HELPER, needs=["resume", "interview"]),
        "no qualification": staff_member(library, Role.HELPER),
    }
    MembershipFactory(user=people["partner staff, both"], organization=library, role="helper")
    MembershipFactory(user=people["front desk, qualified"], organization=branch, role="helper")
    MembershipFactory(user=people["elsewhere"], organization=branch, role=Role.FRONT_DESK)
    for name, qualified_from in [
        ("training tomorrow", today + timedelta(days=1)),
        ("trained today", today),
        ("trained last year", today - timedelta(days=365)),
    ]:
        people[name] = staff_member(branch, Role.HELPER)
        Qualification.objects.create(
            user=people[name], need="resume", qualified_from=qualified_from
        )
    requests = [
        HelpRequestFactory(organization=organization, needs=needs)
        for organization in (library, branch, other_library)
        for needs in (["resume"], ["interview"], ["resume", "interview"], ["computer"])
    ]
    no_needs = HelpRequestFactory(organization=branch)
    no_needs.needs.all().delete()
    requests.append(no_needs)

    seen = set()
    for help_request in requests:
        fresh = type(help_request).objects.get(pk=help_request.pk)
        pool = pool_for_requests([fresh])
        expected = {
            pk: helper.organization_ids
            for pk, helper in pool.helpers.items()
            if pool.is_candidate(helper.user, fresh)
        }
        found = candidates_for_request(fresh)
        assert {pk: c.organization_ids for pk, c in found.items()} == expected
        assert all(c.user.pk == pk for pk, c in found.items())
        seen |= set(found)
    # The data could tell the two apart: most people are somebody's candidate, not all.
    assert len(seen) == 8


def test_a_page_of_found_slots_is_that_part_of_the_whole_list(library, central, phone_help):
    for name in ("Ann", "Bo", "Cy"):
        helper_at(library, central, name, hours=(time(9), time(17)))
    request_ = HelpRequestFactory(organization=library, needs=["resume"])

    found = find_slots(request_, phone_help, now=NOW, days=5)
    whole = slots_for_request(request_, phone_help, now=NOW, days=5)

    # Noon to five on the first day, then four whole days of 9 to 5.
    assert len(found) == len(whole) == 3 * (10 + 4 * 16)
    assert [found[0:50], found[50:100], found[220:300]] == [
        whole[0:50],
        whole[50:100],
        whole[220:300],
    ]
    assert (found[0], found[7], found[-1], list(found)) == (whole[0], whole[7], whole[-1], whole)


@pytest.mark.parametrize(
    "now",
    [
        local(2026, 3, 6, 16, 7),  # the spring change (2026-03-08) within the dates
        local(2026, 10, 30, 9, 2),  # the autumn change (2026-11-01)
        local(2026, 6, 1, 8, 53),  # no change near
    ],
)
def test_the_pool_search_finds_each_helpers_own_slots(library, branch, central, now):
    """Every helper's slots at every location are what availability.slots finds for them
    alone, across clock changes, in two zones, around bookings with padding, time off,
    extra hours and closures, from a minimum notice that ends at an odd minute."""
    denver = LocationFactory(organization=branch, name="Denver office", time_zone="America/Denver")
    padded = AppointmentTypeFactory(
        organization=library, duration=25, padding_before=5, padding_after=10, min_notice=47
    )
    night = helper_at(library, central, "Nell", hours=(time(0, 30), time(4)))
    day = helper_at(library, central, "Dora", hours=(time(9), time(12)))
    WeeklyHoursFactory(helper=day, location=denver, weekday=6, starts=time(1), ends=time(3, 30))
    WeeklyHoursFactory(helper=day, location=denver, weekday=0, starts=time(13), ends=time(17))
    branch_helper = staff_member(branch, Role.HELPER, needs=["resume"], first_name="Bea")
    every_day(branch_helper, denver, time(8), time(11, 45))
    first = now.astimezone(CHICAGO).date()
    for offset in range(0, 6, 2):
        date_ = first + timedelta(days=offset)
        AppointmentFactory(
            helper=day,
            location=central,
            appointment_type=padded,
            starts=datetime.combine(date_, time(10, 5), tzinfo=CHICAGO),
        )
        AppointmentFactory(
            helper=night,
            location=central,
            appointment_type=padded,
            starts=datetime.combine(date_, time(1, 15), tzinfo=CHICAGO),
        )
    AppointmentFactory(
        helper=branch_helper,
        location=denver,
        appointment_type=padded,
        starts=datetime.combine(first + timedelta(days=1), time(9, 40), tzinfo=denver.zone),
    )
    AvailabilityException.objects.create(
        helper=day, date=first + timedelta(days=3), starts=time(9), ends=time(10), kind="time_off"
    )
    AvailabilityException.objects.create(
        helper=night,
        location=central,
        date=first + timedelta(days=4),
        starts=time(22),
        ends=time(23, 50),
        kind="extra",
    )
    Closure.objects.create(
        location=denver,
        starts=datetime.combine(first + timedelta(days=5), time(10), tzinfo=denver.zone),
        ends=datetime.combine(first + timedelta(days=6), time(0), tzinfo=denver.zone),
        reason="weather",
    )
    request_ = HelpRequestFactory(organization=branch, needs=["resume"])

    found = slots_for_request(request_, padded, now=now, days=8)

    places = {(helper, location) for helper, location, _start in found}
    assert places == {
        (night, central),
        (day, central),
        (day, denver),
        (branch_helper, denver),
    }
    for helper, location in places:
        own = [start for h, loc, start in found if (h, loc) == (helper, location)]
        assert own == slots(helper, location, padded, now=now, days=8)
    names = {night: "Nell Helper", day: "Dora Helper", branch_helper: str(branch_helper)}
    assert [(start, names[h], h.pk, loc.pk) for h, loc, start in found] == sorted(
        (start, names[h], h.pk, loc.pk) for h, loc, start in found
    )


def test_the_database_counts_microseconds_as_python_does(db):
    moments = [
        datetime(2026, 3, 8, 8, 0, tzinfo=UTC),
        datetime(2026, 3, 8, 8, 0, 0, 123456, tzinfo=UTC),
        datetime(2026, 11, 1, 6, 30, 0, 7, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, 59, 5, tzinfo=UTC),
    ]
    for moment in moments:
        AppointmentFactory(starts=moment)

    counted = Appointment.objects.values_list(EpochMicroseconds("starts"), flat=True)

    assert sorted(counted) == sorted(to_micros(moment) for moment in moments)
    assert [from_micros(to_micros(moment)) for moment in moments] == moments
