"""Referrals as the API reads and takes them. A referral's `patron` and `consent` are what a
live consent lets travel to the receiving partner (referrals.sharing), null otherwise: the
same for every reader, and the same as the webhook's body (referrals.documents)."""

from datetime import date
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from jobhelp.api.common.schemas import Id
from jobhelp.core.enums import Language, Need
from jobhelp.referrals.enums import (
    ConsentField,
    ConsentMethod,
    DeclineReason,
    Outcome,
    Reason,
    ReferralState,
    Urgency,
)


class NamedOut(Schema):
    id: str = Field(description="The public id (a UUID, as in the HSDS directory).")
    name: str


class PatronOut(Schema):
    name: str | None
    phone: str | None
    email: str | None
    language: str | None
    needs: list[str] | None
    notes: str | None


class ConsentOut(Schema):
    fields: list[ConsentField]
    purpose: str
    until: str = Field(description="When it ends (UTC).")


class ReferralOut(Schema):
    code: str
    display_code: str
    state: ReferralState
    fhir_status: str = Field(description="HL7 FHIR R4 Task.status of the state.")
    service: NamedOut
    from_organization: NamedOut
    to_organization: NamedOut
    reason: Reason
    need: Need
    urgency: Urgency
    note: str
    sent_at: str
    respond_by: str
    expires_at: str
    first_response_at: str | None
    decline_reason: DeclineReason | None
    outcome: Outcome | None
    closed_at: str | None
    patron: PatronOut | None = Field(
        description="Only what a live consent shares with the receiving partner; null without."
    )
    consent: ConsentOut | None
    side: Literal["sender", "receiver", "both"]
    request_reference: str | None = Field(
        description="The sender's request, for the sending side only; null for a walk-in."
    )


class ReferralFilters(Schema):
    direction: Literal["received", "sent"] = "received"
    state: ReferralState | Literal["open"] | None = None
    service_id: UUID | None = None
    q: str = Field("", max_length=100, description="A code, or a shared name or phone.")


class ReferralIn(Schema):
    service_id: UUID = Field(description="The partner's directory service (its public id).")
    request_reference: str | None = Field(
        None, description="The request the person is referred from; none for a walk-in."
    )
    organization_id: Id | None = Field(
        None, description="For a walk-in: the referring organization, if you act for several."
    )
    reason: Reason
    need: Need
    urgency: Urgency = Urgency.ROUTINE
    note: str = ""
    language: Language | None = None
    notify_patron: bool = False


class AcceptIn(Schema):
    open_request: bool = False
    note: str = ""


class DeclineIn(Schema):
    reason: DeclineReason | None = None
    note: str = ""


class TransitionIn(Schema):
    action: Literal["start", "hold", "complete", "cancel"]
    outcome: Outcome | None = None
    note: str = ""


class ConsentIn(Schema):
    fields: list[ConsentField]
    purpose: str
    until: date
    method: ConsentMethod
    attest: bool = Field(
        False, description="For a spoken consent: you told the patron and they said yes."
    )
    name: str = ""
    phone: str = ""
    email: str = ""
    language: Language | None = None


class ConsentRecordedOut(Schema):
    referral: ReferralOut
    link: str = Field(description="The patron's link to see or withdraw it; shown only now.")
