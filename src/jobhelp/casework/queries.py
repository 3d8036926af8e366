"""Reads of help sessions, follow-ups and feedback, always scoped to what the staff member may
see.

A session is seen by whoever sees its request (intake.queries.requests_for_user), so another
organization's session, follow-up or feedback is simply not found: a 404. What a person may
read *inside* a session they see (the private note, the patron's comment) is answered here too,
for whole pages at once (`SessionAccess`), so that a page asks the same few questions however
many sessions it shows.

Feedback figures are aggregated by the database and suppressed below SMALL_CELL responses: a
score averaged over two answers tells a helper who answered.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.accounts.enums import HELPING_ROLES, MANAGING_ROLES
from jobhelp.accounts.tenancy import organizations_for
from jobhelp.casework.enums import Modality
from jobhelp.casework.models import (
    FeedbackResponse,
    FollowUp,
    HelpSession,
    Outcome,
    SessionActivity,
)
from jobhelp.intake.queries import requests_for_user

# Counts of 1 to 4 are shown as "<5", and no average is shown for them (small-cell suppression,
# as in the reports).
SMALL_CELL = 5
# How far ahead "coming up soon" looks on the staff home page.
SOON_DAYS = 7
# Roles that see the feedback page: the people who help, and those who run the service.
FEEDBACK_ROLES = frozenset(HELPING_ROLES | MANAGING_ROLES)


def _visible_requests(user):
    # Only the ids: requests_for_user's joins and prefetches mean nothing inside a subquery.
    return requests_for_user(user).select_related(None).prefetch_related(None).values("pk")


def sessions_for_user(user) -> QuerySet[HelpSession]:
    """Sessions of the requests the user sees."""
    return HelpSession.objects.filter(request__in=_visible_requests(user))


def sessions_for_request(user, help_request) -> QuerySet[HelpSession]:
    """The sessions of one request (found with intake.queries.find_request_for_user), newest
    first, with everything the request page shows of them: activities, outcomes, follow-ups,
    the helper, the appointment's kind and the feedback, in five queries however many."""
    return (
        sessions_for_user(user)
        .filter(request=help_request)
        .select_related("helper", "appointment__appointment_type", "feedback")
        .prefetch_related(
            Prefetch("activities", queryset=SessionActivity.objects.order_by("activity")),
            Prefetch("outcomes", queryset=Outcome.objects.order_by("achieved_on", "kind")),
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("due_on", "pk")),
        )
        .order_by("-happened_at", "-pk")
    )


def session_for_user(user, pk: int) -> HelpSession | None:
    return (
        sessions_for_user(user)
        .filter(pk=pk)
        .select_related("request__organization", "organization", "helper", "feedback")
        .prefetch_related("outcomes")
        .first()
    )


def follow_up_for_user(user, pk: int) -> FollowUp | None:
    """An open or done follow-up of a session the user sees."""
    return (
        FollowUp.objects.filter(pk=pk, session__request__in=_visible_requests(user))
        .select_related("session__request__organization", "session__organization")
        .first()
    )


@dataclass(frozen=True)
class SessionAccess:
    """What one user may read in the sessions of their organizations, asked once per page.

    `organization_ids` are the organizations the user acts for
    (accounts.tenancy.organizations_for): a session's private note and follow-up notes are
    for those of its organization only.
    `managed_ids` are those where the user holds a managing role: the patron's comment is
    shown to the managers of the session's organization and to the session's helper, nobody
    else, whether or not the patron agreed to have it quoted.
    """

    user_id: int | None
    organization_ids: frozenset[int]
    managed_ids: frozenset[int]

    def sees_notes(self, session: HelpSession) -> bool:
        return session.organization_id in self.organization_ids

    def sees_comment(self, session: HelpSession) -> bool:
        return session.helper_id == self.user_id or session.organization_id in self.managed_ids

    def manages(self, session: HelpSession) -> bool:
        return session.organization_id in self.managed_ids


def session_access(user) -> SessionAccess:
    """One query, as intake.queries.queue_scope reads the queue's organizations."""
    managed = organizations_for(user, roles=MANAGING_ROLES).values("pk")
    rows = organizations_for(user).annotate(
        manages=ExpressionWrapper(Q(pk__in=managed), output_field=BooleanField())
    )
    rows = list(rows.values_list("pk", "manages"))
    return SessionAccess(
        user_id=user.pk,
        organization_ids=frozenset(pk for pk, _manages in rows),
        managed_ids=frozenset(pk for pk, manages in rows if manages),
    )


# --- Follow-ups ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUps:
    """A helper's open follow-ups: `due` on or before today (oldest first), then `upcoming`."""

    due: list[FollowUp]
    upcoming: list[FollowUp]


def follow_ups_due(user, today: date, *, ahead: int | None = SOON_DAYS) -> FollowUps:
    """The user's own open follow-ups on requests they still see: those due on or before
    `today`, and those due in the `ahead` days after it (all later ones with `ahead=None`).
    One query."""
    rows = FollowUp.objects.filter(
        helper=user, done_at__isnull=True, session__request__in=_visible_requests(user)
    )
    if ahead is not None:
        rows = rows.filter(due_on__lte=today + timedelta(days=ahead))
    rows = list(
        rows.select_related("session__request", "session__organization").order_by("due_on", "pk")
    )
    return FollowUps(
        due=[f for f in rows if f.due_on <= today],
        upcoming=[f for f in rows if f.due_on > today],
    )


# --- Feedback --------------------------------------------------------------------------------


def feedback_organizations(user) -> QuerySet:
    """The organizations whose feedback the user sees: those where they help or manage, with
    their branches and affiliates. Empty for front desk staff."""
    return organizations_for(user, roles=FEEDBACK_ROLES)


@dataclass(frozen=True, kw_only=True)
class FeedbackFilters:
    """Dates are local calendar days in the current time zone, both included."""

    since: date | None = None
    until: date | None = None
    organization_id: int | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone.get_current_timezone())


def responses_for_user(user, filters: FeedbackFilters | None = None) -> QuerySet[FeedbackResponse]:
    """Feedback on the sessions of the user's feedback organizations, newest first."""
    filters = filters or FeedbackFilters()
    responses = FeedbackResponse.objects.filter(
        session__organization__in=feedback_organizations(user),
        session__request__in=_visible_requests(user),
    )
    if filters.organization_id is not None:
        responses = responses.filter(session__organization_id=filters.organization_id)
    if filters.since is not None:
        responses = responses.filter(received_at__gte=_day_start(filters.since))
    if filters.until is not None:
        responses = responses.filter(received_at__lt=_day_start(filters.until + timedelta(days=1)))
    return responses.order_by("-received_at", "-pk")


@dataclass(frozen=True)
class FeedbackFigures:
    """One row of a feedback table. With fewer than SMALL_CELL responses the count reads "<5"
    and neither the average nor the share who would recommend is given."""

    label: str
    count: int
    average: float | None
    recommend: int

    @property
    def suppressed(self) -> bool:
        return 0 < self.count < SMALL_CELL

    @property
    def count_shown(self) -> str:
        return f"<{SMALL_CELL}" if self.suppressed else str(self.count)

    @property
    def average_shown(self) -> str:
        if self.suppressed or self.average is None:
            return ""
        return f"{self.average:.1f}"

    @property
    def recommend_percent(self) -> int | None:
        if self.suppressed or not self.count:
            return None
        return round(100 * self.recommend / self.count)


_FIGURES = {
    "count": Count("pk"),
    "average": Avg("helpful"),
    "recommend": Count("pk", filter=Q(would_recommend=True)),
}


@dataclass(frozen=True)
class FeedbackSummary:
    total: FeedbackFigures
    by_service: list[FeedbackFigures]
    by_helper: list[FeedbackFigures]


def _service_label(type_name: str | None, modality: str) -> str:
    if type_name:
        return type_name
    how = Modality(modality).label if modality in Modality.values else modality
    return _("No appointment, %(how)s") % {"how": str(how).lower()}


def helper_name(first: str, last: str, username: str) -> str:
    """A helper's name as User.__str__ gives it, from values read without loading the user."""
    return f"{first} {last}".strip() or username


def _figures(label: str, row: dict) -> FeedbackFigures:
    """One table row from an aggregate over _FIGURES."""
    return FeedbackFigures(label, row["count"], row["average"], row["recommend"])


def feedback_for_user(user, filters: FeedbackFilters | None = None) -> FeedbackSummary:
    """Counts, average "how helpful" and "would recommend" over the user's feedback, in total,
    per service (the kind of appointment by name, or how the help was given when there was no
    appointment) and per helper. Three queries, each one database aggregate."""
    responses = responses_for_user(user, filters).order_by()
    total = responses.aggregate(**_FIGURES)
    services = (
        responses.annotate(
            without_appointment=Case(
                When(session__appointment__isnull=True, then=F("session__modality")),
                default=Value(""),
            )
        )
        .values("session__appointment__appointment_type__name", "without_appointment")
        .annotate(**_FIGURES)
        .order_by("session__appointment__appointment_type__name", "without_appointment")
    )
    helpers = (
        responses.values(
            "session__helper_id",
            "session__helper__first_name",
            "session__helper__last_name",
            "session__helper__username",
        )
        .annotate(**_FIGURES)
        .order_by("session__helper__first_name", "session__helper__last_name", "session__helper_id")
    )
    return FeedbackSummary(
        total=_figures(_("All"), total),
        by_service=[
            _figures(
                _service_label(
                    row["session__appointment__appointment_type__name"],
                    row["without_appointment"],
                ),
                row,
            )
            for row in services
        ],
        by_helper=[
            _figures(
                helper_name(
                    row["session__helper__first_name"],
                    row["session__helper__last_name"],
                    row["session__helper__username"],
                ),
                row,
            )
            for row in helpers
        ],
    )


def comments_for_user(user, filters: FeedbackFilters | None = None) -> QuerySet[FeedbackResponse]:
    """Responses with a comment the user may read: those of sessions they helped in, and all
    of the organizations they manage. Newest first, with what the list shows of the session."""
    access = Q(session__helper=user) | Q(
        session__organization__in=organizations_for(user, roles=MANAGING_ROLES)
    )
    return (
        responses_for_user(user, filters)
        .filter(access)
        .exclude(comment="")
        .select_related("session__helper", "session__appointment__appointment_type")
    )


def testimonials_for_user(user) -> QuerySet[FeedbackResponse]:
    """Comments chosen as testimonials in the organizations the user manages, newest first.
    Only the words and the date are meant to be shown: they are quoted without a name."""
    return FeedbackResponse.objects.filter(
        testimonial=True,
        may_quote=True,
        session__organization__in=organizations_for(user, roles=MANAGING_ROLES),
    ).order_by("-received_at", "-pk")
