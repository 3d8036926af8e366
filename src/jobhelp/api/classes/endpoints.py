"""Classes, as the public calendar shows them, and registering for a session. Both are public:
no token, the same as the /classes/ pages (`auth=None` on each operation; the API's default is
a staff token).

Registering goes through the page's form (workshops.forms.ClassRegistrationForm) and
workshops.domain.register, and shares the page's rate limit per address. The answer says where
the person stands (registered or waitlisted, and their place) and, only to the call that made
the registration, the address of their self-service page; it is never given again. A repeat
with the same `idempotency_key` (and the same person) answers 200 with the state only; the
same phone number or email sent with another key, or none, is a 409 that says nothing about
the registration. Join details are never in this API: they go to registrants in their messages
(by email or text, as `preferred_contact` says) and on their own page.
"""

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from jobhelp.api.classes.schemas import (
    ClassFilters,
    ClassSessionOut,
    RegistrationIn,
    RegistrationOut,
)
from jobhelp.api.common.schemas import ErrorOut, Id
from jobhelp.core.clientip import client_ip
from jobhelp.core.ratelimit import hit, used_up
from jobhelp.workshops import domain, queries
from jobhelp.workshops.forms import RATE_SCOPE, ClassRegistrationForm
from jobhelp.workshops.messages import already_registered, registration_url
from jobhelp.workshops.seats import WorkshopError

router = Router(tags=["classes"])

PAGE_SIZE = 20


@router.get("/classes/sessions", response=list[ClassSessionOut], auth=None)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_sessions(request, filters: Query[ClassFilters]):
    """Upcoming sessions of every partner's classes, soonest first, with the seats left. No
    join details."""
    sessions = queries.public_sessions(
        now=timezone.now(),
        need=filters.need or "",
        language=filters.language or "",
        online=filters.online,
    ).prefetch_related("workshop__co_hosts")
    if filters.location_id is not None:
        sessions = sessions.filter(location_id=filters.location_id)
    return sessions


@router.post(
    "/classes/sessions/{session_id}/registrations",
    response={
        200: RegistrationOut,
        201: RegistrationOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    auth=None,
)
def register(request, session_id: Id, payload: RegistrationIn):
    """Sign a patron up for a session, or onto its waitlist when it is full. 201 with the
    state, the place on the waitlist and the patron's page; 200 without the page when the same
    idempotency key was sent before; 409 when registration is closed or the phone number or
    email is already registered for the session; 422 for bad input; 429 when too many sign-ups
    came from this address."""
    session = queries.public_session(session_id)
    if session is None:
        raise Http404
    form = ClassRegistrationForm(payload.dict(), key_required=False)
    if not form.is_valid():
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        return Status(422, {"detail": _("The request is not valid."), "errors": errors})
    # As on the page: only a registration made counts against the address's limit.
    address = client_ip(request)
    window = settings.FORM_RATE_WINDOW_SECONDS
    if used_up(RATE_SCOPE, address, limit=settings.FORM_RATE_LIMIT, window_seconds=window):
        return Status(
            429, {"detail": _("Too many sign-ups came from this address. Try again later.")}
        )
    key = form.stored_key(session, interface="api")
    try:
        result = domain.register(session, registrant=form.registrant(), idempotency_key=key)
    except WorkshopError as error:
        return Status(409, {"detail": str(error)})
    if result.token is not None:
        hit(RATE_SCOPE, address, limit=settings.FORM_RATE_LIMIT, window_seconds=window)
    registration = result.registration
    if result.token is None and (key is None or registration.idempotency_key != key):
        return Status(409, {"detail": already_registered(registration)})
    return Status(
        201 if result.token else 200,
        {
            "session_id": session.pk,
            "state": registration.state,
            "waitlist_place": domain.waitlist_place(registration),
            "manage_url": registration_url(result.token) if result.token else None,
        },
    )
