"""Business-day arithmetic on the wall clock of a time zone (Monday to Friday)."""

import zoneinfo
from datetime import datetime, timedelta


def add_business_days(moment: datetime, days: int, zone: zoneinfo.ZoneInfo) -> datetime:
    """The same local time `days` business days later (or earlier, for negative `days`).

    A weekend start counts as the Friday before it going forward (and the Monday after it going
    backward), so two business days after a Saturday morning is Tuesday morning, as for Friday
    morning. The result is an aware datetime in `zone` whose local wall-clock time matches the
    start, across DST changes.
    """
    local = moment.astimezone(zone)
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = local.date()
    while day.weekday() >= 5:
        day -= timedelta(days=step)
    while remaining:
        day += timedelta(days=step)
        if day.weekday() < 5:
            remaining -= 1
    naive = datetime.combine(day, local.time().replace(tzinfo=None))
    return naive.replace(tzinfo=zone)
