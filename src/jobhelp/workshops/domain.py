"""Classes: sessions, registration with a waitlist, and attendance. One function per change;
each is audited and says its side effects.

Seats are the scarce resource. Every change that takes or frees one first locks the session's
row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction holds the write
lock from its start), then counts the seats held inside that transaction, so 30 people racing
for the last 3 seats get exactly 3 of them and the rest join the waitlist.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.core import audit
from jobhelp.notifications.outbox import erase_messages_about
from jobhelp.workshops import messages, rules
from jobhelp.workshops.enums import (
    ACTIVE,
    HOLDING_SEAT,
    MessagesBy,
    Recurrence,
    RegistrationClosed,
    RegistrationState,
    SessionState,
)
from jobhelp.workshops.links import issue_link
from jobhelp.workshops.models import Registration, Workshop, WorkshopSession

KEY_LENGTH = Registration._meta.get_field("idempotency_key").max_length
# Sessions a recurrence makes at most in one go (two years of weekly sessions).
MAX_SESSIONS = 104


class WorkshopError(Exception):
    """Bad input or a refused change; the message is shown to the person acting."""


def person_key(*, phone: str, email: str) -> str:
    """One person, one registration per session: matched on the phone number (already in
    E.164 form) when there is one, else on the email address."""
    return phone or email.strip().lower()


@dataclass(frozen=True, kw_only=True)
class Registrant:
    name: str
    phone: str = ""
    email: str = ""
    language: str = "en"
    preferred_contact: str = MessagesBy.EMAIL


@dataclass(frozen=True)
class Registered:
    registration: Registration
    # The secret for the self-service link; None when nothing new was made (an earlier
    # registration by the same person, or the same form sent twice).
    token: str | None
    already: bool = False


# --- Sessions ---------------------------------------------------------------------------------


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


def local_instant(day: date, wall: time, zone) -> datetime:
    """The instant of a wall-clock time in `zone`. A time in the spring-forward gap falls
    after it (02:30 becomes 03:30); a repeated autumn time is its first occurrence."""
    # Through UTC: astimezone() to the same zone object would keep a nonexistent wall time.
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


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


def _locked(session: WorkshopSession) -> WorkshopSession:
    return (
        WorkshopSession.objects.select_for_update()
        .select_related("workshop__organization", "location__organization")
        .get(pk=session.pk)
    )


def _holding(session: WorkshopSession) -> int:
    return session.registrations.filter(state__in=sorted(HOLDING_SEAT)).count()


def registration_closed_reason(session: WorkshopSession, now: datetime) -> str:
    """Why `session` takes no registrations at `now` (a RegistrationClosed), or "" while it
    is open. register() refuses on it; the public page says it in its own words."""
    if session.state != SessionState.SCHEDULED:
        return RegistrationClosed.CANCELLED
    if session.starts <= now:
        return RegistrationClosed.STARTED
    if session.registration_opens and now < session.registration_opens:
        return RegistrationClosed.NOT_OPEN_YET
    if session.registration_closes and now >= session.registration_closes:
        return RegistrationClosed.CLOSED
    return ""


def _check_open(session: WorkshopSession, now: datetime) -> None:
    match registration_closed_reason(session, now):
        case RegistrationClosed.CANCELLED:
            raise WorkshopError(_("This session was cancelled."))
        case RegistrationClosed.STARTED:
            raise WorkshopError(_("This session has already started."))
        case RegistrationClosed.NOT_OPEN_YET:
            raise WorkshopError(_("Registration for this session is not open yet."))
        case RegistrationClosed.CLOSED:
            raise WorkshopError(_("Registration for this session has closed."))


# --- Registering ------------------------------------------------------------------------------


def register(
    session: WorkshopSession,
    *,
    registrant: Registrant,
    by=None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Registered:
    """Register `registrant` for `session`, or put them on its waitlist when it is full (or
    others are already waiting). `by` is the staff member registering a caller, or None when
    the patron registers themselves. The same person (same phone, or same email) registered
    or waiting already gets that registration back (`already`); the same form sent twice
    (`idempotency_key`) makes one registration.

    Side effects: audit ``jobhelp.registration.created``; a confirmation with the join details
    (by email with a calendar file, or by text), or a waitlist notice with the place, by the
    way the registrant chose (workshops.messages.registrant_address).
    """
    now = now or timezone.now()
    if by is not None and not rules.can_register_others(by):
        raise WorkshopError(_("Only library and partner staff can register someone else."))
    if not registrant.name.strip():
        raise WorkshopError(_("Enter a name."))
    if not (registrant.phone or registrant.email):
        raise WorkshopError(_("Give a phone number or an email address."))
    if registrant.preferred_contact == MessagesBy.TEXT and not registrant.phone:
        raise WorkshopError(_("Text messages need a phone number."))
    if idempotency_key and len(idempotency_key) > KEY_LENGTH:
        raise WorkshopError(_("This form is out of date. Please reload the page and try again."))
    key = person_key(phone=registrant.phone, email=registrant.email)
    earlier = _by_key(idempotency_key)
    if earlier is not None:
        return Registered(earlier, None, already=True)
    try:
        with transaction.atomic():
            current = _locked(session)
            earlier = _by_key(idempotency_key)
            if earlier is not None:
                return Registered(earlier, None, already=True)
            _check_open(current, now)
            existing = current.registrations.filter(
                person_key=key, state__in=sorted(ACTIVE)
            ).first()
            if existing is not None:
                return Registered(existing, None, already=True)
            waiting = current.registrations.filter(
                state__in=[RegistrationState.WAITLISTED, RegistrationState.OFFERED]
            ).exists()
            full = _holding(current) >= current.capacity
            state = (
                RegistrationState.WAITLISTED if (full or waiting) else RegistrationState.REGISTERED
            )
            registration = Registration.objects.create(
                session=current,
                name=registrant.name.strip()[:120],
                phone=registrant.phone,
                email=registrant.email.strip(),
                language=registrant.language,
                preferred_contact=registrant.preferred_contact,
                person_key=key,
                state=state,
                idempotency_key=idempotency_key or None,
                registered_by=by,
                created_at=now,
            )
            audit.record(
                "jobhelp.registration.created",
                actor=by,
                organization=current.workshop.organization,
                obj=registration,
                data={"session": current.pk, "state": state},
            )
            token = issue_link(registration)
            messages.registered(registration, token=token, place=waitlist_place(registration))
    except IntegrityError:
        # The same person or the same form, committed by a request that raced ours.
        earlier = (
            _by_key(idempotency_key)
            or Registration.objects.filter(
                session=session, person_key=key, state__in=sorted(ACTIVE)
            ).first()
        )
        if earlier is None:
            raise
        return Registered(earlier, None, already=True)
    return Registered(registration, token)


def _by_key(idempotency_key: str | None) -> Registration | None:
    if not idempotency_key:
        return None
    return Registration.objects.filter(idempotency_key=idempotency_key).first()


def waitlist_place(registration: Registration) -> int | None:
    """1 for the next person to be offered a seat; None when not waiting."""
    if registration.state != RegistrationState.WAITLISTED:
        return None
    earlier = Q(created_at__lt=registration.created_at) | Q(
        created_at=registration.created_at, pk__lt=registration.pk
    )
    return (
        registration.session.registrations.filter(
            earlier, state=RegistrationState.WAITLISTED
        ).count()
        + 1
    )


def cancel_registration(
    registration: Registration, *, by=None, now: datetime | None = None
) -> Registration:
    """The patron leaves (through their link, `by` None) or staff cancel for them. A seat
    they held goes to the next person waiting.

    Side effects: audit ``jobhelp.registration.cancelled``; offers to the waitlist
    (see offer_seats).
    """
    now = now or timezone.now()
    session = registration.session
    if by is not None and not rules.can_manage(by, session.workshop):
        raise WorkshopError(_("Only staff of the host organization can change its rosters."))
    with transaction.atomic():
        current = _locked(session)
        if current.starts <= now:
            raise WorkshopError(_("This session has already started."))
        updated = Registration.objects.filter(pk=registration.pk, state__in=sorted(ACTIVE)).update(
            state=RegistrationState.CANCELLED, offer_expires_at=None
        )
        if not updated:
            raise WorkshopError(_("This registration was already cancelled."))
        audit.record(
            "jobhelp.registration.cancelled",
            actor=by,
            organization=current.workshop.organization,
            obj=registration,
            data={"was": registration.state},
        )
        _offer_seats(current, now=now)
    registration.refresh_from_db()
    return registration


def _offer_seats(session: WorkshopSession, *, now: datetime) -> list[Registration]:
    """Inside a transaction holding the session's lock: offer each free seat to the next
    person waiting, held for the class's offer time (never past the start)."""
    if session.state != SessionState.SCHEDULED or session.starts <= now:
        return []
    free = session.capacity - _holding(session)
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


def accept_offer(registration: Registration, *, now: datetime | None = None) -> Registration:
    """The person offered a seat takes it before the offer lapses.

    Side effects: audit ``jobhelp.registration.accepted``; a confirmation with the join
    details and a calendar file.
    """
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(registration.session)
        updated = Registration.objects.filter(
            pk=registration.pk, state=RegistrationState.OFFERED, offer_expires_at__gt=now
        ).update(state=RegistrationState.REGISTERED, offer_expires_at=None)
        if not updated:
            raise WorkshopError(_("This offer is no longer open."))
        registration.refresh_from_db()
        audit.record(
            "jobhelp.registration.accepted",
            organization=current.workshop.organization,
            obj=registration,
        )
        messages.confirmed(registration)
    return registration


def promote(registration: Registration, *, by, now: datetime | None = None) -> Registration:
    """Staff give a waiting person a seat now, out of turn, when one is free.

    Side effects: audit ``jobhelp.registration.promoted``; a confirmation.
    """
    now = now or timezone.now()
    if not rules.can_manage(by, registration.session.workshop):
        raise WorkshopError(_("Only staff of the host organization can change its rosters."))
    with transaction.atomic():
        current = _locked(registration.session)
        if _holding(current) >= current.capacity:
            raise WorkshopError(_("There is no free seat. Raise the number of seats first."))
        updated = Registration.objects.filter(
            pk=registration.pk,
            state__in=[RegistrationState.WAITLISTED, RegistrationState.LAPSED],
        ).update(state=RegistrationState.REGISTERED, offer_expires_at=None)
        if not updated:
            raise WorkshopError(_("Only people on the waitlist can be given a seat."))
        registration.refresh_from_db()
        audit.record(
            "jobhelp.registration.promoted",
            actor=by,
            organization=current.workshop.organization,
            obj=registration,
        )
        messages.confirmed(registration)
    return registration


def expire_offers(*, now: datetime | None = None) -> int:
    """Offers past their time lapse, and their seats go to the next people waiting. Run every
    minute (the periodic job workshops.offer_expiry). Returns how many offers lapsed.

    Side effects: audit ``jobhelp.registration.offer_lapsed`` each; new offers.
    """
    now = now or timezone.now()
    session_ids = set(
        Registration.objects.filter(
            state=RegistrationState.OFFERED, offer_expires_at__lte=now
        ).values_list("session_id", flat=True)
    )
    lapsed = 0
    for session_id in sorted(session_ids):
        with transaction.atomic():
            current = _locked(WorkshopSession(pk=session_id))
            for registration in current.registrations.filter(
                state=RegistrationState.OFFERED, offer_expires_at__lte=now
            ):
                Registration.objects.filter(pk=registration.pk).update(
                    state=RegistrationState.LAPSED, offer_expires_at=None
                )
                audit.record(
                    "jobhelp.registration.offer_lapsed",
                    organization=current.workshop.organization,
                    obj=registration,
                )
                lapsed += 1
            _offer_seats(current, now=now)
    return lapsed


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
        current = _locked(session)
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
            if capacity < _holding(current):
                raise WorkshopError(
                    _("%(count)d people already hold seats; remove some before lowering it.")
                    % {"count": _holding(current)}
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
        current = _locked(current)
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
        _offer_seats(current, now=now)
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
        current = _locked(session)
        if current.state != SessionState.SCHEDULED:
            raise WorkshopError(_("This session was already cancelled."))
        if current.starts <= now:
            raise WorkshopError(_("This session has already started, so it cannot be cancelled."))
        WorkshopSession.objects.filter(pk=current.pk).update(
            state=SessionState.CANCELLED, sequence=current.sequence + 1
        )
        current = _locked(current)
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


# --- Attendance -------------------------------------------------------------------------------


def mark_attendance(
    session: WorkshopSession, *, by, attended: set[int], now: datetime | None = None
) -> tuple[int, int]:
    """The host marks who came: registered people in `attended` (registration ids) attended,
    the others did not come. Marking again corrects it. With the class's policy on, a no-show
    gives up their seats in later sessions of the class, which go to those waiting.
    Returns (attended, no-shows).

    Side effects: audit ``jobhelp.workshop_session.attendance_taken``; cancellations and
    offers in later sessions under the policy.
    """
    now = now or timezone.now()
    if not rules.can_take_attendance(by, session):
        raise WorkshopError(_("Only the host and staff of the host organization can do this."))
    if session.starts > now:
        raise WorkshopError(_("Attendance can be taken once the session has started."))
    counted = [
        RegistrationState.REGISTERED,
        RegistrationState.ATTENDED,
        RegistrationState.NO_SHOW,
    ]
    with transaction.atomic():
        current = _locked(session)
        roster = current.registrations.filter(state__in=counted)
        unknown = set(attended) - set(roster.values_list("pk", flat=True))
        if unknown:
            raise WorkshopError(_("Mark only people on this session's roster."))
        came = roster.filter(pk__in=attended).update(state=RegistrationState.ATTENDED)
        missed_rows = list(roster.exclude(pk__in=attended))
        roster.exclude(pk__in=attended).update(state=RegistrationState.NO_SHOW)
        audit.record(
            "jobhelp.workshop_session.attendance_taken",
            actor=by,
            organization=current.workshop.organization,
            obj=current,
            data={"attended": came, "no_show": len(missed_rows)},
        )
    if current.workshop.no_show_frees_later_seats:
        for missed in missed_rows:
            _free_later_seats(current, missed, now=now)
    return came, len(missed_rows)


def _free_later_seats(session: WorkshopSession, missed: Registration, *, now: datetime) -> None:
    later = Registration.objects.filter(
        session__workshop=session.workshop,
        session__starts__gt=session.starts,
        person_key=missed.person_key,
        state__in=sorted(ACTIVE),
    ).select_related("session")
    for registration in later:
        with transaction.atomic():
            current = _locked(registration.session)
            if Registration.objects.filter(pk=registration.pk, state__in=sorted(ACTIVE)).update(
                state=RegistrationState.CANCELLED, offer_expires_at=None
            ):
                audit.record(
                    "jobhelp.registration.released_after_no_show",
                    organization=current.workshop.organization,
                    obj=registration,
                    data={"missed_session": session.pk},
                )
                messages.released(registration)
                _offer_seats(current, now=now)


# --- Keeping little ---------------------------------------------------------------------------


def erase_past_registrations(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Names and contact details of registrations for sessions that ended longer ago than
    `older_than` (RETENTION["registrations"] in the periodic job workshops.registration_eraser)
    are erased, with the addresses and subjects of the messages sent to them
    (notifications.outbox.erase_messages_about); states stay for the attendance counts.
    Returns how many registrations were erased."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = Registration.objects.filter(
            session__ends__lt=now - older_than, erased_at__isnull=True
        )
        ids = list(expired.values_list("pk", flat=True))
        erase_messages_about(Registration, ids)
        return Registration.objects.filter(pk__in=ids).update(
            name="", phone="", email="", person_key="", erased_at=now
        )
