"""The referral slip: what the patron needs to go or call on their own, read from the directory
(docs/directory.md): the code, the service and who offers it, where (each location's address),
when (the service's own hours there, or the location's), the phone number, what to bring.

Printed from the staff page, and sent as a text message or an email through the outbox, in the
patron's language. Hours are formatted when the slip is drawn, in the language active then
(`hour_lines`, `compact_hours`), so the same data serves both languages.
"""

from dataclasses import dataclass
from datetime import time

from django.utils import formats
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import pgettext

from jobhelp.referrals.models import Referral

Weekly = tuple[tuple[int, time, time], ...]


@dataclass(frozen=True)
class SlipPlace:
    name: str
    street: str
    city: str
    state: str
    postal_code: str
    phone: str
    weekly: Weekly

    @property
    def address(self) -> str:
        return f"{self.street}, {self.city}, {self.state} {self.postal_code}"


@dataclass(frozen=True)
class Slip:
    code: str
    service: str
    organization: str
    phone: str
    url: str
    documents: tuple[str, ...]
    places: tuple[SlipPlace, ...]


def slip_for(referral: Referral) -> Slip:
    """The slip of a referral (its service's places and hours: three queries)."""
    service = referral.service
    places = (
        service.places.filter(location__is_active=True)
        .select_related("location")
        .prefetch_related("hours", "location__hours")
        .order_by("location__name", "pk")
    )
    slip_places = []
    for at in places:
        own = [(h.weekday, h.opens, h.closes) for h in at.hours.all()]
        weekly = own or [(h.weekday, h.opens, h.closes) for h in at.location.hours.all()]
        location = at.location
        slip_places.append(
            SlipPlace(
                name=location.name,
                street=location.street,
                city=location.city,
                state=location.state,
                postal_code=location.postal_code,
                phone=location.phone,
                weekly=tuple(sorted(weekly)),
            )
        )
    return Slip(
        code=referral.display_code,
        service=service.name,
        organization=referral.to_organization.name,
        phone=service.phone or referral.to_organization.phone,
        url=service.url,
        documents=tuple(service.required_documents or ()),
        places=tuple(slip_places),
    )


def _clock(value: time) -> str:
    return formats.time_format(value, "TIME_FORMAT")


def _intervals(weekly: Weekly) -> dict[int, tuple[tuple[time, time], ...]]:
    days: dict[int, list[tuple[time, time]]] = {}
    for weekday, opens, closes in weekly:
        days.setdefault(weekday, []).append((opens, closes))
    return {day: tuple(sorted(found)) for day, found in days.items()}


def _times(intervals) -> str:
    return ", ".join(f"{_clock(opens)}–{_clock(closes)}" for opens, closes in intervals)


def hour_lines(weekly: Weekly) -> list[tuple[str, str]]:
    """(day, hours) for each day of the week, Monday first, "Closed" on days without hours."""
    days = _intervals(weekly)
    return [
        (
            str(WEEKDAYS[day]),
            _times(days[day]) if day in days else pgettext("no hours that day", "Closed"),
        )
        for day in range(7)
    ]


def compact_hours(weekly: Weekly) -> str:
    """The week in one short line, days with the same hours run together: "Mon–Fri 9 a.m.–5
    p.m.; Sat 10 a.m.–2 p.m." (for a text message)."""
    days = _intervals(weekly)
    runs: list[tuple[int, int, tuple]] = []
    for day in range(7):
        if day not in days:
            continue
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == days[day]:
            runs[-1] = (runs[-1][0], day, days[day])
        else:
            runs.append((day, day, days[day]))
    parts = []
    for first, last, intervals in runs:
        name = str(WEEKDAYS_ABBR[first])
        if last != first:
            name += ("–" if last > first + 1 else ", ") + str(WEEKDAYS_ABBR[last])
        parts.append(f"{name} {_times(intervals)}")
    return "; ".join(parts)
