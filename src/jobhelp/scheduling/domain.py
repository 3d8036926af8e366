"""Booking and cancelling appointments: the one way a helper's time is taken or given back.

Every path (staff booking from a request, a patron's link, rescheduling, the API) calls
`book_appointment`. Two bookings of the same time cannot both succeed: on PostgreSQL an
exclusion constraint over (helper, blocked time) for booked appointments rejects the second
insert; on SQLite the transaction is IMMEDIATE, so writers queue and the overlap check inside
it sees every committed booking.

Marking whether the patron came is in scheduling.attendance; offering the patron times to
choose from, and booking one of them, in scheduling.offers.
"""

from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobhelp.accounts.enums import HELPING_ROLES
from jobhelp.accounts.tenancy import above_and_self, holds_role
from jobhelp.core import audit, versions
from jobhelp.intake import triage
from jobhelp.intake.enums import RequestState
from jobhelp.intake.models import HelpRequest
from jobhelp.scheduling import availability, links, messages, rules
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


# A request may be given an appointment from these states; a second appointment for a request
# already scheduled keeps it scheduled.
SCHEDULING_FROM = frozenset({RequestState.ASSIGNED, RequestState.IN_PROGRESS})


def can_be_scheduled(help_request) -> bool:
    """Whether the request's state lets an appointment be booked for it now."""
    return help_request.state in SCHEDULING_FROM | {RequestState.SCHEDULED}


# PostgreSQL advisory locks on a helper's time use this prefix, shifted above the helper's id
# (ids below 2**32 keep the keys apart).
HELPER_TIME_LOCK = 0x6A6F62 << 32


def lock_helper_time(helper_id: int) -> None:
    """Inside a transaction: wait until no other transaction is changing this helper's
    bookings. On SQLite the IMMEDIATE transaction already holds the one write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [HELPER_TIME_LOCK + helper_id])


def earlier_booking(idempotency_key: str | None, *, helper) -> Appointment | None:
    """The appointment an earlier submit of the same form made. Scoped to the helper, so a
    key guessed or copied from another organization's form never returns its appointment."""
    if not idempotency_key:
        return None
    return Appointment.objects.filter(idempotency_key=idempotency_key, helper=helper).first()


def _overlapping(helper, blocked_from: datetime, blocked_until: datetime, excluding=None):
    return Appointment.objects.filter(
        helper=helper,
        state__in=sorted(ACTIVE_STATES),
        blocked_from__lt=blocked_until,
        blocked_until__gt=blocked_from,
    ).exclude(pk=excluding)


def _next_starts(helper, location, appointment_type, *, now: datetime) -> list[datetime]:
    found = availability.slots(helper, location, appointment_type, now=now, days=NEXT_SLOT_DAYS)
    return found[:NEXT_SLOTS]


def check_may_act(by, *, request, organization, appointment_type) -> None:
    """Raise BookingError unless rules.may_act lets `by` book or change an appointment of
    this type for the request (without one, at `organization`); `by` None is the patron."""
    if rules.may_act(
        by, help_request=request, organization=organization, appointment_type=appointment_type
    ):
        return
    if by is None:
        raise BookingError(_("This kind of appointment can only be booked by library staff."))
    raise BookingError(
        _("Only the person helping, front desk staff and managers can book or change appointments.")
    )


def check_request_state(request) -> None:
    """Refuse, before anything is written, a request that cannot be scheduled now."""
    if can_be_scheduled(request):
        return
    if request.state == RequestState.NEW or request.assigned_to_id is None:
        raise BookingError(
            _("Assign this request to a helper before booking an appointment for it.")
        )
    raise BookingError(
        _("This request is %(state)s, so no appointment can be booked for it.")
        % {"state": request.get_state_display().lower()}
    )


def _schedule_request(request, *, appointment: Appointment, by) -> None:
    """Move the request to "Appointment scheduled" (intake.triage.mark_scheduled), or say why
    it cannot be."""
    if triage.mark_scheduled(
        request, from_states=SCHEDULING_FROM, appointment_id=appointment.pk, by=by
    ):
        return
    current = HelpRequest.objects.get(pk=request.pk)
    check_request_state(current)
    raise BookingError(  # pragma: no cover - only a concurrent change gets here
        _("This request is %(state)s, so no appointment can be booked for it.")
        % {"state": current.get_state_display().lower()}
    )


def unschedule_request(request_id: int | None, *, by) -> None:
    """After a cancellation: a scheduled request with no booked appointment left is back in
    progress."""
    if request_id is None:
        return
    still_booked = Appointment.objects.filter(
        request_id=OuterRef("pk"), state__in=sorted(ACTIVE_STATES)
    )
    triage.mark_unscheduled(request_id, by=by, unless=Exists(still_booked))


def _validate(*, request, helper, location, appointment_type, starts, now) -> datetime:
    """Check everything that does not depend on other bookings; returns `starts` in UTC."""
    if timezone.is_naive(starts):
        raise BookingError(_("The time must include its time zone."))
    organization = location.organization
    if appointment_type.organization_id not in set(above_and_self(organization)):
        raise BookingError(
            _("This kind of appointment is not offered at %(location)s.") % {"location": location}
        )
    if request is not None and request.organization.root_id != organization.root_id:
        raise BookingError(_("This request belongs to another organization."))
    if not holds_role(helper, organization, HELPING_ROLES):
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

    `starts` must be one of `availability.slots()` for that helper. `by` is the staff member
    booking (the request's helper, front desk staff or a manager: rules.can_book), or None on
    the patron's own self-service path, allowed only for self-service types. A request must be
    assigned first; it becomes "Appointment scheduled". A second call with the same
    `idempotency_key` (a double click, a retried API call) returns the first appointment and
    changes nothing. Raises BookingError for bad input and SlotTaken when someone else booked
    an overlapping time first; nothing is written then.

    Side effects: creates the Appointment; audit ``jobhelp.appointment.booked``; the request
    becomes scheduled (audit ``jobhelp.request.scheduled``) unless it already was.
    """
    return _book(
        request=request,
        helper=helper,
        location=location,
        appointment_type=appointment_type,
        starts=starts,
        by=by,
        idempotency_key=idempotency_key,
        now=now,
        replacing=None,
    )


def _book(
    *,
    request,
    helper,
    location,
    appointment_type: AppointmentType,
    starts: datetime,
    by,
    idempotency_key: str | None,
    now: datetime | None,
    replacing: Appointment | None,
) -> Appointment:
    """book_appointment, or, with `replacing`, the same booking made in one transaction with
    the cancellation of `replacing`, whose own time counts as free."""
    now = now or timezone.now()
    check_may_act(
        by, request=request, organization=location.organization, appointment_type=appointment_type
    )
    if idempotency_key and len(idempotency_key) > KEY_LENGTH:
        raise BookingError(_("This form is out of date. Please reload the page and try again."))
    earlier = earlier_booking(idempotency_key, helper=helper)
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
    if request is not None:
        check_request_state(request)
    duration = timedelta(minutes=appointment_type.duration)
    ends = starts + duration
    blocked_from = starts - timedelta(minutes=appointment_type.padding_before)
    blocked_until = ends + timedelta(minutes=appointment_type.padding_after)

    local_date = starts.astimezone(location.zone).date()
    excluding = replacing.pk if replacing is not None else None

    def offered() -> bool:
        return starts in availability.slots_between(
            helper, location, appointment_type, local_date, local_date, now=now, excluding=excluding
        )

    if not offered():
        # Not offered now: either someone took it a moment ago (the usual race, when the
        # losing page was rendered before the winner committed) or it was never offered.
        working = availability.working_intervals(helper, location, local_date, local_date)
        inside = any(s <= starts and ends <= e for s, e in working)
        if inside and _overlapping(helper, blocked_from, blocked_until, excluding).exists():
            # The same form submitted twice at once: the other submit may be what took it.
            earlier = earlier_booking(idempotency_key, helper=helper)
            if earlier is not None:
                return earlier
            raise SlotTaken(_next_starts(helper, location, appointment_type, now=now))
        # Nothing in the way: never offered, unless the booking in the way was cancelled
        # between the two reads, so look once more.
        if not (inside and offered()):
            raise BookingError(
                _("%(name)s is not available at that time. Please choose one of the times offered.")
                % {"name": helper.first_name or helper}
            )

    try:
        with transaction.atomic():
            # Changes to one helper's time queue here, and then on the request's row, always in
            # this order: two inserts that each wait on the other's row in the exclusion
            # constraint are a deadlock on PostgreSQL, so none may reach it at the same time.
            lock_helper_time(helper.pk)
            if request is not None:
                list(
                    HelpRequest.objects.select_for_update()
                    .filter(pk=request.pk)
                    .values_list("pk", flat=True)
                )
            earlier = earlier_booking(idempotency_key, helper=helper)
            if earlier is not None:
                return earlier
            # The old appointment is cancelled first, so that neither the check below nor
            # PostgreSQL's exclusion constraint sees its time as taken; a failure rolls it back.
            if replacing is not None and not Appointment.objects.filter(
                pk=replacing.pk, state__in=sorted(ACTIVE_STATES)
            ).update(state=AppointmentState.CANCELLED):
                raise BookingError(
                    _("This appointment is no longer booked, so it cannot be rescheduled.")
                )
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
                # The booking's own clock: reminders already due at this moment are skipped.
                created_at=now,
                **_identity(replacing),
            )
            if replacing is None:
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
                if request is not None:
                    _schedule_request(request, appointment=appointment, by=by)
                messages.booked(load_appointment(appointment))
            else:
                audit.record(
                    "jobhelp.appointment.rescheduled",
                    actor=by,
                    organization=location.organization,
                    obj=appointment,
                    data={
                        "replaces": replacing.pk,
                        "was": replacing.starts.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ"),
                        "starts": starts.strftime("%Y-%m-%dT%H:%MZ"),
                    },
                )
                links.follow_reschedule(replacing, appointment)
                messages.rescheduled(load_appointment(appointment), previous=replacing, by=by)
            versions.bump(versions.SCHEDULE, location.organization.root_id)
    except (SlotTaken, IntegrityError):
        # Lost to a booking committed while ours was in flight: seen by the check above, or on
        # PostgreSQL caught by the exclusion constraint or the idempotency key's unique index.
        # Under READ COMMITTED each statement sees newer commits than the key check did, so the
        # winner may be this very form submitted twice.
        earlier = earlier_booking(idempotency_key, helper=helper)
        if earlier is not None:
            return earlier
        raise SlotTaken(_next_starts(helper, location, appointment_type, now=now)) from None
    return appointment


def _identity(replacing: Appointment | None) -> dict:
    """A reschedule is the same booking to the patron and their calendar program."""
    if replacing is None:
        return {}
    return {
        "uid": replacing.uid,
        "reference": replacing.reference,
        "sequence": replacing.sequence + 1,
        "rescheduled_from": replacing,
    }


def _check_not_started(appointment: Appointment, *, now: datetime) -> None:
    """A patron changes their appointment only before it starts; after that, staff do."""
    if appointment.starts <= now:
        raise BookingError(
            _("This appointment has already started, so it cannot be changed here. Please call us.")
        )


def check_may_change(appointment: Appointment, *, by) -> None:
    """check_may_act for the request, location and type of `appointment`."""
    check_may_act(
        by,
        request=appointment.request,
        organization=appointment.location.organization,
        appointment_type=appointment.appointment_type,
    )


def load_appointment(appointment: Appointment) -> Appointment:
    """`appointment` read again with its request, location, type and helper."""
    return Appointment.objects.select_related(
        "request__organization", "location__organization", "appointment_type", "helper"
    ).get(pk=appointment.pk)


def cancel_appointment(
    appointment: Appointment, *, by, late: bool = False, now: datetime | None = None
) -> Appointment:
    """Give the helper's time back. `late` marks a cancellation inside the type's notice, which
    reports count like a no-show. `by` is the staff member acting, or None when the patron
    cancels through their own link (always allowed: it is their appointment); a patron's
    cancellation inside the type's minimum notice counts as late.

    Side effects: state becomes cancelled or cancelled_late; audit
    ``jobhelp.appointment.cancelled``; a scheduled request with no booked appointment left
    goes back in progress (audit ``jobhelp.request.unscheduled``); the patron is told (with a
    calendar cancellation), and the helper too when the patron cancelled.
    """
    current = load_appointment(appointment)
    if by is not None:
        check_may_change(current, by=by)
    else:
        now = now or timezone.now()
        _check_not_started(current, now=now)
        late = current.starts - now < timedelta(minutes=current.appointment_type.min_notice)
    target = AppointmentState.CANCELLED_LATE if late else AppointmentState.CANCELLED
    with transaction.atomic():
        lock_helper_time(current.helper_id)
        current = _cancel(appointment, target=target, by=by, data={"late": late})
    return current


def cancel_for_erasure(appointment: Appointment, *, by) -> Appointment:
    """The patron's data is being erased at their request (privacy): their booked appointment
    is cancelled and the helper's time given back, in the caller's transaction. `by` is the
    privacy officer, whom the privacy app has already checked. The patron is not told: they
    asked for it and their address is about to go. The helper is told the time is free, with
    nothing about the patron.

    Side effects: state becomes cancelled; audit ``jobhelp.appointment.cancelled`` (with
    ``erased``); a scheduled request with no booked appointment left goes back in progress;
    the helper's notice ``appointment_erased_helper`` queued on commit.
    """
    with transaction.atomic():
        lock_helper_time(appointment.helper_id)
        current = _cancel(
            appointment,
            target=AppointmentState.CANCELLED,
            by=by,
            data={"late": False, "erased": True},
            notify=False,
        )
        messages.cancelled_for_erasure(current)
        return current


def _cancel(appointment: Appointment, *, target, by, data, notify: bool = True) -> Appointment:
    """Inside the caller's transaction: one conditional UPDATE, then the audit entry and the
    request's state. The cancellation raises the SEQUENCE: calendar programs ignore a
    METHOD:CANCEL whose SEQUENCE is not above the invitation's."""
    updated = Appointment.objects.filter(
        Q(pk=appointment.pk), state__in=sorted(ACTIVE_STATES)
    ).update(state=target, sequence=F("sequence") + 1)
    if not updated:
        raise BookingError(_("This appointment is no longer booked, so it cannot be cancelled."))
    current = load_appointment(appointment)
    audit.record(
        "jobhelp.appointment.cancelled",
        actor=by,
        organization=current.location.organization,
        obj=current,
        data={**data, "state": target},
    )
    unschedule_request(current.request_id, by=by)
    if notify:
        messages.cancelled(current, by=by)
    versions.bump(versions.SCHEDULE, current.location.organization.root_id)
    return current


def reschedule_appointment(
    appointment: Appointment,
    *,
    starts: datetime,
    by,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Move a booked appointment to `starts`, with the same helper, location and type.

    One transaction books the new time, with every check of book_appointment (its own old time
    counts as free), and cancels the old appointment; if the new time was just taken, SlotTaken
    is raised and the old appointment stays booked. The request stays scheduled.

    Side effects: creates the new Appointment, the old one becomes cancelled; audit
    ``jobhelp.appointment.rescheduled`` on the new appointment.
    """
    current = load_appointment(appointment)
    check_may_change(current, by=by)
    repeated = earlier_booking(idempotency_key, helper=current.helper) is not None
    if by is None and not repeated:
        _check_not_started(current, now=now or timezone.now())
    if current.state not in ACTIVE_STATES and not repeated:
        raise BookingError(_("This appointment is no longer booked, so it cannot be rescheduled."))
    return _book(
        request=current.request,
        helper=current.helper,
        location=current.location,
        appointment_type=current.appointment_type,
        starts=starts,
        by=by,
        idempotency_key=idempotency_key,
        now=now,
        replacing=current,
    )
