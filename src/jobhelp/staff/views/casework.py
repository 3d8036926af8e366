"""Help sessions from the staff side: recording the help given on a request, changing what came
of it, follow-ups, the patron's answers given by phone, and the feedback page.

The rules live in casework.domain, which checks casework.rules itself; these views offer only
what the person may do, turn forms into calls and a CaseworkError into a form error. As on the
appointment pages, a request, session or follow-up of another organization is a 404 (the scoped
reads of casework.queries find nothing), and one the person sees but may not change is a 403.
The feedback page is for the people who help and those who manage; front desk staff get a 403.
The request page (staff.views.requests) shows the help given from `request_section`; the
"Follow-ups due" box of the home page and My requests is staff.common.views.follow_ups_box.

Times are entered and shown on the wall clock of the request's library: its preferred location's
zone, or else that of its organization's first location (`request_zone`).
"""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobhelp.casework import rules
from jobhelp.casework.domain import (
    AlreadyAnswered,
    CaseworkError,
    complete_follow_up,
    mark_testimonial,
    record_phone_feedback,
    record_session,
    schedule_follow_up,
    update_outcomes,
)
from jobhelp.casework.enums import Activity
from jobhelp.casework.queries import (
    FeedbackFilters,
    comments_for_user,
    feedback_for_user,
    feedback_organizations,
    follow_up_for_user,
    follow_ups_due,
    responses_for_user,
    session_access,
    session_for_user,
    sessions_for_request,
    testimonials_for_user,
)
from jobhelp.intake import rules as intake_rules
from jobhelp.intake.queries import zone_for
from jobhelp.scheduling.queries import appointments_for_request
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.forms import new_form_key, stored_key
from jobhelp.staff.common.views import in_zone, next_or, page_of, request_or_404
from jobhelp.staff.forms.casework import (
    FeedbackFilterForm,
    FollowUpForm,
    OutcomesForm,
    PhoneFeedbackForm,
    SessionForm,
)

# Comments per page of the feedback page.
COMMENTS_PER_PAGE = 25
# What was done is listed in the order the form offers it.
ACTIVITY_ORDER = {value: position for position, value in enumerate(Activity.values)}


def request_zone(help_request) -> ZoneInfo:
    """The zone times of a request's sessions are entered and shown in: the library the patron
    chose, or else the first location of the request's organization (the settings' zone when it
    has none). One query at most."""
    if help_request.preferred_location is not None:
        return help_request.preferred_location.zone
    return zone_for(help_request.organization)


def _session_to_change(user, pk: int):
    """The session (404 unless the user sees it), if the user may change it (403)."""
    session = session_for_user(user, pk)
    if session is None:
        raise Http404
    if not rules.can_change(user, session):
        raise PermissionDenied
    return session


def _request_url(help_request, anchor: str = "help-given") -> str:
    url = reverse("staff:requests:detail", args=[help_request.reference])
    return f"{url}#{anchor}"


def _request_page(help_request, anchor: str = "help-given") -> HttpResponse:
    return redirect(_request_url(help_request, anchor))


def _session_page(session) -> HttpResponse:
    return _request_page(session.request, f"session-{session.pk}")


# --- Recording a session -------------------------------------------------------------------------


def _appointment_from_query(request: HttpRequest, appointments):
    """The appointment named by ?appointment=<id>: one of the request's, not yet recorded."""
    raw = request.GET.get("appointment", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise Http404
    appointment = appointments.filter(pk=int(raw)).first()
    if appointment is None:
        raise Http404
    return appointment


def _initial(help_request, zone: ZoneInfo, appointment) -> dict:
    if appointment is not None:
        starts = appointment.starts.astimezone(zone)
        return {
            "appointment": appointment.pk,
            "day": starts.date(),
            "clock": starts.time().replace(second=0, microsecond=0),
            "modality": appointment.appointment_type.modality,
            "minutes": appointment.appointment_type.duration,
        }
    now = timezone.now().astimezone(zone)
    return {
        "day": now.date(),
        "clock": now.time().replace(second=0, microsecond=0),
        "modality": help_request.modality,
    }


@staff_member_required
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, reference: str) -> HttpResponse:
    help_request = request_or_404(request.user, reference)
    if not rules.can_record(request.user, help_request):
        raise PermissionDenied
    zone = request_zone(help_request)
    # An appointment's record is made once (a one-to-one in the database as well).
    appointments = appointments_for_request(help_request).filter(help_session__isnull=True)
    if request.method == "GET":
        appointment = _appointment_from_query(request, appointments)
        form = SessionForm(
            initial={
                **_initial(help_request, zone, appointment),
                "idempotency_key": new_form_key(),
            },
            zone=zone,
            appointments=appointments,
        )
    else:
        form = SessionForm(request.POST, zone=zone, appointments=appointments)
        if form.is_valid():
            try:
                record_session(
                    help_request,
                    by=request.user,
                    details=form.details(),
                    appointment=form.cleaned_data["appointment"],
                    idempotency_key=stored_key(request.user, form.cleaned_data["idempotency_key"])
                    if form.cleaned_data["idempotency_key"]
                    else None,
                )
            except CaseworkError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The help you gave is recorded. Thank you!"))
                return _request_page(help_request)
        appointment = form.cleaned_data.get("appointment")
    return render(
        request,
        "staff/casework/session_new.html",
        {
            "req": help_request,
            "form": form,
            "zone": zone,
            "appointment": appointment,
            "appointment_starts": in_zone(appointment.starts, zone) if appointment else None,
        },
    )


# --- Changing a session --------------------------------------------------------------------------


def _action_page(request, session, form, *, title: str, button: str, url_name: str):
    help_request = session.request
    return render(
        request,
        "staff/casework/session_action.html",
        {
            "req": help_request,
            "session": session,
            "happened": in_zone(session.happened_at, request_zone(help_request)),
            "form": form,
            "title": title,
            "button": button,
            "action": reverse(url_name, args=[session.pk]),
        },
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def session_outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_to_change(request.user, pk)
    if request.method == "GET":
        form = OutcomesForm(initial={"outcomes": [o.kind for o in session.outcomes.all()]})
    else:
        form = OutcomesForm(request.POST)
        if form.is_valid():
            try:
                update_outcomes(
                    session,
                    by=request.user,
                    outcomes=form.cleaned_data["outcomes"],
                    achieved_on=form.cleaned_data["achieved_on"],
                )
            except CaseworkError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Outcomes saved."))
                return _session_page(session)
    return _action_page(
        request,
        session,
        form,
        title=_("Update outcomes"),
        button=_("Save outcomes"),
        url_name="staff:casework:session_outcomes",
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def session_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_to_change(request.user, pk)
    form = FollowUpForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            follow_up = schedule_follow_up(
                session,
                by=request.user,
                due_on=form.cleaned_data["due_on"],
                note=form.cleaned_data["note"],
            )
        except CaseworkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Follow-up planned for %(date)s.")
                % {"date": date_format(follow_up.due_on, "DATE_FORMAT")},
            )
            return _session_page(session)
    return _action_page(
        request,
        session,
        form,
        title=_("Plan a follow-up"),
        button=_("Plan the follow-up"),
        url_name="staff:casework:session_follow_up",
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def session_phone_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_to_change(request.user, pk)
    already = _("The patron's answers for this session are already recorded; nothing was changed.")
    if getattr(session, "feedback", None) is not None:
        messages.info(request, already)
        return _session_page(session)
    form = PhoneFeedbackForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            record_phone_feedback(session, by=request.user, answers=form.answers())
        except AlreadyAnswered:
            # Sent twice (a double click, a reloaded page), or the patron answered by link.
            messages.info(request, already)
            return _session_page(session)
        except CaseworkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The patron's answers are recorded. Thank you!"))
            return _session_page(session)
    return _action_page(
        request,
        session,
        form,
        title=_("Record the patron's answers given by phone"),
        button=_("Save their answers"),
        url_name="staff:casework:session_phone_feedback",
    )


# --- Follow-ups ----------------------------------------------------------------------------------


@staff_member_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = follow_up_for_user(request.user, pk)
    if follow_up is None:
        raise Http404
    if not rules.can_change(request.user, follow_up.session):
        raise PermissionDenied
    try:
        complete_follow_up(follow_up, by=request.user)
    except CaseworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Follow-up done."))
    return next_or(request, _request_url(follow_up.session.request))


@staff_member_required
def follow_ups(request: HttpRequest) -> HttpResponse:
    """The user's open follow-ups: those due today or earlier first, then the later ones."""
    rows = follow_ups_due(request.user, timezone.localdate(), ahead=None)
    return render(
        request,
        "staff/casework/follow_ups.html",
        {"due": rows.due, "upcoming": rows.upcoming, "next_url": request.get_full_path()},
    )


# --- The request page's "Help given" section ----------------------------------------------------


def request_section(request: HttpRequest, help_request) -> dict:
    """What the request page shows about help sessions
    (staff/casework/includes/request_section.html), in a fixed number of queries however many
    there are.

    Whether the user may change a session is casework.rules.can_change, answered once for the
    whole request: the session's helper, or whoever may work on the request
    (intake.rules.can_work_on), which is the same for every session of the request.
    """
    user = request.user
    access = session_access(user)
    may_work = intake_rules.can_work_on(user, help_request)
    zone = request_zone(help_request)
    rows = []
    for session in sessions_for_request(user, help_request):
        can_change = session.helper_id == user.pk or may_work
        feedback = getattr(session, "feedback", None)
        outcomes = list(session.outcomes.all())
        rows.append(
            {
                "session": session,
                "happened": in_zone(session.happened_at, zone),
                "activities": sorted(
                    session.activities.all(), key=lambda a: ACTIVITY_ORDER.get(a.activity, 99)
                ),
                "outcomes": outcomes,
                "follow_ups": list(session.follow_ups.all()),
                "feedback": feedback,
                "sees_notes": access.sees_notes(session),
                "sees_comment": access.sees_comment(session),
                "can_change": can_change,
                "outcomes_form": OutcomesForm(
                    initial={"outcomes": [o.kind for o in outcomes]},
                    auto_id=f"id_s{session.pk}_outcomes_%s",
                )
                if can_change
                else None,
                "follow_up_form": FollowUpForm(auto_id=f"id_s{session.pk}_follow_up_%s")
                if can_change
                else None,
                "feedback_form": PhoneFeedbackForm(auto_id=f"id_s{session.pk}_feedback_%s")
                if can_change and feedback is None
                else None,
            }
        )
    return {
        "help_sessions": rows,
        "can_record_help": rules.can_record(user, help_request),
        "recorded_appointment_ids": {
            row["session"].appointment_id for row in rows if row["session"].appointment_id
        },
    }


# --- Feedback ------------------------------------------------------------------------------------


def _feedback_door(user):
    """The people who help and those who manage; front desk staff have no business here."""
    organizations = feedback_organizations(user)
    if not organizations.exists():
        raise PermissionDenied
    return organizations


@staff_member_required
def feedback(request: HttpRequest) -> HttpResponse:
    user = request.user
    organizations = _feedback_door(user)
    form = FeedbackFilterForm(request.GET or None, organizations=organizations)
    context = {"filters": form, "next_url": request.get_full_path()}
    if form.is_bound and not form.is_valid():
        # Figures for some other range than the one asked for would mislead: none, and why.
        return render(request, "staff/casework/feedback.html", context)
    data = form.cleaned_data if form.is_bound else {}
    chosen = data.get("organization")
    filters = FeedbackFilters(
        since=data.get("since"),
        until=data.get("until"),
        organization_id=chosen.pk if chosen else None,
    )
    access = session_access(user)
    page = page_of(request, comments_for_user(user, filters), COMMENTS_PER_PAGE)
    for response in page:
        response.can_curate = response.may_quote and access.manages(response.session)
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        {
            "summary": feedback_for_user(user, filters),
            "page": page,
            "page_query": query.urlencode(),
            "manages": bool(access.managed_ids),
            "testimonials": list(testimonials_for_user(user)) if access.managed_ids else [],
        }
    )
    return render(request, "staff/casework/feedback.html", context)


@staff_member_required
@require_POST
def feedback_testimonial(request: HttpRequest, pk: int) -> HttpResponse:
    _feedback_door(request.user)
    response = (
        responses_for_user(request.user)
        .filter(pk=pk)
        .select_related("session__organization")
        .first()
    )
    if response is None:
        raise Http404
    if not rules.can_curate_feedback(request.user, response.session.organization):
        raise PermissionDenied
    chosen = request.POST.get("testimonial") == "on"
    try:
        mark_testimonial(response, by=request.user, testimonial=chosen)
    except CaseworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Marked as a testimonial.") if chosen else _("No longer a testimonial."),
        )
    return next_or(request, reverse("staff:casework:feedback"))
