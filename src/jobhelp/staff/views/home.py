"""The staff home page: what waits for help, the person's follow-ups, the headline figures, and
the partnership's work that waits for them (overdue obligations, their action items, and for a
liaison the month's time against the expected)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from jobhelp.accounts.enums import MANAGING_ROLES, Role
from jobhelp.casework.queries import feedback_organizations
from jobhelp.crosstraining.queries import overdue_loans_for_user
from jobhelp.intake.enums import OPEN_STATES, RequestState
from jobhelp.intake.queries import overdue_count, requests_for_user
from jobhelp.partnerships.queries import (
    month_totals_for_user,
    my_action_items,
    overdue_occurrences_for_user,
)
from jobhelp.reports.queries import home_headline
from jobhelp.reports.tables import headline_table
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.views import follow_ups_box


@staff_member_required
def home(request: HttpRequest) -> HttpResponse:
    visible = requests_for_user(request.user)
    return render(
        request,
        "staff/home/index.html",
        {
            "recent": visible.order_by("-created_at", "-pk")[:10],
            "new_count": visible.filter(state=RequestState.NEW).count(),
            "overdue_count": overdue_count(request.user),
            "mine_count": visible.filter(assigned_to=request.user, state__in=OPEN_STATES).count(),
            "memberships": request.user.memberships.select_related("organization").order_by(
                "organization__name", "role"
            ),
            **follow_ups_box(request),
            "sees_feedback": feedback_organizations(request.user).exists(),
            "headline": _headline(request.user),
            **_partnership_work(request),
            "overdue_cards": _overdue_cards(request),
        },
    )


# How many overdue occurrences and action items the home page lists before "and more".
SHOWN = 10


def _partnership_work(request) -> dict:
    """What the partnership asks of this person: overdue occurrences they may record (managers
    and liaisons of a party, or the obligation's own person), their open action items, and
    for a liaison this month's time in each partnership. Three or four queries."""
    user = request.user
    overdue = list(overdue_occurrences_for_user(user)[: SHOWN + 1])
    items = list(my_action_items(user)[: SHOWN + 1])
    totals = []
    if Role.LIAISON in getattr(request, "staff_roles", ()):
        today = timezone.localdate()
        totals = month_totals_for_user(user, year=today.year, month=today.month)
    return {
        "partnership_overdue": overdue[:SHOWN],
        "partnership_overdue_more": len(overdue) > SHOWN,
        "partnership_items": items[:SHOWN],
        "partnership_items_more": len(items) > SHOWN,
        "liaison_totals": totals,
    }


def _overdue_cards(request) -> list:
    """Temporary library cards lent by a library this person manages and not back by their
    expiry. One query, for managers only."""
    if not MANAGING_ROLES & set(getattr(request, "staff_roles", ())):
        return []
    return list(overdue_loans_for_user(request.user)[:SHOWN])


def _headline(user):
    """For every staff member and all their organizations: appointments attended and requests
    helped this month and year, beside the month and year before. A fixed number of queries
    (reports.queries.home_headline)."""
    columns = [
        ("this_month", _("This month")),
        ("last_month", _("Last month")),
        ("this_year", _("This year")),
        ("last_year", _("Last year")),
    ]
    return headline_table(home_headline(user), columns, title=_("Job help at a glance"))
