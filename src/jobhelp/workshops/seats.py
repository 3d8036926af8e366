"""What every change that takes or frees a seat in a class shares: the error shown to the
person acting, the lock on the session's row, the count of seats held, and offering free seats to
those waiting. Sessions (workshops.sessions), registering (workshops.domain) and attendance
(workshops.attendance) build on it.

Seats are the scarce resource. Every change that takes or frees one first locks the session's
row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction holds the write
lock from its start), then counts the seats held inside that transaction, so 30 people racing
for the last 3 seats get exactly 3 of them and the rest join the waitlist.
"""

from datetime import datetime, timedelta

from jobhelp.core import audit
from jobhelp.workshops import messages
from jobhelp.workshops.enums import HOLDING_SEAT, RegistrationState, SessionState
from jobhelp.workshops.models import Registration, WorkshopSession


class WorkshopError(Exception):
    """Bad input or a refused change; the message is shown to the person acting."""


def lock_session(session: WorkshopSession) -> WorkshopSession:
    """`session` read again and locked until the transaction ends, with its class's and
    location's organizations."""
    return (
        WorkshopSession.objects.select_for_update()
        .select_related("workshop__organization", "location__organization")
        .get(pk=session.pk)
    )


def seats_held(session: WorkshopSession) -> int:
    """How many seats of `session` are registered or offered (HOLDING_SEAT)."""
    return session.registrations.filter(state__in=sorted(HOLDING_SEAT)).count()


def offer_seats(session: WorkshopSession, *, now: datetime) -> list[Registration]:
    """Inside a transaction holding the session's lock: offer each free seat to the next
    person waiting, held for the class's offer time (never past the start)."""
    if session.state != SessionState.SCHEDULED or session.starts <= now:
        return []
    free = session.capacity - seats_held(session)
    if free <= 0:
        return []
    hold = timedelta(hours=session.workshop.offer_hold_hours)
    expires = min(now + hold, session.starts)
    offered = list(
        session.registrations.filter(state=RegistrationState.WAITLISTED).order_by(
            "created_at", "pk"
        )[:free]
    )
    for registration in offered:
        Registration.objects.filter(pk=registration.pk).update(
            state=RegistrationState.OFFERED, offer_expires_at=expires
        )
        registration.state = RegistrationState.OFFERED
        registration.offer_expires_at = expires
        audit.record(
            "jobhelp.registration.offered",
            organization=session.workshop.organization,
            obj=registration,
            data={"expires": expires.strftime("%Y-%m-%dT%H:%MZ")},
        )
        messages.offered(registration)
    return offered
