"""The staff home page: what waits for help, the person's follow-ups, and the headline
figures."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jobhelp.casework.queries import feedback_organizations
from jobhelp.intake.enums import OPEN_STATES, RequestState
from jobhelp.intake.queries import overdue_count, requests_for_user
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
        },
    )


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
