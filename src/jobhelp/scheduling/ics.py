"""iCalendar files (RFC 5545): one appointment for the patron's calendar program, and a helper's
feed. Times are written in the location's zone with its VTIMEZONE, so the event opens at the
right local time wherever the reader is. A booking keeps one UID across reschedules and counts
its changes in SEQUENCE; a cancellation is METHOD:CANCEL with STATUS:CANCELLED.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.core.enums import Modality
from jobhelp.core.i18n import localized
from jobhelp.scheduling.enums import AppointmentState

if TYPE_CHECKING:
    from icalendar import Calendar, Event, vCalAddress

# icalendar is imported where a calendar is made, not with this module: few requests make one.

PRODID = "-//jobhelp//appointments//EN"
CONTENT_TYPE = "text/calendar"


def uid(appointment) -> str:
    host = urlsplit(settings.PUBLIC_BASE_URL).hostname or "jobhelp"
    return f"{appointment.uid}@{host}"


def _calendar(method: str | None) -> Calendar:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def _add_zones(calendar: Calendar, zones: set, first: date, last: date) -> None:
    # Only the clock changes around the events, not every one since 1970.
    from icalendar import Timezone

    for zone in sorted(zones, key=str):
        calendar.add_component(
            Timezone.from_tzinfo(
                zone,
                tzid=str(zone),
                first_date=first - timedelta(days=366),
                last_date=last + timedelta(days=366),
            )
        )


def where(appointment) -> str:
    location = appointment.location
    match appointment.appointment_type.modality:
        case Modality.IN_PERSON:
            return f"{location.name}, {location.street}, {location.city}, {location.state}"
        case Modality.PHONE:
            return _("By phone: your helper will call you")
        case Modality.VIDEO:
            return _("Video call: the link comes from your helper")
        case _:
            return _("By email")


def _event(appointment, *, summary: str, description: str, now: datetime) -> Event:
    from icalendar import Event

    zone = appointment.location.zone
    event = Event()
    event.add("uid", uid(appointment))
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", appointment.starts.astimezone(zone))
    event.add("dtend", appointment.ends.astimezone(zone))
    event.add("summary", summary)
    event.add("location", where(appointment))
    event.add("description", description)
    cancelled = appointment.state in {
        AppointmentState.CANCELLED,
        AppointmentState.CANCELLED_LATE,
    }
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _address(email: str, name: str = "") -> vCalAddress:
    from icalendar import vCalAddress

    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = name
    return address


def patron_calendar(
    appointment, *, email: str, manage_url: str = "", now: datetime | None = None
) -> str:
    """The calendar file sent to the patron at `email`, in the active language: METHOD:REQUEST
    while booked, so calendar programs add it and later replace it (same UID, higher
    SEQUENCE), and METHOD:CANCEL once cancelled, which removes it. RFC 5546 wants an organizer
    and the attendee on both."""
    now = now or timezone.now()
    cancelled = appointment.state in {
        AppointmentState.CANCELLED,
        AppointmentState.CANCELLED_LATE,
    }
    calendar = _calendar("CANCEL" if cancelled else "REQUEST")
    organization = appointment.location.organization
    lines = [
        _("Reference code: %(reference)s") % {"reference": appointment.display_reference},
        _("With: %(helper)s") % {"helper": appointment.helper.first_name or appointment.helper},
    ]
    if manage_url:
        lines.append(_("See, move or cancel: %(url)s") % {"url": manage_url})
    event = _event(
        appointment,
        summary=_("%(type)s – %(organization)s")
        % {
            "type": localized(appointment.appointment_type, "name"),
            "organization": organization.name,
        },
        description="\n".join(lines),
        now=now,
    )
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
    event.add("organizer", _address(sender, organization.name))
    attendee = _address(email)
    attendee.params["rsvp"] = "FALSE"
    attendee.params["partstat"] = "ACCEPTED"
    event.add("attendee", attendee)
    calendar.add_component(event)
    day = appointment.starts.date()
    _add_zones(calendar, {appointment.location.zone}, day, day)
    return calendar.to_ical().decode()


def first_name(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else ""


def helper_feed(appointments, *, name: str, now: datetime | None = None) -> str:
    """A helper's own calendar: each appointment with the patron's first name and the
    reference code only, so a lost phone shows as little as possible."""
    now = now or timezone.now()
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    zones = set()
    days = []
    for appointment in appointments:
        patron = first_name(appointment.request.name) if appointment.request else ""
        summary = " · ".join(
            part
            for part in (
                localized(appointment.appointment_type, "name"),
                patron,
                appointment.display_reference,
            )
            if part
        )
        calendar.add_component(_event(appointment, summary=summary, description=summary, now=now))
        zones.add(appointment.location.zone)
        days.append(appointment.starts.date())
    if days:
        _add_zones(calendar, zones, min(days), max(days))
    return calendar.to_ical().decode()
