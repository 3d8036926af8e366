"""Materials and reference titles as the API reads and takes them."""

from datetime import date, datetime

from ninja import Field, Schema

from jobhelp.api.common.schemas import Id, PlaceOut
from jobhelp.core.enums import Language
from jobhelp.materials.enums import Circulation, MaterialKind, OrderState, Step, TitleFormat


class OrganizationOut(Schema):
    id: int
    name: str


class TargetOut(Schema):
    location: PlaceOut
    step: Step | None = Field(description="The furthest step confirmed, or null.")
    downloaded_at: datetime | None
    printed_at: datetime | None
    printed_copies: int | None
    posted_at: datetime | None
    posted_copies: int | None


class MaterialOut(Schema):
    id: int
    kind: MaterialKind
    title: str
    description: str
    language: Language
    organization: OrganizationOut
    valid_from: date
    valid_until: date | None
    audience: str
    file_kind: str
    file_size: int
    pages: int
    is_sender: bool = Field(description="Sent by one of your organizations.")
    targets: list[TargetOut] = Field(
        description="Every location for the sender's staff; your own locations otherwise."
    )


class LibraryItemOut(Schema):
    source: str = Field(description='"material" or "class_flyer".')
    id: int
    title: str
    kind: str = Field(description='A material kind, or "class_flyer".')
    language: str
    organization: OrganizationOut
    file_kind: str
    valid_from: date | None
    valid_until: date | None
    next_session: datetime | None
    is_sender: bool
    targets: list[TargetOut]


class LibraryFilters(Schema):
    kind: str = ""
    language: str = ""


class MaterialIn(Schema):
    organization_id: Id | None = None
    kind: MaterialKind = MaterialKind.MONTHLY_FLYER
    title: str = ""
    description: str = ""
    language: Language = Language.ENGLISH
    month: str = Field("", description="A monthly flyer's month, YYYY-MM.")
    valid_from: date | None = None
    valid_until: date | None = None
    target_ids: list[Id] = Field(default_factory=list, description="Location ids.")
    group_ids: list[Id] = Field(
        default_factory=list,
        description="Library system or center ids: every location of each.",
    )


class ConfirmIn(Schema):
    location_id: Id
    step: Step
    copies: int | None = None


class GridRowOut(Schema):
    location: PlaceOut
    cells: list[TargetOut | None]


class GridOut(Schema):
    month: date
    flyers: list[OrganizationOut] = Field(description="The month's flyers (id and title).")
    rows: list[GridRowOut]
    not_posted: list[int] = Field(description="Ids of the locations still missing a post.")


class GridFilters(Schema):
    month: str = Field("", description="YYYY-MM; this month by default.")


class TitleOut(Schema):
    id: int
    title: str
    author: str
    isbn: str
    format: TitleFormat
    organization: OrganizationOut
    location: PlaceOut
    shelf: str
    partner_shelf: bool
    circulation: Circulation
    copies: int
    times_asked: int


class TitleFilters(Schema):
    q: str = ""
    format: str = ""


class TitleIn(Schema):
    organization_id: Id | None = None
    title: str = ""
    author: str = ""
    isbn: str = ""
    format: str = TitleFormat.BOOK
    location_id: Id | None = None
    shelf: str = ""
    partner_shelf: bool = False
    circulation: str = Circulation.CIRCULATING
    copies: int = 1
    times_asked: int = 0


class SuggestionOut(Schema):
    title: TitleOut
    order_id: int | None
    order_state: OrderState | None


class SuggestionFilters(Schema):
    organization_id: Id | None = None


class OrderIn(Schema):
    organization_id: Id | None = None
    copies: int = 1


class OrderOut(Schema):
    id: int
    title: str
    author: str
    isbn: str
    copies: int
    state: OrderState
    ordered_at: datetime
    received_at: datetime | None
