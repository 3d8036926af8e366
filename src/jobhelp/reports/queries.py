"""Reads for reports: every figure is a database aggregate over the organizations a manager
may see, read on the read-only path (reports.readonly). Nothing here loops over rows in Python;
the loops below run over the handful of rows an aggregate returns (one per channel, helper or
organization).

Which date puts a row in the period, and which filters apply to it, is written in
docs/reports.md; in short:

- requests, first contact and resolution: requests *received* in the period (the request's
  `created_at`); the helper filter is the person the request is assigned to;
- appointments: appointments *starting* in the period, except the old time of a rescheduled
  one; modality is the appointment type's, the helper the appointment's;
- help sessions and feedback: sessions that *happened* in the period; modality and helper are
  the session's;
- outcomes: outcomes *achieved* in the period (they may come long after the session).

Need, channel and language are always those of the request.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.models import Membership
from jobhelp.accounts.tenancy import organizations_for
from jobhelp.casework.models import FeedbackResponse, HelpSession, Outcome, SessionActivity
from jobhelp.casework.queries import helper_name
from jobhelp.intake.enums import IntakeChannel, RequestState
from jobhelp.intake.models import HelpRequest, RequestNeed
from jobhelp.organizations.models import Location, Organization
from jobhelp.reports import percentiles
from jobhelp.reports.filters import (
    ReportFilters,
    Scope,
    bounds,
    month_of,
    previous,
    year_of,
)
from jobhelp.reports.readonly import read_only
from jobhelp.scheduling.enums import AppointmentState
from jobhelp.scheduling.models import Appointment
from jobhelp.workshops.enums import RegistrationState, SessionState
from jobhelp.workshops.models import WorkshopSession


@dataclass(frozen=True)
class Durations:
    """How long something took, over `count` requests."""

    count: int
    median: timedelta | None
    p90: timedelta | None


@dataclass(frozen=True)
class HelperFigures:
    helper_id: int
    name: str
    sessions: int
    minutes: int


@dataclass(frozen=True)
class ClassFigures:
    workshop_id: int
    title: str
    host: str
    sessions: int
    registered: int
    attended: int
    no_show: int


@dataclass(frozen=True, kw_only=True)
class Figures:
    """A report's exact numbers, before suppression (reports.tables applies it)."""

    start: date
    end: date
    time_zone: str
    organizations: tuple[Organization, ...]
    requests: int
    requests_by_channel: dict[str, int]
    requests_by_organization: dict[int, int]
    first_contact: Durations
    resolution: Durations
    appointments: int
    appointments_by_state: dict[str, int]
    sessions: int
    minutes: int
    sessions_by_activity: dict[str, int]
    sessions_by_organization: dict[int, int]
    sessions_by_helper: tuple[HelperFigures, ...]
    outcomes_by_kind: dict[str, int]
    feedback_asked: int
    feedback_answered: int
    helpful_average: float | None
    would_recommend: int
    classes: tuple[ClassFigures, ...] = ()


# --- Who sees what ------------------------------------------------------------------------------


def _scope(organizations: QuerySet[Organization]) -> Scope:
    return Scope(
        tuple(
            organizations.prefetch_related(
                Prefetch("locations", queryset=Location.objects.order_by("name", "pk"))
            ).order_by(
                # A library system, then its branches, then the next system.
                Coalesce("parent__name", "name"),
                F("parent_id").asc(nulls_first=True),
                "name",
                "pk",
            )
        )
    )


def report_scope(user) -> Scope:
    """The organizations whose reports the user may read: those they manage, and the branches
    and affiliates of a library system they manage. Empty for everyone else."""
    return _scope(organizations_for(user, roles=MANAGING_ROLES))


def helpers_in_scope(scope: Scope) -> QuerySet:
    """Staff of the scope's organizations, for the helper filter."""
    member_here = Membership.objects.filter(
        user=OuterRef("pk"), organization_id__in=sorted(scope.ids)
    )
    return (
        get_user_model()
        .objects.filter(Exists(member_here))
        .order_by("first_name", "last_name", "username", "pk")
    )


# --- The rows each figure counts -----------------------------------------------------------------


def _request_conditions(filters: ReportFilters, path: str) -> Q:
    """Need, channel and language of the request at `path` ("" for the request itself)."""
    conditions = Q()
    if filters.need:
        request_id = OuterRef(f"{path}id" if path else "pk")
        conditions &= Q(Exists(RequestNeed.objects.filter(request=request_id, need=filters.need)))
    if filters.channel:
        conditions &= Q(**{f"{path}channel": filters.channel})
    if filters.language:
        conditions &= Q(**{f"{path}language": filters.language})
    return conditions


def _only(**conditions) -> Q:
    """Conditions whose value was given; an empty filter means any."""
    return Q(**{field: value for field, value in conditions.items() if value})


def _requests(ids, filters: ReportFilters, since: datetime, until: datetime):
    return HelpRequest.objects.filter(
        _request_conditions(filters, ""),
        _only(modality=filters.modality, assigned_to_id=filters.helper_id),
        organization_id__in=ids,
        created_at__gte=since,
        created_at__lt=until,
    ).order_by()


def _appointments(ids, filters: ReportFilters, since: datetime, until: datetime):
    moved_away = Appointment.objects.filter(rescheduled_from=OuterRef("pk"))
    return (
        Appointment.objects.filter(
            _request_conditions(filters, "request__"),
            _only(appointment_type__modality=filters.modality, helper_id=filters.helper_id),
            request__organization_id__in=ids,
            starts__gte=since,
            starts__lt=until,
        )
        .exclude(Exists(moved_away))
        .order_by()
    )


def _session_conditions(filters: ReportFilters, path: str = "") -> Q:
    return _only(**{f"{path}modality": filters.modality, f"{path}helper_id": filters.helper_id})


def _session_rows(ids, filters: ReportFilters, since: datetime, until: datetime, path=""):
    """Sessions (at `path`: "" for a session, "session__" for its activities) of the
    period."""
    return Q(
        _request_conditions(filters, f"{path}request__"),
        _session_conditions(filters, path),
        **{
            f"{path}organization_id__in": ids,
            f"{path}happened_at__gte": since,
            f"{path}happened_at__lt": until,
        },
    )


def _sessions(ids, filters: ReportFilters, since: datetime, until: datetime):
    return HelpSession.objects.filter(_session_rows(ids, filters, since, until)).order_by()


def _outcomes(ids, filters: ReportFilters):
    return Outcome.objects.filter(
        _request_conditions(filters, "session__request__"),
        _session_conditions(filters, "session__"),
        session__organization_id__in=ids,
        achieved_on__gte=filters.start,
        achieved_on__lte=filters.end,
    ).order_by()


def _first_contact_delay():
    """From arrival to the first call or email logged, of any outcome (as the overdue count
    in intake.queries reads "contacted"); null for a request nobody has contacted.

    An aggregate over the request's attempts, so aggregating it makes Django read the requests
    in a subquery grouped by request: each request's attempts are read once, where a correlated
    subquery would be run again for the count and for each percentile.
    """
    return ExpressionWrapper(
        Min("contact_attempts__created_at") - F("created_at"), output_field=DurationField()
    )


def _resolution_delay():
    """From arrival to resolution, for requests resolved (helped or referred); null for
    others, closed ones included."""
    return Case(
        When(
            state=RequestState.RESOLVED,
            finished_at__isnull=False,
            then=ExpressionWrapper(
                F("finished_at") - F("created_at"), output_field=DurationField()
            ),
        ),
        output_field=DurationField(),
    )


def _durations(values: dict, name: str) -> Durations:
    return Durations(
        count=values[f"{name}_n"],
        median=values[percentiles.key(name, 0.5)],
        p90=values[percentiles.key(name, 0.9)],
    )


# --- The report -----------------------------------------------------------------------------------


def compute_report(scope: Scope, filters: ReportFilters) -> Figures:
    """Every figure of one report, in a fixed number of queries (eight, and four more on
    SQLite for the percentiles), on one read-only snapshot."""
    organizations = scope.covered(filters.organization_id)
    ids = sorted(o.pk for o in organizations)
    zone = scope.zone(filters.organization_id)
    since, until = bounds(filters.start, filters.end, zone)
    with read_only():
        requests = _requests(ids, filters, since, until)
        with_contact = requests.annotate(contact_delay=_first_contact_delay())
        contact, resolution = F("contact_delay"), _resolution_delay()
        received = with_contact.aggregate(
            total=Count("pk"),
            **{f"channel_{c}": Count("pk", filter=Q(channel=c)) for c in IntakeChannel.values},
            **percentiles.aggregates("contact", contact),
            **percentiles.aggregates("resolution", resolution),
        )
        percentiles.complete(received, with_contact, "contact", contact)
        percentiles.complete(received, requests, "resolution", resolution)
        requests_by_organization = dict(
            requests.values_list("organization_id").annotate(n=Count("pk"))
        )

        appointments = _appointments(ids, filters, since, until).aggregate(
            total=Count("pk"),
            **{state: Count("pk", filter=Q(state=state)) for state in AppointmentState.values},
        )

        sessions = _sessions(ids, filters, since, until)
        done = sessions.aggregate(
            total=Count("pk"),
            minutes=Coalesce(Sum("minutes"), 0),
            asked=Count(
                "pk", filter=Q(feedback_invitation__isnull=False) | Q(feedback__isnull=False)
            ),
            answered=Count("feedback"),
            helpful=Avg("feedback__helpful"),
            recommend=Count("feedback", filter=Q(feedback__would_recommend=True)),
        )
        by_activity = dict(
            SessionActivity.objects.filter(_session_rows(ids, filters, since, until, "session__"))
            .values_list("activity")
            .annotate(n=Count("pk"))
            .order_by()
        )
        by_helper = (
            sessions.values_list(
                "helper_id", "helper__first_name", "helper__last_name", "helper__username"
            )
            .annotate(n=Count("pk"), minutes=Sum("minutes"))
            .order_by("-n", "helper__first_name", "helper__last_name", "helper_id")
        )
        sessions_by_helper = tuple(
            HelperFigures(
                helper_id=helper_id,
                name=helper_name(first, last, username),
                sessions=n,
                minutes=minutes,
            )
            for helper_id, first, last, username, n, minutes in by_helper
        )
        sessions_by_organization = dict(
            sessions.values_list("organization_id").annotate(n=Count("pk"))
        )
        outcomes = dict(_outcomes(ids, filters).values_list("kind").annotate(n=Count("pk")))
        classes = _classes(ids, filters, since, until)

    return Figures(
        start=filters.start,
        end=filters.end,
        time_zone=zone.key,
        organizations=organizations,
        requests=received["total"],
        requests_by_channel={c: received[f"channel_{c}"] for c in IntakeChannel.values},
        requests_by_organization=requests_by_organization,
        first_contact=_durations(received, "contact"),
        resolution=_durations(received, "resolution"),
        appointments=appointments["total"],
        appointments_by_state={s: appointments[s] for s in AppointmentState.values},
        sessions=done["total"],
        minutes=done["minutes"],
        sessions_by_activity=by_activity,
        sessions_by_organization=sessions_by_organization,
        sessions_by_helper=sessions_by_helper,
        outcomes_by_kind=outcomes,
        feedback_asked=done["asked"],
        feedback_answered=done["answered"],
        helpful_average=done["helpful"],
        would_recommend=done["recommend"],
        classes=classes,
    )


def _classes(ids, filters: ReportFilters, since: datetime, until: datetime):
    """Class sessions held in the period by the organizations in scope, per class: sessions,
    people registered (those who came, those who did not, and those still marked registered)
    and attendance. The language and helper (the session's host) filters apply; the others
    describe requests and do not."""
    counted = [
        RegistrationState.REGISTERED,
        RegistrationState.ATTENDED,
        RegistrationState.NO_SHOW,
    ]
    rows = (
        WorkshopSession.objects.filter(
            _only(workshop__language=filters.language, host_id=filters.helper_id),
            workshop__organization_id__in=ids,
            state=SessionState.SCHEDULED,
            starts__gte=since,
            starts__lt=until,
        )
        .values_list("workshop_id", "workshop__title", "workshop__organization__name")
        .annotate(
            sessions=Count("pk", distinct=True),
            registered=Count("registrations", filter=Q(registrations__state__in=counted)),
            attended=Count(
                "registrations", filter=Q(registrations__state=RegistrationState.ATTENDED)
            ),
            no_show=Count(
                "registrations", filter=Q(registrations__state=RegistrationState.NO_SHOW)
            ),
        )
        .order_by("workshop__title", "workshop_id")
    )
    return tuple(ClassFigures(*row) for row in rows)


# --- The headline: appointments attended and requests helped ----------------------------------


@dataclass(frozen=True)
class HeadlineFigures:
    attended: int
    helped: int


def headline(
    ids,
    periods: dict[str, tuple[datetime, datetime]],
    *,
    filters: ReportFilters | None = None,
) -> dict[str, HeadlineFigures]:
    """For each named period: appointments attended (by their start), and requests helped,
    that is resolved in the period or given a help session in it (each request once).

    Three queries whatever the number of periods. Requests helped is counted as
    resolved + with a session − both, so that each side reads its own index (requests by
    organization, sessions by organization and time) instead of an OR across two tables.
    """
    # Without filters, none of the conditions below applies (their dates are not read here).
    filters = filters or ReportFilters(start=date.min, end=date.min)
    lo = min(since for since, _until in periods.values())
    hi = max(until for _since, until in periods.values())

    def within(field: str, period: tuple[datetime, datetime]) -> Q:
        return Q(**{f"{field}__gte": period[0], f"{field}__lt": period[1]})

    def session_in(period) -> Exists:
        return Exists(
            HelpSession.objects.filter(
                within("happened_at", period),
                _session_conditions(filters),
                request=OuterRef("pk"),
                organization_id__in=ids,
            )
        )

    with read_only():
        attended = (
            Appointment.objects.filter(
                _request_conditions(filters, "request__"),
                _only(appointment_type__modality=filters.modality, helper_id=filters.helper_id),
                within("starts", (lo, hi)),
                request__organization_id__in=ids,
                state=AppointmentState.ATTENDED,
            )
            .order_by()
            .aggregate(
                **{name: Count("pk", filter=within("starts", p)) for name, p in periods.items()}
            )
        )
        resolved = (
            HelpRequest.objects.filter(
                _request_conditions(filters, ""),
                _only(modality=filters.modality, assigned_to_id=filters.helper_id),
                within("finished_at", (lo, hi)),
                organization_id__in=ids,
                state=RequestState.RESOLVED,
            )
            .order_by()
            .aggregate(
                **{
                    f"{name}": Count("pk", filter=within("finished_at", p))
                    for name, p in periods.items()
                },
                **{
                    f"{name}_both": Count("pk", filter=within("finished_at", p) & Q(session_in(p)))
                    for name, p in periods.items()
                },
            )
        )
        with_session = (
            HelpSession.objects.filter(
                _request_conditions(filters, "request__"),
                _session_conditions(filters),
                within("happened_at", (lo, hi)),
                organization_id__in=ids,
            )
            .order_by()
            .aggregate(
                **{
                    name: Count("request_id", distinct=True, filter=within("happened_at", p))
                    for name, p in periods.items()
                }
            )
        )
    return {
        name: HeadlineFigures(
            attended=attended[name],
            helped=resolved[name] + with_session[name] - resolved[f"{name}_both"],
        )
        for name in periods
    }


HOME_PERIODS = ("this_month", "last_month", "this_year", "last_year")


def home_headline(user, *, now: datetime | None = None) -> dict[str, HeadlineFigures]:
    """The staff home page's figures for all the user's organizations: this month and year so
    far, and the whole month and year before, on the calendar of the first organization."""
    scope = _scope(organizations_for(user))
    zone = scope.zone()
    today = timezone.localdate(now or timezone.now(), zone)
    this_month, this_year = month_of(today), year_of(today)
    periods = {
        "this_month": this_month,
        "last_month": previous(this_month, "month"),
        "this_year": this_year,
        "last_year": previous(this_year, "year"),
    }
    return headline(
        sorted(scope.ids), {name: bounds(*period, zone) for name, period in periods.items()}
    )


def period_headline(
    scope: Scope, filters: ReportFilters, *, previous_period: tuple[date, date]
) -> dict[str, HeadlineFigures]:
    """The headline of a report's period ("current") beside the period before ("previous"),
    with the report's filters."""
    zone = scope.zone(filters.organization_id)
    ids = sorted(o.pk for o in scope.covered(filters.organization_id))
    return headline(
        ids,
        {
            "current": bounds(filters.start, filters.end, zone),
            "previous": bounds(*previous_period, zone),
        },
        filters=filters,
    )


# --- The last twelve months and the year before ------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    month: date
    requests: int
    appointments: int
    sessions: int
    outcomes: int


def monthly_trend(scope: Scope, filters: ReportFilters, *, months: int = 12) -> list[MonthFigures]:
    """Requests received, appointments attended, help sessions and outcomes recorded, month by
    month, for the `months` months ending with the one `filters.end` falls in, and then the
    same months a year earlier (2 × `months` rows, oldest first), with the report's other
    filters. Months are calendar months on the scope's wall clock. Four queries, on one
    read-only snapshot."""
    organizations = scope.covered(filters.organization_id)
    ids = sorted(o.pk for o in organizations)
    zone = scope.zone(filters.organization_id)
    last = filters.end.replace(day=1)
    first = last
    for _n in range(2 * months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    since, until = bounds(first, month_of(last)[1], zone)
    span = ReportFilters(**{**filters.__dict__, "start": first, "end": month_of(last)[1]})

    def by_month(rows, field: str, *, dated: bool = False) -> dict[date, int]:
        trunc = TruncMonth(field) if dated else TruncMonth(field, tzinfo=zone)
        counted = rows.annotate(month=trunc).values_list("month").annotate(n=Count("pk"))
        return {(m.date() if isinstance(m, datetime) else m): n for m, n in counted}

    with read_only():
        requests = by_month(_requests(ids, filters, since, until), "created_at")
        appointments = by_month(
            _appointments(ids, filters, since, until).filter(state=AppointmentState.ATTENDED),
            "starts",
        )
        sessions = by_month(_sessions(ids, filters, since, until), "happened_at")
        outcomes = by_month(_outcomes(ids, span), "achieved_on", dated=True)
    result = []
    month = first
    while month <= last:
        result.append(
            MonthFigures(
                month=month,
                requests=requests.get(month, 0),
                appointments=appointments.get(month, 0),
                sessions=sessions.get(month, 0),
                outcomes=outcomes.get(month, 0),
            )
        )
        month = month_of(month)[1] + timedelta(days=1)
    return result


def testimonials(scope: Scope, filters: ReportFilters, *, limit: int = 3) -> list[str]:
    """Comments patrons allowed to be quoted and a manager chose as testimonials, about help
    given in the period in the report's organizations, newest first: the words only, with no
    name or anything else that could tell who wrote them."""
    organizations = scope.covered(filters.organization_id)
    zone = scope.zone(filters.organization_id)
    since, until = bounds(filters.start, filters.end, zone)
    with read_only():
        return list(
            FeedbackResponse.objects.filter(
                testimonial=True,
                may_quote=True,
                session__organization_id__in=sorted(o.pk for o in organizations),
                session__happened_at__gte=since,
                session__happened_at__lt=until,
            )
            .exclude(comment="")
            .order_by("-session__happened_at", "-pk")
            .values_list("comment", flat=True)[:limit]
        )
