"""The report's filters and its tables, as the staff reports page shows them."""

from datetime import date

from ninja import Field, Schema

from jobhelp.api.common.schemas import Id
from jobhelp.core.enums import Language, Modality, Need
from jobhelp.intake.enums import IntakeChannel


class ReportFiltersIn(Schema):
    start: date | None = Field(
        None, description="First day, included. Default: this month's first."
    )
    end: date | None = Field(None, description="Last day, included. Default: today.")
    organization_id: Id | None = Field(None, description="One organization or branch.")
    need: Need | None = None
    channel: IntakeChannel | None = None
    modality: Modality | None = None
    language: Language | None = None
    helper_id: Id | None = None


class OrganizationRef(Schema):
    id: int
    name: str


class ColumnOut(Schema):
    key: str
    label: str


class RowOut(Schema):
    key: str
    label: str
    values: dict[str, int | float | str | None] = Field(
        ..., description='By column key: a number, "<5" (suppressed) or null (nothing to measure).'
    )


class TableOut(Schema):
    key: str
    title: str
    description: str
    columns: list[ColumnOut]
    rows: list[RowOut]


class ReportOut(Schema):
    start: date
    end: date
    time_zone: str
    organizations: list[OrganizationRef]
    tables: list[TableOut]
