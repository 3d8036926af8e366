"""Registering for class sessions: the waitlist and its offers, promotion, offers that lapse,
leaving, and erasing old registrations. One function per change; each is audited and says its
side effects. Sessions are in workshops.sessions, attendance in workshops.attendance, and what
they all share about seats (the lock, the count, offering free seats) in workshops.seats.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.core import audit
from jobhelp.notifications.outbox import erase_messages_about
from jobhelp.workshops import messages, rules
from jobhelp.workshops.enums import (
    ACTIVE,
    MessagesBy,
    RegistrationClosed,
    RegistrationState,
    SessionState,
)
from jobhelp.workshops.links import issue_link
from jobhelp.workshops.models import Registration, WorkshopSession
from jobhelp.workshops.seats import WorkshopError, lock_session, offer_seats, seats_held

KEY_LENGTH = Registration._meta.get_field("idempotency_key").max_length


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


# --- Registering ------------------------------------------------------------------------------


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
            current = lock_session(session)
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
            full = seats_held(current) >= current.capacity
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
    return _cancel_registration(registration, by=by, now=now, data={})


def cancel_for_erasure(registration: Registration, *, by, now: datetime) -> Registration:
    """The person's data is being erased at their request (privacy): their place in a class
    still to come is given up, in the caller's transaction. `by` is the privacy officer, whom
    the privacy app has already checked. The person is told nothing (cancelling never tells
    them); the seat goes to the next person waiting, who is told.

    Side effects: as cancel_registration's (audit ``jobhelp.registration.cancelled``, with
    ``erased``; offers to the waitlist).
    """
    return _cancel_registration(registration, by=by, now=now, data={"erased": True})


def _cancel_registration(registration: Registration, *, by, now: datetime, data: dict):
    session = registration.session
    with transaction.atomic():
        current = lock_session(session)
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
            data={"was": registration.state, **data},
        )
        offer_seats(current, now=now)
    registration.refresh_from_db()
    return registration


def accept_offer(registration: Registration, *, now: datetime | None = None) -> Registration:
    """The person offered a seat takes it before the offer lapses.

    Side effects: audit ``jobhelp.registration.accepted``; a confirmation with the join
    details and a calendar file.
    """
    now = now or timezone.now()
    with transaction.atomic():
        current = lock_session(registration.session)
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
        current = lock_session(registration.session)
        if seats_held(current) >= current.capacity:
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
            current = lock_session(WorkshopSession(pk=session_id))
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
            offer_seats(current, now=now)
    return lapsed


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
