"""Public computers: counts from staff, kiosks and API clients, their validation, the wait
estimate and its staleness, the nearest location with the shortest wait, the cached page, the
hourly aggregates and the report (directory.computers, directory.waits)."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobhelp.core import links
from jobhelp.core.models import AuditEntry
from jobhelp.directory.computers import (
    CountError,
    aggregate_old_counts,
    issue_kiosk,
    record_count,
    record_kiosk_count,
    revoke_kiosk,
    set_public_computers,
)
from jobhelp.directory.enums import WaitStatus
from jobhelp.directory.models import ComputerCount, ComputerUsageHour
from jobhelp.directory.places import PlaceUnknown
from jobhelp.directory.waits import (
    Sample,
    computer_use_by_hour,
    estimate,
    location_computers,
    nearest_computers,
    turnover_per_minute,
)
from tests.factories.directory import ComputerCountFactory, PlaceFactory, open_every_day
from tests.factories.organizations import LocationFactory
from tests.scheduling.times import local

NOON = local(2026, 5, 4, 12)


@pytest.fixture
def central(library, helper):
    location = open_every_day(
        LocationFactory(
            organization=library, name="Central Library", latitude="45.1", longitude="-93.3"
        )
    )
    set_public_computers(location, by=helper, count=16, software=["office"], printing=True)
    return location


def test_staff_record_a_count_audited_with_counts_only(central, helper):
    AuditEntry.objects.all().delete()

    count = record_count(central, by=helper, in_use=14, waiting=3, now=NOON)

    assert (count.in_use, count.waiting, count.computers, count.source) == (14, 3, 16, "staff")
    assert list(AuditEntry.objects.values_list("action", "actor", "data")) == [
        (
            "jobhelp.computer_count.recorded",
            helper.pk,
            {"in_use": 14, "waiting": 3, "computers": 16, "source": "staff"},
        )
    ]


@pytest.mark.parametrize(
    ("in_use", "waiting", "message"),
    [
        (17, 0, "has 16 public computers, so at most 16 can be in use"),
        (-1, 0, "cannot be below zero"),
        (3, -2, "cannot be below zero"),
        ("many", 0, "as a number"),
        (3, 501, "More than 500 people waiting"),
    ],
)
def test_impossible_counts_are_refused_and_nothing_is_written(
    central, helper, in_use, waiting, message
):
    before = AuditEntry.objects.count()
    with pytest.raises(CountError, match=message):
        record_count(central, by=helper, in_use=in_use, waiting=waiting)

    assert (ComputerCount.objects.count(), AuditEntry.objects.count()) == (0, before)


def test_a_location_without_computers_takes_no_count(library, helper):
    with pytest.raises(CountError, match="no public computers"):
        record_count(LocationFactory(organization=library), by=helper, in_use=1, waiting=0)


def test_another_organizations_staff_cannot_count_here(central, outsider):
    with pytest.raises(PermissionDenied):
        record_count(central, by=outsider, in_use=1, waiting=0)
    assert ComputerCount.objects.count() == 0


def test_a_kiosk_counts_for_its_own_location_only(central, library, helper):
    other = LocationFactory(organization=library, name="Eastgate Library")
    set_public_computers(other, by=helper, count=8)
    _kiosk, token = issue_kiosk(central, by=helper, name="Front desk tablet")
    other_kiosk, other_token = issue_kiosk(other, by=helper, name="Eastgate tablet")

    count = record_kiosk_count(location=central, token=token, in_use=5, waiting=0, now=NOON)
    assert (count.source, count.location) == ("kiosk", central)

    with pytest.raises(CountError, match="set up for another location"):
        record_kiosk_count(location=central, token=other_token, in_use=5, waiting=0)
    with pytest.raises(links.LinkUnknown):
        record_kiosk_count(location=central, token="guess", in_use=5, waiting=0)
    assert revoke_kiosk(other_kiosk, by=helper) is True
    with pytest.raises(links.LinkUnknown):
        record_kiosk_count(location=other, token=other_token, in_use=5, waiting=0)
    assert ComputerCount.objects.count() == 1


def samples(*rows):
    return [Sample(NOON - timedelta(minutes=m), u, w) for m, u, w in rows]


def test_a_free_computer_means_no_wait(central):
    found = estimate(samples((5, 10, 0)), computers=16, now=NOON, open_now=True)
    assert (found.status, found.minutes) == (WaitStatus.FREE, 0)


def test_the_wait_comes_from_the_recent_turnover():
    # In 40 minutes, 4 people sat down at computers others gave up: 0.1 a minute. The
    # newcomer is 4th in line (3 waiting, none free): 40 minutes.
    recent = samples((40, 16, 5), (30, 16, 4), (20, 16, 3), (10, 16, 2), (0, 16, 3))
    assert turnover_per_minute(recent, 16) == pytest.approx(16 / 120)
    recent = samples((40, 16, 7), (20, 16, 5), (0, 16, 3))
    assert turnover_per_minute(recent, 8) == pytest.approx(0.1)
    found = estimate(recent, computers=8, now=NOON, open_now=True)
    assert (found.status, found.minutes, found.in_use, found.waiting) == (
        WaitStatus.WAIT,
        40,
        16,
        3,
    )


def test_without_enough_counts_a_typical_session_gives_the_turnover():
    # One count: 16 computers / 60 minutes; 3 waiting, the 4th in line waits 15 minutes.
    found = estimate(samples((0, 16, 3)), computers=16, now=NOON, open_now=True)
    assert (found.status, found.minutes) == (WaitStatus.WAIT, 15)


def test_a_count_thirty_minutes_old_is_not_known_while_open_and_closed_says_closed():
    assert estimate(samples((30, 5, 0)), computers=16, now=NOON, open_now=True).status == (
        WaitStatus.NOT_KNOWN
    )
    assert estimate(samples((29, 5, 0)), computers=16, now=NOON, open_now=True).status == (
        WaitStatus.FREE
    )
    assert estimate([], computers=16, now=NOON, open_now=True).status == WaitStatus.NOT_KNOWN
    assert estimate(samples((1, 5, 0)), computers=16, now=NOON, open_now=False).status == (
        WaitStatus.CLOSED
    )


def test_the_page_shows_each_location_and_a_new_count_on_the_next_load(central, helper):
    record_count(central, by=helper, in_use=16, waiting=2, now=NOON - timedelta(minutes=5))
    first = location_computers(central.pk, now=NOON)
    assert (first.estimate.status, first.estimate.waiting, first.open_now) == (
        WaitStatus.WAIT,
        2,
        True,
    )
    record_count(central, by=helper, in_use=10, waiting=0, now=NOON - timedelta(seconds=5))

    assert location_computers(central.pk, now=NOON).estimate.status == WaitStatus.FREE


def test_hours_and_closures_show_on_the_page(central, helper):
    from jobhelp.directory.domain import set_hours_exception

    set_hours_exception(central, by=helper, on=NOON.date(), opens=time(14), closes=time(16))

    row = location_computers(central.pk, now=NOON)
    assert (row.open_now, row.hours_today, row.estimate.status) == (
        False,
        ((time(14), time(16)),),
        WaitStatus.CLOSED,
    )


def test_nearest_location_with_the_shortest_wait(library, helper, central):
    far_free = open_every_day(
        LocationFactory(organization=library, name="Lakeside", latitude="45.2", longitude="-93.3")
    )
    stale = open_every_day(
        LocationFactory(organization=library, name="Millbrook", latitude="45.1", longitude="-93.31")
    )
    for location in (far_free, stale):
        set_public_computers(location, by=helper, count=8)
    record_count(central, by=helper, in_use=16, waiting=6, now=NOON - timedelta(minutes=1))
    record_count(far_free, by=helper, in_use=3, waiting=0, now=NOON - timedelta(minutes=1))
    record_count(stale, by=helper, in_use=0, waiting=0, now=NOON - timedelta(minutes=45))
    PlaceFactory(name="Riverbend", postal_code="55401", latitude="45.1", longitude="-93.3")

    found = nearest_computers("Riverbend", now=NOON)

    assert [
        (o.location.name, o.distance_km, o.minutes_to_a_computer, o.location.estimate.status)
        for o in found.options
    ] == [
        # 11.1 km (23 minutes on the road), a computer free.
        ("Lakeside", 11.1, 23, WaitStatus.FREE),
        # Next door, but the 7th in line at 16 computers / 60 minutes: 30 minutes.
        ("Central Library", 0.0, 30, WaitStatus.WAIT),
        # The last count is 45 minutes old: not known, listed last.
        ("Millbrook", 0.8, None, WaitStatus.NOT_KNOWN),
    ]
    assert found.best.location.name == "Lakeside"
    with pytest.raises(PlaceUnknown, match="We do not know the ZIP code 99999"):
        nearest_computers("99999", now=NOON)


def test_old_counts_become_hourly_figures_once(central, helper):
    now = datetime(2026, 5, 5, 12, 30, tzinfo=UTC)
    for minutes, in_use, waiting in [(0, 10, 0), (20, 16, 4), (40, 12, 2)]:
        ComputerCountFactory(
            location=central,
            recorded_at=datetime(2026, 5, 4, 10, minutes, tzinfo=UTC),
            in_use=in_use,
            waiting=waiting,
        )
    kept = ComputerCountFactory(
        location=central, recorded_at=datetime(2026, 5, 4, 12, 5, tzinfo=UTC)
    )

    assert aggregate_old_counts(now=now) == {"counts": 3, "hours": 1}
    assert aggregate_old_counts(now=now) == {"counts": 0, "hours": 0}

    assert list(ComputerCount.objects.all()) == [kept]
    assert list(
        ComputerUsageHour.objects.values_list(
            "hour", "samples", "in_use_sum", "in_use_max", "waiting_sum", "waiting_max"
        )
    ) == [(datetime(2026, 5, 4, 10, tzinfo=UTC), 3, 38, 16, 6, 4)]


def test_the_aggregation_job_runs_through_the_registry(central):
    from jobhelp.core import periodic

    ComputerCountFactory(location=central, recorded_at=datetime(2026, 5, 1, 10, tzinfo=UTC))
    now = datetime(2026, 5, 5, 12, tzinfo=UTC)

    outcomes = periodic.run_jobs(names=["directory.count_aggregation"], now=now)
    again = periodic.run_jobs(names=["directory.count_aggregation"], now=now)

    assert [(o.job, o.counts) for o in outcomes + again] == [
        ("directory.count_aggregation", {"counts": 1, "hours": 1}),
        ("directory.count_aggregation", {"counts": 0, "hours": 0}),
    ]


def test_the_report_combines_hourly_figures_and_recent_counts_for_managers_only(
    central, helper, manager, outsider
):
    old = datetime(2026, 5, 3, 15, 10, tzinfo=UTC)
    ComputerCountFactory(location=central, recorded_at=old, in_use=8, waiting=0)
    aggregate_old_counts(now=datetime(2026, 5, 5, 12, tzinfo=UTC))
    ComputerCountFactory(
        location=central, recorded_at=datetime(2026, 5, 5, 11, 10, tzinfo=UTC), in_use=16, waiting=4
    )
    ComputerCountFactory(
        location=central, recorded_at=datetime(2026, 5, 5, 11, 40, tzinfo=UTC), in_use=14, waiting=0
    )
    since, until = datetime(2026, 5, 3, tzinfo=UTC), datetime(2026, 5, 6, tzinfo=UTC)

    with CaptureQueriesContext(connection) as queries:
        rows = computer_use_by_hour(manager, since=since, until=until)

    assert [(r.hour, r.samples, r.in_use_average, r.waiting_max) for r in rows] == [
        (datetime(2026, 5, 3, 15, tzinfo=UTC), 1, 8.0, 0),
        (datetime(2026, 5, 5, 11, tzinfo=UTC), 2, 15.0, 4),
    ]
    assert len(queries) == 3
    assert computer_use_by_hour(helper, since=since, until=until) == []
    assert computer_use_by_hour(outsider, since=since, until=until) == []
