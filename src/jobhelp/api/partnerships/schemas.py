"""The partnership hub's shapes: partnerships and partners, agreements with their parties, cost
shares, amendments, attachments and missing contents, obligations and occurrences, meetings
and action items, grants and the liaison's log. Input is checked again by the same forms as the
staff pages (partnerships.forms); these shapes only say what a program may send."""

from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum

from ninja import Field, Schema

from jobhelp.api.common.schemas import Id, PersonOut, PlaceOut, person, place
from jobhelp.organizations.enums import ParticipationTier
from jobhelp.partnerships import evidence
from jobhelp.partnerships.enums import (
    ActionItemStatus,
    Activity,
    AgreementStatus,
    AmendmentKind,
    ContributionKind,
    CostCategory,
    Frequency,
    GrantStatus,
    ObligationKind,
    PartyRole,
)


class OrganizationOut(Schema):
    id: int
    name: str


def organization(org) -> dict | None:
    return None if org is None else {"id": org.pk, "name": org.name}


# --- Partnerships -------------------------------------------------------------------------------


class PartnerOut(Schema):
    organization: OrganizationOut
    tier: ParticipationTier
    offers: str
    services: str = Field(description="For a partner at a reduced level: what it takes part in.")
    obligation_ids: list[int] = Field(
        description="The obligations of running agreements it takes part in (that you see)."
    )


class PartnershipOut(Schema):
    id: int
    name: str
    convener: OrganizationOut
    liaison: PersonOut | None
    expected_liaison_minutes: int
    partners: list[PartnerOut]


# --- Agreements ---------------------------------------------------------------------------------


class Terms(Schema):
    """The terms of an agreement, as the MOU contents of 20 CFR 678.500."""

    effective_from: date | None = None
    renewal_on: date | None = None
    review_cycle_months: int | None = Field(None, description="At most 36.")
    services_coordination: str = ""
    referral_methods: str = ""
    needs_disability: str = ""
    needs_language: str = ""
    needs_technology: str = ""
    cost_allocation_method: str = ""
    data_sharing: str = ""
    dispute_resolution: str = ""
    amendment_procedure: str = ""
    chief_elected_official: str = ""
    chief_elected_official_agreed_on: date | None = None


class PartyIn(Schema):
    organization_id: Id
    role: PartyRole
    tier: ParticipationTier
    services: str = ""


class AgreementIn(Terms):
    partnership_id: Id
    title: str
    party: PartyIn = Field(description="The first party: an organization you manage.")


class TermsPatch(Schema):
    """Only the terms sent change."""

    title: str | None = None
    effective_from: date | None = None
    renewal_on: date | None = None
    review_cycle_months: int | None = None
    services_coordination: str | None = None
    referral_methods: str | None = None
    needs_disability: str | None = None
    needs_language: str | None = None
    needs_technology: str | None = None
    cost_allocation_method: str | None = None
    data_sharing: str | None = None
    dispute_resolution: str | None = None
    amendment_procedure: str | None = None
    chief_elected_official: str | None = None
    chief_elected_official_agreed_on: date | None = None


class AgreementMove(StrEnum):
    OPEN_NEGOTIATION = "open_negotiation"
    RETURN_TO_DRAFT = "return_to_draft"


class AgreementTransitionIn(Schema):
    action: AgreementMove


class CostShareIn(Schema):
    category: CostCategory
    contribution: ContributionKind
    description: str
    annual_amount: Decimal | None = None


class CostShareOut(Schema):
    id: int
    category: CostCategory
    contribution: ContributionKind
    description: str
    annual_amount: Decimal | None


class PartyOut(Schema):
    id: int
    organization: OrganizationOut
    role: PartyRole
    tier: ParticipationTier
    services: str
    signatory_name: str
    signatory_title: str
    signed_on: date | None
    cost_shares: list[CostShareOut]

    @staticmethod
    def resolve_organization(obj) -> dict:
        return organization(obj.organization)

    @staticmethod
    def resolve_cost_shares(obj) -> list:
        return list(obj.cost_shares.all())


class PartyPatch(Schema):
    role: PartyRole | None = None
    tier: ParticipationTier | None = None
    services: str | None = None


class SignatureIn(Schema):
    signatory_name: str
    signatory_title: str
    signed_on: date


class AmendmentIn(Schema):
    kind: AmendmentKind
    summary: str
    effective_on: date
    changes: TermsPatch = Field(
        default_factory=TermsPatch, description="The terms the amendment changes."
    )


class AmendmentOut(Schema):
    id: int
    number: int
    kind: AmendmentKind
    summary: str
    effective_on: date
    fields: list[str] = Field(description="The names of the terms it changed.")
    recorded_at: datetime


class AttachmentOut(Schema):
    id: int
    title: str
    name: str = Field(description="The uploaded file's name, as a label.")
    size: int
    uploaded_at: datetime

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.display_name


class MissingOut(Schema):
    code: str
    label: str
    reference: str


class AgreementSummaryOut(Schema):
    id: int
    partnership_id: int
    title: str
    status: AgreementStatus
    effective_from: date | None
    renewal_on: date | None
    party_count: int
    signed_count: int


class AgreementOut(Terms):
    id: int
    partnership_id: int
    title: str
    status: AgreementStatus
    supersedes_id: int | None
    executed_at: datetime | None
    parties: list[PartyOut]
    amendments: list[AmendmentOut]
    attachments: list[AttachmentOut]
    missing_contents: list[MissingOut] = Field(
        description="The 20 CFR 678.500 contents the agreement does not have yet."
    )

    @staticmethod
    def resolve_parties(obj) -> list:
        return list(obj.parties.all())

    @staticmethod
    def resolve_amendments(obj) -> list:
        return list(obj.amendments.all())

    @staticmethod
    def resolve_attachments(obj) -> list:
        return list(obj.attachments.all())


# --- Obligations --------------------------------------------------------------------------------


class ObligationIn(Schema):
    title: str
    description: str = ""
    kind: ObligationKind
    owner_organization_id: Id
    owner_id: Id | None = None
    frequency: Frequency
    first_due_on: date
    ends_on: date | None = None
    reduced_tier_takes_part: bool = False


class ObligationPatch(Schema):
    title: str | None = None
    description: str | None = None
    kind: ObligationKind | None = None
    owner_organization_id: Id | None = None
    owner_id: Id | None = None
    frequency: Frequency | None = None
    first_due_on: date | None = None
    ends_on: date | None = None
    reduced_tier_takes_part: bool | None = None


class ObligationOut(Schema):
    id: int
    agreement_id: int
    title: str
    description: str
    kind: ObligationKind
    owner_organization: OrganizationOut
    owner: PersonOut | None
    frequency: Frequency
    first_due_on: date
    ends_on: date | None
    reduced_tier_takes_part: bool

    @staticmethod
    def resolve_owner_organization(obj) -> dict:
        return organization(obj.owner_organization)

    @staticmethod
    def resolve_owner(obj) -> dict | None:
        return person(obj.owner)


class ObligationListOut(ObligationOut):
    kept: int
    overdue: int


class OccurrenceOut(Schema):
    id: int
    obligation_id: int
    due_on: date
    done_at: datetime | None
    done_by: PersonOut | None
    note: str
    file_name: str | None = Field(description="The evidence file's name, if one was attached.")
    record: str | None = Field(description="The record that kept it, as `<kind>:<id>`.")

    @staticmethod
    def resolve_done_by(obj) -> dict | None:
        return person(obj.done_by)

    @staticmethod
    def resolve_file_name(obj) -> str | None:
        return (obj.evidence_file_name or "file") if obj.evidence_file else None

    @staticmethod
    def resolve_record(obj) -> str | None:
        if obj.evidence_type_id is None:
            return None
        kind = evidence.kind_of(obj.evidence_type.model_class())
        return f"{kind.code}:{obj.evidence_id}" if kind else None


class OccurrenceDoneIn(Schema):
    note: str = ""
    record: str | None = Field(
        None, description="A record that shows it was kept, as `meeting:<id>`."
    )


class AlreadyDoneOut(Schema):
    detail: str
    done_by: PersonOut | None = Field(None, description="Who marked it done first.")


# --- Meetings and action items ------------------------------------------------------------------


class AttendeeOut(Schema):
    id: int
    organization: OrganizationOut
    person: PersonOut | None
    name: str
    attended: bool | None

    @staticmethod
    def resolve_organization(obj) -> dict:
        return organization(obj.organization)

    @staticmethod
    def resolve_person(obj) -> dict | None:
        return person(obj.user)

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class ActionItemOut(Schema):
    id: int
    meeting_id: int
    title: str
    owner: PersonOut
    owner_organization: OrganizationOut
    due_on: date
    status: ActionItemStatus
    closed_at: datetime | None

    @staticmethod
    def resolve_owner(obj) -> dict:
        return person(obj.owner)

    @staticmethod
    def resolve_owner_organization(obj) -> dict:
        return organization(obj.owner_organization)


class MeetingSummaryOut(Schema):
    id: int
    partnership_id: int
    title: str
    place: PlaceOut
    starts: datetime = Field(description="In the place's time zone.")
    ends: datetime
    cancelled: bool
    open_items: int
    closed_items: int

    @staticmethod
    def resolve_place(obj) -> dict:
        return place(obj.location)

    @staticmethod
    def resolve_starts(obj) -> datetime:
        return obj.starts.astimezone(obj.location.zone)

    @staticmethod
    def resolve_ends(obj) -> datetime:
        return obj.ends.astimezone(obj.location.zone)


class MeetingOut(Schema):
    id: int
    partnership_id: int
    title: str
    place: PlaceOut
    starts: datetime = Field(description="In the place's time zone.")
    ends: datetime
    cancelled: bool
    agenda: str
    minutes: str
    decisions: str
    attendees: list[AttendeeOut]
    action_items: list[ActionItemOut]

    @staticmethod
    def resolve_place(obj) -> dict:
        return place(obj.location)

    @staticmethod
    def resolve_starts(obj) -> datetime:
        return obj.starts.astimezone(obj.location.zone)

    @staticmethod
    def resolve_ends(obj) -> datetime:
        return obj.ends.astimezone(obj.location.zone)

    @staticmethod
    def resolve_attendees(obj) -> list:
        return list(obj.attendees.all())

    @staticmethod
    def resolve_action_items(obj) -> list:
        return list(obj.action_items.all())


class MeetingIn(Schema):
    partnership_id: Id
    title: str
    location_id: Id
    day: date = Field(description="On the place's wall clock.")
    starts: time
    minutes: int = Field(description="How long, 15 to 480.")
    agenda: str = ""
    attendee_ids: list[Id] = []


class MeetingPatch(Schema):
    title: str | None = None
    location_id: Id | None = None
    day: date | None = None
    starts: time | None = None
    minutes: int | None = None
    agenda: str | None = None


class MinutesIn(Schema):
    minutes: str
    decisions: str = ""
    attended_ids: list[Id] | None = Field(
        None, description="The attendees who came; the others did not. Leave out to keep."
    )


class ActionItemIn(Schema):
    title: str
    owner_id: Id
    due_on: date


class ActionItemPatch(Schema):
    title: str | None = None
    owner_id: Id | None = None
    due_on: date | None = None


class ActionItemStatusIn(Schema):
    status: ActionItemStatus


# --- Grants -------------------------------------------------------------------------------------


class GrantIn(Schema):
    partnership_id: Id
    funder: str
    opportunity: str
    deadline: date | None = None
    lead_organization_id: Id
    amount_sought: Decimal | None = None
    match_commitment: str = ""
    in_kind_commitment: str = ""


class GrantPatch(Schema):
    funder: str | None = None
    opportunity: str | None = None
    deadline: date | None = None
    lead_organization_id: Id | None = None
    amount_sought: Decimal | None = None
    match_commitment: str | None = None
    in_kind_commitment: str | None = None


class GrantStatusIn(Schema):
    status: GrantStatus
    outcome: str = ""


class GrantOut(Schema):
    id: int
    partnership_id: int
    funder: str
    opportunity: str
    deadline: date | None
    lead_organization: OrganizationOut
    amount_sought: Decimal | None
    match_commitment: str
    in_kind_commitment: str
    status: GrantStatus
    outcome: str
    meeting_id: int | None

    @staticmethod
    def resolve_lead_organization(obj) -> dict:
        return organization(obj.lead_organization)


# --- The liaison's log --------------------------------------------------------------------------


class LogFilters(Schema):
    partnership_id: Id | None = None
    starts: date | None = Field(None, description="From this day.")
    ends: date | None = Field(None, description="Up to this day.")


class LogEntryIn(Schema):
    partnership_id: Id
    occurred_on: date
    activity: Activity
    minutes: int = Field(description="1 to 1440.")
    with_organization_id: Id | None = None
    attendees: str = ""
    attendee_count: int | None = None
    note: str = ""


class LogEntryPatch(Schema):
    occurred_on: date | None = None
    activity: Activity | None = None
    minutes: int | None = None
    with_organization_id: Id | None = None
    attendees: str | None = None
    attendee_count: int | None = None
    note: str | None = None


class LogEntryOut(Schema):
    id: int
    partnership_id: int
    liaison: PersonOut
    organization: OrganizationOut = Field(description="The partner the liaison acted for.")
    occurred_on: date
    activity: Activity
    minutes: int
    with_organization: OrganizationOut | None
    attendees: str
    attendee_count: int | None
    note: str

    @staticmethod
    def resolve_liaison(obj) -> dict:
        return person(obj.liaison)

    @staticmethod
    def resolve_organization(obj) -> dict:
        return organization(obj.organization)

    @staticmethod
    def resolve_with_organization(obj) -> dict | None:
        return organization(obj.with_organization)
