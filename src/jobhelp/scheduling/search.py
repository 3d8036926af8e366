"""Bookable slots across every helper who may help with a request, in a fixed number of
queries however many helpers there are: the pool, then each kind of row read once for all of
them, and the interval arithmetic of `availability` done in Python."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Q, prefetch_related_objects

from jobhelp.core.enums import Modality
from jobhelp.intake.routing import pool_for_requests
from jobhelp.scheduling import availability
from jobhelp.scheduling.enums import ACTIVE_STATES, ExceptionKind
from jobhelp.scheduling.models import (
    Appointment,
    AppointmentType,
    AvailabilityException,
    Closure,
    WeeklyHours,
)


def _system_id(organization) -> int:
    return organization.parent_id or organization.pk


def slots_for_request(
    help_request, appointment_type: AppointmentType, *, now: datetime, days: int
) -> list[tuple]:
    """(helper, location, start) for every slot of `appointment_type` in the next `days` local
    dates, for every helper HelperPool would suggest for the request (qualified for one of its
    needs and serving its organization), at the locations of the request's library system
    where they work and the type is offered. In person, only at the request's preferred
    library when it has one. Sorted by start (UTC), then helper, then location."""
    prefetch_related_objects([help_request], "organization", "needs")
    pool = pool_for_requests([help_request])
    candidates = {
        helper.user.pk: helper
        for helper in pool.helpers.values()
        if pool.is_candidate(helper.user, help_request)
    }
    if not candidates:
        return []
    system = _system_id(help_request.organization)
    in_system = Q(location__organization_id=system) | Q(location__organization__parent_id=system)
    if appointment_type.modality == Modality.IN_PERSON and help_request.preferred_location_id:
        in_system &= Q(location_id=help_request.preferred_location_id)

    weekly = defaultdict(list)
    places = {}
    for row in WeeklyHours.objects.filter(in_system, helper_id__in=candidates).select_related(
        "location__organization"
    ):
        weekly[row.helper_id, row.location_id].append((row.weekday, row.starts, row.ends))
        places[row.helper_id, row.location_id] = row.location
    if not places:
        return []
    # Dates per location zone; one wide range (a day either side) for the queries.
    locations = {location.pk: location for location in places.values()}
    dates = {
        pk: availability.bookable_dates(appointment_type, location.zone, now, days)
        for pk, location in locations.items()
    }
    first = min(d[0] for d in dates.values())
    last = max(d[1] for d in dates.values())
    if last < first:
        return []
    lower = now - timedelta(days=2)
    upper = datetime.combine(last + timedelta(days=2), datetime.min.time(), tzinfo=now.tzinfo)

    exceptions = defaultdict(list)
    extra = AvailabilityException.objects.filter(
        in_system, kind=ExceptionKind.EXTRA, helper_id__in=candidates
    ).filter(date__gte=first, date__lte=last)
    time_off = AvailabilityException.objects.filter(
        helper_id__in=candidates, kind=ExceptionKind.TIME_OFF, date__gte=first, date__lte=last
    )
    for row in (extra | time_off).select_related("location__organization"):
        exceptions[row.helper_id, row.location_id].append(
            (row.kind, row.date, row.starts, row.ends)
        )
        if row.kind == ExceptionKind.EXTRA:
            places.setdefault((row.helper_id, row.location_id), row.location)
            if row.location_id not in locations:
                locations[row.location_id] = row.location
                dates[row.location_id] = availability.bookable_dates(
                    appointment_type, row.location.zone, now, days
                )
    closures = defaultdict(list)
    for location_id, starts, ends in Closure.objects.filter(
        location_id__in=locations, starts__lt=upper, ends__gt=lower
    ).values_list("location_id", "starts", "ends"):
        closures[location_id].append((starts, ends))
    margin = timedelta(minutes=appointment_type.padding_before + appointment_type.padding_after)
    busy = defaultdict(list)
    for helper_id, starts, ends in Appointment.objects.filter(
        helper_id__in=candidates,
        state__in=sorted(ACTIVE_STATES),
        blocked_from__lt=upper + margin,
        blocked_until__gt=lower - margin,
    ).values_list("helper_id", "blocked_from", "blocked_until"):
        busy[helper_id].append((starts, ends))

    found = []
    for (helper_id, location_id), location in places.items():
        helper = candidates[helper_id]
        organization = location.organization
        if appointment_type.organization_id not in {organization.pk, _system_id(organization)}:
            continue
        if not helper.organization_ids & {organization.pk, organization.parent_id}:
            continue
        start_date, end_date = dates[location_id]
        if end_date < start_date:
            continue
        free = availability.working_from_rows(
            location.zone,
            start_date,
            end_date,
            weekly[helper_id, location_id],
            exceptions[helper_id, location_id] + exceptions[helper_id, None],
            closures[location_id],
        )
        for start in availability.slots_from_intervals(
            free, busy[helper_id], appointment_type, location.zone, now=now
        ):
            found.append((helper.user, location, start))
    found.sort(key=lambda row: (row[2], str(row[0]), row[0].pk, row[1].pk))
    return found
