"""Class attendance: the host marks who came; under the class's policy a no-show gives up their
seats in later sessions of the class, which go to those waiting (workshops.seats.offer_seats).
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.core import audit
from jobhelp.workshops import messages, rules
from jobhelp.workshops.enums import ACTIVE, RegistrationState
from jobhelp.workshops.models import Registration, WorkshopSession
from jobhelp.workshops.seats import WorkshopError, lock_session, offer_seats


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
        current = lock_session(session)
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
            current = lock_session(registration.session)
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
                offer_seats(current, now=now)
