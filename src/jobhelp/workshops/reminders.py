"""Class reminders: a day ahead (same wall-clock time, see core.wallclock.due_at) and two
hours ahead, each once per registration and session version (the outbox's dedupe key, the
same whether the registrant gets email or texts)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from jobhelp.core.wallclock import due_at
from jobhelp.notifications.models import OutboundMessage
from jobhelp.workshops import messages
from jobhelp.workshops.enums import RegistrationState, SessionState
from jobhelp.workshops.models import Registration

REMINDERS = (24 * 60, 2 * 60)


def reminder_due(registration: Registration, *, now: datetime) -> int | None:
    """The latest reminder due for `registration` at `now` (None if none), skipping those
    whose time had passed when the person registered."""
    session = registration.session
    if session.starts <= now:
        return None
    due = [
        minutes
        for minutes in REMINDERS
        if registration.created_at <= due_at(session.starts, minutes, session.location.zone) <= now
    ]
    return min(due) if due else None


def send_due_class_reminders(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    candidates = (
        Registration.objects.filter(
            state=RegistrationState.REGISTERED,
            session__state=SessionState.SCHEDULED,
            session__starts__gt=now,
            session__starts__lte=now + timedelta(days=2),
            erased_at__isnull=True,
        )
        .filter(messages.reachable_registrants())
        .select_related("session__workshop__organization", "session__location__organization")
    )
    queued = 0
    for registration in candidates.iterator(chunk_size=200):
        minutes = reminder_due(registration, now=now)
        if minutes is None:
            continue
        if OutboundMessage.objects.filter(
            dedupe_key=messages.reminder_key(registration, minutes)
        ).exists():
            continue
        with transaction.atomic():
            if messages.reminder(registration, minutes=minutes) is None:
                transaction.set_rollback(True)
            else:
                queued += 1
    return queued
