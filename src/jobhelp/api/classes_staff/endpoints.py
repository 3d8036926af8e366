"""Classes for their hosts: a session's roster, and taking attendance. Staff token required
(the API's default).

Reads go through workshops.queries.session_for_user, so a session of a class the token's
owner does not run is a 404, the same as one that does not exist. Attendance is checked by the
staff page's form (workshops.forms.AttendanceForm: only people on the roster, 422 otherwise)
and made by workshops.attendance.mark_attendance; a mark the domain refuses (before the start, or
by someone who may not) is a 409 with its message.
"""

from django.http import Http404
from ninja import Router, Status

from jobhelp.api.classes_staff.schemas import AttendanceIn, AttendanceOut, RosterOut
from jobhelp.api.common.errors import invalid
from jobhelp.api.common.schemas import ErrorOut, Id, person
from jobhelp.workshops.attendance import mark_attendance
from jobhelp.workshops.enums import RegistrationState
from jobhelp.workshops.forms import AttendanceForm
from jobhelp.workshops.queries import roster, session_for_user
from jobhelp.workshops.seats import WorkshopError

router = Router(tags=["classes (staff)"])


def _session_or_404(user, session_id: int):
    session = session_for_user(user, session_id)
    if session is None:
        raise Http404
    return session


def _roster(session) -> dict:
    zone = session.location.zone
    people = list(roster(session).select_related("registered_by"))
    place = 0
    registrations = []
    for registration in people:
        waiting = registration.state == RegistrationState.WAITLISTED
        place += waiting
        expires = registration.offer_expires_at
        registrations.append(
            {
                "id": registration.pk,
                "name": registration.name,
                "phone": registration.phone,
                "email": registration.email,
                "language": registration.language,
                "state": registration.state,
                "offer_expires_at": expires.astimezone(zone) if expires else None,
                "waitlist_place": place if waiting else None,
                "registered_by": person(registration.registered_by),
                "created_at": registration.created_at,
            }
        )
    return {
        "session_id": session.pk,
        "class_id": session.workshop_id,
        "title": session.workshop.title,
        "delivery": session.workshop.delivery,
        "state": session.state,
        "starts": session.starts.astimezone(zone),
        "ends": session.ends.astimezone(zone),
        "capacity": session.capacity,
        "registrations": registrations,
    }


@router.get("/classes/sessions/{session_id}/roster", response={200: RosterOut, 404: ErrorOut})
def get_roster(request, session_id: Id):
    """Everyone on a session of a class your organizations host or co-host, with their
    contact details (for staff only)."""
    return _roster(_session_or_404(request.user, session_id))


@router.post(
    "/classes/sessions/{session_id}/attendance",
    response={200: AttendanceOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def take_attendance(request, session_id: Id, payload: AttendanceIn):
    """Mark who came, once the session has started; sending it again corrects it. Under the
    class's no-show policy, people who did not come give up their seats in later sessions."""
    session = _session_or_404(request.user, session_id)
    form = AttendanceForm({"attended": payload.attended}, roster=list(roster(session)))
    if not form.is_valid():
        return invalid(form)
    try:
        came, missed = mark_attendance(
            session, by=request.user, attended=set(form.cleaned_data["attended"])
        )
    except WorkshopError as error:
        return Status(409, {"detail": str(error)})
    return {"attended": came, "no_show": missed, "roster": _roster(session)}
