"""Scheduling a class's sessions, with a preview that marks the sessions a clock change
moves."""

from datetime import datetime, time

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from jobhelp.core.wallclock import local_instant
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.views import in_zone
from jobhelp.staff.forms.classes.sessions import ScheduleForm
from jobhelp.staff.views.classes.lookups import workshop_or_404
from jobhelp.workshops import rules
from jobhelp.workshops.models import WorkshopSession
from jobhelp.workshops.seats import WorkshopError
from jobhelp.workshops.sessions import schedule_sessions, session_dates


@staff_member_required
@require_http_methods(["GET", "POST"])
def class_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = workshop_or_404(request.user, pk)
    form = ScheduleForm(
        request.POST or None,
        workshop=workshop,
        host_organization_ids=rules.host_organization_ids(workshop),
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        fields = form.schedule_fields()
        if "preview" in request.POST:
            preview = _preview(fields)
        else:
            try:
                made = schedule_sessions(workshop, by=request.user, **fields)
            except WorkshopError as error:
                form.add_error(None, str(error))
            else:
                _scheduled(request, made, fields["starts"])
                return redirect(reverse("staff:classes:list") + f"#class-{workshop.pk}")
    return render(
        request,
        "staff/classes/schedule.html",
        {"form": form, "workshop": workshop, "preview": preview},
    )


def _preview(fields: dict) -> list[dict]:
    """The sessions schedule_sessions would make, on the location's clock, with those moved
    by a clock change marked."""
    zone = fields["location"].zone
    rows = []
    for day in session_dates(fields["first"], fields["recurrence"], fields["count"]):
        starts = local_instant(day, fields["starts"], zone)
        rows.append({"starts": in_zone(starts, zone), "moved": starts.time() != fields["starts"]})
    return rows


def _when(local: datetime) -> str:
    return f"{date_format(local, 'DATE_FORMAT')}, {time_format(local, 'TIME_FORMAT')}"


def _scheduled(request: HttpRequest, made: list[WorkshopSession], wall: time) -> None:
    zone = made[0].location.zone
    first = in_zone(made[0].starts, zone)
    messages.success(
        request,
        ngettext(
            "%(count)d session scheduled, from %(first)s.",
            "%(count)d sessions scheduled, from %(first)s.",
            len(made),
        )
        % {"count": len(made), "first": _when(first)},
    )
    moved = [s for s in made if s.starts.astimezone(zone).time() != wall]
    for session in moved:
        messages.warning(
            request,
            _("The clocks change on %(day)s, so that session starts at %(time)s.")
            % {
                "day": date_format(in_zone(session.starts, zone), "DATE_FORMAT"),
                "time": time_format(in_zone(session.starts, zone), "TIME_FORMAT"),
            },
        )
