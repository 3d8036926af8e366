"""The directory as the v1 API reads and takes it: the token owner's entries and locations, and
a computer count from a reservation system."""

from datetime import datetime

from ninja import Field, Schema

from jobhelp.directory.enums import ServiceStatus, WaitStatus


class ServiceOut(Schema):
    id: str = Field(description="The public id, as in the HSDS API (/api/hsds/services/{id}).")
    name: str
    organization: str
    status: ServiceStatus
    needs: list[str]
    access: list[str]
    languages: list[str]
    reviewed_on: str | None
    due_for_review: bool
    locations: list[str] = Field(description="The public ids of the locations it is offered at.")


class StaffDetailsOut(Schema):
    direct_line: str
    referral_contact: str
    referral_email: str
    notes_for_referrers: str


class ServiceDetailOut(Schema):
    id: str = Field(description="The public id, as in the HSDS API (/api/hsds/services/{id}).")
    name: str
    organization: str
    status: ServiceStatus
    description: str
    needs: list[str]
    access: list[str]
    languages: list[str]
    locations: list[str] = Field(description="The public ids of the locations it is offered at.")
    staff_details: StaffDetailsOut | None = Field(
        description=(
            "For the staff of the offering organization and of the organizations it has an "
            "agreement (MOU) with; null for everyone else, who get the public entry only."
        )
    )


class LocationOut(Schema):
    id: str = Field(description="The location's public id, to post counts to.")
    name: str
    organization: str
    computers: int
    wait: WaitStatus | None = Field(description="Null when the location lists no computers.")
    wait_minutes: int | None
    counted_at: datetime | None


class CountIn(Schema):
    in_use: int = Field(description="Public computers in use now.")
    waiting: int = Field(description="People waiting for one now.")


class CountOut(Schema):
    location: str
    in_use: int
    waiting: int
    computers: int
    recorded_at: datetime
