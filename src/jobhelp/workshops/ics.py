"""Calendar files for classes: a registrant's own session (with the join details), and the
public calendar (without them). Each session keeps one UID; its SEQUENCE rises with each
change, and a cancelled session is METHOD:CANCEL with STATUS:CANCELLED. Every event names the
host organization as its ORGANIZER, which RFC 5546 requires for PUBLISH and CANCEL (some
calendar programs ignore a cancellation without one)."""

from __future__ import annotations

from datetime import UTC, timedelta
from email.utils import parseaddr
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.core.i18n import localized
from jobhelp.workshops.enums import Delivery, SessionState

if TYPE_CHECKING:
    from icalendar import vCalAddress

# icalendar is imported where a calendar is made, not with this module: few requests make one.

PRODID = "-//jobhelp//classes//EN"
CONTENT_TYPE = "text/calendar"


def uid(session) -> str:
    host = urlsplit(settings.PUBLIC_BASE_URL).hostname or "jobhelp"
    return f"class-session-{session.pk}@{host}"


def where(session, *, with_join_details: bool) -> str:
    workshop = session.workshop
    location = session.location
    if workshop.delivery == Delivery.IN_PERSON:
        return f"{location.name}, {location.street}, {location.city}, {location.state}"
    if not with_join_details:
        return _("Online: registrants get the details")
    if workshop.delivery == Delivery.VIDEO:
        return session.join_url or _("Online: the link comes before the class")
    if session.conference_code:
        return _("Phone: call %(number)s, access code %(code)s") % {
            "number": session.conference_phone,
            "code": session.conference_code,
        }
    return _("Phone: call %(number)s") % {"number": session.conference_phone}


def organizer(session) -> vCalAddress:
    """The host organization, at the address jobhelp's messages come from."""
    from icalendar import vCalAddress

    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
    address = vCalAddress(f"mailto:{sender}")
    address.params["cn"] = session.workshop.organization.name
    return address


def _event(session, *, with_join_details: bool, url: str = ""):
    from icalendar import Event

    zone = session.location.zone
    event = Event()
    event.add("uid", uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("organizer", organizer(session))
    event.add("dtstart", session.starts.astimezone(zone))
    event.add("dtend", session.ends.astimezone(zone))
    title = localized(session.workshop, "title")
    event.add("summary", f"{title} – {session.workshop.organization.name}")
    event.add("location", where(session, with_join_details=with_join_details))
    description = localized(session.workshop, "description")
    if session.workshop.materials:
        description += "\n\n" + _("What to bring: %(materials)s") % {
            "materials": session.workshop.materials
        }
    if url:
        description += "\n\n" + url
    event.add("description", description.strip())
    cancelled = session.state == SessionState.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _zones(calendar, sessions) -> None:
    from icalendar import Timezone

    by_zone = {}
    for session in sessions:
        by_zone.setdefault(str(session.location.zone), []).append(session)
    for name, group in sorted(by_zone.items()):
        first = min(s.starts for s in group).date() - timedelta(days=366)
        last = max(s.starts for s in group).date() + timedelta(days=366)
        calendar.add_component(
            Timezone.from_tzinfo(
                group[0].location.zone, tzid=name, first_date=first, last_date=last
            )
        )


def registrant_calendar(session, *, cancelled: bool = False, url: str = "") -> str:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(_event(session, with_join_details=not cancelled, url=url))
    _zones(calendar, [session])
    return calendar.to_ical().decode()


def public_calendar(sessions, *, name: str) -> str:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    sessions = list(sessions)
    for session in sessions:
        calendar.add_component(_event(session, with_join_details=False))
    if sessions:
        _zones(calendar, sessions)
    return calendar.to_ical().decode()
