import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest

from jobhelp.core.businessdays import add_business_days

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=CHICAGO)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Monday 2026-04-13 to Friday 2026-04-17: no weekend in between.
        (local(2026, 4, 13, 10, 0), 0, local(2026, 4, 13, 10, 0)),
        (local(2026, 4, 13, 10, 0), 1, local(2026, 4, 14, 10, 0)),
        (local(2026, 4, 13, 10, 0), 4, local(2026, 4, 17, 10, 0)),
        # Across one and two weekends.
        (local(2026, 4, 16, 10, 0), 2, local(2026, 4, 20, 10, 0)),
        (local(2026, 4, 17, 16, 30), 1, local(2026, 4, 20, 16, 30)),
        (local(2026, 4, 17, 16, 30), 5, local(2026, 4, 24, 16, 30)),
        (local(2026, 4, 17, 16, 30), 6, local(2026, 4, 27, 16, 30)),
        (local(2026, 4, 13, 10, 0), 10, local(2026, 4, 27, 10, 0)),
    ],
)
def test_forward_skips_weekends(start, days, expected):
    assert add_business_days(start, days, CHICAGO) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (local(2026, 4, 17, 10, 0), -1, local(2026, 4, 16, 10, 0)),
        (local(2026, 4, 20, 10, 0), -1, local(2026, 4, 17, 10, 0)),
        (local(2026, 4, 21, 8, 15), -2, local(2026, 4, 17, 8, 15)),
        (local(2026, 4, 20, 10, 0), -5, local(2026, 4, 13, 10, 0)),
        (local(2026, 4, 27, 10, 0), -10, local(2026, 4, 13, 10, 0)),
    ],
)
def test_backward_skips_weekends(start, days, expected):
    assert add_business_days(start, days, CHICAGO) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # A weekend moment counts from the start of Monday going forward ...
        (local(2026, 4, 18, 9, 0), 1, local(2026, 4, 21, 0, 0)),
        (local(2026, 4, 18, 9, 0), 2, local(2026, 4, 22, 0, 0)),
        (local(2026, 4, 19, 9, 0), 2, local(2026, 4, 22, 0, 0)),
        # ... and from the end of Friday going backward.
        (local(2026, 4, 18, 9, 0), -1, local(2026, 4, 17, 0, 0)),
        (local(2026, 4, 18, 9, 0), -2, local(2026, 4, 16, 0, 0)),
        (local(2026, 4, 19, 9, 0), -1, local(2026, 4, 17, 0, 0)),
    ],
)
def test_starting_on_a_weekend(start, days, expected):
    assert add_business_days(start, days, CHICAGO) == expected


def test_a_weekend_arrival_counts_from_monday_morning():
    monday_start = local(2026, 4, 20, 0, 0)
    saturday = local(2026, 4, 18, 9, 0)

    assert [add_business_days(monday_start, n, CHICAGO) for n in (1, 2, 3)] == [
        add_business_days(saturday, n, CHICAGO) for n in (1, 2, 3)
    ]


def test_going_back_is_the_inverse_of_going_forward():
    """The overdue count (arrival < now - N) and due dates (arrival + N < now) must agree."""
    hours = [local(2026, 4, 13, 0, 0) + timedelta(hours=h) for h in range(0, 24 * 21, 5)]
    disagreements = [
        (arrival, now)
        for arrival in hours
        for now in hours
        for n in (1, 2, 3)
        # A whole weekend counts as Monday 00:00, so at the very instant a weekend arrival
        # falls due the two sides may differ; a moment later they agree.
        if add_business_days(arrival, n, CHICAGO) != now
        and (arrival < add_business_days(now, -n, CHICAGO))
        != (add_business_days(arrival, n, CHICAGO) < now)
    ]
    assert disagreements == []


@pytest.mark.parametrize(
    ("start", "days", "expected_local", "expected_utc"),
    [
        # Clocks spring forward on Sunday 2026-03-08: 09:00 CST is 15:00 UTC, 09:00 CDT is 14:00.
        (
            datetime(2026, 3, 6, 15, 0, tzinfo=UTC),
            1,
            local(2026, 3, 9, 9, 0),
            datetime(2026, 3, 9, 14, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 3, 9, 14, 0, tzinfo=UTC),
            -1,
            local(2026, 3, 6, 9, 0),
            datetime(2026, 3, 6, 15, 0, tzinfo=UTC),
        ),
        # Clocks fall back on Sunday 2026-11-01: 09:00 CDT is 14:00 UTC, 09:00 CST is 15:00.
        (
            datetime(2026, 10, 30, 14, 0, tzinfo=UTC),
            1,
            local(2026, 11, 2, 9, 0),
            datetime(2026, 11, 2, 15, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 11, 2, 15, 0, tzinfo=UTC),
            -1,
            local(2026, 10, 30, 9, 0),
            datetime(2026, 10, 30, 14, 0, tzinfo=UTC),
        ),
        # A whole week across the change keeps the wall clock too.
        (
            datetime(2026, 3, 4, 22, 45, tzinfo=UTC),
            5,
            local(2026, 3, 11, 16, 45),
            datetime(2026, 3, 11, 21, 45, tzinfo=UTC),
        ),
    ],
)
def test_local_time_stays_the_same_across_dst_changes(start, days, expected_local, expected_utc):
    result = add_business_days(start, days, CHICAGO)

    assert result == expected_utc
    local_result = result.astimezone(CHICAGO)
    assert (local_result.date(), local_result.time()) == (
        expected_local.date(),
        expected_local.time(),
    )


def test_friday_morning_plus_one_is_monday_morning_after_spring_forward():
    friday = local(2026, 3, 6, 9, 0)

    monday = add_business_days(friday, 1, CHICAGO)

    assert (monday.astimezone(CHICAGO).isoformat(), monday.astimezone(UTC).isoformat()) == (
        "2026-03-09T09:00:00-05:00",
        "2026-03-09T14:00:00+00:00",
    )


def test_the_local_day_counts_not_the_utc_day():
    # Friday 2026-04-17 at 20:00 in Chicago is already Saturday in UTC.
    friday_evening = datetime(2026, 4, 18, 1, 0, tzinfo=UTC)

    assert add_business_days(friday_evening, 1, CHICAGO) == local(2026, 4, 20, 20, 0)


def test_result_is_aware():
    result = add_business_days(datetime(2026, 4, 13, 15, 0, tzinfo=UTC), 1, CHICAGO)

    assert result.utcoffset() is not None
