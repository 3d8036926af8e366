"""When a helper is free, computed from intervals rather than minute by minute.

Weekly hours and exceptions are wall-clock times in the location's zone; each is turned into a
pair of UTC instants for its own date, so 9:00 stays 9:00 on both sides of a clock change.
Closures and appointments are instants already. Everything returned is an aware UTC datetime.

Two kinds of wall-clock time need a decision (docs/conventions/time-zones.md):

- A time that does not exist (02:30 on 2026-03-08 in US zones) is never a slot start. An hours
  boundary that falls in the gap is read as Python does with ``fold=0``, one gap later (02:30
  becomes 03:30); library hours never start in the night, so this only keeps the code total.
- A time that happens twice (01:30 on 2026-11-01) is read with ``fold=0``, the first (daylight)
  occurrence, both for hours boundaries and for slots. A slot is offered once, at the first
  occurrence; the repeated hour is never offered as slot starts.
"""

import functools
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from jobhelp.scheduling.enums import ACTIVE_STATES, ExceptionKind
from jobhelp.scheduling.models import (
    Appointment,
    AppointmentType,
    AvailabilityException,
    Closure,
    WeeklyHours,
)

Interval = tuple[datetime, datetime]

# Slot starts are put on this wall-clock grid when a free interval begins at an odd minute
# (after an appointment's padding, or at the minimum notice).
SLOT_GRID_MINUTES = 5
GRID = timedelta(minutes=SLOT_GRID_MINUTES)

# Slot search across a whole pool counts in whole microseconds since the epoch (see
# slot_micros): adding and comparing integers is several times quicker than doing the same with
# datetimes, and thousands of booked ranges are read that way without making a datetime each.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
GRID_MICROS = GRID // MICROSECOND
DAY_MICROS = timedelta(days=1) // MICROSECOND
EPOCH_ORDINAL = EPOCH.toordinal()


def to_micros(moment: datetime) -> int:
    return (moment - EPOCH) // MICROSECOND


def from_micros(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


def _instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


def exists_on_clock(moment: datetime, zone: ZoneInfo) -> bool:
    """False for a wall-clock time skipped by a clock change, such as 02:30 on 2026-03-08."""
    wall = moment.replace(tzinfo=None)
    local = moment.replace(tzinfo=zone)
    return local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall


@functools.lru_cache(maxsize=256)
def _clock(zone: ZoneInfo, first: date, last: date) -> tuple[timedelta | None, tuple]:
    """How the zone's clock runs over the UTC dates `first` to `last`: (its one UTC offset if it
    never changes there, else None; the stretches around each change, as UTC intervals).

    The offset is read at each UTC midnight. Since 1900 no zone in the tz database has changed
    its clocks twice within four days, so two neighbouring readings that differ hold exactly one
    change, and two that agree hold none. A wall-clock time is skipped or repeated only within
    the size of a change from it, so each stretch is widened by that size: outside the
    stretches the offset is steady and every wall-clock time exists once."""
    midnights = [
        datetime.combine(first + timedelta(days=n), time(0), tzinfo=UTC)
        for n in range((last - first).days + 1)
    ]
    offsets = [moment.astimezone(zone).utcoffset() for moment in midnights]
    changes = []
    for n in range(len(midnights) - 1):
        if offsets[n] != offsets[n + 1]:
            size = abs(offsets[n + 1] - offsets[n])
            changes.append((midnights[n] - size, midnights[n + 1] + size))
    return (None if changes else offsets[0]), tuple(changes)


# Readings reach this far beyond the times asked about: farther than any clock change is big
# (Samoa skipped a whole day in 2011).
CLOCK_MARGIN = timedelta(days=2)


def _clock_around(zone: ZoneInfo, lower: datetime, upper: datetime) -> tuple:
    return _clock(
        zone,
        lower.astimezone(UTC).date() - CLOCK_MARGIN,
        upper.astimezone(UTC).date() + CLOCK_MARGIN,
    )


def _steady_offset(lower: datetime, upper: datetime, zone: ZoneInfo, clock) -> timedelta | None:
    """The zone's UTC offset all through [lower, upper] when its clock neither jumps nor
    repeats there (`clock` from _clock_around); None near a change."""
    constant, changes = clock
    if constant is not None:
        return constant
    if any(begins <= upper and lower <= ends for begins, ends in changes):
        return None
    return lower.astimezone(zone).utcoffset()


def _union(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(intervals: list[Interval], holes: Iterable[Interval]) -> list[Interval]:
    """`intervals` (sorted, disjoint) minus `holes`, in one sweep."""
    holes = _union(holes)
    count = len(holes)
    result: list[Interval] = []
    index = 0
    for start, end in intervals:
        while index < count and holes[index][1] <= start:
            index += 1
        cursor = start
        probe = index
        while probe < count and holes[probe][0] < end:
            hole_start, hole_end = holes[probe]
            if hole_start > cursor:
                result.append((cursor, hole_start))
            if hole_end > cursor:
                cursor = hole_end
            probe += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def _clip(intervals: list[Interval], lower: datetime, upper: datetime) -> list[Interval]:
    return [(max(s, lower), min(e, upper)) for s, e in intervals if s < upper and e > lower]


def _window(start_date: date, end_date: date, zone: ZoneInfo) -> Interval:
    return _instant(start_date, time(0), zone), _instant(
        end_date + timedelta(days=1), time(0), zone
    )


def working_intervals(helper, location, start_date: date, end_date: date) -> list[Interval]:
    """Weekly hours plus extra hours, minus time off and closures, for the local dates
    `start_date` to `end_date` inclusive. Booked appointments are not taken off."""
    lower, upper = _window(start_date, end_date, location.zone)
    weekly = WeeklyHours.objects.filter(helper=helper, location=location).values_list(
        "weekday", "starts", "ends"
    )
    exceptions = AvailabilityException.objects.filter(
        Q(location=location) | Q(location__isnull=True),
        helper=helper,
        date__gte=start_date,
        date__lte=end_date,
    ).values_list("kind", "date", "starts", "ends")
    closures = Closure.objects.filter(
        location=location, starts__lt=upper, ends__gt=lower
    ).values_list("starts", "ends")
    return working_from_rows(location.zone, start_date, end_date, weekly, exceptions, closures)


def working_from_rows(
    zone: ZoneInfo,
    start_date: date,
    end_date: date,
    weekly: Iterable[tuple[int, time, time]],
    exceptions: Iterable[tuple[str, date, time | None, time | None]],
    closures: Iterable[Interval],
) -> list[Interval]:
    """working_intervals from rows already read: (weekday, starts, ends) weekly hours,
    (kind, date, starts, ends) exceptions of this helper and location (or of every location)
    and closures of the location. Rows outside the dates are ignored."""
    instant = _instant
    # A local date's times are within a day of its UTC date, well inside the clock's margin.
    constant, _changes = _clock(zone, start_date - CLOCK_MARGIN, end_date + CLOCK_MARGIN)
    if constant is not None:
        # No clock change near these dates: every wall-clock time is the offset from UTC.
        def instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
            return (datetime.combine(day, wall) - constant).replace(tzinfo=UTC)

    return _working(zone, start_date, end_date, weekly, exceptions, closures, instant)


def working_micros(
    zone: ZoneInfo,
    start_date: date,
    end_date: date,
    weekly: Iterable[tuple[int, time, time]],
    exceptions: Iterable[tuple[str, date, time | None, time | None]],
    closures: Iterable[tuple[int, int]],
) -> list[tuple[int, int]]:
    """working_from_rows with the closures and the result in microseconds since the epoch."""
    constant, _changes = _clock(zone, start_date - CLOCK_MARGIN, end_date + CLOCK_MARGIN)
    if constant is None:

        def instant(day: date, wall: time, zone: ZoneInfo) -> int:
            return to_micros(_instant(day, wall, zone))

        weekly_intervals = None
    else:
        shift = constant // MICROSECOND

        def instant(day: date, wall: time, zone: ZoneInfo) -> int:
            return (day.toordinal() - EPOCH_ORDINAL) * DAY_MICROS + _wall_micros(wall) - shift

        # The weekly hours of every date, by plain addition: a steady clock makes each date's
        # hours the same offsets from its midnight.
        by_weekday: dict[int, list[tuple[int, int]]] = {}
        for weekday, starts, ends in weekly:
            by_weekday.setdefault(weekday, []).append(
                (_wall_micros(starts) - shift, _wall_micros(ends) - shift)
            )
        weekly_intervals = []
        weekday = start_date.weekday()
        for ordinal in range(start_date.toordinal(), end_date.toordinal() + 1):
            midnight = (ordinal - EPOCH_ORDINAL) * DAY_MICROS
            weekly_intervals += [
                (midnight + s, midnight + e) for s, e in by_weekday.get(weekday, ())
            ]
            weekday = (weekday + 1) % 7

    return _working(
        zone, start_date, end_date, weekly, exceptions, closures, instant, weekly_intervals
    )


def _wall_micros(wall: time) -> int:
    return ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1_000_000 + wall.microsecond


def _working(
    zone, start_date, end_date, weekly, exceptions, closures, instant, weekly_intervals=None
) -> list:
    """working_from_rows, with `instant(day, wall, zone)` making each moment (a datetime or
    microseconds); _window's bounds are made by it too. `weekly_intervals`, when the caller
    has them already, are the weekly hours of every date as instants."""
    lower = instant(start_date, time(0), zone)
    upper = instant(end_date + timedelta(days=1), time(0), zone)
    if weekly_intervals is None:
        by_weekday: dict[int, list[tuple[time, time]]] = {}
        for weekday, starts, ends in weekly:
            by_weekday.setdefault(weekday, []).append((starts, ends))
        working = []
        day = start_date
        while day <= end_date:
            for starts, ends in by_weekday.get(day.weekday(), ()):
                working.append((instant(day, starts, zone), instant(day, ends, zone)))
            day += timedelta(days=1)
    else:
        working = list(weekly_intervals)

    time_off = []
    for kind, day, starts, ends in exceptions:
        if not start_date <= day <= end_date:
            continue
        if starts is None:
            interval = (
                instant(day, time(0), zone),
                instant(day + timedelta(days=1), time(0), zone),
            )
        else:
            interval = (instant(day, starts, zone), instant(day, ends, zone))
        (working if kind == ExceptionKind.EXTRA else time_off).append(interval)

    free = _subtract(_union(working), [*time_off, *closures])
    return _clip(free, lower, upper)


def busy_intervals(
    helper, lower: datetime, upper: datetime, *, excluding: int | None = None
) -> list[Interval]:
    """The helper's booked appointments, padding included, at any location; `excluding` is
    the pk of one appointment to leave out (the one being rescheduled)."""
    return list(
        Appointment.objects.filter(
            helper=helper,
            state__in=sorted(ACTIVE_STATES),
            blocked_from__lt=upper,
            blocked_until__gt=lower,
        )
        .exclude(pk=excluding)
        .order_by("blocked_from")
        .values_list("blocked_from", "blocked_until")
    )


def free_intervals(helper, location, start_date: date, end_date: date) -> list[Interval]:
    """When the helper is free at the location on the local dates `start_date` to `end_date`
    inclusive: working intervals minus booked appointments with their padding."""
    lower, upper = _window(start_date, end_date, location.zone)
    working = working_intervals(helper, location, start_date, end_date)
    return _subtract(working, busy_intervals(helper, lower, upper))


def window_days(appointment_type: AppointmentType) -> int:
    """How many local dates a search must cover to offer the whole booking window: today
    counts as the first day, and the window counts the days after today."""
    return appointment_type.booking_window + 1


def bookable_dates(appointment_type: AppointmentType, zone: ZoneInfo, now: datetime, days: int):
    today = now.astimezone(zone).date()
    last = min(
        today + timedelta(days=days - 1), today + timedelta(days=appointment_type.booking_window)
    )
    return today, last


def _steady_slot_starts(
    lower: datetime, upper: datetime, offset: timedelta, duration: timedelta
) -> list[datetime]:
    """_slot_starts for one interval where the clock is steady: the wall-clock grid is the UTC
    grid shifted by `offset`, so the steps are taken in UTC with no conversions."""
    if lower.tzinfo is not UTC:
        lower = lower.astimezone(UTC)
    wall = lower + offset  # read for its minutes only
    past_grid = timedelta(
        minutes=wall.minute % SLOT_GRID_MINUTES,
        seconds=wall.second,
        microseconds=wall.microsecond,
    )
    start = lower + (GRID - past_grid) if past_grid else lower
    starts = []
    while start + duration <= upper:
        starts.append(start)
        start += duration
    return starts


def _slot_starts(
    free: list[Interval], zone: ZoneInfo, duration: timedelta, earliest: datetime
) -> list[datetime]:
    starts: list[datetime] = []
    free = _clip(free, earliest, datetime.max.replace(tzinfo=UTC))
    if not free:
        return starts
    clock = _clock_around(zone, free[0][0], free[-1][1])
    for free_start, free_end in free:
        offset = _steady_offset(free_start, free_end, zone, clock)
        if offset is not None:
            starts += _steady_slot_starts(free_start, free_end, offset, duration)
            continue
        # Around a clock change, step on the wall clock and convert each start.
        wall = free_start.astimezone(zone).replace(tzinfo=None)
        floor = wall.replace(
            minute=wall.minute - wall.minute % SLOT_GRID_MINUTES, second=0, microsecond=0
        )
        wall = floor if floor == wall else floor + timedelta(minutes=SLOT_GRID_MINUTES)
        while True:
            local = wall.replace(tzinfo=zone)  # fold=0: the first of a repeated hour
            wall += duration
            if not exists_on_clock(local, zone):
                continue
            start = local.astimezone(UTC)
            if start >= free_end:
                break
            if start >= free_start and start + duration <= free_end:
                starts.append(start)
    return starts


def slots(helper, location, appointment_type: AppointmentType, *, now: datetime, days: int):
    """Slot starts (UTC) for the next `days` local dates, stepping by the type's length inside
    free intervals. The new appointment's padding must not touch another appointment's blocked
    time, and the slot must respect the minimum notice and the booking window."""
    zone = location.zone
    first, last = bookable_dates(appointment_type, zone, now, days)
    if last < first:
        return []
    return slots_between(helper, location, appointment_type, first, last, now=now)


def slots_between(
    helper,
    location,
    appointment_type: AppointmentType,
    first: date,
    last: date,
    *,
    now: datetime,
    excluding: int | None = None,
) -> list[datetime]:
    """Slot starts on the local dates `first` to `last` inclusive, after the minimum notice
    from `now`; the booking window is the caller's business. `excluding` is the pk of an
    appointment whose time counts as free (the one being rescheduled)."""
    zone = location.zone
    lower, upper = _window(first, last, zone)
    free = working_intervals(helper, location, first, last)
    margin = timedelta(minutes=appointment_type.padding_before + appointment_type.padding_after)
    busy = busy_intervals(helper, lower - margin, upper + margin, excluding=excluding)
    return slots_from_intervals(free, busy, appointment_type, zone, now=now)


def move_slots(appointment, *, now: datetime, days: int) -> list[datetime]:
    """Where `appointment` may be moved: slot starts (UTC) for the next `days` local dates with
    the same helper, location and type. Its own time counts as free, as it does when the move
    is booked, but is not offered: moving to it changes nothing."""
    appointment_type = appointment.appointment_type
    location = appointment.location
    first, last = bookable_dates(appointment_type, location.zone, now, days)
    if last < first:
        return []
    starts = slots_between(
        appointment.helper,
        location,
        appointment_type,
        first,
        last,
        now=now,
        excluding=appointment.pk,
    )
    return [s for s in starts if s != appointment.starts]


def slots_from_intervals(
    free: list[Interval],
    busy: Iterable[Interval],
    appointment_type: AppointmentType,
    zone: ZoneInfo,
    *,
    now: datetime,
) -> list[datetime]:
    """Slot starts in the working intervals `free` around the blocked ranges `busy`."""
    # [s, e) with padding [s - before, e + after) overlaps a blocked range [b0, b1) exactly
    # when [s, e) overlaps [b0 - after, b1 + before): widen the holes instead of each slot.
    before = timedelta(minutes=appointment_type.padding_before)
    after = timedelta(minutes=appointment_type.padding_after)
    free = _subtract(free, [(b0 - after, b1 + before) for b0, b1 in busy])
    earliest = now + timedelta(minutes=appointment_type.min_notice)
    return _slot_starts(free, zone, timedelta(minutes=appointment_type.duration), earliest)


def slot_micros(
    free: list[tuple[int, int]],
    busy: Iterable[tuple[int, int]],
    appointment_type: AppointmentType,
    zone: ZoneInfo,
    *,
    now: datetime,
) -> list[int]:
    """slots_from_intervals with every instant in microseconds since the epoch (to_micros):
    the same starts, for less. Where the zone's clock is steady the wall-clock grid is the UTC
    grid shifted by the offset; an interval near a clock change goes through _slot_starts."""
    minute = 60_000_000
    before = appointment_type.padding_before * minute
    after = appointment_type.padding_after * minute
    duration = appointment_type.duration * minute
    free = _subtract(free, [(b0 - after, b1 + before) for b0, b1 in busy])
    earliest = to_micros(now) + appointment_type.min_notice * minute
    free = [(max(s, earliest), e) for s, e in free if e > earliest]
    if not free:
        return []
    constant, changes = _clock_around(zone, from_micros(free[0][0]), from_micros(free[-1][1]))
    changes = [(to_micros(begins), to_micros(ends)) for begins, ends in changes]
    starts: list[int] = []
    for lower, upper in free:
        if constant is not None:
            offset = constant // MICROSECOND
        elif any(begins <= upper and lower <= ends for begins, ends in changes):
            starts += [
                to_micros(start)
                for start in _slot_starts(
                    [(from_micros(lower), from_micros(upper))],
                    zone,
                    timedelta(microseconds=duration),
                    from_micros(earliest),
                )
            ]
            continue
        else:
            offset = from_micros(lower).astimezone(zone).utcoffset() // MICROSECOND
        past_grid = (lower + offset) % GRID_MICROS
        first = lower + GRID_MICROS - past_grid if past_grid else lower
        starts += range(first, upper - duration + 1, duration)
    return starts
