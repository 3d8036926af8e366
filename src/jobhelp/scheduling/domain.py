"""Booking and cancelling appointments: the one way a helper's time is taken or given back.

Every path (staff booking from a request, a patron's link, rescheduling, the API) calls
`book_appointment`. Two bookings of the same time cannot both succeed: on PostgreSQL an
exclusion constraint over (helper, blocked time) for booked appointments rejects the second
insert; on SQLite the transaction is IMMEDIATE, so writers queue and the overlap check inside
it sees every committed booking.
"""

from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobhelp.accounts.enums import HELPING_ROLES
from jobhelp.core import audit
from jobhelp.scheduling import availability
from jobhelp.scheduling.enums import ACTIVE_STATES, AppointmentState
from jobhelp.scheduling.models import Appointment, AppointmentType

# How many next free times a SlotTaken offers, and how far ahead it looks for them.
NEXT_SLOTS = 3
NEXT_SLOT_DAYS = 14
KEY_LENGTH = Appointment._meta.get_field("idempotency_key").max_length


class BookingError(Exception):
    """Bad input for a booking or cancellation; the message is shown to the person acting."""


class SlotTaken(BookingError):
    """Someone else booked that time first. `next_starts` are the next free times (UTC)."""

    def __init__(self, next_starts: list[datetime]):
        self.next_starts = next_starts
        super().__init__(_("That time was just taken. Please choose another time."))


def _system_id(organization) -> int:
    return organization.parent_id or organization.pk


def _helps_for(user, organization) -> bool:
    org_ids = [organization.pk] + ([organization.parent_id] if organization.parent_id else [])
    return (
        user.is_active
        and user.memberships.filter(organization_id__in=org_ids, role__in=HELPING_ROLES).exists()
    )


def _earlier(idempotency_key: str | None) -> Appointment | None:
    if not idempotency_key:
        return None
    return Appointment.objects.filter(idempotency_key=idempotency_key).first()


def _overlapping(helper, blocked_from: datetime, blocked_until: datetime):
    return Appointment.objects.filter(
        helper=helper,
        state__in=sorted(ACTIVE_STATES),
        blocked_from__lt=blocked_until,
        blocked_until__gt=blocked_from,
    )


def _next_starts(helper, location, appointment_type, *, now: datetime) -> list[datetime]:
    found = availability.slots(helper, location, appointment_type, now=now, days=NEXT_SLOT_DAYS)
    return found[:NEXT_SLOTS]


def _validate(*, request, helper, location, appointment_type, starts, now) -> datetime:
    """Check everything that does not depend on other bookings; returns `starts` in UTC."""
    if timezone.is_naive(starts):
        raise BookingError(_("The time must include its time zone."))
    organization = location.organization
    if appointment_type.organization_id not in {organization.pk, _system_id(organization)}:
        raise BookingError(
            _("This kind of appointment is not offered at %(location)s.") % {"location": location}
        )
    if request is not None and _system_id(request.organization) != _system_id(organization):
        raise BookingError(_("This request belongs to another organization."))
    if not _helps_for(helper, organization):
        raise BookingError(
            _("%(name)s does not help at %(location)s.") % {"name": helper, "location": location}
        )
    zone = location.zone
    if not availability.exists_on_clock(starts, starts.tzinfo):
        raise BookingError(_("That time does not exist on the clock that day."))
    starts = starts.astimezone(UTC)
    if starts < now:
        raise BookingError(_("That time has already passed."))
    if starts < now + timedelta(minutes=appointment_type.min_notice):
        raise BookingError(
            ngettext(
                "This kind of appointment needs at least %(minutes)d minute’s notice.",
                "This kind of appointment needs at least %(minutes)d minutes’ notice.",
                appointment_type.min_notice,
            )
            % {"minutes": appointment_type.min_notice}
        )
    today = now.astimezone(zone).date()
    if starts.astimezone(zone).date() > today + timedelta(days=appointment_type.booking_window):
        raise BookingError(
            ngettext(
                "This kind of appointment can be booked at most %(days)d day ahead.",
                "This kind of appointment can be booked at most %(days)d days ahead.",
                appointment_type.booking_window,
            )
            % {"days": appointment_type.booking_window}
        )
    return starts


def book_appointment(
    *,
    request,
    helper,
    location,
    appointment_type: AppointmentType,
    starts: datetime,
    by,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Book `helper` at `location` for one appointment of `appointment_type` at `starts`.

    `starts` must be one of `availability.slots()` for that helper. A second call with the same
    `idempotency_key` (a double click, a retried API call) returns the first appointment and
    changes nothing. Raises BookingError for bad input and SlotTaken when someone else booked
    an overlapping time first; nothing is written then.

    Side effects: creates the Appointment; audit ``jobhelp.appointment.booked``.
    """
    now = now or timezone.now()
    if idempotency_key and len(idempotency_key) > KEY_LENGTH:
        raise BookingError(_("This form is out of date. Please reload the page and try again."))
    earlier = _earlier(idempotency_key)
    if earlier is not None:
        return earlier
    starts = _validate(
        request=request,
        helper=helper,
        location=location,
        appointment_type=appointment_type,
        starts=starts,
        now=now,
    )
    duration = timedelta(minutes=appointment_type.duration)
    ends = starts + duration
    blocked_from = starts - timedelta(minutes=appointment_type.padding_before)
    blocked_until = ends + timedelta(minutes=appointment_type.padding_after)

    local_date = starts.astimezone(location.zone).date()
    if starts not in availability.slots_between(
        helper, location, appointment_type, local_date, local_date, now=now
    ):
        # Not offered now: either someone took it a moment ago (the usual race, when the
        # losing page was rendered before the winner committed) or it was never offered.
        working = availability.working_intervals(helper, location, local_date, local_date)
        if any(s <= starts and ends <= e for s, e in working) and (
            _overlapping(helper, blocked_from, blocked_until).exists()
        ):
            # The same form submitted twice at once: the other submit may be what took it.
            earlier = _earlier(idempotency_key)
            if earlier is not None:
                return earlier
            raise SlotTaken(_next_starts(helper, location, appointment_type, now=now))
        raise BookingError(
            _("%(name)s is not available at that time. Please choose one of the times offered.")
            % {"name": helper}
        )

    try:
        with transaction.atomic():
            earlier = _earlier(idempotency_key)
            if earlier is not None:
                return earlier
            # On SQLite the IMMEDIATE transaction holds the write lock from its start, so this
            # check sees every booking committed before ours and none can slip in after it.
            if _overlapping(helper, blocked_from, blocked_until).exists():
                raise SlotTaken([])
            appointment = Appointment.objects.create(
                request=request,
                helper=helper,
                location=location,
                appointment_type=appointment_type,
                starts=starts,
                ends=ends,
                blocked_from=blocked_from,
                blocked_until=blocked_until,
                idempotency_key=idempotency_key or None,
            )
            audit.record(
                "jobhelp.appointment.booked",
                actor=by,
                organization=location.organization,
                obj=appointment,
                data={
                    "helper": helper.pk,
                    "location": location.pk,
                    "type": appointment_type.pk,
                    "request": request.pk if request is not None else None,
                    "starts": starts.strftime("%Y-%m-%dT%H:%MZ"),
                },
            )
    except (SlotTaken, IntegrityError):
        # Lost to a booking committed while ours was in flight: seen by the check above, or on
        # PostgreSQL caught by the exclusion constraint or the idempotency key's unique index.
        # Under READ COMMITTED each statement sees newer commits than the key check did, so the
        # winner may be this very form submitted twice.
        earlier = _earlier(idempotency_key)
        if earlier is not None:
            return earlier
        raise SlotTaken(_next_starts(helper, location, appointment_type, now=now)) from None
    return appointment


def cancel_appointment(appointment: Appointment, *, by, late: bool = False) -> Appointment:
    """Give the helper's time back. `late` marks a cancellation inside the type's notice, which
    reports count like a no-show.

    Side effects: state becomes cancelled or cancelled_late; audit
    ``jobhelp.appointment.cancelled``.
    """
    target = AppointmentState.CANCELLED_LATE if late else AppointmentState.CANCELLED
    with transaction.atomic():
        updated = Appointment.objects.filter(
            Q(pk=appointment.pk), state__in=sorted(ACTIVE_STATES)
        ).update(state=target)
        if not updated:
            raise BookingError(
                _("This appointment is no longer booked, so it cannot be cancelled.")
            )
        current = Appointment.objects.select_related("location__organization").get(
            pk=appointment.pk
        )
        audit.record(
            "jobhelp.appointment.cancelled",
            actor=by,
            organization=current.location.organization,
            obj=current,
            data={"late": late, "state": target},
        )
    return current
