"""iCalendar files (RFC 5545) for the partnership's meetings: the one each attendee gets with
the invitation and every change, and the one the meeting's page offers. Times are written in
the meeting place's zone with its VTIMEZONE; a meeting keeps one UID and counts its changes in
SEQUENCE; a cancelled one is METHOD:CANCEL with STATUS:CANCELLED. As scheduling.ics does, the
organizer is the site's sender on behalf of the partnership's convener.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
    from icalendar import vCalAddress

# icalendar is imported where a calendar is made, not with this module: few requests make one.

PRODID = "-//jobhelp//partnership meetings//EN"
CONTENT_TYPE = "text/calendar"
FILE_NAME = "meeting.ics"


def uid(meeting) -> str:
    host = urlsplit(settings.PUBLIC_BASE_URL).hostname or "jobhelp"
    return f"partnership-meeting-{meeting.pk}@{host}"


def where(meeting) -> str:
    location = meeting.location
    return f"{location.name}, {location.street}, {location.city}, {location.state}"


def _address(email: str, name: str = "") -> vCalAddress:
    from icalendar import vCalAddress

    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = name
    return address


def meeting_calendar(meeting, *, method: str | None = None, now: datetime | None = None) -> str:
    """The meeting as a calendar file: METHOD:REQUEST while it stands (calendar programs add
    it and later replace it, same UID and a higher SEQUENCE), METHOD:CANCEL once cancelled.
    Attendees with a staff account and an email address are listed; guests by name are not
    (a calendar attendee is an address)."""
    from icalendar import Calendar, Event, Timezone

    now = now or timezone.now()
    cancelled = meeting.cancelled_at is not None
    method = method or ("CANCEL" if cancelled else "REQUEST")
    zone = meeting.location.zone
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = Event()
    event.add("uid", uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", meeting.starts.astimezone(zone))
    event.add("dtend", meeting.ends.astimezone(zone))
    event.add("summary", f"{meeting.title} – {meeting.partnership.name}")
    event.add("location", where(meeting))
    if meeting.agenda:
        event.add("description", meeting.agenda)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
    event.add("organizer", _address(sender, meeting.partnership.convener.name))
    for attendee in meeting.attendees.all():
        user = attendee.user
        if user is None or not user.email:
            continue
        address = _address(user.email, str(user))
        address.params["rsvp"] = "FALSE"
        address.params["partstat"] = "NEEDS-ACTION"
        address.params["role"] = "REQ-PARTICIPANT"
        event.add("attendee", address)
    calendar.add_component(event)
    day = meeting.starts.date()
    # Only the clock changes around the meeting, not every one since 1970.
    calendar.add_component(
        Timezone.from_tzinfo(
            zone,
            tzid=str(zone),
            first_date=day - timedelta(days=366),
            last_date=day + timedelta(days=366),
        )
    )
    return calendar.to_ical().decode()
