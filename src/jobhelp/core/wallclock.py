"""Arithmetic on a location's wall clock, for reminders of appointments and classes, and for
the instants of sessions and meetings typed as a day and a local time."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY = 24 * 60


def due_at(starts: datetime, minutes: int, zone: ZoneInfo) -> datetime:
    """When the reminder `minutes` before `starts` goes out. Whole days count on the local
    calendar, so a 24-hour reminder for 10:00 is sent at 10:00 the day before even when the
    clocks changed overnight (then 23 or 25 hours ahead); other offsets are elapsed time."""
    if minutes and minutes % DAY == 0:
        local = starts.astimezone(zone)
        earlier = local.replace(tzinfo=None) - timedelta(days=minutes // DAY)
        # A wall time that does not exist that day (in the spring gap) falls after the gap.
        return earlier.replace(tzinfo=zone).astimezone(starts.tzinfo)
    return starts - timedelta(minutes=minutes)


def local_instant(day: date, wall: time, zone) -> datetime:
    """The instant of a wall-clock time in `zone`. A time in the spring-forward gap falls
    after it (02:30 becomes 03:30); a repeated autumn time is its first occurrence."""
    # Through UTC: astimezone() to the same zone object would keep a nonexistent wall time.
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)
