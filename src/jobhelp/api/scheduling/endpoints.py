"""Scheduling: appointment types, a helper's availability, slots, booking and what follows.

Reads go through scheduling.queries, changes through scheduling.domain and
scheduling.attendance, which check scheduling.rules themselves, so the API cannot decide
differently from the staff pages. Another organization's request, helper or appointment is a
404. A move the domain refuses (BookingError) is a 409, turned into one in api/common/errors.py;
a time someone else just took (SlotTaken) is a 409 here, with the next free times in the
location's zone.

Idempotency: booking and rescheduling take a key, in the `Idempotency-Key` header or the body's
`idempotency_key`. It is stored hashed with the token owner's id, so two callers' keys never
meet. The call that makes the appointment answers 201; a repeat with the same key answers 200
with that same appointment and changes nothing (two identical calls racing may both answer 201,
still with one appointment); the same key with a different booking is a 422.
"""

from datetime import UTC, datetime, timedelta

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from ninja import Header, Query, Router, Status
from ninja.renderers import JSONRenderer

from jobhelp.api.common.errors import InvalidInput
from jobhelp.api.common.lookups import request_or_404
from jobhelp.api.common.schemas import ErrorOut, Id, person, place
from jobhelp.api.scheduling.schemas import (
    AppointmentOut,
    AppointmentTypeOut,
    AvailabilityFilters,
    AvailabilityOut,
    BookIn,
    CancelIn,
    RescheduleIn,
    SlotPage,
    SlotQuery,
    SlotTakenOut,
)
from jobhelp.core import versions
from jobhelp.core.tokens import stored_key as hashed_key
from jobhelp.intake.queries import REQUEST_ROOT, request_versions_for_user
from jobhelp.scheduling.attendance import mark_attended, mark_no_show
from jobhelp.scheduling.domain import (
    SlotTaken,
    book_appointment,
    cancel_appointment,
    reschedule_appointment,
)
from jobhelp.scheduling.queries import (
    appointment_types_for_request,
    appointment_types_for_user,
    appointments_for_user,
    find_appointment_by_key,
    find_appointment_for_user,
    find_helper_for_user,
    helper_availability,
    helpers_for_request,
    locations_for_request,
    locations_for_user,
)
from jobhelp.scheduling.search import find_slots

router = Router(tags=["scheduling"])

# The longest stretch of dates one availability call covers.
MAX_AVAILABILITY_DAYS = 62
MAX_KEY_LENGTH = 200
NOT_OFFERED = gettext_lazy("Choose an appointment type that this request's organization offers.")

# 404: another organization's object or none at all; 409: the domain refused the move;
# 422: input that cannot be used.
REFUSED = {404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
BOOKING = {
    200: AppointmentOut,
    201: AppointmentOut,
    404: ErrorOut,
    409: SlotTakenOut,
    422: ErrorOut,
}


def appointment_or_404(user, appointment_id: int):
    appointment = find_appointment_for_user(user, appointment_id)
    if appointment is None:
        raise Http404
    return appointment


def _aware(starts: datetime, field: str = "starts") -> datetime:
    if timezone.is_naive(starts):
        raise InvalidInput(
            {
                field: [
                    _("Give the time with its UTC offset, for example 2026-03-02T10:00:00-06:00.")
                ]
            }
        )
    return starts


def _idempotency_key(user, header: str | None, body: str | None) -> str | None:
    """The caller's key (header or body), stored as a hash with the caller's id."""
    if header is not None and body is not None and header != body:
        raise InvalidInput(
            {
                "idempotency_key": [
                    _("The Idempotency-Key header and idempotency_key differ. Send one of them.")
                ]
            }
        )
    key = header if header is not None else body
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(
            {
                "idempotency_key": [
                    _("Use 1 to %(max)d printable characters for the idempotency key.")
                    % {"max": MAX_KEY_LENGTH}
                ]
            }
        )
    return hashed_key("jobhelp.api", user.pk, key)


def _key_reused() -> InvalidInput:
    return InvalidInput(
        {"idempotency_key": [_("This idempotency key was already used for a different booking.")]}
    )


def _taken(taken: SlotTaken, location) -> Status:
    zone = location.zone
    return Status(
        409,
        {"detail": str(taken), "next_starts": [s.astimezone(zone) for s in taken.next_starts]},
    )


def _answer(user, appointment, *, replay: bool) -> Status:
    """The appointment as the caller may read it: 200 for a repeated key, 201 when made now."""
    reloaded = find_appointment_for_user(user, appointment.pk)
    if reloaded is None:
        raise Http404
    return Status(200 if replay else 201, reloaded)


# --- Reading -------------------------------------------------------------------------------------


@router.get("/appointment-types", response=list[AppointmentTypeOut])
def list_appointment_types(request):
    """Appointment types of your organizations, and of the library systems above them (a
    branch offers its system's types), by name."""
    return appointment_types_for_user(request.user)


@router.get(
    "/helpers/{helper_id}/availability",
    response={200: AvailabilityOut, 404: ErrorOut, 422: ErrorOut},
    by_alias=True,
)
def get_helper_availability(request, helper_id: Id, filters: Query[AvailabilityFilters]):
    """A helper's weekly hours, exceptions and closures, and the working time they leave, at
    each location of your organizations where they work, for the local dates `from` to `to`
    (at most 62 days). Times are in each location's zone, with their UTC offset."""
    helper = find_helper_for_user(request.user, helper_id)
    if helper is None:
        raise Http404
    first = filters.from_ or timezone.localdate()
    last = filters.to or first + timedelta(days=6)
    if last < first:
        raise InvalidInput({"to": [_("The last date comes before the first date.")]})
    if (last - first).days >= MAX_AVAILABILITY_DAYS:
        raise InvalidInput(
            {
                "to": [
                    ngettext(
                        "Ask for at most %(days)d day at a time.",
                        "Ask for at most %(days)d days at a time.",
                        MAX_AVAILABILITY_DAYS,
                    )
                    % {"days": MAX_AVAILABILITY_DAYS}
                ]
            }
        )
    found = helper_availability(
        helper, locations=locations_for_user(request.user), first=first, last=last
    )
    return {
        "helper": person(found.helper),
        "from": found.first,
        "to": found.last,
        "locations": [
            {
                "location": place(here.location),
                "weekly_hours": [
                    {"weekday": weekday, "starts": starts, "ends": ends}
                    for weekday, starts, ends in here.weekly_hours
                ],
                "exceptions": [
                    {"kind": kind, "date": day, "all_day": all_day, "starts": s, "ends": e}
                    for kind, day, (s, e), all_day in here.exceptions
                ],
                "closures": [
                    {"reason": reason, "starts": s, "ends": e} for reason, (s, e) in here.closures
                ],
                "working": [{"starts": s, "ends": e} for s, e in here.working],
            }
            for here in found.locations
        ],
        "booked": [
            {"starts": s.astimezone(UTC), "ends": e.astimezone(UTC)} for s, e in found.booked
        ],
    }


# The API's renderer (NinjaAPI's default), for pages rendered once and served from the cache.
JSON = JSONRenderer()
SLOTS_PER_PAGE = 50
MAX_SLOTS_PER_PAGE = 100


def _slot_row(helper, location, starts, duration) -> dict:
    zone = location.zone
    ends = starts + duration
    return {
        "helper": person(helper),
        "location": place(location),
        "starts": starts.astimezone(zone),
        "ends": ends.astimezone(zone),
        "starts_utc": starts,
        "ends_utc": ends,
    }


@router.get("/requests/{reference}/slots", response={200: SlotPage, 404: ErrorOut, 422: ErrorOut})
def list_slots(request, reference: str, filters: Query[SlotQuery]):
    """Free times for the request with every helper who could take it, for the next `days`
    local dates (within the type's booking window), soonest first, `page_size` (default 50,
    at most 100) a page. `type` is one of /appointment-types offered for the request (its
    organization's or its library system's); another is a 422.

    Computed for the end of the minute, so that it never offers a time that the minimum
    notice rules out before the minute is over. Who may see the request is checked afresh on
    every call; the page itself is kept under the versions of the request's library system
    (core.versions: its requests and routing rules, its schedule, and staff), which every
    booking, cancellation, triage move and change of hours, rules or people raises in its own
    transaction, so the next call after a change, on any worker, computes it afresh. A page
    served again costs one query after the token's: the request, in the caller's scope, with
    those versions."""
    size = min(filters.page_size or SLOTS_PER_PAGE, MAX_SLOTS_PER_PAGE)
    minute = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    found = request_versions_for_user(request.user, reference, SLOT_VERSIONS)
    if found is None:
        raise Http404
    request_id, root, numbers = found

    def page() -> bytes:
        help_request = request_or_404(request.user, reference)
        appointment_type = (
            appointment_types_for_request(help_request).filter(pk=filters.type).first()
        )
        if appointment_type is None:
            raise InvalidInput({"type": [str(NOT_OFFERED)]})
        slots = find_slots(help_request, appointment_type, now=minute, days=filters.days)
        duration = timedelta(minutes=appointment_type.duration)
        offset = (filters.page - 1) * size
        body = SlotPage.model_validate(
            {
                "items": [_slot_row(*slot, duration) for slot in slots[offset : offset + size]],
                "count": len(slots),
            }
        ).model_dump()
        return JSON.render(request, body, response_status=200)

    content = versions.cached_under(
        ("api.slots", request_id, filters.type, filters.days, filters.page, size, minute),
        versions=[
            (name, root if scope == REQUEST_ROOT else scope) for name, scope in SLOT_VERSIONS
        ],
        numbers=numbers,
        compute=page,
    )
    return HttpResponse(content, content_type=f"{JSON.media_type}; charset={JSON.charset}")


# What a request's free times are made of (core.versions), by the request's library system.
SLOT_VERSIONS = [
    (versions.REQUESTS, REQUEST_ROOT),
    (versions.SCHEDULE, REQUEST_ROOT),
    (versions.STAFF, 0),
]


# --- Booking and what follows --------------------------------------------------------------------

IdempotencyHeader = Header(
    None,
    alias="Idempotency-Key",
    description="A key of your choice per booking: a repeated call makes no second appointment.",
)


@router.post("/requests/{reference}/appointments", response=BOOKING)
def book(
    request,
    reference: str,
    payload: BookIn,
    idempotency_header: str | None = IdempotencyHeader,
):
    """Book one of the request's slots. 201 with the appointment; 200 with the same appointment
    when the idempotency key was used before; 409 when the time was just taken (with the next
    free times) or the booking is refused (the request is not assigned, the time is not
    offered, you may not book for this request)."""
    help_request = request_or_404(request.user, reference)
    key = _idempotency_key(request.user, idempotency_header, payload.idempotency_key)
    errors = {}
    helper = helpers_for_request(help_request).filter(pk=payload.helper_id).first()
    if helper is None:
        errors["helper_id"] = [_("Choose a helper who serves this request's organization.")]
    location = locations_for_request(help_request).filter(pk=payload.location_id).first()
    if location is None:
        errors["location_id"] = [_("Choose a location of this request's library system.")]
    appointment_type = (
        appointment_types_for_request(help_request).filter(pk=payload.appointment_type_id).first()
    )
    if appointment_type is None:
        errors["appointment_type_id"] = [str(NOT_OFFERED)]
    try:
        starts = _aware(payload.starts)
    except InvalidInput as invalid:
        errors |= invalid.errors
    if errors:
        raise InvalidInput(errors)
    replay = key is not None and find_appointment_by_key(request.user, key) is not None
    try:
        appointment = book_appointment(
            request=help_request,
            helper=helper,
            location=location,
            appointment_type=appointment_type,
            starts=starts,
            by=request.user,
            idempotency_key=key,
        )
    except SlotTaken as taken:
        return _taken(taken, location)
    made_for = (
        appointment.request_id,
        appointment.helper_id,
        appointment.location_id,
        appointment.appointment_type_id,
        appointment.starts,
    )
    if replay and made_for != (
        help_request.pk,
        helper.pk,
        location.pk,
        appointment_type.pk,
        starts,
    ):
        raise _key_reused()
    return _answer(request.user, appointment, replay=replay)


@router.get("/appointments/{appointment_id}", response={200: AppointmentOut, 404: ErrorOut})
def get_appointment(request, appointment_id: Id):
    return appointment_or_404(request.user, appointment_id)


@router.post("/appointments/{appointment_id}/reschedule", response=BOOKING)
def reschedule(
    request,
    appointment_id: Id,
    payload: RescheduleIn,
    idempotency_header: str | None = IdempotencyHeader,
):
    """Move a booked appointment to another of its helper's free times, at the same location
    and of the same type. 201 with the new appointment (a new id, the same reference, the next
    sequence); the old one is cancelled. 200 with it when the idempotency key was used before;
    409 when the time was just taken (the old appointment stays booked) or the move is
    refused."""
    appointment = appointment_or_404(request.user, appointment_id)
    key = _idempotency_key(request.user, idempotency_header, payload.idempotency_key)
    starts = _aware(payload.starts)
    replay = key is not None and find_appointment_by_key(request.user, key) is not None
    try:
        moved = reschedule_appointment(
            appointment, starts=starts, by=request.user, idempotency_key=key
        )
    except SlotTaken as taken:
        return _taken(taken, appointment.location)
    if replay and (moved.reference, moved.starts) != (appointment.reference, starts):
        raise _key_reused()
    return _answer(request.user, moved, replay=replay)


@router.post("/appointments/{appointment_id}/cancel", response={200: AppointmentOut, **REFUSED})
def cancel(request, appointment_id: Id, payload: CancelIn):
    """Give the helper's time back. `late`: cancelled inside the type's notice."""
    appointment = appointment_or_404(request.user, appointment_id)
    cancel_appointment(appointment, by=request.user, late=payload.late)
    return appointments_for_user(request.user).get(pk=appointment.pk)


@router.post("/appointments/{appointment_id}/attended", response={200: AppointmentOut, **REFUSED})
def attended(request, appointment_id: Id):
    """The patron came. Only a booked appointment that has started."""
    appointment = appointment_or_404(request.user, appointment_id)
    mark_attended(appointment, by=request.user)
    return appointments_for_user(request.user).get(pk=appointment.pk)


@router.post("/appointments/{appointment_id}/no-show", response={200: AppointmentOut, **REFUSED})
def no_show(request, appointment_id: Id):
    """The patron did not come. Only a booked appointment that has started."""
    appointment = appointment_or_404(request.user, appointment_id)
    mark_no_show(appointment, by=request.user)
    return appointments_for_user(request.user).get(pk=appointment.pk)
