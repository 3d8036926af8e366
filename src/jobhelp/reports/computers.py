"""Public computer use and waits in the reports: for each location of the organizations shown,
by hour of the day on the location's own clock, the average number of computers in use and of
people waiting, the peaks, and the wait those averages mean (directory.waits.typical_wait).

Read from what the directory keeps (directory.computers): the hourly sums of counts older than
a day (ComputerUsageHour) and the raw counts of the last day, grouped by the database in each
location's zone (ExtractHour with the zone), so "9 a.m." is 9 a.m. at the branch whatever the
clocks did: on the day the clocks fall back, both 1 a.m. hours count under 1 a.m. The period's
days are also read on each location's clock: "1 to 30 November" runs from midnight to
midnight at each location.

Of the report's filters only the dates and the organization apply (need, channel, modality,
language and helper describe requests). Not suppressed (docs/reports.md, "Small-cell
suppression"): these are counts of machines in use and of the length of a queue, taken by staff
or a kiosk with no name, language or need attached, so a small one says nothing about anyone;
"2 people waiting at 10 a.m." is the figure a branch needs to see.

Two queries per time zone among the locations (usually one zone: two queries; two also with
no locations), on one read-only snapshot; the locations come with the scope.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max, Sum
from django.db.models.functions import ExtractHour
from django.utils.translation import gettext as _

from jobhelp.directory.models import ComputerCount, ComputerUsageHour, counts_summed
from jobhelp.directory.waits import typical_wait
from jobhelp.reports.filters import ReportFilters, Scope, bounds
from jobhelp.reports.readonly import read_only
from jobhelp.reports.tables import DECIMAL, Cell, Column, Row, Table


@dataclass(frozen=True)
class HourOfDay:
    """One location at one hour of the day (on its clock), over the report's period."""

    location_id: int
    location: str
    hour: int  # 0 to 23, local
    samples: int
    in_use_sum: int
    in_use_max: int
    waiting_sum: int
    waiting_max: int
    computers: int

    @property
    def in_use_average(self) -> float:
        return self.in_use_sum / self.samples

    @property
    def waiting_average(self) -> float:
        return self.waiting_sum / self.samples

    @property
    def wait_minutes(self) -> int | None:
        return typical_wait(
            in_use=self.in_use_average, waiting=self.waiting_average, computers=self.computers
        )


def computer_use(scope: Scope, filters: ReportFilters) -> list[HourOfDay]:
    """Each location of the organizations covered, by local hour of the day, in the period
    (both its days included, on the location's clock): by location name, then hour."""
    locations = {
        location.pk: location
        for organization in scope.covered(filters.organization_id)
        for location in organization.locations.all()
    }
    by_zone: dict[str, list[int]] = defaultdict(list)
    zones = {}
    for location in locations.values():
        by_zone[location.time_zone].append(location.pk)
        zones[location.time_zone] = location.zone
    if not by_zone:
        # No locations: the same two queries, which find nothing, so that the page's query
        # count does not depend on the data.
        zone = scope.zone(filters.organization_id)
        by_zone[zone.key], zones[zone.key] = [], zone
    merged: dict[tuple[int, int], dict[str, int]] = {}

    def add(row: dict) -> None:
        key = (row["location_id"], row["local_hour"])
        before = merged.get(key)
        if before is None:
            merged[key] = {k: row[k] for k in row if k not in ("location_id", "local_hour")}
            return
        for name in ("samples", "in_use_sum", "waiting_sum"):
            before[name] += row[name]
        for name in ("in_use_max", "waiting_max", "computers"):
            before[name] = max(before[name], row[name])

    with read_only():
        for zone_name, ids in sorted(by_zone.items()):
            zone = zones[zone_name]
            since, until = bounds(filters.start, filters.end, zone)
            hourly = (
                ComputerUsageHour.objects.filter(
                    location_id__in=ids, hour__gte=since, hour__lt=until
                )
                .annotate(local_hour=ExtractHour("hour", tzinfo=zone))
                .values("location_id", "local_hour")
                .annotate(
                    samples=Sum("samples"),
                    in_use_sum=Sum("in_use_sum"),
                    in_use_max=Max("in_use_max"),
                    waiting_sum=Sum("waiting_sum"),
                    waiting_max=Max("waiting_max"),
                    computers=Max("computers"),
                )
                .order_by()
            )
            raw = (
                ComputerCount.objects.filter(
                    location_id__in=ids, recorded_at__gte=since, recorded_at__lt=until
                )
                .annotate(local_hour=ExtractHour("recorded_at", tzinfo=zone))
                .values("location_id", "local_hour")
                .annotate(**counts_summed())
                .order_by()
            )
            for row in (*hourly, *raw):
                add(row)
    hours = [
        HourOfDay(location_id, locations[location_id].name, hour, **values)
        for (location_id, hour), values in merged.items()
        if values["samples"]
    ]
    return sorted(hours, key=lambda h: (h.location, h.location_id, h.hour))


def _hour_label(hour: int) -> str:
    return f"{hour:02d}:00–{(hour + 1) % 24:02d}:00"


def computer_table(hours: list[HourOfDay]) -> Table:
    """The figures as a report table (not suppressed: see the module's docstring)."""
    return Table(
        key="computers",
        title=_("Public computers, by location and hour of the day"),
        description=_(
            "For each location and hour of the day, on the location's clock: the average "
            "number of public computers in use and of people waiting for one in the counts "
            "taken that hour, the highest of each, and the wait those averages mean at a "
            "typical hour-long session. Counts of computers and of a queue, with nothing "
            "about anyone in it: small numbers are shown."
        ),
        row_heading=_("Location and hour"),
        columns=(
            Column("in_use", _("Average in use")),
            Column("waiting", _("Average waiting")),
            Column("in_use_peak", _("Most in use")),
            Column("waiting_peak", _("Most waiting")),
            Column("computers", _("Computers")),
            Column("wait_minutes", _("Estimated wait (minutes)")),
            Column("counts", _("Counts taken")),
        ),
        rows=tuple(
            Row(
                f"{h.location_id}-{h.hour:02d}",
                f"{h.location}, {_hour_label(h.hour)}",
                (
                    Cell(round(h.in_use_average, 1), DECIMAL),
                    Cell(round(h.waiting_average, 1), DECIMAL),
                    Cell(h.in_use_max),
                    Cell(h.waiting_max),
                    Cell(h.computers),
                    Cell(h.wait_minutes),
                    Cell(h.samples),
                ),
            )
            for h in hours
        ),
        # The chart draws the average waiting: where a patron is turned away.
        chart_column=1,
    )


def computer_tables(scope: Scope, filters: ReportFilters) -> list[Table]:
    return [computer_table(computer_use(scope, filters))]
