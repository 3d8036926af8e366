"""Recording whether the patron came: mark_attended, and mark_no_show with its follow-up.
Staff only; each change is audited and lists its side effects.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.core import audit, versions
from jobhelp.intake.patrons import patron_address
from jobhelp.scheduling import links, messages
from jobhelp.scheduling.domain import (
    BookingError,
    check_may_change,
    load_appointment,
    unschedule_request,
)
from jobhelp.scheduling.enums import AppointmentState
from jobhelp.scheduling.models import Appointment


def _mark(appointment: Appointment, *, target, action: str, by, now) -> Appointment:
    now = now or timezone.now()
    current = load_appointment(appointment)
    if by is None:
        raise BookingError(_("Only library staff can record whether a patron came."))
    check_may_change(current, by=by)
    if current.starts > now:
        raise BookingError(
            _("This appointment has not started yet, so it cannot be marked that way.")
        )
    with transaction.atomic():
        updated = Appointment.objects.filter(
            pk=appointment.pk, state=AppointmentState.BOOKED, starts__lte=now
        ).update(state=target)
        if not updated:
            raise BookingError(
                _("This appointment is %(state)s, so it cannot be marked that way.")
                % {"state": load_appointment(appointment).get_state_display().lower()}
            )
        current = load_appointment(appointment)
        audit.record(action, actor=by, organization=current.location.organization, obj=current)
        versions.bump(versions.SCHEDULE, current.location.organization.root_id)
    return current


def mark_attended(appointment: Appointment, *, by, now: datetime | None = None) -> Appointment:
    """The patron came. Only a booked appointment that has started can be marked.

    Side effects: state becomes attended; audit ``jobhelp.appointment.attended``.
    """
    return _mark(
        appointment,
        target=AppointmentState.ATTENDED,
        action="jobhelp.appointment.attended",
        by=by,
        now=now,
    )


def mark_no_show(appointment: Appointment, *, by, now: datetime | None = None) -> Appointment:
    """The patron did not come. Only a booked appointment that has started can be marked.

    When the type follows up no-shows, the request goes back to its helper ("in progress", so
    it shows in their list to call) and the patron is invited to book again, with a link to
    choose a time when patrons may book that type themselves.

    Side effects: state becomes no_show; audit ``jobhelp.appointment.no_show``; with a
    follow-up, audit ``jobhelp.request.unscheduled`` and a message to the patron.
    """
    current = _mark(
        appointment,
        target=AppointmentState.NO_SHOW,
        action="jobhelp.appointment.no_show",
        by=by,
        now=now,
    )
    if current.appointment_type.follow_up_no_shows and current.request_id:
        with transaction.atomic():
            unschedule_request(current.request_id, by=by)
            offer = None
            if current.appointment_type.self_service and patron_address(current.request):
                offer = links.offer_times(current.request, current.appointment_type, by=by, now=now)
            messages.missed(current, offer_token=offer)
    return current
