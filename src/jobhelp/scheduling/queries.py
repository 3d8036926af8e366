"""Reads of scheduling data, always scoped to what the staff member may see.

Everything starts from accounts.tenancy.organizations_for, as intake.queries does, so
another organization's helper, type or appointment is simply not found (a 404 in the API).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from jobhelp.accounts.enums import HELPING_ROLES
from jobhelp.accounts.models import Membership
from jobhelp.accounts.tenancy import above_and_self, organizations_for, tree
from jobhelp.intake.queries import NextAction, mine_for_user
from jobhelp.organizations.models import Location
from jobhelp.scheduling import availability
from jobhelp.scheduling.enums import ACTIVE_STATES, ExceptionKind
from jobhelp.scheduling.models import (
    Appointment,
    AppointmentType,
    AvailabilityException,
    Closure,
    WeeklyHours,
)

User = get_user_model()


def appointment_types_for_user(user) -> QuerySet[AppointmentType]:
    """Types offered at the user's organizations: their own, and those of the library systems
    above them, which their branches and affiliates offer too."""
    organizations = organizations_for(user)
    return (
        AppointmentType.objects.filter(
            Q(organization__in=organizations)
            | Q(organization__in=organizations.filter(parent__isnull=False).values("parent_id"))
        )
        .select_related("organization")
        .order_by("name", "pk")
    )


def helpers_for_user(user) -> QuerySet:
    """Active staff holding a helping role in one of the user's organizations."""
    helping_here = Membership.objects.filter(
        user=OuterRef("pk"),
        organization__in=organizations_for(user),
        role__in=HELPING_ROLES,
    )
    return User.objects.filter(Exists(helping_here), is_active=True)


def find_helper_for_user(user, pk: int):
    return helpers_for_user(user).filter(pk=pk).first()


def locations_for_user(user) -> QuerySet[Location]:
    return Location.objects.filter(organization__in=organizations_for(user))


def appointments_for_user(user) -> QuerySet[Appointment]:
    """Appointments at a location of the user's organizations, and those of the requests the
    user sees (a branch's request may be booked at the library system's central building)."""
    organizations = organizations_for(user)
    return Appointment.objects.filter(
        Q(location__organization__in=organizations) | Q(request__organization__in=organizations)
    ).select_related("request", "helper", "location", "appointment_type")


def find_appointment_for_user(user, pk: int) -> Appointment | None:
    return appointments_for_user(user).filter(pk=pk).first()


def find_appointment_by_key(user, idempotency_key: str) -> Appointment | None:
    """The appointment an earlier call with this idempotency key made, if the user sees it."""
    return appointments_for_user(user).filter(idempotency_key=idempotency_key).first()


# --- What a booking for a request may name ------------------------------------------------------
# The same helpers and locations slot search offers for the request (scheduling.search), so a
# crafted booking cannot name anyone or anything outside the request's library system.


def helpers_for_request(help_request) -> QuerySet:
    """Active staff holding a helping role in the request's organization or the system above it
    (the pool intake.routing suggests from)."""
    organization = help_request.organization
    helping_here = Membership.objects.filter(
        user=OuterRef("pk"),
        organization_id__in=above_and_self(organization),
        role__in=HELPING_ROLES,
    )
    return User.objects.filter(Exists(helping_here), is_active=True)


def locations_for_request(help_request) -> QuerySet[Location]:
    """The locations of the request's library system and of its branches and affiliates."""
    return Location.objects.filter(
        tree(help_request.organization.root_id, via="organization")
    ).select_related("organization")


# --- A helper's availability ---------------------------------------------------------------------

Interval = tuple[datetime, datetime]


@dataclass
class LocationAvailability:
    """What makes up a helper's time at one location on some local dates. Times are aware
    datetimes in the location's zone; `weekly_hours` are the wall-clock rows themselves."""

    location: Location
    weekly_hours: list[tuple[int, time, time]] = field(default_factory=list)
    exceptions: list[tuple[str, date, Interval, bool]] = field(default_factory=list)
    closures: list[tuple[str, Interval]] = field(default_factory=list)
    working: list[Interval] = field(default_factory=list)


@dataclass
class HelperAvailability:
    helper: object
    first: date
    last: date
    locations: list[LocationAvailability]
    booked: list[Interval]


def _local_interval(day: date, starts: time | None, ends: time | None, zone) -> Interval:
    """An exception's interval on the location's wall clock; no times mean the whole day."""
    if starts is None:
        starts, ends, end_day = time(0), time(0), day + timedelta(days=1)
    else:
        end_day = day
    # fold=0, as availability reads wall-clock times (docs/conventions/time-zones.md).
    return (
        datetime.combine(day, starts, tzinfo=zone).astimezone(UTC).astimezone(zone),
        datetime.combine(end_day, ends, tzinfo=zone).astimezone(UTC).astimezone(zone),
    )


def helper_availability(
    helper, *, locations: QuerySet[Location], first: date, last: date
) -> HelperAvailability:
    """Weekly hours, exceptions, closures and the resulting working intervals of `helper` at
    each of `locations` where they have hours or extra hours on the local dates `first` to
    `last`, plus the times their booked appointments block (padding included, at any location,
    from a day before `first` to a day after `last`, so that every zone's dates are covered).
    Four queries, however many locations and rows."""
    weekly: dict[int, list[tuple[int, time, time]]] = {}
    places: dict[int, Location] = {}
    for row in (
        WeeklyHours.objects.filter(helper=helper, location__in=locations)
        .select_related("location")
        .order_by("location__name", "location_id", "weekday", "starts")
    ):
        weekly.setdefault(row.location_id, []).append((row.weekday, row.starts, row.ends))
        places.setdefault(row.location_id, row.location)
    # A day either side of the dates covers every zone's local midnight.
    lower = datetime.combine(first - timedelta(days=1), time(0), tzinfo=UTC)
    upper = datetime.combine(last + timedelta(days=2), time(0), tzinfo=UTC)
    rows = (
        AvailabilityException.objects.filter(
            Q(location__in=locations) | Q(location__isnull=True),
            helper=helper,
            date__gte=first,
            date__lte=last,
        )
        .select_related("location")
        .order_by("date", "starts", "pk")
    )
    exceptions: dict[int | None, list] = {}
    for row in rows:
        exceptions.setdefault(row.location_id, []).append(row)
        if row.kind == ExceptionKind.EXTRA:
            places.setdefault(row.location_id, row.location)
    closures: dict[int, list[Closure]] = {}
    for closure in Closure.objects.filter(
        location_id__in=list(places), starts__lt=upper, ends__gt=lower
    ).order_by("starts", "pk"):
        closures.setdefault(closure.location_id, []).append(closure)
    booked = list(
        Appointment.objects.filter(
            helper=helper,
            state__in=sorted(ACTIVE_STATES),
            blocked_from__lt=upper,
            blocked_until__gt=lower,
        )
        .order_by("blocked_from", "pk")
        .values_list("blocked_from", "blocked_until")
    )

    result = []
    for location in sorted(places.values(), key=lambda loc: (loc.name, loc.pk)):
        zone = location.zone
        here = exceptions.get(location.pk, []) + exceptions.get(None, [])
        here.sort(key=lambda row: (row.date, row.starts or time(0), row.pk))
        window_lower = datetime.combine(first, time(0), tzinfo=zone)
        window_upper = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
        shut = [
            c
            for c in closures.get(location.pk, [])
            if c.starts < window_upper and c.ends > window_lower
        ]
        working = availability.working_from_rows(
            zone,
            first,
            last,
            weekly.get(location.pk, []),
            [(row.kind, row.date, row.starts, row.ends) for row in here],
            [(c.starts, c.ends) for c in shut],
        )
        result.append(
            LocationAvailability(
                location=location,
                weekly_hours=weekly.get(location.pk, []),
                exceptions=[
                    (
                        row.kind,
                        row.date,
                        _local_interval(row.date, row.starts, row.ends, zone),
                        row.starts is None,
                    )
                    for row in here
                ],
                closures=[
                    (c.reason, (c.starts.astimezone(zone), c.ends.astimezone(zone))) for c in shut
                ],
                working=[(s.astimezone(zone), e.astimezone(zone)) for s, e in working],
            )
        )
    return HelperAvailability(
        helper=helper, first=first, last=last, locations=result, booked=booked
    )


# --- Staff pages: a request's appointments, the calendar, a helper's feed ------------------------


def appointment_types_for_request(help_request) -> QuerySet[AppointmentType]:
    """The types a request may be booked for: its organization's and its library system's."""
    organization = help_request.organization
    return AppointmentType.objects.filter(
        organization_id__in=set(above_and_self(organization))
    ).order_by("name", "pk")


def _moved():
    """True for an appointment that was rescheduled: its row is cancelled, a newer one took
    over its reference and calendar UID."""
    return Exists(Appointment.objects.filter(rescheduled_from=OuterRef("pk")))


def appointments_for_request(help_request) -> QuerySet[Appointment]:
    """Every appointment of a request the caller may see (found with intake.queries), newest
    booking first, with `moved` set on the rows a reschedule replaced."""
    return (
        Appointment.objects.filter(request=help_request)
        .select_related("helper", "location", "appointment_type")
        .annotate(moved=_moved())
        .order_by("-starts", "-pk")
    )


def calendar_for_user(
    user, *, lower: datetime, upper: datetime, helper=None, location=None
) -> QuerySet[Appointment]:
    """Appointments starting in [lower, upper) at the locations of the user's organizations,
    of one helper or at one location (or both), in every state, with `moved` set."""
    appointments = Appointment.objects.filter(
        location__organization__in=organizations_for(user),
        starts__gte=lower,
        starts__lt=upper,
    )
    if helper is not None:
        appointments = appointments.filter(helper=helper)
    if location is not None:
        appointments = appointments.filter(location=location)
    return (
        appointments.select_related(
            "helper", "location", "appointment_type", "request__organization"
        )
        .annotate(moved=_moved())
        .order_by("starts", "pk")
    )


# How far back and ahead a helper's calendar feed reaches.
FEED_PAST = timedelta(days=30)
FEED_AHEAD = timedelta(days=90)


def appointments_for_feed(helper, *, now: datetime) -> QuerySet[Appointment]:
    """The helper's own appointments from FEED_PAST before `now` to FEED_AHEAD after it, in
    every state. A rescheduled booking appears once, as its latest row: the old row shares its
    calendar UID, and a feed with one UID twice is one event too many for calendar programs."""
    return (
        Appointment.objects.filter(
            helper=helper, starts__gte=now - FEED_PAST, starts__lt=now + FEED_AHEAD
        )
        .exclude(_moved())
        .select_related("request", "location", "appointment_type")
        .order_by("starts", "pk")
    )


# --- My requests ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MyRequest:
    """One row of a helper's own list: the request, what to do next and by when, and its
    next booked appointment, if any."""

    request: object
    action: NextAction
    appointment: Appointment | None


def my_requests(user, *, now: datetime | None = None) -> list[MyRequest]:
    """intake.queries.mine_for_user with each request's next booked appointment (one more
    query), whose time decides the next action while there is one: before it, the
    appointment itself; once it has started and is still unmarked, recording the help given
    (or that the patron did not come), due at its end. Soonest first."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    rows = mine_for_user(user)
    booked: dict[int, Appointment] = {}
    for appointment in (
        Appointment.objects.filter(
            request_id__in=[help_request.pk for help_request, _action in rows],
            state__in=sorted(ACTIVE_STATES),
        )
        .select_related("appointment_type", "location")
        .order_by("starts", "pk")
    ):
        booked.setdefault(appointment.request_id, appointment)
    result = []
    for help_request, action in rows:
        appointment = booked.get(help_request.pk)
        if appointment is not None and appointment.starts > now:
            action = NextAction(
                label=_("Appointment: %(type)s") % {"type": appointment.appointment_type},
                due=appointment.starts,
                overdue=False,
            )
        elif appointment is not None:
            action = NextAction(
                label=_("Record the help given at the appointment, or that the patron missed it"),
                due=appointment.ends,
                overdue=appointment.ends < now,
            )
        result.append(MyRequest(request=help_request, action=action, appointment=appointment))
    return sorted(result, key=lambda row: (row.action.due, row.request.pk))
