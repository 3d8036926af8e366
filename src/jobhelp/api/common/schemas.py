"""The shapes every area of the API shares: ids, errors, people, places, and a help request as
it is read."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema

from jobhelp.core.enums import Language, Modality, Need
from jobhelp.intake.enums import BestTime, ContactMethod, IntakeChannel, RequestState

# A database id. The bound keeps a huge number from reaching SQLite, which cannot hold it.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class PersonOut(Schema):
    id: int
    name: str


def person(user) -> dict | None:
    return None if user is None else {"id": user.pk, "name": str(user)}


class PlaceOut(Schema):
    id: int
    name: str
    time_zone: str = Field(description="The location's IANA time zone.")


def place(location) -> dict:
    return {"id": location.pk, "name": location.name, "time_zone": location.time_zone}


class RequestOut(Schema):
    reference: str
    display_reference: str
    organization_id: int
    state: RequestState
    channel: IntakeChannel
    name: str
    phone: str
    email: str
    preferred_contact: ContactMethod
    best_time: BestTime
    voicemail_ok: bool
    needs: list[Need]
    language: Language
    preferred_location_id: int | None
    modality: Modality
    note: str
    created_at: datetime

    @staticmethod
    def resolve_needs(obj) -> list[str]:
        return [n.need for n in obj.needs.all()]
