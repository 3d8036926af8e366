"""A help request as a caller gives it, and the list's filters."""

from ninja import Field, Schema

from jobhelp.api.common.schemas import Id
from jobhelp.core.enums import Language, Modality, Need
from jobhelp.intake.enums import BestTime, ContactMethod, IntakeChannel, RequestState


class RequestIn(Schema):
    organization_id: Id | None = Field(
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
    preferred_location_id: Id | None = None
    modality: Modality
    note: str = ""
    consent: bool = Field(..., description="The patron agreed to the privacy notice.")


class RequestFilters(Schema):
    state: RequestState | None = None
    need: Need | None = None
    language: Language | None = None
    channel: IntakeChannel | None = None
    organization_id: Id | None = None
