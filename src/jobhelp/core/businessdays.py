"""Business-day arithmetic on the wall clock of a time zone (Monday to Friday)."""

import zoneinfo
from datetime import datetime, time, timedelta


def add_business_days(moment: datetime, days: int, zone: zoneinfo.ZoneInfo) -> datetime:
    """The same local time `days` business days later (or earlier, for negative `days`).

    A moment on a weekend counts from the start of Monday going forward and from the end of
    Friday going backward. That keeps the two directions inverse to each other: a request that
    arrived before `now - N` business days is exactly one whose `arrival + N` is before now, so
    the overdue count and a helper's due dates agree. The result is an aware datetime in `zone`
    whose local wall-clock time matches the start, across DST changes.
    """
    local = moment.astimezone(zone)
    day, clock = local.date(), local.time().replace(tzinfo=None)
    if day.weekday() >= 5:
        # Monday 00:00 going forward; Saturday 00:00 (the end of Friday) going backward.
        day += timedelta(days=(7 if days >= 0 else 5) - day.weekday())
        clock = time(0, 0)
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    while remaining:
        day += timedelta(days=step)
        if day.weekday() < 5:
            remaining -= 1
    return datetime.combine(day, clock).replace(tzinfo=zone)
