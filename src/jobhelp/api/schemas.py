from datetime import UTC, datetime, time
from datetime import date as date_
from enum import StrEnum
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import field_validator

from jobhelp.accounts.tenancy import organizations_for
from jobhelp.core.enums import Language, Modality, Need
from jobhelp.intake.enums import (
    OPEN_STATES,
    BestTime,
    ClosingReason,
    ContactMethod,
    ContactOutcome,
    IntakeChannel,
    RequestState,
)
from jobhelp.scheduling.enums import AppointmentState, ExceptionKind

# A database id. The bound keeps a huge number from reaching SQLite, which cannot hold it.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


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


class PersonOut(Schema):
    id: int
    name: str


def person(user) -> dict | None:
    return None if user is None else {"id": user.pk, "name": str(user)}


class TriagedRequestOut(RequestOut):
    """A request with what triage knows about it."""

    assigned_to: PersonOut | None
    possible_duplicate_of: str | None = Field(
        description="Reference of an open request from the same phone or email."
    )
    closing_reason: ClosingReason | None

    @staticmethod
    def resolve_assigned_to(obj) -> dict | None:
        return person(obj.assigned_to)

    @staticmethod
    def resolve_possible_duplicate_of(obj, context) -> str | None:
        if not obj.possible_duplicate_of_id:
            return None
        duplicate = obj.possible_duplicate_of
        # A duplicate at a sibling branch is none of this caller's business.
        request = context["request"]
        if not hasattr(request, "visible_organization_ids"):
            request.visible_organization_ids = set(
                organizations_for(request.user).values_list("pk", flat=True)
            )
        return (
            duplicate.reference
            if duplicate.organization_id in request.visible_organization_ids
            else None
        )

    @staticmethod
    def resolve_closing_reason(obj) -> str | None:
        return obj.closing_reason or None


class SuggestionOut(Schema):
    helper_id: int
    name: str
    reasons: list[str]
    rule_id: int | None = Field(description="The routing rule that names this helper, if any.")

    @staticmethod
    def resolve_helper_id(obj) -> int:
        return obj.helper.pk

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj.helper)

    @staticmethod
    def resolve_rule_id(obj) -> int | None:
        return obj.rule.pk if obj.rule else None


class QueueItemOut(TriagedRequestOut):
    suggestions: list[SuggestionOut] = Field(description="Qualified helpers, best first.")


class QueueFilters(Schema):
    need: Need | None = None
    location_id: Id | None = Field(None, description="Requests for this library.")
    location: Literal["remote"] | None = Field(
        None, description="`remote`: requests that name no library."
    )
    language: Language | None = None
    state: RequestState | None = Field(None, description="One of the open states.")
    assignee: str | None = Field(
        None,
        pattern=r"^(none|me|[1-9][0-9]{0,17})$",
        description="`none`, `me` or a staff member's id.",
    )

    @field_validator("state")
    @classmethod
    def _open_state(cls, state: RequestState | None) -> RequestState | None:
        if state is not None and state not in OPEN_STATES:
            raise ValueError("The queue holds open requests only.")
        return state


class AssignIn(Schema):
    helper_id: Id
    note: str = Field("", description="Why; needed when reassigning.")
    expected_assignee_id: Id | None = Field(
        None,
        description="Who you saw the request with (null: nobody). If someone else has it by "
        "now, the answer is 409 naming them. Leave it out to assign regardless.",
    )


class Transition(StrEnum):
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"


class TransitionIn(Schema):
    action: Transition
    reason: ClosingReason | None = Field(
        None,
        description="resolve: `helped` (the default) or `referred`; close: required, any "
        "other reason; reopen: leave out.",
    )


class ContactAttemptIn(Schema):
    channel: ContactMethod
    outcome: ContactOutcome
    note: str = ""


class ContactAttemptOut(Schema):
    id: int
    channel: ContactMethod
    outcome: ContactOutcome
    note: str
    created_at: datetime
    by_id: int | None


class ConflictOut(Schema):
    detail: str
    assigned_to: PersonOut | None = Field(
        None, description="Only when someone else changed the assignment first: who has it now."
    )


# --- Scheduling ----------------------------------------------------------------------------------
# Times of day are given on the location's wall clock with its UTC offset
# (2026-03-02T10:00:00-06:00); `*_utc` fields give the same instant in UTC (…Z).


class PlaceOut(Schema):
    id: int
    name: str
    time_zone: str = Field(description="The location's IANA time zone.")


def place(location) -> dict:
    return {"id": location.pk, "name": location.name, "time_zone": location.time_zone}


class AppointmentTypeOut(Schema):
    id: int
    organization_id: int
    name: str
    duration: int = Field(description="Minutes.")
    modality: Modality
    padding_before: int = Field(description="Free minutes kept before the appointment.")
    padding_after: int = Field(description="Free minutes kept after the appointment.")
    min_notice: int = Field(description="Minutes of notice a booking needs.")
    booking_window: int = Field(description="How many days ahead it can be booked.")
    self_service: bool = Field(description="Patrons may book it themselves.")
    needs: list[str] = Field(description="The needs it serves (codes as on requests).")
    reminders: list[int] = Field(description="Reminders, in minutes before the start.")


class IntervalOut(Schema):
    starts: datetime
    ends: datetime


class WeeklyHoursOut(Schema):
    weekday: int = Field(description="0 is Monday.")
    starts: time = Field(description="Wall-clock time in the location's zone.")
    ends: time


class AvailabilityExceptionOut(Schema):
    kind: ExceptionKind
    date: date_
    all_day: bool
    starts: datetime
    ends: datetime


class ClosureOut(Schema):
    reason: str
    starts: datetime
    ends: datetime


class LocationAvailabilityOut(Schema):
    location: PlaceOut
    weekly_hours: list[WeeklyHoursOut]
    exceptions: list[AvailabilityExceptionOut] = Field(
        description="Extra hours and time off on these dates; time off without a location "
        "applies at every location."
    )
    closures: list[ClosureOut] = Field(description="The location closed for everyone.")
    working: list[IntervalOut] = Field(
        description="What these leave: weekly and extra hours minus time off and closures. "
        "Booked appointments are not taken off."
    )


class AvailabilityOut(Schema):
    helper: PersonOut
    from_: date_ = Field(alias="from")
    to: date_
    locations: list[LocationAvailabilityOut]
    booked: list[IntervalOut] = Field(
        description="Times the helper's booked appointments block, padding included, at any "
        "location, in UTC; a day either side of the dates."
    )


class AvailabilityFilters(Schema):
    from_: date_ | None = Field(None, alias="from", description="First local date; today.")
    to: date_ | None = Field(None, description="Last local date; six days after `from`.")


class SlotFilters(Schema):
    type: Id = Field(description="An appointment type id (see /appointment-types).")
    days: int = Field(
        14, ge=1, le=90, description="Local dates from today, within the type's booking window."
    )


class SlotOut(Schema):
    helper: PersonOut
    location: PlaceOut
    starts: datetime
    ends: datetime
    starts_utc: datetime
    ends_utc: datetime


class BookIn(Schema):
    helper_id: Id
    location_id: Id
    appointment_type_id: Id
    starts: datetime = Field(description="One of the slots, with its UTC offset.")
    idempotency_key: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="Or the Idempotency-Key header: a repeated call with the same key makes "
        "no second appointment.",
    )


class RescheduleIn(Schema):
    starts: datetime = Field(description="The new time, with its UTC offset.")
    idempotency_key: str | None = Field(None, min_length=1, max_length=200)


class CancelIn(Schema):
    late: bool = Field(
        False, description="Cancelled inside the type's notice; counts like a no-show in reports."
    )


class AppointmentTypeRef(Schema):
    id: int
    name: str


class AppointmentOut(Schema):
    id: int
    reference: str = Field(description="The same for every reschedule of one booking.")
    display_reference: str
    state: AppointmentState
    request: str | None = Field(description="The help request's reference.")
    helper: PersonOut
    location: PlaceOut
    appointment_type: AppointmentTypeRef
    starts: datetime
    ends: datetime
    starts_utc: datetime
    ends_utc: datetime
    sequence: int = Field(description="0 when booked, one more at each reschedule.")
    rescheduled_from_id: int | None
    created_at: datetime

    @staticmethod
    def resolve_request(obj) -> str | None:
        return obj.request.reference if obj.request_id else None

    @staticmethod
    def resolve_helper(obj) -> dict:
        return person(obj.helper)

    @staticmethod
    def resolve_location(obj) -> dict:
        return place(obj.location)

    @staticmethod
    def resolve_appointment_type(obj) -> dict:
        return {"id": obj.appointment_type_id, "name": obj.appointment_type.name}

    @staticmethod
    def resolve_starts(obj) -> datetime:
        return obj.starts.astimezone(obj.location.zone)

    @staticmethod
    def resolve_ends(obj) -> datetime:
        return obj.ends.astimezone(obj.location.zone)

    @staticmethod
    def resolve_starts_utc(obj) -> datetime:
        return obj.starts.astimezone(UTC)

    @staticmethod
    def resolve_ends_utc(obj) -> datetime:
        return obj.ends.astimezone(UTC)


class SlotTakenOut(Schema):
    detail: str
    next_starts: list[datetime] = Field(
        description="The next free times of the same helper, location and type, in the "
        "location's zone."
    )
