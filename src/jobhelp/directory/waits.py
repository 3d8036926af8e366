"""How long is the wait for a public computer, where? Reads only.

**The estimate** (docs/directory.md, "The wait"), for a location open now with N computers and
its latest count (U in use, W waiting) taken less than STALE_AFTER ago:

- free computers F = N - U. If F > W, a newcomer gets a computer at once: wait 0.
- otherwise the newcomer is (W - F + 1)th in line, and waits (W - F + 1) / R minutes, where R
  is the turnover: computers freed per minute. R is measured from the counts of the last
  TURNOVER_WINDOW: between two counts, max(0, U1 - U2) computers were given up and left free
  and max(0, W1 - W2) waiting people sat down at a computer someone gave up, so
  R = (sum of those) / (minutes between the first and last count). When those counts span less
  than MIN_SPAN or show nothing freed, R = N / SESSION_MINUTES, a typical session. R is never
  taken below N / LONGEST_SESSION_MINUTES: library sessions end within two hours.
- the minutes are rounded up to 5 and capped at MAX_MINUTES ("more than three hours").

The counts see only net changes, so R is a lower bound and the estimate errs long, never short.
A location with no count, or whose latest count is STALE_AFTER old or more while it is open,
shows "not known" rather than a guess; a closed one shows "closed".

The page's data is cached under the computers versions of every library system and center and
the installation's staff version (places, hours), and the minute (core.versions).
"""

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta

from django.db.models import Prefetch
from django.db.models.functions import TruncHour

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.tenancy import organizations_for
from jobhelp.core import versions
from jobhelp.directory.enums import WaitStatus
from jobhelp.directory.hours import DayException, intervals_on, is_open
from jobhelp.directory.models import (
    ComputerCount,
    ComputerUsageHour,
    HoursException,
    counts_summed,
)
from jobhelp.directory.places import distance_km, find_place
from jobhelp.organizations.models import Location

STALE_AFTER = timedelta(minutes=30)
TURNOVER_WINDOW = timedelta(minutes=60)
MIN_SPAN = timedelta(minutes=15)
SESSION_MINUTES = 60
LONGEST_SESSION_MINUTES = 120
MAX_MINUTES = 180
# For "time to a computer": minutes on the road per kilometre (30 km/h, by bus or car).
TRAVEL_MINUTES_PER_KM = 2.0


@dataclass(frozen=True)
class Sample:
    at: datetime
    in_use: int
    waiting: int


@dataclass(frozen=True)
class Estimate:
    status: WaitStatus
    minutes: int | None  # None unless status is FREE (0) or WAIT
    in_use: int | None
    waiting: int | None
    computers: int
    counted_at: datetime | None


def turnover_per_minute(samples: list[Sample], computers: int) -> float:
    """Computers freed per minute, from counts in time order (see the module's docstring)."""
    floor = computers / LONGEST_SESSION_MINUTES
    if len(samples) >= 2 and samples[-1].at - samples[0].at >= MIN_SPAN:
        freed = sum(
            max(0, a.in_use - b.in_use) + max(0, a.waiting - b.waiting)
            for a, b in itertools.pairwise(samples)
        )
        if freed:
            minutes = (samples[-1].at - samples[0].at).total_seconds() / 60
            return max(freed / minutes, floor)
    return max(computers / SESSION_MINUTES, floor)


def estimate(samples: list[Sample], *, computers: int, now: datetime, open_now: bool) -> Estimate:
    """The wait at one location from its recent counts (time order, last TURNOVER_WINDOW)."""
    latest = samples[-1] if samples else None
    known = latest is not None and now - latest.at < STALE_AFTER
    if not open_now or not known:
        return Estimate(
            WaitStatus.CLOSED if not open_now else WaitStatus.NOT_KNOWN,
            None,
            latest.in_use if latest and known else None,
            latest.waiting if latest and known else None,
            computers,
            latest.at if latest else None,
        )
    free = max(0, computers - latest.in_use)
    if free > latest.waiting:
        return Estimate(WaitStatus.FREE, 0, latest.in_use, latest.waiting, computers, latest.at)
    ahead = latest.waiting - free + 1
    minutes = ahead / turnover_per_minute(samples, computers)
    minutes = min(MAX_MINUTES, 5 * math.ceil(minutes / 5))
    return Estimate(WaitStatus.WAIT, minutes, latest.in_use, latest.waiting, computers, latest.at)


def typical_wait(*, in_use: float, waiting: float, computers: int) -> int | None:
    """The wait a newcomer would have been told for a count of `in_use` of `computers` in use
    and `waiting` people waiting, at a typical session's turnover (N / SESSION_MINUTES), as
    estimate() works it out without recent counts to measure the turnover: minutes rounded up
    to 5, at most MAX_MINUTES. For the reports' hourly averages; None without computers."""
    if computers <= 0:
        return None
    free = max(0.0, computers - in_use)
    if free > waiting:
        return 0
    ahead = waiting - free + 1
    minutes = ahead / turnover_per_minute([], computers)
    return min(MAX_MINUTES, 5 * math.ceil(minutes / 5))


@dataclass(frozen=True)
class LocationComputers:
    """One location on the public computers page: plain values, so it can be cached."""

    location_id: int
    uuid: str
    name: str
    organization: str
    street: str
    city: str
    latitude: float | None
    longitude: float | None
    computers: int
    software: tuple[str, ...]
    printing: bool
    scanning: bool
    wifi: bool
    open_now: bool
    hours_today: tuple[tuple[time, time], ...]
    estimate: Estimate


def _exceptions(location) -> dict:
    return {e.on: DayException(e.opens, e.closes) for e in location.today_exceptions}


def _overview(now: datetime) -> tuple[LocationComputers, ...]:
    window = now - TURNOVER_WINDOW
    locations = (
        Location.objects.filter(is_active=True, public_computers__count__gt=0)
        .select_related("organization", "public_computers")
        .prefetch_related(
            "hours",
            Prefetch(
                "hours_exceptions",
                queryset=HoursException.objects.filter(
                    on__range=((now - timedelta(days=1)).date(), (now + timedelta(days=1)).date())
                ),
                to_attr="today_exceptions",
            ),
        )
        .order_by("name", "pk")
    )
    counts = defaultdict(list)
    for location_id, at, in_use, waiting in (
        ComputerCount.objects.filter(recorded_at__gt=window, recorded_at__lte=now)
        .order_by("location_id", "recorded_at", "pk")
        .values_list("location_id", "recorded_at", "in_use", "waiting")
    ):
        counts[location_id].append(Sample(at, in_use, waiting))
    rows = []
    for location in locations:
        weekly = [(h.weekday, h.opens, h.closes) for h in location.hours.all()]
        exceptions = _exceptions(location)
        open_now = is_open(now, zone=location.zone, weekly=weekly, exceptions=exceptions)
        computers = location.public_computers
        rows.append(
            LocationComputers(
                location_id=location.pk,
                uuid=str(location.uuid),
                name=location.name,
                organization=location.organization.name,
                street=location.street,
                city=location.city,
                latitude=float(location.latitude) if location.latitude is not None else None,
                longitude=float(location.longitude) if location.longitude is not None else None,
                computers=computers.count,
                software=tuple(computers.software),
                printing=computers.printing,
                scanning=computers.scanning,
                wifi=computers.wifi,
                open_now=open_now,
                hours_today=tuple(
                    intervals_on(
                        now.astimezone(location.zone).date(), weekly=weekly, exceptions=exceptions
                    )
                ),
                estimate=estimate(
                    counts[location.pk], computers=computers.count, now=now, open_now=open_now
                ),
            )
        )
    return tuple(rows)


def overview_numbers() -> tuple:
    """What the computers overview is made of, in one query: the computers numbers of every
    library system and center (each count, computer or kiosk raises its own) and the
    installation's staff number (places, hours). A page that shows the overview may be kept
    under these and the minute (public.common.pagecache)."""
    return versions.read_every([versions.COMPUTERS], [(versions.STAFF, 0)])


def computer_overview(*, now: datetime) -> tuple[LocationComputers, ...]:
    """Every open-to-the-public location with public computers, by name, with its wait. Cached
    under overview_numbers() and the minute: two queries when cached (the numbers, the entry),
    four when not."""
    # Within a minute the estimate moves with the clock only at its edges (a count turning
    # stale, opening time): an entry worked out at the first load of a minute serves the
    # rest of it, unless a change raises a version first.
    minute = now.replace(second=0, microsecond=0)
    return versions.cached_under(
        ("computer_overview", minute.isoformat()),
        versions=["overview"],
        numbers=overview_numbers(),
        compute=lambda: _overview(now),
    )


_KNOWN = frozenset({WaitStatus.FREE, WaitStatus.WAIT})


@dataclass(frozen=True)
class Option:
    """A location with computers, seen from the visitor's place."""

    location: LocationComputers
    distance_km: float
    travel_minutes: int
    # Travel plus the estimated wait; None when the wait is not known or the place is closed.
    minutes_to_a_computer: int | None


@dataclass(frozen=True)
class Suggestion:
    place: str
    postal_code: str
    options: tuple[Option, ...]

    @property
    def best(self) -> Option | None:
        first = self.options[0] if self.options else None
        return first if first is not None and first.minutes_to_a_computer is not None else None


def nearest_computers(place: str, *, now: datetime, within_km: float = 40.0) -> Suggestion:
    """The locations with public computers within `within_km` of a town or ZIP code, those
    open with a known wait first, by travel plus wait (TRAVEL_MINUTES_PER_KM), then the rest
    by distance. Raises places.PlaceUnknown for a town or ZIP code not in the area's list.
    Locations without coordinates are left out."""
    found = find_place(place)
    lat, lon = float(found.latitude), float(found.longitude)
    options = []
    for row in computer_overview(now=now):
        if row.latitude is None:
            continue
        km = distance_km(lat, lon, row.latitude, row.longitude)
        if km > within_km:
            continue
        travel = math.ceil(km * TRAVEL_MINUTES_PER_KM)
        wait = row.estimate.minutes if row.estimate.status in _KNOWN else None
        options.append(Option(row, round(km, 1), travel, None if wait is None else travel + wait))
    options.sort(
        key=lambda o: (
            o.minutes_to_a_computer is None,
            o.minutes_to_a_computer or 0,
            o.distance_km,
            o.location.name,
        )
    )
    return Suggestion(found.name, found.postal_code, tuple(options))


def location_computers(location_id: int, *, now: datetime) -> LocationComputers | None:
    """One location's entry on the page (for a kiosk or the staff count form), or None."""
    for row in computer_overview(now=now):
        if row.location_id == location_id:
            return row
    return None


# --- Reports ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UsageHour:
    location_id: int
    location: str
    hour: datetime  # the hour's start, UTC
    samples: int
    in_use_average: float
    in_use_max: int
    waiting_average: float
    waiting_max: int
    computers: int


def computer_use_by_hour(user, *, since: datetime, until: datetime) -> list[UsageHour]:
    """Computer use and people waiting by location and clock hour, from `since` to `until`, at
    the locations of the organizations the user manages (and their branches): the hourly sums
    kept for older counts and the raw counts of the last day, summed the same way. Three
    queries."""
    locations = dict(
        Location.objects.filter(
            organization__in=organizations_for(user, roles=MANAGING_ROLES)
        ).values_list("pk", "name")
    )
    merged: dict[tuple[int, datetime], UsageHour] = {}

    def add(location_id, hour, samples, in_use_sum, in_use_max, waiting_sum, waiting_max, total):
        key = (location_id, hour)
        before = merged.get(key)
        if before is not None:
            n = before.samples + samples
            merged[key] = replace(
                before,
                samples=n,
                in_use_average=(before.in_use_average * before.samples + in_use_sum) / n,
                in_use_max=max(before.in_use_max, in_use_max),
                waiting_average=(before.waiting_average * before.samples + waiting_sum) / n,
                waiting_max=max(before.waiting_max, waiting_max),
                computers=max(before.computers, total),
            )
        else:
            merged[key] = UsageHour(
                location_id,
                locations[location_id],
                hour,
                samples,
                in_use_sum / samples,
                in_use_max,
                waiting_sum / samples,
                waiting_max,
                total,
            )

    for row in ComputerUsageHour.objects.filter(
        location_id__in=list(locations), hour__gte=since, hour__lt=until
    ).values_list(
        "location_id",
        "hour",
        "samples",
        "in_use_sum",
        "in_use_max",
        "waiting_sum",
        "waiting_max",
        "computers",
    ):
        add(*row)
    raw = (
        ComputerCount.objects.filter(
            location_id__in=list(locations), recorded_at__gte=since, recorded_at__lt=until
        )
        .annotate(at=TruncHour("recorded_at", tzinfo=UTC))
        .values("location_id", "at")
        .annotate(**counts_summed())
        .order_by()
    )
    for row in raw:
        add(
            row["location_id"],
            row["at"],
            row["samples"],
            row["in_use_sum"],
            row["in_use_max"],
            row["waiting_sum"],
            row["waiting_max"],
            row["computers"],
        )
    return sorted(merged.values(), key=lambda u: (u.location, u.location_id, u.hour))
