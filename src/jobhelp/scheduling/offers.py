"""Offering the patron times to choose from: a link sent by email or text message, and the
booking they make through it (scheduling.domain.book_appointment, the same checks as staff).
"""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from jobhelp.accounts.tenancy import above_and_self
from jobhelp.intake.patrons import PatronAddress, patron_address
from jobhelp.scheduling import links, messages
from jobhelp.scheduling.domain import (
    BookingError,
    book_appointment,
    check_may_act,
    check_request_state,
    earlier_booking,
)
from jobhelp.scheduling.models import Appointment, AppointmentType


def offer_times_to_patron(help_request, appointment_type: AppointmentType, *, by) -> PatronAddress:
    """Send the patron a link to choose a time of `appointment_type` themselves, by email or
    by text message (intake.domain.patron_address).

    Raises BookingError unless `by` may book for the request, patrons may book the type
    themselves, the request can be scheduled and the patron can be written to.
    Side effects: audit ``jobhelp.appointment.offered``; a message to the patron.
    """
    check_may_act(
        by,
        request=help_request,
        organization=help_request.organization,
        appointment_type=appointment_type,
    )
    if not appointment_type.self_service:
        raise BookingError(_("Patrons cannot book this kind of appointment themselves."))
    if appointment_type.organization_id not in above_and_self(help_request.organization):
        raise BookingError(_("This kind of appointment is not offered for this request."))
    address = patron_address(help_request)
    if address is None:
        raise BookingError(
            _(
                "This patron has no email address and gets no text messages. Book a time "
                "with them by phone instead."
            )
        )
    check_request_state(help_request)
    with transaction.atomic():
        token = links.offer_times(help_request, appointment_type, by=by)
        messages.offered(help_request, appointment_type, token=token)
    return address


def book_from_offer(
    opened: links.OpenedLink,
    *,
    helper,
    location,
    starts: datetime,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Appointment:
    """The patron books one of the times offered through their link (see book_appointment);
    the link then shows the appointment it made."""
    link = opened.link
    earlier = earlier_booking(idempotency_key, helper=helper)
    if earlier is not None and earlier.request_id == link.request_id:
        return earlier
    if not opened.is_offer:
        raise BookingError(_("This link is for an appointment that is already booked."))
    with transaction.atomic():
        appointment = book_appointment(
            request=link.request,
            helper=helper,
            location=location,
            appointment_type=link.appointment_type,
            starts=starts,
            by=None,
            idempotency_key=idempotency_key,
            now=now,
        )
        links.bind_offer(link, appointment)
    return appointment
