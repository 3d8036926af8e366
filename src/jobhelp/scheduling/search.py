"""Bookable slots across every helper who may help with a request, in a fixed number of
queries however many helpers there are: the candidates, then each kind of row read once for
all of them, and the interval arithmetic of `availability` done in Python."""

import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import connections
from django.db.models import BigIntegerField, Exists, Func, OuterRef, Q, prefetch_related_objects
from django.utils import timezone

from jobhelp.accounts.enums import HELPING_ROLES
from jobhelp.accounts.models import Membership, Qualification
from jobhelp.accounts.tenancy import above_and_self
from jobhelp.core.enums import Modality
from jobhelp.organizations.models import Location
from jobhelp.scheduling import availability
from jobhelp.scheduling.availability import from_micros, to_micros
from jobhelp.scheduling.enums import ACTIVE_STATES, ExceptionKind
from jobhelp.scheduling.models import (
    Appointment,
    AppointmentType,
    AvailabilityException,
    Closure,
    WeeklyHours,
)
from jobhelp.scheduling.queries import locations_for_request


class EpochMicroseconds(Func):
    """A moment as whole microseconds since 1970 (availability.to_micros), counted by the
    database, in the SQL of both: thousands of booked ranges are read without making a
    datetime for each."""

    # date_part gives a double, which PostgreSQL multiplies far faster than EXTRACT's numeric;
    # a double holds every microsecond of these years exactly enough to round to it.
    template = "(date_part('epoch', %(expressions)s) * 1000000)::bigint"
    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django stores "YYYY-MM-DD HH:MM:SS" in UTC, and ".ffffff" (six digits) after it when
        # there are microseconds; CAST('' AS INTEGER) is 0. The column is named twice, and
        # has no parameters.
        return self.as_sql(
            compiler,
            connection,
            template="(CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) * 1000000"
            " + CAST(substr(%(expressions)s, 21) AS INTEGER))",
            **extra_context,
        )

    def get_db_converters(self, connection):
        # Both databases give an int already; Django's int() on every value is not needed.
        return []


@dataclass(frozen=True)
class Candidate:
    user: object
    # Of the organizations the request is served from (its own and the system above it), those
    # where the helper holds a helping role.
    organization_ids: frozenset[int]


def candidates_for_request(help_request, *, today: date | None = None) -> dict[int, Candidate]:
    """The helpers intake's HelperPool.is_candidate accepts for the request, by user id, in one
    query: active, holding a helping role in the request's organization or the library system
    above it, and qualified (from `today` at the latest) for one of its needs. Building the
    pool itself would also read every helper's languages, open requests and the routing
    rules, which slot search does not use. tests/scheduling/test_search.py compares the two."""
    organization = help_request.organization
    needs = {need.need for need in help_request.needs.all()}
    if not needs:
        return {}
    today = today or timezone.localdate()
    qualified = Qualification.objects.filter(
        Q(qualified_from__isnull=True) | Q(qualified_from__lte=today),
        user_id=OuterRef("user_id"),
        need__in=sorted(needs),
    )
    memberships = (
        Membership.objects.filter(
            Exists(qualified),
            organization_id__in=above_and_self(organization),
            role__in=sorted(HELPING_ROLES),
            user__is_active=True,
        )
        .select_related("user")
        .order_by()
    )
    users, organization_ids = {}, defaultdict(set)
    for membership in memberships:
        users[membership.user_id] = membership.user
        organization_ids[membership.user_id].add(membership.organization_id)
    return {
        pk: Candidate(user=user, organization_ids=frozenset(organization_ids[pk]))
        for pk, user in users.items()
    }


class FoundSlots(Sequence):
    """(helper, location, start) for every slot, sorted by start (UTC), then helper name,
    helper and location. Each place (helper and location) keeps its own sorted starts, in
    microseconds since the epoch; the tuples and datetimes are made only for what is read, so
    an API page of 50 costs the same however many thousand slots there are, and the count is
    the sum of the places' lengths."""

    def __init__(self, places: list[tuple[object, Location, list[int]]]):
        # In the order of helper name, helper and location: ties on the start keep it.
        self._places = [place for place in places if place[2]]
        self._length = sum(len(starts) for _user, _location, starts in self._places)

    def __len__(self) -> int:
        return self._length

    def _merged(self) -> Iterator[tuple[int, int]]:
        return heapq.merge(
            *(
                zip(starts, itertools.repeat(rank), strict=False)
                for rank, (_user, _location, starts) in enumerate(self._places)
            )
        )

    def _row(self, start: int, rank: int) -> tuple:
        user, location, _starts = self._places[rank]
        return user, location, from_micros(start)

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            if step != 1:
                return self.to_list()[index]
            return [self._row(*pair) for pair in itertools.islice(self._merged(), start, stop)]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        return self._row(*next(itertools.islice(self._merged(), index, None)))

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.to_list())

    def to_list(self) -> list[tuple]:
        # Sorting (start, rank) pairs, made in C, is quicker than merging the places' runs in
        # Python; many helpers share a start, so each datetime is made once.
        pairs = []
        for rank, (_user, _location, starts) in enumerate(self._places):
            pairs += zip(starts, itertools.repeat(rank), strict=False)
        pairs.sort()
        moments: dict[int, datetime] = {}
        found = []
        for start, rank in pairs:
            moment = moments.get(start)
            if moment is None:
                moment = moments[start] = from_micros(start)
            user, location, _starts = self._places[rank]
            found.append((user, location, moment))
        return found


def slots_for_request(
    help_request, appointment_type: AppointmentType, *, now: datetime, days: int
) -> list[tuple]:
    """(helper, location, start) for every slot of `appointment_type` in the next `days` local
    dates, for every helper HelperPool would suggest for the request (qualified for one of its
    needs and serving its organization), at the locations of the request's library system
    where they work and the type is offered. In person, only at the request's preferred
    library when it has one. Sorted by start (UTC), then helper, then location."""
    return find_slots(help_request, appointment_type, now=now, days=days).to_list()


def find_slots(
    help_request, appointment_type: AppointmentType, *, now: datetime, days: int
) -> FoundSlots:
    """slots_for_request as a FoundSlots, for those who read a part of it (a page)."""
    prefetch_related_objects([help_request], "organization", "needs")
    candidates = candidates_for_request(help_request)
    if not candidates:
        return FoundSlots([])
    # The locations of the request's library system where the type is offered (its own
    # organization's, and a library system's type at its branches too); in person, only the
    # request's preferred library when it has one.
    locations = {
        location.pk: location
        for location in locations_for_request(help_request)
        if appointment_type.organization_id
        in {location.organization_id, location.organization.root_id}
    }
    if appointment_type.modality == Modality.IN_PERSON and help_request.preferred_location_id:
        preferred = help_request.preferred_location_id
        locations = {preferred: locations[preferred]} if preferred in locations else {}
    if not locations:
        return FoundSlots([])

    # Rows are read as plain values: building a model instance for every row cost more than
    # the rest. They are read unordered: the models' default orderings joined tables and
    # sorted thousands of rows that the interval arithmetic sorts again anyway.
    weekly = defaultdict(list)
    for helper_id, location_id, weekday, starts, ends in (
        WeeklyHours.objects.filter(location_id__in=locations, helper_id__in=candidates)
        .order_by()
        .values_list("helper_id", "location_id", "weekday", "starts", "ends")
    ):
        weekly[helper_id, location_id].append((weekday, starts, ends))
    if not weekly:
        return FoundSlots([])
    # Exceptions for the dates of every zone: a local date is at most a day from UTC's.
    # working_micros leaves out the rows outside each location's own dates.
    utc_first, utc_last = availability.bookable_dates(appointment_type, UTC, now, days)
    if utc_last < utc_first:
        return FoundSlots([])
    exceptions = defaultdict(list)
    extra_places = []
    for helper_id, location_id, kind, day, starts, ends in (
        AvailabilityException.objects.filter(
            Q(kind=ExceptionKind.EXTRA, location_id__in=locations) | Q(kind=ExceptionKind.TIME_OFF),
            helper_id__in=candidates,
            date__gte=utc_first - timedelta(days=1),
            date__lte=utc_last + timedelta(days=1),
        )
        .order_by()
        .values_list("helper_id", "location_id", "kind", "date", "starts", "ends")
    ):
        exceptions[helper_id, location_id].append((kind, day, starts, ends))
        if kind == ExceptionKind.EXTRA:
            extra_places.append((helper_id, location_id))
    places = dict.fromkeys([*weekly, *extra_places])
    locations = {pk: locations[pk] for _helper_id, pk in places}
    # Dates per location zone; one wide range (a day either side) for the queries.
    dates = {
        pk: availability.bookable_dates(appointment_type, location.zone, now, days)
        for pk, location in locations.items()
    }
    last = max(d[1] for d in dates.values())
    lower = now - timedelta(days=2)
    upper = datetime.combine(last + timedelta(days=2), datetime.min.time(), tzinfo=now.tzinfo)

    closures = defaultdict(list)
    for location_id, starts, ends in (
        Closure.objects.filter(location_id__in=locations, starts__lt=upper, ends__gt=lower)
        .order_by()
        .values_list("location_id", "starts", "ends")
    ):
        closures[location_id].append((to_micros(starts), to_micros(ends)))
    margin = timedelta(minutes=appointment_type.padding_before + appointment_type.padding_after)
    booked = Appointment.objects.filter(
        helper_id__in=candidates,
        state__in=sorted(ACTIVE_STATES),
        blocked_from__lt=upper + margin,
        blocked_until__gt=lower - margin,
    ).order_by()
    busy = defaultdict(list)
    rows = booked.values_list(
        "helper_id", EpochMicroseconds("blocked_from"), EpochMicroseconds("blocked_until")
    )
    # Thousands of rows: read in one go, without the ORM's row-by-row iteration.
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        for helper_id, starts, ends in cursor.fetchall():
            busy[helper_id].append((starts, ends))

    found = []
    names = {pk: str(candidate.user) for pk, candidate in candidates.items()}
    for helper_id, location_id in sorted(places, key=lambda key: (names[key[0]], *key)):
        candidate = candidates[helper_id]
        location = locations[location_id]
        organization = location.organization
        if not candidate.organization_ids & {organization.pk, organization.parent_id}:
            continue
        start_date, end_date = dates[location_id]
        if end_date < start_date:
            continue
        free = availability.working_micros(
            location.zone,
            start_date,
            end_date,
            weekly[helper_id, location_id],
            exceptions[helper_id, location_id] + exceptions[helper_id, None],
            closures[location_id],
        )
        starts = availability.slot_micros(
            free, busy[helper_id], appointment_type, location.zone, now=now
        )
        found.append((candidate.user, location, starts))
    return FoundSlots(found)
