"""Taking attendance, the printable sign-in sheet and the attendance CSV."""

import csv
from datetime import UTC, datetime, time, timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.views import in_zone
from jobhelp.staff.forms.classes.attendance import AttendanceExportForm
from jobhelp.staff.views.classes.lookups import roster_url, session_or_404, workshop_or_404
from jobhelp.staff.views.classes.sessions import session_page
from jobhelp.workshops.attendance import mark_attendance
from jobhelp.workshops.enums import RegistrationState, SessionState
from jobhelp.workshops.forms import ON_ROSTER, AttendanceForm
from jobhelp.workshops.models import Workshop, WorkshopSession
from jobhelp.workshops.queries import roster, workshops_for_user
from jobhelp.workshops.seats import WorkshopError

# Empty lines at the foot of the sign-in sheet, for people who come without registering.
WALK_IN_LINES = 5


@staff_member_required
@require_POST
def class_session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_or_404(request.user, pk)
    people = list(roster(session))
    form = AttendanceForm(request.POST, roster=people, auto_id="id_attendance_%s")
    if not form.is_valid():
        return session_page(request, session, attendance_form=form)
    try:
        came, missed = mark_attendance(
            session, by=request.user, attended=set(form.cleaned_data["attended"])
        )
    except WorkshopError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Attendance saved: %(came)s came, %(missed)s did not come.")
            % {"came": came, "missed": missed},
        )
    return redirect(roster_url(session, "attendance"))


@staff_member_required
@require_GET
def class_session_sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The sign-in sheet: first names and last initials only (Registration.sign_in_name), so
    the sheet can lie on a table where everyone signs it."""
    session = session_or_404(request.user, pk)
    names = sorted(
        (r.sign_in_name for r in roster(session) if r.state in ON_ROSTER and r.name),
        key=str.casefold,
    )
    return render(
        request,
        "staff/classes/sign_in.html",
        {
            "session": session,
            "starts": in_zone(session.starts, session.location.zone),
            "names": names,
            "walk_ins": range(WALK_IN_LINES),
        },
    )


# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@staff_member_required
@require_GET
def class_attendance_csv(request: HttpRequest) -> HttpResponse:
    """Attendance counts per session held (cancelled sessions are left out) of the user's
    classes, or of one (`workshop`), whose local date is from `from` to `to`. "Registered"
    counts everyone who held a seat at the start (attended, did not come, or not yet
    marked); "waitlisted" those still waiting or offered a seat."""
    today = timezone.localdate()
    form = AttendanceExportForm(request.GET or None, today=today, auto_id="id_export_%s")
    if form.is_bound and not form.is_valid():
        return render(request, "staff/classes/attendance.html", {"export": form}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    first = data.get("from", form.fields["from"].initial)
    last = data.get("to", form.fields["to"].initial)
    workshops = workshops_for_user(request.user)
    if data.get("workshop"):
        workshops = Workshop.objects.filter(pk=workshop_or_404(request.user, data["workshop"]).pk)
    # Any zone's local date lies within a day of UTC's; the exact cut is made per location.
    start = datetime.combine(first - timedelta(days=1), time(), tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=2), time(), tzinfo=UTC)
    sessions = (
        WorkshopSession.objects.filter(
            workshop__in=workshops, state=SessionState.SCHEDULED, starts__gte=start, starts__lt=end
        )
        .select_related("workshop__organization", "location", "host")
        .annotate(
            registered=_count(ON_ROSTER),
            attended=_count([RegistrationState.ATTENDED]),
            no_show=_count([RegistrationState.NO_SHOW]),
            waitlisted=_count([RegistrationState.WAITLISTED, RegistrationState.OFFERED]),
        )
        .order_by("starts", "pk")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendance-{first}-to-{last}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Class"),
            _("Session (local time)"),
            _("Host organization"),
            _("Host"),
            _("Seats"),
            _("Registered"),
            _("Attended"),
            _("Did not come"),
            _("Waitlisted"),
        ]
    )
    for session in sessions:
        local = session.starts.astimezone(session.location.zone)
        if not first <= local.date() <= last:
            continue
        host = session.host
        row = [
            session.workshop.title,
            f"{local:%Y-%m-%d %H:%M} {local.tzname()}",
            session.workshop.organization.name,
            (host.get_full_name() or host.get_username()) if host else "",
            session.capacity,
            session.registered,
            session.attended,
            session.no_show,
            session.waitlisted,
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response


def _count(states) -> Count:
    return Count("registrations", filter=Q(registrations__state__in=sorted(states)))
