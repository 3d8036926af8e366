from datetime import datetime

from ninja import Field, Schema

from jobhelp.core.enums import Language, Modality, Need
from jobhelp.intake.enums import (
    BestTime,
    ContactMethod,
    IntakeChannel,
    RequestState,
)


class RequestIn(Schema):
    organization_id: int | None = Field(
        None, description="Organization taking the request; required if you belong to several."
    )
    channel: IntakeChannel = IntakeChannel.PHONE
    name: str
    phone: str = ""
    email: str = ""
    preferred_contact: ContactMethod
    best_time: BestTime = BestTime.ANY
    voicemail_ok: bool = False
    needs: list[Need]
    language: Language = Language.ENGLISH
    preferred_location_id: int | None = None
    modality: Modality
    note: str = ""
    consent: bool = Field(..., description="The patron agreed to the privacy notice.")


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


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}
