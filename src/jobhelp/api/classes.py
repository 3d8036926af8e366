"""Classes, as the public calendar shows them, and registering for a session. Both are public:
no token, the same as the /classes/ pages (`auth=None` on each operation; the API's default is
a staff token).

Registering goes through the page's form (workshops.forms.ClassRegistrationForm) and
workshops.domain.register, and shares the page's rate limit per address. The answer says where
the person stands (registered or waitlisted, and their place) and, only to the call that made
the registration, the address of their self-service page; it is never given again. A repeat
with the same `idempotency_key` (and the same person) answers 200 with the state only; the
same phone number or email sent with another key, or none, is a 409 that says nothing about
the registration. Join details are never in this API: they go to registrants by email and on
their own page.
"""

from datetime import datetime

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from jobhelp.api.schemas import ErrorOut, Id
from jobhelp.core.clientip import client_ip
from jobhelp.core.enums import Language, Need
from jobhelp.core.ratelimit import hit
from jobhelp.workshops import domain, queries
from jobhelp.workshops.domain import WorkshopError
from jobhelp.workshops.enums import Delivery, RegistrationState
from jobhelp.workshops.forms import ALREADY_REGISTERED, RATE_SCOPE, ClassRegistrationForm
from jobhelp.workshops.messages import registration_url

router = Router(tags=["classes"])

PAGE_SIZE = 20


class OrganizationRef(Schema):
    id: int
    name: str
    slug: str


class ClassLocationOut(Schema):
    id: int
    name: str
    street: str
    city: str
    state: str
    postal_code: str
    time_zone: str


class ClassSessionOut(Schema):
    id: int
    class_id: int = Field(description="The class (series) this session belongs to.")
    title: str
    description: str
    audience: str
    language: Language
    needs: list[str] = Field(description="Topics, as the `need` codes of the help request.")
    delivery: Delivery
    online: bool
    materials: str = Field(description="What to bring.")
    organization: OrganizationRef = Field(description="The host.")
    co_hosts: list[OrganizationRef]
    location: ClassLocationOut = Field(
        description="Where it meets; for an online class, the host location whose clock it keeps."
    )
    starts: datetime = Field(description="In the location's zone, with its UTC offset.")
    ends: datetime
    capacity: int
    seats_left: int
    waitlist_open: bool = Field(description="Full: signing up joins the waitlist.")
    url: str = Field(description="The session's public page.")

    @staticmethod
    def resolve_class_id(obj) -> int:
        return obj.workshop_id

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.workshop.title

    @staticmethod
    def resolve_description(obj) -> str:
        return obj.workshop.description

    @staticmethod
    def resolve_audience(obj) -> str:
        return obj.workshop.audience

    @staticmethod
    def resolve_language(obj) -> str:
        return obj.workshop.language

    @staticmethod
    def resolve_needs(obj) -> list[str]:
        return list(obj.workshop.needs)

    @staticmethod
    def resolve_delivery(obj) -> str:
        return obj.workshop.delivery

    @staticmethod
    def resolve_online(obj) -> bool:
        return obj.workshop.online

    @staticmethod
    def resolve_materials(obj) -> str:
        return obj.workshop.materials

    @staticmethod
    def resolve_organization(obj):
        return obj.workshop.organization

    @staticmethod
    def resolve_co_hosts(obj):
        return list(obj.workshop.co_hosts.all())

    @staticmethod
    def resolve_starts(obj) -> datetime:
        return obj.starts.astimezone(obj.location.zone)

    @staticmethod
    def resolve_ends(obj) -> datetime:
        return obj.ends.astimezone(obj.location.zone)

    @staticmethod
    def resolve_seats_left(obj) -> int:
        return max(0, obj.capacity - obj.held)

    @staticmethod
    def resolve_waitlist_open(obj) -> bool:
        return obj.held >= obj.capacity

    @staticmethod
    def resolve_url(obj) -> str:
        return settings.PUBLIC_BASE_URL.rstrip("/") + reverse(
            "public:classes:session", args=[obj.pk]
        )


class ClassFilters(Schema):
    location_id: Id | None = None
    need: Need | None = None
    language: Language | None = None
    online: bool = Field(False, description="Only sessions given by video link or phone line.")


class RegistrationIn(Schema):
    name: str = ""
    phone: str = ""
    email: str = ""
    language: str = Field(Language.ENGLISH, description="For our messages: en, es, ...")
    idempotency_key: str = Field(
        "",
        description="16 to 64 letters, digits, - or _, new for each sign-up: the same call "
        "sent again makes no second registration.",
    )


class RegistrationOut(Schema):
    session_id: int
    state: RegistrationState
    waitlist_place: int | None = Field(description="1 is next in line; null when not waiting.")
    manage_url: str | None = Field(
        description="The patron's own page (leave, take an offered seat). Given once, to the "
        "call that made the registration; keep it, or rely on the confirmation email."
    )


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
    allowed = hit(
        RATE_SCOPE,
        client_ip(request),
        limit=settings.FORM_RATE_LIMIT,
        window_seconds=settings.FORM_RATE_WINDOW_SECONDS,
    )
    if not allowed:
        return Status(
            429, {"detail": _("Too many sign-ups came from this address. Try again later.")}
        )
    form = ClassRegistrationForm(payload.dict(), key_required=False)
    if not form.is_valid():
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        return Status(422, {"detail": _("The request is not valid."), "errors": errors})
    key = form.stored_key(session, interface="api")
    try:
        result = domain.register(session, registrant=form.registrant(), idempotency_key=key)
    except WorkshopError as error:
        return Status(409, {"detail": str(error)})
    registration = result.registration
    if result.token is None and (key is None or registration.idempotency_key != key):
        return Status(409, {"detail": str(ALREADY_REGISTERED)})
    return Status(
        201 if result.token else 200,
        {
            "session_id": session.pk,
            "state": registration.state,
            "waitlist_place": domain.waitlist_place(registration),
            "manage_url": registration_url(result.token) if result.token else None,
        },
    )
