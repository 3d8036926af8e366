"""A session's page (its roster, with the forms to register a caller, change the session and
take attendance), changing the session and cancelling it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.forms import new_form_key
from jobhelp.staff.common.views import in_zone
from jobhelp.staff.forms.classes.registrations import RegisterCallerForm
from jobhelp.staff.forms.classes.sessions import ChangeSessionForm
from jobhelp.staff.views.classes.lookups import roster_url, session_or_404
from jobhelp.workshops import rules
from jobhelp.workshops.enums import ACTIVE, HOLDING_SEAT, Delivery, RegistrationState, SessionState
from jobhelp.workshops.forms import ON_ROSTER, AttendanceForm
from jobhelp.workshops.models import WorkshopSession
from jobhelp.workshops.queries import roster
from jobhelp.workshops.seats import WorkshopError
from jobhelp.workshops.sessions import cancel_session, change_session


@staff_member_required
@require_GET
def class_session(request: HttpRequest, pk: int) -> HttpResponse:
    return session_page(request, session_or_404(request.user, pk))


def session_page(
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
        "staff/classes/session.html",
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


@staff_member_required
@require_POST
def class_session_change(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_or_404(request.user, pk)
    form = ChangeSessionForm(request.POST, session=session, auto_id="id_change_%s")
    if not form.is_valid():
        return session_page(request, session, change_form=form)
    changes = form.changes()
    if not changes:
        messages.info(request, _("Nothing was changed."))
        return redirect(roster_url(session))
    try:
        change_session(session, by=request.user, **changes)
    except WorkshopError as error:
        form.add_error(None, str(error))
        return session_page(request, session, change_form=form)
    messages.success(request, _("Session changed. People who gave an email address are told."))
    return redirect(roster_url(session))


@staff_member_required
@require_http_methods(["GET", "POST"])
def class_session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_or_404(request.user, pk)
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
        return redirect(roster_url(session))
    return render(
        request,
        "staff/classes/session_cancel.html",
        {
            "session": session,
            "starts": in_zone(session.starts, session.location.zone),
            "affected": session.registrations.filter(state__in=sorted(ACTIVE)).count(),
        },
    )
