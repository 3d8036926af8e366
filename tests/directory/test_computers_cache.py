"""The public computers page's data is cached under versions the domain raises in its own
transaction (core.versions, decision 0012): served again it costs one query (the versions),
and every kind of change shows on the very next load. Transactional, as the cache is never
used inside a transaction."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobhelp.directory.computers import record_count, set_public_computers
from jobhelp.directory.domain import set_hours_exception, set_location_details
from jobhelp.directory.enums import WaitStatus
from jobhelp.directory.waits import computer_overview, location_computers
from tests.factories.directory import open_every_day
from tests.factories.organizations import LocationFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def central(library, helper):
    location = open_every_day(
        LocationFactory(organization=library, name="Central Library"),
        opens=time(0),
        closes=time(23, 59),
    )
    set_public_computers(location, by=helper, count=16)
    return location


def test_served_again_it_reads_only_the_versions(central, helper):
    now = timezone.now()
    record_count(central, by=helper, in_use=16, waiting=2, now=now - timedelta(minutes=1))
    first = computer_overview(now=now)

    with CaptureQueriesContext(connection) as queries:
        again = computer_overview(now=now)

    assert (again, len(queries)) == (first, 1)


def test_a_new_count_shows_on_the_next_load(central, helper):
    now = timezone.now()
    record_count(central, by=helper, in_use=16, waiting=2, now=now - timedelta(minutes=1))
    assert location_computers(central.pk, now=now).estimate.status == WaitStatus.WAIT

    record_count(central, by=helper, in_use=3, waiting=0, now=now - timedelta(seconds=1))

    assert location_computers(central.pk, now=now).estimate.status == WaitStatus.FREE


def test_computers_hours_and_coordinates_show_on_the_next_load(central, helper):
    now = timezone.now()
    computer_overview(now=now)

    set_public_computers(central, by=helper, count=20)
    assert location_computers(central.pk, now=now).computers == 20

    set_hours_exception(central, by=helper, on=now.astimezone(central.zone).date())
    assert location_computers(central.pk, now=now).open_now is False

    set_location_details(central, by=helper, latitude=45, longitude=-93, accessibility="")
    assert location_computers(central.pk, now=now).latitude == 45.0
