"""What a booking page offers first: which helper, which kind of appointment, which day and
which times of that day (docs/appointments.md, "Who and when are offered first").

Staff booking (staff.views.appointments) and the patron's offer of times
(public.views.appointments) both ask here, so the two pages rank alike:

- helpers: the one assigned to the request first, then the others slot search would offer,
  in triage's order (intake.routing.HelperPool.suggest: a matching routing rule, the
  patron's language, qualified for every need, for more needs, the least busy), each with
  the reasons that put them there; "anyone free" is a choice the page adds, not the default;
- kinds of appointment: those of the way the patron asked for help first; a patron who asked
  by phone is not offered video calls (they may have no camera or internet);
- times: day by day; on a day, the patron's best time of day first.

Reads only; nothing here changes anything.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _

from jobhelp.core.enums import Language, Modality, Need
from jobhelp.intake.enums import BestTime
from jobhelp.intake.routing import SPEAKS, HelperPool, pool_for_requests
from jobhelp.scheduling.models import AppointmentType

# Kinds of appointment never offered for a way of asking for help: a caller who asked to be
# helped by phone may have no camera or internet for a video call.
UNSUITABLE: dict[str, frozenset[str]] = {Modality.PHONE: frozenset({Modality.VIDEO})}

# The hours (on the location's clock, [from, to)) of each best time of day the request form
# offers; its labels say "Morning (9 to noon)", "Afternoon (noon to 5)", "Evening (5 to 8)".
BEST_HOURS: dict[str, tuple[int, int]] = {
    BestTime.MORNING: (0, 12),
    BestTime.AFTERNOON: (12, 17),
    BestTime.EVENING: (17, 24),
}


# --- Helpers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HelperChoice:
    """A helper the booking page offers, with why they are where they are."""

    helper: object
    assigned: bool
    speaks_language: bool
    matched_needs: tuple[str, ...]
    # Which of the request's needs they are qualified for: all of them, or only some.
    qualified_for_all: bool

    def reasons(self, language: str) -> list[str]:
        """Why, in the active language: "assigned", "speaks Spanish", "qualified for
        Resumé"."""
        reasons = []
        if self.assigned:
            reasons.append(_("assigned"))
        if self.speaks_language:
            reasons.append(str(SPEAKS.get(language, SPEAKS[Language.OTHER])))
        if self.matched_needs:
            # In the order of the list of needs, whatever order the database gave them in.
            order = list(Need.values)
            matched = sorted(self.matched_needs, key=lambda n: order.index(n) if n in order else 99)
            needs = ", ".join(str(Need(n).label) for n in matched)
            reasons.append(_("qualified for {needs}").format(needs=needs))
        return reasons


def helper_choices(help_request, *, pool: HelperPool | None = None) -> list[HelperChoice]:
    """Every helper slot search would offer for the request (qualified for one of its needs,
    serving its organization), best first: the assigned helper, then triage's order. Two
    queries (the pool), or none with a `pool` already read."""
    pool = pool or pool_for_requests([help_request])
    needs = [n.need for n in help_request.needs.all()]
    suggestions = pool.suggest(help_request, limit=None)
    choices = [
        HelperChoice(
            helper=s.helper,
            assigned=s.helper.pk == help_request.assigned_to_id,
            speaks_language=s.speaks_language,
            matched_needs=tuple(s.matched_needs),
            qualified_for_all=len(s.matched_needs) == len(needs),
        )
        for s in suggestions
    ]
    # sorted() is stable: triage's order stays behind the assigned helper.
    return sorted(choices, key=lambda choice: not choice.assigned)


def find_choice(choices: list[HelperChoice], pk) -> HelperChoice | None:
    """The choice for helper `pk` (text from a form), or None for anything not offered."""
    return next((c for c in choices if str(c.helper.pk) == str(pk)), None)


# --- Kinds of appointment -----------------------------------------------------------------------


def types_for_modality(help_request, types: QuerySet[AppointmentType]) -> QuerySet[AppointmentType]:
    """`types` without those unsuitable for the way the patron asked for help, those of that
    way first, then by name."""
    wanted = help_request.modality
    return types.exclude(modality__in=sorted(UNSUITABLE.get(wanted, ()))).order_by(
        Case(When(modality=wanted, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "name",
        "pk",
    )


def default_type(help_request, types: Iterable[AppointmentType]) -> AppointmentType | None:
    """The kind to show times for before anyone chose: the first of the patron's way of
    asking, or the only kind there is."""
    types = list(types)
    for appointment_type in types:
        if appointment_type.modality == help_request.modality:
            return appointment_type
    return types[0] if len(types) == 1 else None


# --- Days and times -----------------------------------------------------------------------------


@dataclass
class Day:
    date: date
    # How many times are free that day.
    count: int = 0


@dataclass
class DayPlan:
    """Free times day by day: the days that have any, the day shown and its times, the best
    time of day first (`best`), then the rest (`other`). Each time is whatever the caller
    passed in (a (helper, location, start) row)."""

    days: list[Day]
    day: date | None
    best: list = field(default_factory=list)
    other: list = field(default_factory=list)
    # A day was asked for that has no free times (out of the window, or taken since).
    not_offered: bool = False


def in_best_time(moment: datetime, best_time: str) -> bool:
    """Whether a local time is in the patron's best time of day ("any" has none)."""
    hours = BEST_HOURS.get(best_time)
    return hours is not None and hours[0] <= moment.hour < hours[1]


def plan_days(
    rows: Iterable,
    *,
    local: Callable[[object], datetime],
    best_time: str,
    day: date | None = None,
) -> DayPlan:
    """Group `rows` (in time order) by their local date (`local(row)` is the row's start on
    its location's clock) and pick `day`, or the first day with times when `day` is None or
    has none; then that day's times in the best time of day first, each part in time order."""
    by_day: dict[date, list] = {}
    for row in rows:
        by_day.setdefault(local(row).date(), []).append(row)
    days = [Day(date=d, count=len(found)) for d, found in sorted(by_day.items())]
    not_offered = day is not None and day not in by_day
    if day is None or not_offered:
        day = days[0].date if days else None
    shown = by_day.get(day, [])
    best = [row for row in shown if in_best_time(local(row), best_time)]
    other = [row for row in shown if not in_best_time(local(row), best_time)]
    return DayPlan(days=days, day=day, best=best, other=other, not_offered=not_offered)
