"""Is a place open at a given moment? Plain wall-clock arithmetic, no models: weekly intervals
and the day's exception are times on the location's own clock (docs/conventions/time-zones.md),
so the moment is turned into that clock first, never the hours into UTC.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

Weekly = Iterable[tuple[int, time, time]]


@dataclass(frozen=True)
class DayException:
    """Other hours on one date: closed all day when `opens` is None."""

    opens: time | None
    closes: time | None


def intervals_on(day: date, *, weekly: Weekly, exceptions: Mapping[date, DayException]):
    """The (opens, closes) intervals of `day`, on the local clock, in order."""
    exception = exceptions.get(day)
    if exception is not None:
        return [] if exception.opens is None else [(exception.opens, exception.closes)]
    return sorted((opens, closes) for weekday, opens, closes in weekly if weekday == day.weekday())


def is_open(
    when: datetime, *, zone: ZoneInfo, weekly: Weekly, exceptions: Mapping[date, DayException]
) -> bool:
    """Open at the aware moment `when`, at a place on `zone`'s clock with these hours?"""
    local = when.astimezone(zone)
    now = local.time().replace(tzinfo=None)
    return any(
        opens <= now < closes
        for opens, closes in intervals_on(local.date(), weekly=list(weekly), exceptions=exceptions)
    )
