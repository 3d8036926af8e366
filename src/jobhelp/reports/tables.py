"""The report as tables: what the pages, the charts, the CSV files and the API all show.

build_tables() is where suppression is applied (reports.suppression), once for every interface:
a Cell holds only what may be shown. A chart is drawn from the same Table (reports.charts), so
chart and table cannot disagree.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jobhelp.casework.enums import Activity, OutcomeKind
from jobhelp.intake.enums import IntakeChannel
from jobhelp.reports.queries import Durations, Figures, HeadlineFigures, MonthFigures
from jobhelp.reports.suppression import SUPPRESSED, Shown, share, suppress, suppress_parts
from jobhelp.scheduling.enums import AppointmentState

COUNT, DECIMAL, PERCENT = "count", "decimal", "percent"


@dataclass(frozen=True)
class Cell:
    """A value as it may be shown: a number, SUPPRESSED ("<5") or None (no data)."""

    value: Shown
    kind: str = COUNT

    @property
    def suppressed(self) -> bool:
        return self.value == SUPPRESSED

    @property
    def number(self) -> float | None:
        """The value a chart draws; None when there is nothing to draw."""
        return None if self.value is None or self.suppressed else float(self.value)

    @property
    def display(self) -> str:
        if self.value is None:
            return "–"
        if self.suppressed:
            return SUPPRESSED
        if self.kind == COUNT:
            return formats.number_format(self.value, 0, use_l10n=True, force_grouping=True)
        shown = formats.number_format(self.value, 1, use_l10n=True, force_grouping=True)
        return f"{shown}%" if self.kind == PERCENT else shown


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: tuple[Cell, ...]
    # Totals and figures in another unit are in the table but not in the chart.
    charted: bool = True


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    description: str
    row_heading: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    # The column the chart draws, and the top of its scale when it is fixed (100 for shares).
    chart_column: int = 0
    chart_max: float | None = None

    @property
    def charted_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.charted)


def _count(n: int) -> Cell:
    return Cell(suppress(n))


def _hours(value: timedelta | None, *, based_on: int) -> Cell:
    hours = None if value is None else round(value.total_seconds() / 3600, 1)
    return Cell(suppress(hours, based_on=based_on), DECIMAL)


def _days(value: timedelta | None, *, based_on: int) -> Cell:
    days = None if value is None else round(value.total_seconds() / 86400, 1)
    return Cell(suppress(days, based_on=based_on), DECIMAL)


def _minutes(minutes: int, *, sessions: int) -> Cell:
    # A sum over one to four sessions is hidden like the count of them; no sessions, 0 minutes.
    return Cell(suppress(minutes, based_on=sessions) if sessions else 0)


def _parts_and_total(parts: list[tuple[str, str, int]], total: tuple[str, str, int]):
    """Rows whose counts add up to the total row after them, suppressed together."""
    shown, total_shown = suppress_parts([n for _k, _l, n in parts], total[2])
    return (
        *(
            Row(key, label, (Cell(value),))
            for (key, label, _n), value in zip(parts, shown, strict=True)
        ),
        Row(total[0], total[1], (Cell(total_shown),), charted=False),
    )


def _value_column() -> tuple[Column, ...]:
    return (Column("value", pgettext("report column", "Value")),)


def _durations_rows(durations: Durations, convert, unit: str, counted: str) -> tuple[Row, ...]:
    return (
        Row(
            "median",
            _("Median (%(unit)s)") % {"unit": unit},
            (convert(durations.median, based_on=durations.count),),
        ),
        Row(
            "p90",
            _("90th percentile (%(unit)s)") % {"unit": unit},
            (convert(durations.p90, based_on=durations.count),),
        ),
        Row("count", counted, (_count(durations.count),), charted=False),
    )


def build_tables(figures: Figures) -> list[Table]:
    f = figures
    organizations = {o.pk: str(o) for o in f.organizations}
    return [
        Table(
            key="requests",
            title=_("Requests received, by channel"),
            description=_("Requests that arrived in the period, by how they reached us."),
            row_heading=_("Received by"),
            columns=(Column("requests", _("Requests")),),
            rows=_parts_and_total(
                [(c.value, str(c.label), f.requests_by_channel[c]) for c in IntakeChannel],
                ("total", _("All requests"), f.requests),
            ),
        ),
        Table(
            key="organizations",
            title=_("Requests and help sessions, by organization"),
            description=_(
                "Requests received and help sessions given in the period, for each organization."
            ),
            row_heading=_("Organization"),
            columns=(Column("requests", _("Requests")), Column("sessions", _("Help sessions"))),
            rows=tuple(
                Row(
                    str(pk),
                    name,
                    (
                        _count(f.requests_by_organization.get(pk, 0)),
                        _count(f.sessions_by_organization.get(pk, 0)),
                    ),
                )
                for pk, name in organizations.items()
            ),
        ),
        Table(
            key="first_contact",
            title=_("Time to first contact"),
            description=_(
                "Hours from a request's arrival to the first call or email to the patron, for "
                "the requests received in the period that have been contacted."
            ),
            row_heading=_("Measure"),
            columns=_value_column(),
            rows=_durations_rows(f.first_contact, _hours, _("hours"), _("Requests contacted")),
        ),
        Table(
            key="resolution",
            title=_("Time to resolution"),
            description=_(
                "Days from a request's arrival to its resolution, for the requests received in "
                "the period that have been resolved."
            ),
            row_heading=_("Measure"),
            columns=_value_column(),
            rows=_durations_rows(f.resolution, _days, _("days"), _("Requests resolved")),
        ),
        Table(
            key="appointments",
            title=_("Appointments"),
            description=_(
                "Appointments booked for times in the period, by what became of them. A "
                "rescheduled appointment counts once, at its new time."
            ),
            row_heading=_("State"),
            columns=(Column("appointments", _("Appointments")),),
            rows=_parts_and_total(
                [
                    (state, label, f.appointments_by_state[state])
                    for state, label in (
                        (AppointmentState.ATTENDED, _("Attended")),
                        (AppointmentState.NO_SHOW, _("Did not come")),
                        (AppointmentState.CANCELLED_LATE, _("Cancelled late")),
                        (AppointmentState.CANCELLED, _("Cancelled in time")),
                        (AppointmentState.BOOKED, _("Booked, not yet marked")),
                    )
                ],
                ("total", _("All appointments booked"), f.appointments),
            ),
        ),
        Table(
            key="sessions",
            title=_("Help sessions, by what was done"),
            description=_(
                "Help sessions in the period. A session where several things were done counts "
                "under each of them."
            ),
            row_heading=_("What was done"),
            columns=(Column("sessions", _("Sessions")),),
            rows=(
                *(
                    Row(a.value, str(a.label), (_count(f.sessions_by_activity.get(a.value, 0)),))
                    for a in Activity
                ),
                Row("total", _("All help sessions"), (_count(f.sessions),), charted=False),
                Row(
                    "minutes",
                    _("Minutes spent, all sessions"),
                    (_minutes(f.minutes, sessions=f.sessions),),
                    charted=False,
                ),
            ),
        ),
        Table(
            key="helpers",
            title=_("Help sessions, by helper"),
            description=_(
                "Help sessions in the period and the minutes spent, for each helper: the "
                "staff's workload, shown in full (small numbers are hidden only in figures "
                "about patrons)."
            ),
            row_heading=_("Helper"),
            columns=(Column("sessions", _("Sessions")), Column("minutes", _("Minutes"))),
            rows=tuple(
                Row(
                    str(h.helper_id),
                    h.name,
                    # Staff workload, for the managers of these helpers: not figures about
                    # patrons, so not suppressed.
                    (Cell(h.sessions), Cell(h.minutes or 0)),
                )
                for h in f.sessions_by_helper
            ),
        ),
        Table(
            key="outcomes",
            title=_("Outcomes"),
            description=_(
                "What came of the help, as the helpers recorded it, by the date it was achieved."
            ),
            row_heading=_("Outcome"),
            columns=(Column("outcomes", _("Outcomes")),),
            rows=tuple(
                Row(k.value, str(k.label), (_count(f.outcomes_by_kind.get(k.value, 0)),))
                for k in OutcomeKind
            ),
        ),
        Table(
            key="feedback",
            title=_("Patron feedback"),
            description=_(
                "Survey answers about the help sessions of the period: by the survey link or "
                "by phone, recorded by staff."
            ),
            row_heading=_("Measure"),
            columns=_value_column(),
            rows=(
                Row("asked", _("Patrons asked"), (_count(f.feedback_asked),), charted=False),
                Row(
                    "answered",
                    _("Patrons who answered"),
                    (_count(f.feedback_answered),),
                    charted=False,
                ),
                Row(
                    "response_rate",
                    _("Response rate"),
                    (Cell(share(f.feedback_answered, f.feedback_asked), PERCENT),),
                ),
                Row(
                    "would_recommend",
                    _("Would recommend it"),
                    (Cell(share(f.would_recommend, f.feedback_answered), PERCENT),),
                ),
                Row(
                    "helpful",
                    _("Average helpfulness (1 to 5)"),
                    (
                        Cell(
                            suppress(
                                None if f.helpful_average is None else round(f.helpful_average, 1),
                                based_on=f.feedback_answered,
                            ),
                            DECIMAL,
                        ),
                    ),
                    charted=False,
                ),
            ),
            chart_max=100,
        ),
        Table(
            key="referrals",
            title=_("Referrals made"),
            description=_(
                "Help sessions in the period where a referral was made, and referrals to a "
                "partner recorded as an outcome in the period."
            ),
            row_heading=_("Measure"),
            columns=(Column("referrals", _("Number")),),
            rows=(
                Row(
                    "sessions",
                    _("Sessions with a referral made"),
                    (_count(f.sessions_by_activity.get(Activity.REFERRAL, 0)),),
                ),
                Row(
                    "outcomes",
                    _("Outcome “referred to a partner”"),
                    (_count(f.outcomes_by_kind.get(OutcomeKind.REFERRED, 0)),),
                ),
            ),
        ),
        Table(
            key="classes",
            title=_("Classes"),
            description=_(
                "Class sessions held in the period by the organizations shown, for each class: "
                "sessions, people registered, and how many came. The attendance rate counts "
                "those marked as came or did not come."
            ),
            row_heading=_("Class (host)"),
            columns=(
                Column("attended", _("Came")),
                Column("registered", _("Registered")),
                Column("sessions", _("Sessions")),
                Column("rate", _("Attendance rate")),
            ),
            rows=tuple(
                Row(
                    str(c.workshop_id),
                    f"{c.title} ({c.host})",
                    (
                        _count(c.attended),
                        _count(c.registered),
                        # How many times the class met is about the class, not its patrons:
                        # not suppressed (as staff workload is not).
                        Cell(c.sessions),
                        Cell(share(c.attended, c.attended + c.no_show), PERCENT),
                    ),
                )
                for c in f.classes
            ),
        ),
    ]


def find_table(tables: list[Table], key: str) -> Table | None:
    return next((t for t in tables if t.key == key), None)


def headline_table(
    figures: dict[str, HeadlineFigures], columns: list[tuple[str, str]], *, title: str
) -> Table:
    """Appointments attended and requests helped, one column per period (`columns`: the
    period's name in `figures` and its heading)."""
    return Table(
        key="headline",
        title=title,
        description=_(
            "Appointments attended, and requests resolved or given a help session, in each period."
        ),
        row_heading=_("Figure"),
        columns=tuple(Column(name, label) for name, label in columns),
        rows=(
            Row(
                "attended",
                _("Appointments attended"),
                tuple(_count(figures[name].attended) for name, _label in columns),
            ),
            Row(
                "helped",
                _("Requests helped"),
                tuple(_count(figures[name].helped) for name, _label in columns),
            ),
        ),
    )


def trend_table(trend: list[MonthFigures]) -> Table:
    """The last twelve months beside the same months a year earlier (monthly_trend's rows:
    the year before first). Each count is a figure about patrons, suppressed as any other."""
    half = len(trend) // 2
    earlier, recent = trend[:half], trend[half:]
    year_earlier = pgettext("report column", "a year earlier")
    columns = []
    for key, label in (
        ("requests", _("Requests")),
        ("appointments", _("Appointments attended")),
        ("sessions", _("Help sessions")),
        ("outcomes", _("Outcomes")),
    ):
        columns += [Column(key, label), Column(f"{key}_before", f"{label}, {year_earlier}")]
    return Table(
        key="trend",
        title=_("The last twelve months"),
        description=_(
            "Requests received, appointments attended, help sessions and outcomes recorded, "
            "month by month, beside the same month a year earlier."
        ),
        row_heading=_("Month"),
        columns=tuple(columns),
        rows=tuple(
            Row(
                now.month.strftime("%Y-%m"),
                formats.date_format(now.month, "YEAR_MONTH_FORMAT"),
                tuple(
                    _count(getattr(month, name))
                    for name in ("requests", "appointments", "sessions", "outcomes")
                    for month in (now, before)
                ),
            )
            for now, before in zip(recent, earlier, strict=True)
        ),
    )


def _in_words(n: int) -> str:
    """A count for a sentence, suppressed as in the tables."""
    shown = suppress(n)
    if shown == SUPPRESSED:
        return _("fewer than 5")
    return formats.number_format(shown, 0, use_l10n=True, force_grouping=True)


def headline_sentence(
    *, who: str, period: str, helped: int, attended: int, outcomes: dict[str, int]
) -> str:
    """The report's figures in one plain sentence, for a director to quote: "In November 2026
    Riverbend County Library helped 134 job seekers: 61 appointments attended, 23 resumés
    completed, 9 people hired." Counts of 1 to 4 read "fewer than 5"."""
    details = [
        _("%(count)s appointments attended") % {"count": _in_words(attended)},
        _("%(count)s resumés completed")
        % {"count": _in_words(outcomes.get(OutcomeKind.RESUME_COMPLETED, 0))},
        _("%(count)s people hired") % {"count": _in_words(outcomes.get(OutcomeKind.HIRED, 0))},
    ]
    return _("In %(period)s %(who)s helped %(count)s job seekers: %(details)s.") % {
        "period": period,
        "who": who,
        "count": _in_words(helped),
        "details": ", ".join(details),
    }
