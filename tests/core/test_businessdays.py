import zoneinfo
from datetime import UTC, datetime

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
        # A weekend start counts as the end of Friday's business day going forward, so two
        # business days after a Saturday morning is Tuesday morning (as for Friday morning).
        (local(2026, 4, 18, 9, 0), 1, local(2026, 4, 20, 9, 0)),
        (local(2026, 4, 18, 9, 0), 2, local(2026, 4, 21, 9, 0)),
        (local(2026, 4, 19, 9, 0), 2, local(2026, 4, 21, 9, 0)),
        # ... and as the start of Monday's going backward.
        (local(2026, 4, 18, 9, 0), -1, local(2026, 4, 17, 9, 0)),
        (local(2026, 4, 18, 9, 0), -2, local(2026, 4, 16, 9, 0)),
        (local(2026, 4, 19, 9, 0), -1, local(2026, 4, 17, 9, 0)),
    ],
)
def test_starting_on_a_weekend(start, days, expected):
    assert add_business_days(start, days, CHICAGO) == expected


def test_a_saturday_start_is_due_with_the_friday_before_it():
    friday = local(2026, 4, 17, 9, 0)
    saturday = local(2026, 4, 18, 9, 0)

    assert [add_business_days(friday, n, CHICAGO) for n in (1, 2, 3)] == [
        add_business_days(saturday, n, CHICAGO) for n in (1, 2, 3)
    ]


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
