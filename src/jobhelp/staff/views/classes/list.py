"""The list of one's classes with their recent and coming sessions."""

from datetime import timedelta

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.views import in_zone
from jobhelp.staff.forms.classes.attendance import AttendanceExportForm
from jobhelp.workshops.queries import listed_sessions, workshops_for_user

# Sessions that began this many days ago still show in the list, for taking attendance.
RECENT_DAYS = 14


@staff_member_required
@require_GET
def class_list(request: HttpRequest) -> HttpResponse:
    """The classes of the user's organizations, each with its sessions from RECENT_DAYS ago
    on, in a fixed number of queries however many there are."""
    now = timezone.now()
    sessions = listed_sessions(since=now - timedelta(days=RECENT_DAYS))
    listed = (
        workshops_for_user(request.user)
        .prefetch_related(
            "co_hosts", Prefetch("sessions", queryset=sessions, to_attr="listed_sessions")
        )
        .order_by("title", "pk")
    )
    rows = []
    for workshop in listed:
        rows.append(
            {
                "workshop": workshop,
                "sessions": [
                    {
                        "session": s,
                        "starts": in_zone(s.starts, s.location.zone),
                        "started": s.starts <= now,
                    }
                    for s in workshop.listed_sessions
                ],
            }
        )
    export = AttendanceExportForm(today=timezone.localdate(), auto_id="id_export_%s")
    return render(request, "staff/classes/list.html", {"rows": rows, "export": export})
