"""Finishing a request that still has appointments to come.

Resolving or closing a request is triage's (intake.triage); its appointments are scheduling's.
A request finished with an appointment still booked would leave the patron a time to come to and
reminders about a request that is over, so the staff pages (and the API) ask whether to cancel
those appointments first, and this module does both in one transaction.
"""

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from jobhelp.scheduling.domain import cancel_appointment
from jobhelp.scheduling.enums import AppointmentState
from jobhelp.scheduling.models import Appointment


def upcoming_appointments(help_request, *, now: datetime | None = None) -> list[Appointment]:
    """The request's booked appointments that have not started yet, soonest first."""
    return list(
        Appointment.objects.filter(
            request=help_request,
            state=AppointmentState.BOOKED,
            starts__gt=now or timezone.now(),
        )
        .select_related("location", "appointment_type")
        .order_by("starts", "pk")
    )


def finish_request(help_request, *, by, finish: Callable[[], object], cancel_upcoming: bool):
    """Run `finish` (intake.triage.resolve_request or close_request for `help_request`), first
    cancelling the request's appointments to come when `cancel_upcoming`, all or nothing: a
    finish that is refused leaves the appointments booked.

    Side effects: those of cancel_appointment for each appointment cancelled (audit
    ``jobhelp.appointment.cancelled``, the patron told, the request back in progress), then
    those of `finish`."""
    with transaction.atomic():
        if cancel_upcoming:
            for appointment in upcoming_appointments(help_request):
                cancel_appointment(appointment, by=by)
        return finish()
