"""What a report covers: the organizations a manager may see (Scope) and the filters chosen
(ReportFilters), with the calendar arithmetic for periods.

Dates are calendar days on the wall clock of one time zone: the zone of the organization chosen
in the filter, or, with none chosen, of the first organization in the scope (a library system
before its branches); an organization's zone is that of its first location, or
settings.TIME_ZONE when it has none (intake.queries.zone_for). "1 to 30 November" therefore
means from midnight on 1 November to midnight at the end of 30 November in that zone, whatever
the clocks did in between.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings

from jobhelp.intake.queries import zone_for
from jobhelp.organizations.models import Organization

# The shortest and longest dates a report accepts; see reports.forms.
EARLIEST = date(2000, 1, 1)
MAX_DAYS = 5 * 366


@dataclass(frozen=True, kw_only=True)
class ReportFilters:
    """`start` and `end` are both included. Empty strings and None mean "any"."""

    start: date
    end: date
    organization_id: int | None = None
    need: str = ""
    channel: str = ""
    modality: str = ""
    language: str = ""
    helper_id: int | None = None


@dataclass(frozen=True)
class Scope:
    """The organizations whose figures a manager may read, top-level ones first, with their
    locations prefetched (for their time zones)."""

    organizations: tuple[Organization, ...]

    def __bool__(self) -> bool:
        return bool(self.organizations)

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(o.pk for o in self.organizations)

    def covered(self, organization_id: int | None) -> tuple[Organization, ...]:
        """The organizations a report with this organization filter covers; none for an
        organization outside the scope (the form refuses it before this is asked)."""
        if organization_id is None:
            return self.organizations
        return tuple(o for o in self.organizations if o.pk == organization_id)

    def zone(self, organization_id: int | None = None) -> zoneinfo.ZoneInfo:
        covered = self.covered(organization_id) or self.organizations
        if not covered:
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)
        return zone_for(covered[0])


def bounds(start: date, end: date, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    """The instants from midnight starting `start` to midnight ending `end`, in `zone`."""
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def quarter_of(day: date) -> tuple[date, date]:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    _first, last = month_of(date(first.year, first.month + 2, 1))
    return first, last


def year_of(day: date) -> tuple[date, date]:
    return date(day.year, 1, 1), date(day.year, 12, 31)


def previous(period: tuple[date, date], kind: str) -> tuple[date, date]:
    """The month, quarter or year before `period` (as returned by month_of and friends)."""
    day_before = period[0] - timedelta(days=1)
    return {"month": month_of, "quarter": quarter_of, "year": year_of}[kind](day_before)
