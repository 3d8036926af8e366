"""Appointment reminders, each sent once.

`send_due_reminders` runs every minute (the `run_periodic` command). For each booked
appointment it queues the reminder whose time has come; the outbox's dedupe key makes a second
runner, or the same minute run twice, store nothing, and the outbox's claim makes two workers
send the stored message once. If reminders were down for a while, only the latest one due is
sent: a patron gets "in 2 hours", not also a stale "tomorrow".
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from jobhelp.core.wallclock import due_at
from jobhelp.intake.patrons import reachable_patrons
from jobhelp.notifications.models import OutboundMessage
from jobhelp.scheduling import messages
from jobhelp.scheduling.enums import AppointmentState
from jobhelp.scheduling.models import Appointment, AppointmentType


def reminder_due(appointment, *, now: datetime) -> int | None:
    """The offset (minutes) of the reminder to send for `appointment` at `now`, or None.

    A reminder is due from its time until the appointment starts; one whose time had already
    passed when the appointment was booked is skipped, since the confirmation just said it.
    """
    if appointment.state != AppointmentState.BOOKED or appointment.starts <= now:
        return None
    zone = appointment.location.zone
    due = [
        minutes
        for minutes in appointment.appointment_type.reminders
        if isinstance(minutes, int) and minutes > 0
        if appointment.created_at <= due_at(appointment.starts, minutes, zone) <= now
    ]
    return min(due) if due else None


def _horizon() -> timedelta:
    # The furthest reminder any type asks for, plus a day for clock changes.
    longest = 0
    for reminders in AppointmentType.objects.values_list("reminders", flat=True):
        longest = max([longest, *(m for m in reminders or [] if isinstance(m, int))])
    return timedelta(minutes=longest) + timedelta(days=1)


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Queue every reminder due at `now`; returns how many were queued (not already there)."""
    now = now or timezone.now()
    candidates = (
        Appointment.objects.filter(
            reachable_patrons("request__"),
            state=AppointmentState.BOOKED,
            starts__gt=now,
            starts__lte=now + _horizon(),
            request__isnull=False,
            request__erased_at__isnull=True,
        )
        .select_related("request__organization", "location__organization", "appointment_type")
        .select_related("helper")
    )
    queued = 0
    for appointment in candidates.iterator(chunk_size=200):
        minutes = reminder_due(appointment, now=now)
        if minutes is None:
            continue
        if OutboundMessage.objects.filter(
            dedupe_key=messages.reminder_key(appointment, minutes)
        ).exists():
            continue
        with transaction.atomic():
            if messages.reminder(appointment, minutes=minutes) is None:
                # Another runner queued it a moment ago: drop the link made for ours too.
                transaction.set_rollback(True)
            else:
                queued += 1
    return queued
