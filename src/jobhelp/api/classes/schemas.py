"""A class session as the public calendar shows it, and registering for one."""

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from ninja import Field, Schema

from jobhelp.api.common.schemas import Id
from jobhelp.core.enums import Language, Need
from jobhelp.workshops.enums import Delivery, RegistrationState


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
    preferred_contact: str = Field(
        "",
        description="How our messages go: email, text (to the phone number, while texting is "
        "on) or none. Left out: email when an email address is given, else none.",
    )
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
