"""Arithmetic on a location's wall clock, for reminders of appointments and classes."""

from datetime import datetime, timedelta
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
