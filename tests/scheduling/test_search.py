from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.accounts.enums import Role
from jobhelp.core.enums import Modality
from jobhelp.scheduling.availability import slots
from jobhelp.scheduling.models import AvailabilityException, Closure
from jobhelp.scheduling.search import slots_for_request
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import LocationFactory
from tests.factories.scheduling import AppointmentFactory, AppointmentTypeFactory, every_day
from tests.scheduling.times import local

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
