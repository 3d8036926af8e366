"""A session's roster as its hosts read it, and the attendance they take."""

from datetime import datetime

from ninja import Field, Schema

from jobhelp.api.common.schemas import Id, PersonOut
from jobhelp.core.enums import Language
from jobhelp.workshops.enums import Delivery, RegistrationState, SessionState


class RosterRegistrationOut(Schema):
    id: int
    name: str
    phone: str = Field(description="E.164, or empty.")
    email: str
    language: Language
    state: RegistrationState
    offer_expires_at: datetime | None = Field(
        description="For an offered seat: when the offer lapses, in the location's zone."
    )
    waitlist_place: int | None = Field(description="1 for the next person to be offered a seat.")
    registered_by: PersonOut | None = Field(description="The staff member; null: themselves.")
    created_at: datetime


class RosterOut(Schema):
    session_id: int
    class_id: int
    title: str
    delivery: Delivery
    state: SessionState
    starts: datetime = Field(description="In the location's zone, with its UTC offset.")
    ends: datetime
    capacity: int
    registrations: list[RosterRegistrationOut] = Field(
        description="Everyone registered, offered, waiting, marked or gone, in the order they came."
    )


class AttendanceIn(Schema):
    attended: list[Id] = Field(
        description="Registration ids of the people who came; everyone else on the roster "
        "(registered, or marked before) is marked as not come."
    )


class AttendanceOut(Schema):
    attended: int
    no_show: int
    roster: RosterOut
