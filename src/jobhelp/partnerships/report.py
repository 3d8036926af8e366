"""The quarterly partnership activity report, as data: one ActivityReport built from the scoped
queries, which the printable page and the CSV (report_csv) both show.

It holds the liaison's time against what is expected, how each partner kept its obligations
and what is overdue, the meetings and their action items, and the grants. The sections on
cross-training, flyers and referrals are placeholders (None) until an app above this one
registers what fills them (`register_section`: reports registers the referrals' counts, read
from the referrals app with small-cell suppression, never a patron's record).
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from jobhelp.core.spreadsheets import BOM, safe
from jobhelp.partnerships import queries
from jobhelp.partnerships.enums import OPEN_ACTION_STATES, RUNNING_STATES, Activity, GrantStatus
from jobhelp.partnerships.models import ActionItem, Grant, Meeting, Occurrence, Partnership


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("a quarter is 1 to 4")
    starts = date(year, 3 * quarter - 2, 1)
    return starts, queries.month_bounds(year, 3 * quarter)[1]


@dataclass(frozen=True)
class ActivityReport:
    partnership: Partnership
    year: int
    quarter: int
    starts: date
    ends: date
    made_on: date
    liaison_time: list[queries.LiaisonMonths]
    time_by_activity: dict[str, int]
    obligations: list[queries.KeptRow]
    overdue: list[Occurrence]
    meetings: list[Meeting]
    action_items: list[ActionItem]
    grants: list[Grant]
    # Filled by the apps that record them, once they exist (None: not recorded in jobhelp).
    trainings: list | None = field(default=None)
    flyers: list | None = field(default=None)
    referrals: list | None = field(default=None)

    @property
    def minutes_given(self) -> int:
        return sum(row.total for row in self.liaison_time)


# Sections filled by apps above this one, by ActivityReport field: a function of (user,
# partnership, starts=, ends=) giving the section as rows (its heading row first).
_SECTIONS: dict[str, Callable[..., list[list]]] = {}


def register_section(name: str, rows: Callable[..., list[list]]) -> None:
    """Fill the report's `name` section (trainings, flyers, referrals) with `rows`."""
    if name not in ("trainings", "flyers", "referrals"):
        raise ValueError(f"the activity report has no section {name!r}")
    _SECTIONS[name] = rows


def activity_report(
    user, partnership: Partnership, *, year: int, quarter: int, today: date | None = None
) -> ActivityReport:
    """The report of one quarter, as `user` may see it (a partner at a reduced level sees only
    the obligations it takes part in). A fixed number of queries."""
    today = today or timezone.localdate()
    starts, ends = quarter_bounds(year, quarter)
    overdue = list(
        queries.occurrences_for_user(user)
        .filter(
            obligation__agreement__partnership=partnership,
            obligation__agreement__status__in=RUNNING_STATES,
            done_at__isnull=True,
            due_on__lt=today,
            due_on__lte=ends,
        )
        .select_related("obligation__owner_organization")
        .order_by("due_on", "pk")
    )
    meetings = list(
        queries.meeting_list(user, partnership).filter(
            starts__date__gte=starts, starts__date__lte=ends
        )
    )
    action_items = list(
        queries.action_item_list(user, partnership=partnership).filter(
            Q(status__in=OPEN_ACTION_STATES, due_on__lte=ends)
            | Q(closed_at__date__gte=starts, closed_at__date__lte=ends)
        )
    )
    grants = list(
        queries.grant_list(user, partnership).filter(
            Q(status__in=[GrantStatus.EXPLORING, GrantStatus.PREPARING, GrantStatus.SUBMITTED])
            | Q(deadline__gte=starts, deadline__lte=ends)
        )
    )
    report = ActivityReport(
        partnership=partnership,
        year=year,
        quarter=quarter,
        starts=starts,
        ends=ends,
        made_on=today,
        liaison_time=queries.liaison_time(user, partnership, starts=starts, ends=ends),
        time_by_activity=queries.time_by_activity(user, partnership, starts=starts, ends=ends),
        obligations=queries.obligations_kept(
            user, partnership, starts=starts, ends=ends, today=today
        ),
        overdue=overdue,
        meetings=meetings,
        action_items=action_items,
        grants=grants,
    )
    sections = {
        name: rows(user, partnership, starts=starts, ends=ends) for name, rows in _SECTIONS.items()
    }
    return replace(report, **sections) if sections else report


# --- CSV ----------------------------------------------------------------------------------------


def _day(value: date) -> str:
    return value.isoformat()


def _month(year: int, month: int) -> str:
    return formats.date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")


def report_rows(report: ActivityReport) -> list[list]:
    """The report as CSV rows, section after section, every text cell made safe against
    spreadsheet formulas (a partner's name or a meeting's title typed as "=..." stays text)."""
    rows: list[list] = [
        [_("Partnership activity report"), report.partnership.name],
        [_("From"), _day(report.starts), _("To"), _day(report.ends)],
        [_("Made on"), _day(report.made_on)],
        [],
        [_("Time given by the liaison (minutes)")],
    ]
    months = report.liaison_time[0].months if report.liaison_time else []
    rows.append(
        [_("Liaison"), *(_month(y, m) for y, m, _minutes in months), _("Total"), _("Expected")]
    )
    for row in report.liaison_time:
        rows.append([row.liaison, *(m for _y, _m, m in row.months), row.total, row.expected])
    rows += [[], [_("Activity"), _("Minutes")]]
    rows += [[Activity(a).label, m] for a, m in report.time_by_activity.items()]
    rows += [
        [],
        [_("Obligations kept")],
        [
            _("Partner"),
            _("Due in the period"),
            _("Kept"),
            _("Kept on time"),
            _("Past due"),
            _("Still to come"),
        ],
    ]
    rows += [
        [r.organization, r.due, r.kept, r.on_time, r.overdue, r.upcoming]
        for r in report.obligations
    ]
    rows += [[], [_("Overdue obligations")], [_("Obligation"), _("Partner"), _("Due on")]]
    rows += [
        [o.obligation.title, o.obligation.owner_organization.name, _day(o.due_on)]
        for o in report.overdue
    ]
    rows += [
        [],
        [_("Meetings")],
        [_("Meeting"), _("Date and time"), _("Open action items"), _("Closed action items")],
    ]
    for meeting in report.meetings:
        local = meeting.starts.astimezone(meeting.location.zone)
        rows.append(
            [
                meeting.title,
                local.strftime("%Y-%m-%d %H:%M"),
                meeting.open_items,
                meeting.closed_items,
            ]
        )
    rows += [
        [],
        [_("Action items")],
        [_("Action item"), _("Owner"), _("Partner"), _("Due on"), _("Status")],
    ]
    rows += [
        [i.title, str(i.owner), i.owner_organization.name, _day(i.due_on), i.get_status_display()]
        for i in report.action_items
    ]
    rows += [
        [],
        [_("Grants")],
        [_("Funder"), _("Opportunity"), _("Lead partner"), _("Deadline"), _("Status")],
    ]
    rows += [
        [
            g.funder,
            g.opportunity,
            g.lead_organization.name,
            _day(g.deadline) if g.deadline else "",
            g.get_status_display(),
        ]
        for g in report.grants
    ]
    for title, section in (
        (_("Cross-training"), report.trainings),
        (_("Flyers and materials"), report.flyers),
        (_("Referrals"), report.referrals),
    ):
        rows += [[], [title]]
        if section is None:
            rows.append([_("Not recorded in jobhelp yet.")])
        else:
            rows += section
    return [
        [safe(str(cell) if isinstance(cell, Promise) else cell) for cell in row] for row in rows
    ]


def report_csv(report: ActivityReport) -> str:
    """The report as a CSV file for a spreadsheet: UTF-8 with a byte-order mark, text quoted,
    numbers not (core.spreadsheets)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerows(report_rows(report))
    return out.getvalue()
