"""Reads of materials and reference titles, always from what the user may see
(accounts.tenancy; see materials.rules for the two sides). Every list is read in a fixed number
of queries, whatever its length (tests/materials/test_queries.py counts them).

What the staff pages and the API call:

- the materials library: `library_for_user` (materials and class flyers in one list, expired
  ones left out on each location's calendar), `material_for_user`, `material_file_for_user` and
  `class_flyer_file_for_user` (a file to serve as a download, with its safe headers),
  `thumbnail_for_user`, and for the upload form `target_groups` and `targetable_locations`;
- the liaison's grid: `flyer_grid` (a month's flyers by location, with what each confirmed) and,
  for the partnership's obligation, `flyer_evidence` (each location's state for a month) and
  `targets_for_user` (the confirmation rows, to link as evidence);
- reference titles: `titles_for_user` (the combined list, searchable), `title_for_user`,
  `suggestions_for_user` (popular at a partner, not held here, with the order marks),
  `orders_for_user`, `shelf_list` (the printable list of a shelf of partner resources),
  `listing_locations`, `sharing_for_user`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from jobhelp.accounts.tenancy import organizations_for
from jobhelp.materials import files
from jobhelp.materials.enums import (
    STEPS,
    Audience,
    FileKind,
    MaterialKind,
    Step,
    ThumbnailState,
)
from jobhelp.materials.models import (
    Material,
    MaterialTarget,
    ReferenceTitle,
    Sharing,
    TitleOrder,
)
from jobhelp.materials.validators import normalize_isbn
from jobhelp.organizations.enums import OrganizationKind
from jobhelp.organizations.models import Location, Organization
from jobhelp.workshops import flyers
from jobhelp.workshops.enums import SessionState
from jobhelp.workshops.models import Workshop, WorkshopSession

# A partner's title is suggested when it was asked for at least this many times.
SUGGEST_MIN_ASKED = 5
SUGGEST_LIMIT = 50


# --- Organizations and where materials may go -------------------------------------------------


def _roots_of(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    """The top-level organizations (library systems, centers) of `organizations`, lazily."""
    return Organization.objects.filter(
        Q(pk__in=organizations, parent__isnull=True) | Q(children__in=organizations)
    )


def sending_roots(organization: Organization) -> set[int]:
    """The trees `organization` may send materials to (and keep titles at, on a partner
    shelf): its own library system or center, and those that share with it. One query."""
    root = organization.root_id
    return {
        root,
        *Sharing.objects.filter(partner_id=root).values_list("organization_id", flat=True),
    }


def _in_trees(roots: Iterable[int], via: str = "organization") -> Q:
    roots = sorted(roots)
    return Q(**{f"{via}_id__in": roots}) | Q(**{f"{via}__parent_id__in": roots})


def targetable_locations(organization: Organization) -> QuerySet[Location]:
    """The open locations `organization` may send a material to, with their organizations."""
    return (
        Location.objects.filter(_in_trees(sending_roots(organization)), is_active=True)
        .select_related("organization")
        .order_by("organization__name", "name", "pk")
    )


@dataclass(frozen=True)
class TargetGroup:
    """The locations an upload form offers as one choice: every location of a library system
    (branches and affiliates included), or the job center's."""

    audience: Audience
    organization: Organization
    locations: tuple[Location, ...]


def target_groups(organization: Organization) -> list[TargetGroup]:
    """The groups of locations `organization` may send to, library systems first. Two
    queries."""
    by_root: dict[int, list[Location]] = {}
    roots: dict[int, Organization] = {}
    for location in targetable_locations(organization).select_related("organization__parent"):
        org = location.organization
        root = org.parent or org
        roots[root.pk] = root
        by_root.setdefault(root.pk, []).append(location)
    groups = [
        TargetGroup(
            audience=Audience.JOB_CENTER
            if roots[pk].kind == OrganizationKind.WORKFORCE_CENTER
            else Audience.ALL_BRANCHES,
            organization=roots[pk],
            locations=tuple(locations),
        )
        for pk, locations in by_root.items()
    ]
    return sorted(groups, key=lambda g: (g.audience == Audience.JOB_CENTER, g.organization.name))


def audience_of(locations: Iterable[Location], groups: list[TargetGroup]) -> Audience:
    """How to say who an item is for: the job center when every target is a workforce
    center's location; every library location when the targets include all of a library
    system's; else some locations."""
    chosen = {location.pk for location in locations}
    if chosen and all(
        location.organization.kind == OrganizationKind.WORKFORCE_CENTER for location in locations
    ):
        return Audience.JOB_CENTER
    for group in groups:
        if (
            group.audience == Audience.ALL_BRANCHES
            and {location.pk for location in group.locations} <= chosen
        ):
            return Audience.ALL_BRANCHES
    return Audience.SOME_LOCATIONS


def sharing_for_user(user) -> QuerySet[Sharing]:
    """Sharing in which an organization the user acts for gives or receives."""
    roots = _roots_of(organizations_for(user))
    return (
        Sharing.objects.filter(Q(organization__in=roots) | Q(partner__in=roots))
        .select_related("organization", "partner")
        .order_by("organization__name", "partner__name")
    )


# --- Materials --------------------------------------------------------------------------------


def materials_for_user(user) -> QuerySet[Material]:
    """Materials the user may see, whatever their dates: those sent by an organization they act
    for, and those sent to a location of one (whoever sent them). Withdrawn ones are left
    out. Annotated with `is_sender`."""
    orgs = organizations_for(user)
    received = MaterialTarget.objects.filter(location__organization__in=orgs).values("material_id")
    return (
        Material.objects.filter(withdrawn_at__isnull=True)
        .filter(Q(organization__in=orgs) | Q(pk__in=received))
        .annotate(
            is_sender=Case(
                When(organization__in=orgs, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("organization")
    )


def targets_for_user(user) -> QuerySet[MaterialTarget]:
    """The confirmation rows (one material at one location) the user may see: every location
    of a material their organizations sent, and their own locations of the others. The
    scoped query for linking a location's confirmation as a partnership's evidence."""
    orgs = organizations_for(user)
    return MaterialTarget.objects.filter(
        Q(material__organization__in=orgs) | Q(location__organization__in=orgs),
        material__withdrawn_at__isnull=True,
    ).select_related("material__organization", "location__organization")


def material_for_user(user, pk: int) -> Material | None:
    """One material the user may see, with `my_targets` (see library_for_user), or None."""
    found = _with_targets(user, materials_for_user(user).filter(pk=pk))
    return found[0] if found else None


def _with_targets(user, materials: QuerySet[Material]) -> list[Material]:
    """The materials with `my_targets`: every target for the sender's staff, the user's own
    locations for the receiving side. One query more."""
    orgs = organizations_for(user)
    targets = MaterialTarget.objects.select_related("location__organization").annotate(
        mine=Case(
            When(location__organization__in=orgs, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    found = list(materials.prefetch_related(Prefetch("targets", queryset=targets, to_attr="_all")))
    for material in found:
        material.my_targets = tuple(t for t in material._all if material.is_sender or t.mine)
    return found


def _local_today(zone_name: str, now: datetime, cache: dict[str, date]) -> date:
    if zone_name not in cache:
        cache[zone_name] = now.astimezone(ZoneInfo(zone_name)).date()
    return cache[zone_name]


def is_current_somewhere(material: Material, *, now: datetime, today: dict | None = None) -> bool:
    """Has `material`'s last day not yet passed at one of the user's targets (my_targets), on
    that location's own calendar?"""
    if material.valid_until is None:
        return True
    today = {} if today is None else today
    return any(
        _local_today(t.location.time_zone, now, today) <= material.valid_until
        for t in material.my_targets
    )


@dataclass(frozen=True)
class LibraryItem:
    """One entry of the materials library: a material, or a class's flyer (workshops)."""

    source: str  # "material" or "class_flyer"
    pk: int
    title: str
    organization: Organization
    language: str
    file_kind: FileKind
    kind: str  # a MaterialKind value, or "class_flyer"
    valid_from: date | None = None
    valid_until: date | None = None
    next_session: datetime | None = None
    is_sender: bool = False
    targets: tuple[MaterialTarget, ...] = ()
    material: Material | None = None
    workshop: Workshop | None = None


CLASS_FLYER = "class_flyer"


def _class_flyer_kind(workshop: Workshop) -> FileKind | None:
    extension = workshop.flyer.name.rsplit(".", 1)[-1].lower()
    return FileKind(extension) if extension in FileKind.values else None


def class_flyers_for_user(user, *, now: datetime) -> QuerySet[Workshop]:
    """Classes with a flyer and a scheduled session still to come, that the user's
    organizations host, co-host (their branches too) or hold a session at; annotated with
    `next_session`. One query."""
    orgs = organizations_for(user)
    upcoming = Q(sessions__state=SessionState.SCHEDULED, sessions__ends__gt=now)
    at_ours = WorkshopSession.objects.filter(
        workshop=OuterRef("pk"),
        state=SessionState.SCHEDULED,
        ends__gt=now,
        location__organization__in=orgs,
    )
    hosted = Workshop.objects.filter(
        Q(organization__in=orgs)
        | Q(organization__children__in=orgs)
        | Q(co_hosts__in=orgs)
        | Q(co_hosts__children__in=orgs)
    ).values("pk")
    return (
        Workshop.objects.exclude(flyer="")
        .filter(Q(pk__in=hosted) | Exists(at_ours))
        .annotate(next_session=Min("sessions__starts", filter=upcoming))
        .filter(next_session__isnull=False)
        .select_related("organization")
        .order_by("next_session", "title", "pk")
    )


def library_for_user(
    user, *, now: datetime | None = None, kind: str = "", language: str = ""
) -> list[LibraryItem]:
    """The materials library as the user sees it: materials sent by or to their
    organizations that have not expired at their locations (a material leaves the list once
    its last day has passed on the calendar of every location of the user's it was sent to;
    coming ones are listed, for printing ahead), and the flyers of classes with sessions to
    come. Monthly flyers first, then class flyers, then marketing materials; the newest
    first. `kind` (a MaterialKind value or "class_flyer") and `language` filter. Three queries.
    """
    now = now or timezone.now()
    items: list[LibraryItem] = []
    if kind != CLASS_FLYER:
        # No location's calendar is more than a day behind UTC's: older ones cannot be current.
        earliest = now.astimezone(ZoneInfo("UTC")).date() - timedelta(days=1)
        materials = materials_for_user(user).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=earliest)
        )
        if kind:
            materials = materials.filter(kind=kind)
        if language:
            materials = materials.filter(language=language)
        today: dict[str, date] = {}
        for material in _with_targets(user, materials):
            if is_current_somewhere(material, now=now, today=today):
                items.append(
                    LibraryItem(
                        source="material",
                        pk=material.pk,
                        title=material.title,
                        organization=material.organization,
                        language=material.language,
                        file_kind=FileKind(material.file_kind),
                        kind=material.kind,
                        valid_from=material.valid_from,
                        valid_until=material.valid_until,
                        is_sender=material.is_sender,
                        targets=material.my_targets,
                        material=material,
                    )
                )
    if kind in ("", CLASS_FLYER):
        workshops = class_flyers_for_user(user, now=now)
        if language:
            workshops = workshops.filter(language=language)
        for workshop in workshops:
            file_kind = _class_flyer_kind(workshop)
            if file_kind is None:
                continue
            items.append(
                LibraryItem(
                    source=CLASS_FLYER,
                    pk=workshop.pk,
                    title=workshop.title,
                    organization=workshop.organization,
                    language=workshop.language,
                    file_kind=file_kind,
                    kind=CLASS_FLYER,
                    next_session=workshop.next_session,
                    workshop=workshop,
                )
            )
    items.sort(key=_library_order)
    return items


def _library_order(item: LibraryItem) -> tuple:
    if item.kind == CLASS_FLYER:
        return (1, item.next_session.timestamp(), item.title.casefold(), item.pk)
    group = 0 if item.kind == MaterialKind.MONTHLY_FLYER else 2
    return (group, -item.valid_from.toordinal(), item.title.casefold(), item.pk)


@dataclass(frozen=True)
class Download:
    """A file to serve: opened, with the name it is saved under and its headers
    (files.download_headers). The caller closes `file` (a FileResponse does)."""

    file: File
    kind: FileKind
    filename: str
    size: int

    @property
    def headers(self) -> dict[str, str]:
        return files.download_headers(self.kind, self.filename)


def _open_checked(field_file, kind: FileKind, title: str) -> Download | None:
    """The stored file, if it is still there and still starts as what it was accepted as."""
    try:
        stored = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        return None
    head = stored.read(flyers.HEAD_BYTES)
    stored.seek(0)
    found = flyers.kind_of(head)
    if found is None or found.extension != kind.value:
        stored.close()
        return None
    return Download(
        file=stored, kind=kind, filename=files.download_name(title, kind), size=field_file.size
    )


def material_file_for_user(user, pk: int) -> Download | None:
    """A material's file for a user who may see it (expired ones too, for the record), or
    None: a 404 for everyone else, as for a material that does not exist. One query."""
    material = materials_for_user(user).filter(pk=pk).first()
    if material is None:
        return None
    return _open_checked(material.file, FileKind(material.file_kind), material.title)


def class_flyer_file_for_user(user, pk: int, *, now: datetime | None = None) -> Download | None:
    """A class's flyer, as the materials library lists it, or None."""
    workshop = class_flyers_for_user(user, now=now or timezone.now()).filter(pk=pk).first()
    if workshop is None:
        return None
    kind = _class_flyer_kind(workshop)
    return _open_checked(workshop.flyer, kind, workshop.title) if kind else None


@dataclass(frozen=True)
class Picture:
    content: bytes
    content_type: str = "image/png"


def thumbnail_for_user(user, pk: int) -> Picture | None:
    """The picture of a material's first page, or the drawing of its kind of file while
    there is none (files.placeholder_png); None for a material the user may not see."""
    material = materials_for_user(user).filter(pk=pk).first()
    if material is None:
        return None
    if material.thumbnail_state == ThumbnailState.READY and material.thumbnail:
        try:
            with material.thumbnail.open("rb") as stored:
                return Picture(stored.read())
        except FileNotFoundError:
            pass
    return Picture(files.placeholder_png(FileKind(material.file_kind)))


def class_flyer_thumbnail(kind: FileKind) -> Picture:
    """Class flyers have no stored picture: the drawing of their kind of file."""
    return Picture(files.placeholder_png(kind))


# --- The month's grid and the evidence --------------------------------------------------------


def current_month(*, now: datetime | None = None, zone: ZoneInfo | None = None) -> date:
    """The first day of the month `now` is in, on `zone`'s calendar (the site's by default)."""
    now = now or timezone.now()
    return now.astimezone(zone or ZoneInfo(settings.TIME_ZONE)).date().replace(day=1)


@dataclass(frozen=True)
class GridRow:
    location: Location
    # One per flyer of the grid, in its order: that flyer's target at this location, or None
    # when the flyer was not sent there.
    cells: tuple[MaterialTarget | None, ...]

    @property
    def all_posted(self) -> bool:
        return all(cell.posted_at for cell in self.cells if cell is not None)


@dataclass(frozen=True)
class FlyerGrid:
    month: date
    flyers: tuple[Material, ...]
    rows: tuple[GridRow, ...]

    @property
    def not_posted(self) -> tuple[GridRow, ...]:
        return tuple(row for row in self.rows if not row.all_posted)


def flyer_grid(user, *, month: date, sender: Organization | None = None) -> FlyerGrid:
    """The monthly flyers of `month` the user may see (sent by `sender` only, if given) as
    columns, and a row per location they were sent to, with what each confirmed. The
    sender's staff see every location; the receiving side only its own. Two queries."""
    month = month.replace(day=1)
    flyers_ = materials_for_user(user).filter(kind=MaterialKind.MONTHLY_FLYER, valid_from=month)
    if sender is not None:
        flyers_ = flyers_.filter(organization=sender)
    columns = tuple(flyers_.order_by("title", "pk"))
    if not columns:
        return FlyerGrid(month=month, flyers=(), rows=())
    orgs = organizations_for(user)
    sent_by_us = [m.pk for m in columns if m.is_sender]
    targets = (
        MaterialTarget.objects.filter(material__in=[m.pk for m in columns])
        .filter(Q(material__in=sent_by_us) | Q(location__organization__in=orgs))
        .select_related("location__organization")
    )
    by_location: dict[int, dict[int, MaterialTarget]] = {}
    locations: dict[int, Location] = {}
    for target in targets:
        locations[target.location_id] = target.location
        by_location.setdefault(target.location_id, {})[target.material_id] = target
    rows = tuple(
        GridRow(
            location=locations[pk],
            cells=tuple(by_location[pk].get(m.pk) for m in columns),
        )
        for pk in sorted(locations, key=lambda pk: (locations[pk].name.casefold(), pk))
    )
    return FlyerGrid(month=month, flyers=columns, rows=rows)


@dataclass(frozen=True)
class LocationEvidence:
    """What one location confirmed of a sender's monthly flyers for a month: the evidence of
    the "monthly flyers reach every location" obligation. `target_ids` are the MaterialTarget
    rows behind it, for a link from the partnership's record."""

    location: Location
    flyers: int
    downloaded: int
    printed: int
    posted: int
    copies_posted: int
    last_posted_at: datetime | None
    target_ids: tuple[int, ...]

    @property
    def step(self) -> Step | None:
        """The step every flyer sent here reached (posted only when all are posted)."""
        for step, count in reversed(
            list(zip(STEPS, (self.downloaded, self.printed, self.posted), strict=True))
        ):
            if count == self.flyers:
                return step
        return None

    @property
    def complete(self) -> bool:
        return self.posted == self.flyers


def flyer_evidence(user, *, organization: Organization, month: date) -> list[LocationEvidence]:
    """For each location `organization`'s monthly flyers of `month` were sent to (those the
    user may see), how far it got. Two queries (flyer_grid's)."""
    grid = flyer_grid(user, month=month, sender=organization)
    evidence = []
    for row in grid.rows:
        cells = [cell for cell in row.cells if cell is not None]
        posted = [cell.posted_at for cell in cells if cell.posted_at]
        evidence.append(
            LocationEvidence(
                location=row.location,
                flyers=len(cells),
                downloaded=sum(1 for c in cells if c.downloaded_at),
                printed=sum(1 for c in cells if c.printed_at),
                posted=len(posted),
                copies_posted=sum(c.posted_copies or 0 for c in cells),
                last_posted_at=max(posted) if posted else None,
                target_ids=tuple(c.pk for c in cells),
            )
        )
    return evidence


# --- Reference titles -------------------------------------------------------------------------


def _visible_title_roots(user) -> QuerySet[Organization]:
    """The library systems and centers whose titles the user reads: their own, and those that
    share with one of theirs."""
    roots = _roots_of(organizations_for(user))
    shared = Sharing.objects.filter(partner__in=roots).values("organization_id")
    return Organization.objects.filter(Q(pk__in=roots) | Q(pk__in=shared))


def titles_for_user(
    user,
    *,
    search: str = "",
    organization: Organization | None = None,
    location: Location | None = None,
    title_format: str = "",
) -> QuerySet[ReferenceTitle]:
    """The combined list of reference titles across the partners the user reads (their own
    library system or center and those sharing with it), by title. `search` finds every
    word in the title or author, or an ISBN (10 or 13 digits, hyphens or not). One query."""
    roots = _visible_title_roots(user)
    titles = ReferenceTitle.objects.filter(
        Q(organization__in=roots) | Q(organization__parent__in=roots)
    )
    if organization is not None:
        titles = titles.filter(organization=organization)
    if location is not None:
        titles = titles.filter(location=location)
    if title_format:
        titles = titles.filter(format=title_format)
    search = search.strip()
    if search:
        try:
            isbn = normalize_isbn(search) if sum(c.isdigit() for c in search) >= 10 else ""
        except ValidationError:
            isbn = ""
        if isbn:
            titles = titles.filter(isbn=isbn)
        else:
            for word in search.split()[:8]:
                titles = titles.filter(Q(title__icontains=word) | Q(author__icontains=word))
    return titles.select_related("organization", "location").order_by("title", "author", "pk")


def title_for_user(user, pk: int) -> ReferenceTitle | None:
    return titles_for_user(user).filter(pk=pk).first()


def listing_locations(organization: Organization) -> QuerySet[Location]:
    """Where `organization` may list titles: any location of its own tree, and (on the shelf
    of partner resources only) those of the partners it may send materials to."""
    return targetable_locations(organization)


def shelf_list(user, *, location: Location) -> QuerySet[ReferenceTitle]:
    """The printable list of the shelf of partner resources at `location` (the job center's
    shelf of library resources): every title kept there that the user may read, by title."""
    return titles_for_user(user, location=location).filter(partner_shelf=True)


@dataclass(frozen=True)
class Suggestion:
    """A partner's popular title that `organization` does not hold, with its order's id and
    state (an OrderState value: the "ordered" or "received" mark), if it was ordered."""

    title: ReferenceTitle
    order_id: int | None
    order_state: str | None


def suggestions_for_user(
    user,
    *,
    organization: Organization,
    min_asked: int = SUGGEST_MIN_ASKED,
    limit: int = SUGGEST_LIMIT,
) -> list[Suggestion]:
    """Titles popular at the partners that share with `organization` (asked for at least
    `min_asked` times), which no location of `organization`'s tree lists, most asked first,
    each title once, with the "ordered" or "received" mark. Empty unless the user acts for
    `organization`, a library system or center. One query."""
    here = organization.root_id
    partners = Sharing.objects.filter(partner_id=here, partner__in=organizations_for(user)).values(
        "organization_id"
    )
    held_here = ReferenceTitle.objects.filter(
        Q(organization_id=here) | Q(organization__parent_id=here), match_key=OuterRef("match_key")
    )
    order = TitleOrder.objects.filter(organization_id=here, match_key=OuterRef("match_key"))
    rows = (
        ReferenceTitle.objects.filter(
            Q(organization__in=partners) | Q(organization__parent__in=partners),
            times_asked__gte=min_asked,
        )
        .filter(~Exists(held_here))
        .annotate(
            order_id=Subquery(order.values("pk")[:1]),
            order_state=Subquery(order.values("state")[:1]),
        )
        .select_related("organization", "location")
        .order_by("-times_asked", "title", "pk")
    )
    chosen: dict[str, ReferenceTitle] = {}
    # Several partner locations may list the same title; the most asked-for one stands for it.
    for title in rows[: limit * 4]:
        if title.match_key not in chosen:
            chosen[title.match_key] = title
        if len(chosen) == limit:
            break
    return [
        Suggestion(title=t, order_id=t.order_id, order_state=t.order_state) for t in chosen.values()
    ]


def orders_for_user(user, *, organization: Organization) -> QuerySet[TitleOrder]:
    """`organization`'s orders of partners' titles, newest first, if the user acts for it."""
    return (
        TitleOrder.objects.filter(
            organization_id=organization.root_id, organization__in=organizations_for(user)
        )
        .select_related("source__organization", "ordered_by", "received_by")
        .order_by("-ordered_at", "pk")
    )


def order_for_user(user, pk: int) -> TitleOrder | None:
    """One order of a library system or center the user acts for, or None. One query."""
    return (
        TitleOrder.objects.filter(pk=pk, organization__in=organizations_for(user))
        .select_related("organization")
        .first()
    )


def partner_shelves_for_user(user) -> QuerySet[Location]:
    """The locations with a shelf of partner resources holding titles the user may read (the
    job center's shelf of library resources), for choosing a printable list. One query."""
    held = titles_for_user(user).filter(partner_shelf=True).values("location_id")
    return (
        Location.objects.filter(pk__in=held)
        .select_related("organization")
        .order_by("organization__name", "name", "pk")
    )
