"""The patron's links to their appointment or to an offer of times, and a helper's calendar
feed, on the one secret-link mechanism (core.links: issued once, stored hashed, found, revoked).

Reading a link never changes anything: email scanners and link previews open links. Every
action behind a link is a POST made by a person (see public/views/appointments.py).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from jobhelp.core import audit, links
from jobhelp.intake.models import HelpRequest
from jobhelp.scheduling.models import Appointment, AppointmentType, CalendarFeed, PatronLink

# A link to an appointment works until a week after it ends, so the patron can still see what
# happened to it; an offer works this long after it is sent.
AFTER_APPOINTMENT = timedelta(days=7)
OFFER_LIFETIME = timedelta(days=14)


@dataclass(frozen=True)
class OpenedLink:
    link: PatronLink
    appointment: Appointment | None

    @property
    def is_offer(self) -> bool:
        return self.link.appointment_id is None


def link_to_appointment(appointment: Appointment) -> str:
    """A new link for the patron of `appointment`; returns the token, which is not stored."""
    _link, token = links.issue(
        PatronLink,
        expires_at=appointment.ends + AFTER_APPOINTMENT,
        appointment=appointment,
        request_id=appointment.request_id,
        appointment_type_id=appointment.appointment_type_id,
    )
    return token


@dataclass(frozen=True)
class FoundByReference:
    """What a reference code and a phone number found: a fresh link to an appointment
    (`token`), or only the request, which has no appointment (yet) that a link could show."""

    help_request: HelpRequest
    token: str | None = None


def link_by_reference(
    reference: str, phone: str, *, now: datetime | None = None
) -> FoundByReference | None:
    """For a patron without email: a reference code and the phone number they gave (E.164)
    open a fresh link to their appointment, while a link to it would still work. The code may
    be the appointment's (read to them when it was booked) or the request's (shown when they
    asked for help): one code per caller. With the request's code, its newest booking is
    found. None when nothing matches the code and the number together.

    Side effects: a new link; audit ``jobhelp.appointment.link_issued`` with the kind of code.
    """
    now = now or timezone.now()
    bookings = Appointment.objects.select_related("location__organization", "request").filter(
        request__phone=phone,
        request__erased_at__isnull=True,
        ends__gt=now - AFTER_APPOINTMENT,
    )
    newest = ("-created_at", "-pk")
    found = bookings.filter(reference=reference).order_by(*newest).first()
    code = "appointment"
    if found is None:
        help_request = (
            HelpRequest.objects.select_related("organization")
            .filter(reference=reference, phone=phone, erased_at__isnull=True)
            .first()
        )
        if help_request is None:
            return None
        found = bookings.filter(request=help_request).order_by(*newest).first()
        code = "request"
        if found is None:
            return FoundByReference(help_request)
    with transaction.atomic():
        token = link_to_appointment(found)
        audit.record(
            "jobhelp.appointment.link_issued",
            organization=found.location.organization,
            obj=found,
            data={"by": "reference_and_phone", "code": code},
        )
    return FoundByReference(found.request, token)


def offer_times(help_request, appointment_type: AppointmentType, *, by, now=None) -> str:
    """A link that lets the patron of `help_request` choose a time of `appointment_type`
    themselves; returns the token. The caller checks the type is self-service and the sender
    may book for the request (offers.offer_times_to_patron does both)."""
    now = now or timezone.now()
    with transaction.atomic():
        link, token = links.issue(
            PatronLink,
            expires_at=now + OFFER_LIFETIME,
            request=help_request,
            appointment_type=appointment_type,
        )
        audit.record(
            "jobhelp.appointment.offered",
            actor=by,
            organization=help_request.organization,
            obj=help_request,
            data={"type": appointment_type.pk, "link": link.pk},
        )
    return token


def open_link(token: str, *, now: datetime | None = None) -> OpenedLink:
    """The link for `token` and the appointment it shows now (None for an unused offer).
    Raises core.links.LinkUnknown for a token that was never issued (or was altered) or was
    revoked, and LinkExpired for one past its date."""
    link = links.find(
        PatronLink.objects.select_related(
            "appointment__location__organization",
            "appointment__appointment_type",
            "appointment__helper",
            "appointment__request",
            "request__organization",
            "appointment_type",
        ),
        token,
        now=now,
    )
    return OpenedLink(link=link, appointment=link.appointment)


def bind_offer(link: PatronLink, appointment: Appointment) -> None:
    """An offer used to book becomes the link to what it booked (the same address keeps
    working to see, move or cancel it)."""
    PatronLink.objects.filter(pk=link.pk).update(
        appointment=appointment, expires_at=appointment.ends + AFTER_APPOINTMENT
    )


def follow_reschedule(old: Appointment, new: Appointment) -> None:
    """Links to the old time now show the new one."""
    PatronLink.objects.filter(appointment=old).update(
        appointment=new, expires_at=new.ends + AFTER_APPOINTMENT
    )


def create_feed(helper, *, by) -> tuple[CalendarFeed, str]:
    """A new calendar feed address for `helper`, replacing (revoking) any earlier one.
    Side effects: audit ``jobhelp.calendar_feed.created``."""
    with transaction.atomic():
        links.revoke(CalendarFeed.objects.filter(helper=helper))
        feed, token = links.issue(CalendarFeed, expires_at=None, helper=helper)
        audit.record("jobhelp.calendar_feed.created", actor=by, obj=feed)
    return feed, token


def revoke_feed(helper, *, by) -> int:
    """Turn off `helper`'s feed address. Side effects: audit ``jobhelp.calendar_feed.revoked``
    when there was one."""
    with transaction.atomic():
        feeds = list(CalendarFeed.objects.filter(helper=helper, revoked_at__isnull=True))
        links.revoke(CalendarFeed.objects.filter(pk__in=[f.pk for f in feeds]))
        for feed in feeds:
            audit.record("jobhelp.calendar_feed.revoked", actor=by, obj=feed)
    return len(feeds)


def helper_for_feed(token: str):
    """The active helper whose live feed `token` opens. Raises core.links.LinkUnknown for any
    other token (an inactive helper's feed opens nothing)."""
    feed = links.find(
        CalendarFeed.objects.select_related("helper").filter(helper__is_active=True), token
    )
    now = timezone.now()
    # Calendar programs poll often; record reads at most hourly so reads stay reads.
    if feed.last_read_at is None or now - feed.last_read_at > timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    return feed.helper
