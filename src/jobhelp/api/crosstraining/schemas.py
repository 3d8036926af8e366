from datetime import date, datetime

from ninja import Schema

from jobhelp.api.common.schemas import PersonOut


class NamedOut(Schema):
    id: int
    name: str


class TrainingOut(Schema):
    id: int
    title: str
    title_es: str
    kind: str
    organization: NamedOut
    trainer: PersonOut
    audience: list[NamedOut]
    starts_at: datetime
    time_zone: str
    duration_minutes: int
    location: NamedOut
    place: str
    online_link: str
    capacity: int | None
    held_at: datetime | None


class TrainingIn(Schema):
    title: str
    title_es: str = ""
    kind: str
    organization_id: int
    trainer_id: int
    audience_ids: list[int]
    location_id: int
    day: date
    starts: str
    duration_minutes: int = 60
    place: str = ""
    online_link: str = ""
    capacity: int | None = None


class AttendanceIn(Schema):
    present: list[int]


class RecordOut(Schema):
    id: int
    person: PersonOut
    title: str
    kind: str
    completed_on: date
    given_by: str
    training_id: int | None
    attested_by: PersonOut | None


class RecordIn(Schema):
    person_id: int
    title: str
    kind: str
    completed_on: date
    given_by: str


class RequirementOut(Schema):
    id: int
    organization: NamedOut
    role: str
    kind: str
    title: str
    within_days: int
    refresh_months: int | None
    qualifies_for: str


class RequirementIn(Schema):
    organization_id: int
    role: str
    kind: str
    title: str = ""
    within_days: int
    refresh_months: int | None = None
    qualifies_for: str = ""


class StandingOut(Schema):
    person: PersonOut
    organization: NamedOut
    requirement_id: int
    status: str
    due_on: date | None
    last_completed_on: date | None


class LoanOut(Schema):
    id: int
    holder: PersonOut
    state: str
    issued_on: date
    expires_on: date
    issued_by: PersonOut
    ended_by: PersonOut | None


class CardOut(Schema):
    id: int
    # The number is never given back: only its last four digits, masked.
    masked: str
    last_four: str
    library: NamedOut
    branch: NamedOut
    retired: bool
    current_loan: LoanOut | None


class CardIn(Schema):
    number: str
    branch_id: int


class IssueIn(Schema):
    holder_id: int
    issued_on: date
    expires_on: date
