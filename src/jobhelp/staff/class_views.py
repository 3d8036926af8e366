"""Classes in the staff area: the list of one's classes and their sessions, creating and editing
a class and its flyer, scheduling sessions, a session's roster (registering callers, the
waitlist, changing or cancelling the session, attendance), the printable sign-in sheet and the
attendance CSV.

The rules live in workshops.domain and workshops.catalog, which check workshops.rules
themselves; these views read through workshops.queries (another organization's class or
session is a 404), turn forms into calls and WorkshopError into messages. Flyers are the one
exception to the scoping: any partner's staff may open a class's flyer, since the partnership
shares its materials for branches to print.
"""

import csv
from datetime import UTC, datetime, time, timedelta
from functools import wraps

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.tz import do_timezone
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.csp import CSP
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.accounts.tenancy import organizations_for
from jobhelp.staff.appointment_forms import OUT_OF_DATE, new_form_key
from jobhelp.staff.class_forms import (
    AttendanceExportForm,
    ChangeSessionForm,
    ClassForm,
    RegisterCallerForm,
    ScheduleForm,
    stored_key,
)
from jobhelp.staff.decorators import staff_member_required
from jobhelp.workshops import flyers, rules
from jobhelp.workshops.catalog import create_workshop, set_flyer, update_workshop
from jobhelp.workshops.domain import (
    WorkshopError,
    cancel_registration,
    cancel_session,
    change_session,
    local_instant,
    mark_attendance,
    promote,
    register,
    schedule_sessions,
    session_dates,
)
from jobhelp.workshops.enums import ACTIVE, HOLDING_SEAT, Delivery, RegistrationState, SessionState
from jobhelp.workshops.forms import ON_ROSTER, AttendanceForm
from jobhelp.workshops.models import Registration, Workshop, WorkshopSession
from jobhelp.workshops.queries import listed_sessions, roster, session_for_user, workshops_for_user

# Sessions that began this many days ago still show in the list, for taking attendance.
RECENT_DAYS = 14
# Empty lines at the foot of the sign-in sheet, for people who come without registering.
WALK_IN_LINES = 5
# A flyer is a document, not a page of ours: it may show itself and nothing else.
FLYER_CSP = {
    "default-src": [CSP.NONE],
    "img-src": [CSP.SELF],
    "object-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}


def in_zone(moment: datetime, zone) -> datetime:
    """`moment` on the wall clock of `zone`, marked so templates do not convert it again."""
    return do_timezone(moment, zone)


def _workshop_or_404(user, pk: int) -> Workshop:
    return get_object_or_404(workshops_for_user(user), pk=pk)


def _session_or_404(user, pk: int) -> WorkshopSession:
    session = session_for_user(user, pk)
    if session is None:
        raise Http404
    return session


def _roster_url(session, anchor: str = "") -> str:
    url = reverse("staff:class_session", args=[session.pk])
    return f"{url}#{anchor}" if anchor else url


def takes_flyer(view):
    """Put flyers.FlyerSizeLimit in front of the upload handlers before the body is read, and
    pass it to the view as `flyer_limit`. The CSRF check reads the body, so it runs after
    (csrf_protect inside) rather than in the middleware (csrf_exempt outside)."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        limit = flyers.FlyerSizeLimit(request)
        request.upload_handlers.insert(0, limit)
        return protected(request, *args, flyer_limit=limit, **kwargs)

    return csrf_exempt(wrapper)


# --- The list of classes --------------------------------------------------------------------------


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
    return render(request, "staff/class_list.html", {"rows": rows, "export": export})


# --- A class --------------------------------------------------------------------------------------


@staff_member_required
@takes_flyer
@require_http_methods(["GET", "POST"])
def class_new(request: HttpRequest, *, flyer_limit) -> HttpResponse:
    organizations = organizations_for(request.user)
    form = ClassForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        organizations=organizations,
        too_large=flyer_limit.too_large,
    )
    if request.method == "POST" and form.is_valid():
        fields = form.workshop_fields()
        try:
            workshop = create_workshop(form.cleaned_data["organization"], by=request.user, **fields)
        except WorkshopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Class “%(title)s” created. Now schedule its sessions.")
                % {"title": workshop.title},
            )
            _store_flyer(request, workshop, form.cleaned_data["flyer"])
            return redirect("staff:class_schedule", pk=workshop.pk)
    return render(request, "staff/class_form.html", {"form": form, "workshop": None})


@staff_member_required
@takes_flyer
@require_http_methods(["GET", "POST"])
def class_edit(request: HttpRequest, pk: int, *, flyer_limit) -> HttpResponse:
    workshop = _workshop_or_404(request.user, pk)
    form = ClassForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        organizations=None,
        workshop=workshop,
        too_large=flyer_limit.too_large,
    )
    if request.method == "POST" and form.is_valid():
        try:
            workshop = update_workshop(workshop, by=request.user, **form.workshop_fields())
        except WorkshopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Class “%(title)s” saved.") % {"title": workshop.title})
            _store_flyer(request, workshop, form.cleaned_data["flyer"])
            return redirect(reverse("staff:classes") + f"#class-{workshop.pk}")
    return render(request, "staff/class_form.html", {"form": form, "workshop": workshop})


def _store_flyer(request: HttpRequest, workshop: Workshop, upload) -> None:
    if not upload:
        return
    try:
        set_flyer(workshop, by=request.user, upload=upload)
    except WorkshopError as error:
        messages.error(request, _("The flyer was not saved: %(reason)s") % {"reason": error})
    else:
        messages.success(request, _("Flyer saved."))


@staff_member_required
@require_GET
@csp_override(FLYER_CSP)
def class_flyer(request: HttpRequest, pk: int) -> HttpResponse:
    """A class's flyer, for staff of any partner (not scoped to the user's organizations: the
    partnership shares its materials). Its type comes from its content, never its name."""
    workshop = get_object_or_404(Workshop.objects.exclude(flyer=""), pk=pk)
    try:
        kind = flyers.kind_of_stored(workshop.flyer)
        stored = workshop.flyer.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if kind is None:
        stored.close()
        raise Http404
    response = FileResponse(stored, content_type=kind.content_type)
    response["Content-Disposition"] = f'inline; filename="flyer.{kind.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, max_age=300)
    return response


# --- Scheduling sessions -------------------------------------------------------------------------


@staff_member_required
@require_http_methods(["GET", "POST"])
def class_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop_or_404(request.user, pk)
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
                return redirect(reverse("staff:classes") + f"#class-{workshop.pk}")
    return render(
        request,
        "staff/class_schedule.html",
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


# --- A session's roster ---------------------------------------------------------------------------


@staff_member_required
@require_GET
def class_session(request: HttpRequest, pk: int) -> HttpResponse:
    return _roster_page(request, _session_or_404(request.user, pk))


def _roster_page(
    request: HttpRequest,
    session: WorkshopSession,
    *,
    register_form=None,
    change_form=None,
    attendance_form=None,
) -> HttpResponse:
    """The roster, in a fixed number of queries however many people are on it. A form that
    was posted and refused is drawn again in its place, with its messages, even when the
    session started or was cancelled meanwhile (the message then says so)."""
    now = timezone.now()
    zone = session.location.zone
    people = list(roster(session).select_related("registered_by"))
    scheduled = session.state == SessionState.SCHEDULED
    started = session.starts <= now
    seated = [r for r in people if r.state in ON_ROSTER]
    offered = [r for r in people if r.state == RegistrationState.OFFERED]
    waiting = [r for r in people if r.state == RegistrationState.WAITLISTED]
    gone = [r for r in people if r.state in {RegistrationState.CANCELLED, RegistrationState.LAPSED}]
    open_for_changes = scheduled and not started
    if open_for_changes and register_form is None:
        register_form = RegisterCallerForm(
            initial={"idempotency_key": new_form_key()}, auto_id="id_register_%s"
        )
    if open_for_changes and change_form is None:
        change_form = ChangeSessionForm(session=session, auto_id="id_change_%s")
    may_mark = scheduled and started and rules.can_take_attendance(request.user, session)
    if may_mark and attendance_form is None:
        attendance_form = AttendanceForm(roster=people, auto_id="id_attendance_%s")
    held = sum(1 for r in people if r.state in HOLDING_SEAT)
    return render(
        request,
        "staff/class_session.html",
        {
            "session": session,
            "workshop": session.workshop,
            "starts": in_zone(session.starts, zone),
            "ends": in_zone(session.ends, zone),
            "scheduled": scheduled,
            "started": started,
            "open_for_changes": open_for_changes,
            "held": held,
            "seated": seated,
            "offered": [
                {"registration": r, "until": in_zone(r.offer_expires_at, zone)} for r in offered
            ],
            "waiting": waiting,
            "gone": gone,
            "register_form": register_form,
            "change_form": change_form,
            "attendance_form": attendance_form,
            "delivery": Delivery,
        },
    )


def _registration_or_404(session: WorkshopSession, registration_pk: int) -> Registration:
    return get_object_or_404(Registration.objects.filter(session=session), pk=registration_pk)


@staff_member_required
@require_POST
def class_session_register(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request.user, pk)
    form = RegisterCallerForm(request.POST, auto_id="id_register_%s")
    if not form.is_valid():
        return _roster_page(request, session, register_form=form)
    registrant = form.registrant()
    try:
        result = register(
            session,
            registrant=registrant,
            by=request.user,
            idempotency_key=stored_key(request.user, form.cleaned_data["idempotency_key"]),
        )
    except WorkshopError as error:
        form.add_error(None, str(error))
        return _roster_page(request, session, register_form=form)
    registration = result.registration
    if registration.session_id != session.pk:
        # The same form key came back from another session's page.
        form.add_error(None, OUT_OF_DATE)
        return _roster_page(request, session, register_form=form)
    name = {"name": registration.name}
    if result.already:
        messages.info(
            request,
            _("%(name)s is already on this session's list (%(state)s).")
            % {**name, "state": registration.get_state_display()},
        )
    elif registration.state == RegistrationState.REGISTERED:
        text = _("%(name)s is registered.") % name
        if not registration.email:
            text += " " + _("They gave no email address: read them the date, time and how to join.")
        messages.success(request, text)
    else:
        messages.warning(
            request,
            _("The session is full: %(name)s is on the waitlist and will be offered a seat.")
            % name,
        )
    return redirect(_roster_url(session, "registered"))


@staff_member_required
@require_POST
def class_registration_cancel(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    session = _session_or_404(request.user, pk)
    registration = _registration_or_404(session, registration_pk)
    try:
        cancel_registration(registration, by=request.user)
    except WorkshopError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(name)s's registration is cancelled.") % {"name": registration.name}
        )
    return redirect(_roster_url(session, "registered"))


@staff_member_required
@require_POST
def class_registration_promote(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    session = _session_or_404(request.user, pk)
    registration = _registration_or_404(session, registration_pk)
    try:
        promote(registration, by=request.user)
    except WorkshopError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s has a seat now.") % {"name": registration.name})
    return redirect(_roster_url(session, "registered"))


@staff_member_required
@require_POST
def class_session_change(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request.user, pk)
    form = ChangeSessionForm(request.POST, session=session, auto_id="id_change_%s")
    if not form.is_valid():
        return _roster_page(request, session, change_form=form)
    changes = form.changes()
    if not changes:
        messages.info(request, _("Nothing was changed."))
        return redirect(_roster_url(session))
    try:
        change_session(session, by=request.user, **changes)
    except WorkshopError as error:
        form.add_error(None, str(error))
        return _roster_page(request, session, change_form=form)
    messages.success(request, _("Session changed. People who gave an email address are told."))
    return redirect(_roster_url(session))


@staff_member_required
@require_http_methods(["GET", "POST"])
def class_session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request.user, pk)
    if request.method == "POST":
        try:
            cancel_session(session, by=request.user)
        except WorkshopError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The session is cancelled. Everyone registered or waiting is told by email."),
            )
        return redirect(_roster_url(session))
    return render(
        request,
        "staff/class_session_cancel.html",
        {
            "session": session,
            "starts": in_zone(session.starts, session.location.zone),
            "affected": session.registrations.filter(state__in=sorted(ACTIVE)).count(),
        },
    )


@staff_member_required
@require_POST
def class_session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request.user, pk)
    people = list(roster(session))
    form = AttendanceForm(request.POST, roster=people, auto_id="id_attendance_%s")
    if not form.is_valid():
        return _roster_page(request, session, attendance_form=form)
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
    return redirect(_roster_url(session, "attendance"))


@staff_member_required
@require_GET
def class_session_sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The sign-in sheet: first names and last initials only (Registration.sign_in_name), so
    the sheet can lie on a table where everyone signs it."""
    session = _session_or_404(request.user, pk)
    names = sorted(
        (r.sign_in_name for r in roster(session) if r.state in ON_ROSTER and r.name),
        key=str.casefold,
    )
    return render(
        request,
        "staff/class_sign_in.html",
        {
            "session": session,
            "starts": in_zone(session.starts, session.location.zone),
            "names": names,
            "walk_ins": range(WALK_IN_LINES),
        },
    )


# --- The attendance CSV -------------------------------------------------------------------------

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
        return render(request, "staff/class_attendance.html", {"export": form}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    first = data.get("from", form.fields["from"].initial)
    last = data.get("to", form.fields["to"].initial)
    workshops = workshops_for_user(request.user)
    if data.get("workshop"):
        workshops = Workshop.objects.filter(pk=_workshop_or_404(request.user, data["workshop"]).pk)
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
