"""Appointment types, a helper's availability, slots and appointments.

Times of day are given on the location's wall clock with its UTC offset
(2026-03-02T10:00:00-06:00); `*_utc` fields give the same instant in UTC (…Z).
"""

from datetime import UTC, datetime, time
from datetime import date as date_

from ninja import Field, Schema

from jobhelp.api.common.schemas import Id, PersonOut, PlaceOut, person, place
from jobhelp.core.enums import Modality
from jobhelp.scheduling.enums import AppointmentState, ExceptionKind


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


class SlotPage(Schema):
    items: list[SlotOut]
    count: int


class SlotQuery(SlotFilters):
    page: int = Field(1, ge=1)
    page_size: int | None = Field(None, ge=1)
