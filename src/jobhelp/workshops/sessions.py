"""Class sessions: scheduling them on the location's wall clock (once, weekly or monthly),
changing and cancelling them. One function per change; each is audited and says its side
effects. Seats and their lock are in workshops.seats.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.core import audit
from jobhelp.core.wallclock import local_instant
from jobhelp.workshops import messages, rules
from jobhelp.workshops.enums import (
    ACTIVE,
    HOLDING_SEAT,
    Recurrence,
    RegistrationState,
    SessionState,
)
from jobhelp.workshops.models import Registration, Workshop, WorkshopSession
from jobhelp.workshops.seats import WorkshopError, lock_session, offer_seats, seats_held

# Sessions a recurrence makes at most in one go (two years of weekly sessions).
MAX_SESSIONS = 104


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return day if day.month == month else None


def session_dates(first: date, recurrence: str, count: int) -> list[date]:
    """The dates of `count` sessions from `first`: once, weekly, or monthly on the same
    weekday of the month as `first` ("every first Tuesday"). A fifth weekday that a month
    lacks is skipped."""
    if recurrence == Recurrence.ONCE:
        return [first]
    if recurrence == Recurrence.WEEKLY:
        return [first + timedelta(weeks=k) for k in range(count)]
    nth = (first.day - 1) // 7 + 1
    dates, year, month = [], first.year, first.month
    while len(dates) < count:
        day = nth_weekday(year, month, first.weekday(), nth)
        if day is not None:
            dates.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


def schedule_sessions(
    workshop: Workshop,
    *,
    by,
    location,
    first: date,
    starts: time,
    minutes: int,
    recurrence: str = Recurrence.ONCE,
    count: int = 1,
    host=None,
    join_url: str = "",
    conference_phone: str = "",
    conference_code: str = "",
    now: datetime | None = None,
) -> list[WorkshopSession]:
    """Make the sessions of `workshop` at `starts` local time in `location`'s zone on each
    date of the recurrence (9:00 stays 9:00 across clock changes).

    Side effects: audit ``jobhelp.workshop_session.scheduled`` per session.
    """
    now = now or timezone.now()
    if not rules.can_manage(by, workshop):
        raise WorkshopError(_("Only staff of the host organization can schedule its classes."))
    if location.organization_id not in rules.host_organization_ids(workshop):
        raise WorkshopError(_("Choose a location of the host organization."))
    if not 1 <= count <= MAX_SESSIONS:
        raise WorkshopError(
            _("Make between 1 and %(max)d sessions at a time.") % {"max": MAX_SESSIONS}
        )
    if not 5 <= minutes <= 8 * 60:
        raise WorkshopError(_("A session lasts between 5 minutes and 8 hours."))
    zone = location.zone
    made = []
    with transaction.atomic():
        for day in session_dates(first, recurrence, count):
            start = local_instant(day, starts, zone)
            if start <= now:
                raise WorkshopError(_("Sessions must start in the future."))
            session = WorkshopSession.objects.create(
                workshop=workshop,
                location=location,
                host=host,
                starts=start,
                ends=start + timedelta(minutes=minutes),
                capacity=workshop.capacity,
                join_url=join_url,
                conference_phone=conference_phone,
                conference_code=conference_code,
            )
            audit.record(
                "jobhelp.workshop_session.scheduled",
                actor=by,
                organization=workshop.organization,
                obj=session,
                data={"workshop": workshop.pk, "starts": start.strftime("%Y-%m-%dT%H:%MZ")},
            )
            made.append(session)
    return made


# --- Changing and cancelling sessions --------------------------------------------------------


def change_session(
    session: WorkshopSession,
    *,
    by,
    starts: datetime | None = None,
    minutes: int | None = None,
    capacity: int | None = None,
    join_url: str | None = None,
    conference_phone: str | None = None,
    conference_code: str | None = None,
    now: datetime | None = None,
) -> WorkshopSession:
    """Move a session or change its seats, link or conference line. Registrants are told of a
    new time, link or line (with an updated calendar file); more seats go to the waitlist.

    Side effects: audit ``jobhelp.workshop_session.changed``; messages; offers.
    """
    now = now or timezone.now()
    if not rules.can_manage(by, session.workshop):
        raise WorkshopError(_("Only staff of the host organization can change its classes."))
    with transaction.atomic():
        current = lock_session(session)
        if current.state != SessionState.SCHEDULED:
            raise WorkshopError(_("This session was cancelled."))
        changes = {}
        if starts is not None and starts != current.starts:
            if starts <= now:
                raise WorkshopError(_("Sessions must start in the future."))
            length = minutes if minutes is not None else (current.ends - current.starts)
            length = timedelta(minutes=length) if isinstance(length, int) else length
            changes.update(starts=starts, ends=starts + length)
        elif minutes is not None:
            changes["ends"] = current.starts + timedelta(minutes=minutes)
        for field, value in (
            ("join_url", join_url),
            ("conference_phone", conference_phone),
            ("conference_code", conference_code),
        ):
            if value is not None and value != getattr(current, field):
                changes[field] = value
        if capacity is not None and capacity != current.capacity:
            if capacity < seats_held(current):
                raise WorkshopError(
                    _("%(count)d people already hold seats; remove some before lowering it.")
                    % {"count": seats_held(current)}
                )
            changes["capacity"] = capacity
        if not changes:
            return current
        notify = bool(
            {"starts", "ends", "join_url", "conference_phone", "conference_code"} & set(changes)
        )
        if notify:
            changes["sequence"] = current.sequence + 1
        WorkshopSession.objects.filter(pk=current.pk).update(**changes)
        current = lock_session(current)
        audit.record(
            "jobhelp.workshop_session.changed",
            actor=by,
            organization=current.workshop.organization,
            obj=current,
            data={"fields": sorted(k for k in changes if k != "sequence")},
        )
        if notify:
            for registration in current.registrations.filter(
                state__in=sorted(HOLDING_SEAT | {RegistrationState.WAITLISTED})
            ):
                messages.session_changed(registration)
        offer_seats(current, now=now)
    return current


def cancel_session(session: WorkshopSession, *, by, now: datetime | None = None) -> WorkshopSession:
    """Cancel a session: everyone registered, offered or waiting is told, with the next
    session of the class if there is one.

    Side effects: audit ``jobhelp.workshop_session.cancelled``; messages.
    """
    now = now or timezone.now()
    if not rules.can_manage(by, session.workshop):
        raise WorkshopError(_("Only staff of the host organization can change its classes."))
    with transaction.atomic():
        current = lock_session(session)
        if current.state != SessionState.SCHEDULED:
            raise WorkshopError(_("This session was already cancelled."))
        if current.starts <= now:
            raise WorkshopError(_("This session has already started, so it cannot be cancelled."))
        WorkshopSession.objects.filter(pk=current.pk).update(
            state=SessionState.CANCELLED, sequence=current.sequence + 1
        )
        current = lock_session(current)
        affected = list(current.registrations.filter(state__in=sorted(ACTIVE)))
        Registration.objects.filter(pk__in=[r.pk for r in affected]).update(
            state=RegistrationState.CANCELLED, offer_expires_at=None
        )
        audit.record(
            "jobhelp.workshop_session.cancelled",
            actor=by,
            organization=current.workshop.organization,
            obj=current,
            data={"registrations": len(affected)},
        )
        following = (
            WorkshopSession.objects.filter(
                workshop=current.workshop, state=SessionState.SCHEDULED, starts__gt=current.starts
            )
            .order_by("starts")
            .first()
        )
        for registration in affected:
            registration.session = current
            messages.session_cancelled(registration, following=following)
    return current
