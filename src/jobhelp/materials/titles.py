"""Reference titles: listing, changing and removing a partner's books and occupational
references, and ordering a partner's popular titles (ordered, then received). One function per
change, each checking materials.rules and writing one audit entry (codes and ids only). The
checks of one title (check_title) are shared with the CSV import (materials.imports), so a
title typed on a page and one imported are held to the same rules.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobhelp.core import audit
from jobhelp.materials import rules
from jobhelp.materials.enums import Circulation, OrderState, TitleFormat
from jobhelp.materials.errors import MaterialError
from jobhelp.materials.models import ReferenceTitle, Sharing, TitleOrder
from jobhelp.materials.queries import listing_locations
from jobhelp.materials.validators import check_plain_text, match_key, normalize_isbn
from jobhelp.organizations.models import Location, Organization

MAX_COPIES = 9999
MAX_TIMES_ASKED = 999_999

# The columns of a title, as the CSV files name them, with their labels for messages.
LABELS = {
    "title": gettext_lazy("Title"),
    "author": gettext_lazy("Author"),
    "isbn": gettext_lazy("ISBN"),
    "format": gettext_lazy("Format"),
    "location": gettext_lazy("Location"),
    "shelf": gettext_lazy("Shelf"),
    "partner_shelf": gettext_lazy("Partner shelf"),
    "circulation": gettext_lazy("Lending"),
    "copies": gettext_lazy("Copies"),
    "times_asked": gettext_lazy("Times asked for"),
}
MAX_LENGTHS = {"title": 300, "author": 200, "shelf": 100}
_FORMATS = frozenset(TitleFormat.values)
_CIRCULATION = frozenset(Circulation.values)


@dataclass(frozen=True)
class TitleDetails:
    """A title as typed or imported. `location` is a Location or its id."""

    title: str
    location: Location | int | None
    author: str = ""
    isbn: str = ""
    format: str = TitleFormat.BOOK
    shelf: str = ""
    partner_shelf: bool = False
    circulation: str = Circulation.CIRCULATING
    copies: int = 1
    times_asked: int = 0


class TitleInvalid(MaterialError):
    """A title that breaks the rules; `errors` holds one message per column."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()), field=next(iter(errors)))
        self.errors = errors


@dataclass(frozen=True)
class Places:
    """Where one organization may list titles, read once (an import checks thousands of
    rows against it): its own tree's locations, and its partners' (partner shelf only)."""

    own: frozenset[int]
    partner: frozenset[int]
    by_name: dict[str, tuple[int, ...]]

    @classmethod
    def of(cls, organization: Organization) -> "Places":
        own, partner, by_name = set(), set(), {}
        for location in listing_locations(organization):
            if location.organization.root_id == organization.root_id:
                own.add(location.pk)
            else:
                partner.add(location.pk)
            key = location.name.strip().casefold()
            by_name[key] = (*by_name.get(key, ()), location.pk)
        return cls(own=frozenset(own), partner=frozenset(partner), by_name=by_name)

    def find(self, name: str) -> int:
        """The id of the location called `name` (case ignored); ValidationError if there is
        none or more than one."""
        found = self.by_name.get(name.strip().casefold(), ())
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(
                _("There is no location called “%(name)s” where you may list titles.")
                % {"name": name.strip()[:120]}
            )
        raise ValidationError(
            _("Several locations are called “%(name)s”; rename one in the admin first.")
            % {"name": name.strip()[:120]}
        )


def check_title(details: TitleDetails, *, places: Places) -> dict:
    """The columns to store for `details`, with its match key; TitleInvalid with one message
    per broken column otherwise. Text is one line that no spreadsheet runs as a formula; the
    ISBN becomes its ISBN-13; a partner's location takes titles on its partner shelf only."""
    errors: dict[str, str] = {}
    values: dict = {}
    for name in ("title", "author", "shelf"):
        try:
            values[name] = check_plain_text(
                getattr(details, name), max_length=MAX_LENGTHS[name], label=LABELS[name]
            )
        except ValidationError as error:
            errors[name] = error.messages[0]
    if "title" in values and not values["title"]:
        errors["title"] = _("Enter the title.")
    try:
        values["isbn"] = normalize_isbn(details.isbn)
    except ValidationError as error:
        errors["isbn"] = error.messages[0]
    if details.format not in _FORMATS:
        errors["format"] = _("Choose a format from the list.")
    if details.circulation not in _CIRCULATION:
        errors["circulation"] = _("Choose circulating or reference.")
    for name, top in (("copies", MAX_COPIES), ("times_asked", MAX_TIMES_ASKED)):
        value = getattr(details, name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            errors[name] = _("%(label)s must be a whole number from 0 to %(max)s.") % {
                "label": LABELS[name],
                "max": f"{top:,}",
            }
    location = details.location
    location_id = location.pk if isinstance(location, Location) else location
    if location_id is None:
        errors["location"] = _("Choose the location that holds it.")
    elif location_id in places.partner:
        if not details.partner_shelf:
            errors["location"] = _(
                "A partner's location can hold your titles only on its shelf of partner "
                "resources: mark it as on the partner shelf."
            )
    elif location_id not in places.own:
        errors["location"] = _("You cannot list titles at that location.")
    if errors:
        raise TitleInvalid(errors)
    values.update(
        format=details.format,
        circulation=details.circulation,
        copies=details.copies,
        times_asked=details.times_asked,
        partner_shelf=bool(details.partner_shelf),
        location_id=location_id,
    )
    values["match_key"] = match_key(
        isbn=values["isbn"], title=values["title"], author=values["author"]
    )
    return values


STORED = ("title", "author", "isbn", "format", "shelf", "partner_shelf", "circulation")
STORED += ("copies", "times_asked", "location_id", "match_key")


def _duplicate(organization: Organization, values: dict, *, exclude: int | None = None) -> None:
    existing = ReferenceTitle.objects.filter(
        organization=organization,
        location_id=values["location_id"],
        match_key=values["match_key"],
    ).exclude(pk=exclude)
    if existing.exists():
        raise TitleInvalid(
            {
                "isbn" if values["isbn"] else "title": _(
                    "This title is already listed at that location; change that listing instead."
                )
            }
        )


def add_title(organization: Organization, *, by, details: TitleDetails) -> ReferenceTitle:
    """List a title `organization` holds.

    Side effects: audit ``jobhelp.reference_title.added`` (data: location id, format).
    """
    if not rules.can_edit_titles(by, organization):
        raise MaterialError(_("You can only list titles for your own organizations."))
    values = check_title(details, places=Places.of(organization))
    with transaction.atomic():
        _duplicate(organization, values)
        title = ReferenceTitle.objects.create(organization=organization, **values)
        audit.record(
            "jobhelp.reference_title.added",
            actor=by,
            organization=organization,
            obj=title,
            data={"location": values["location_id"], "format": values["format"]},
        )
    return title


def update_title(title: ReferenceTitle, *, by, details: TitleDetails) -> ReferenceTitle:
    """Change a listed title. Nothing is written, or audited, when nothing changes.

    Side effects: audit ``jobhelp.reference_title.updated`` (data: the changed columns).
    """
    organization = title.organization
    if not rules.can_edit_titles(by, organization):
        raise MaterialError(_("Only staff of the organization that lists it can change it."))
    values = check_title(details, places=Places.of(organization))
    with transaction.atomic():
        current = ReferenceTitle.objects.select_for_update().get(pk=title.pk)
        changed = sorted(name for name in STORED if getattr(current, name) != values[name])
        if not changed:
            return current
        _duplicate(organization, values, exclude=current.pk)
        for name in changed:
            setattr(current, name, values[name])
        current.updated_at = timezone.now()
        current.save(update_fields=[*changed, "updated_at"])
        audit.record(
            "jobhelp.reference_title.updated",
            actor=by,
            organization=organization,
            obj=current,
            data={"fields": [name.removesuffix("_id") for name in changed]},
        )
    return current


def remove_title(title: ReferenceTitle, *, by) -> None:
    """Take a title off the list. Orders made from it stay (without their source).

    Side effects: the row deleted; audit ``jobhelp.reference_title.removed``.
    """
    if not rules.can_edit_titles(by, title.organization):
        raise MaterialError(_("Only staff of the organization that lists it can remove it."))
    with transaction.atomic():
        audit.record(
            "jobhelp.reference_title.removed",
            actor=by,
            organization=title.organization,
            obj=title,
            data={"location": title.location_id},
        )
        ReferenceTitle.objects.filter(pk=title.pk).delete()


# --- Orders of partners' popular titles --------------------------------------------------------


def _held(organization: Organization, key: str) -> bool:
    root = organization.root_id
    return ReferenceTitle.objects.filter(
        Q(organization_id=root) | Q(organization__parent_id=root), match_key=key
    ).exists()


def order_title(
    source: ReferenceTitle,
    *,
    organization: Organization,
    by,
    copies: int = 1,
    now: datetime | None = None,
) -> TitleOrder:
    """Mark a partner's title ordered by `organization` (a library system or center that the
    partner shares with, and that does not hold it). A title is ordered once.

    Side effects: a TitleOrder in state "ordered"; audit ``jobhelp.title_order.ordered``
    (data: the partner's title id, copies).
    """
    if organization.parent_id is not None or not rules.can_order_for(by, organization):
        raise MaterialError(
            _("Titles are ordered by a library system or a center, by its own staff.")
        )
    partner_root = source.organization.root_id
    if not Sharing.objects.filter(organization_id=partner_root, partner=organization).exists():
        raise MaterialError(_("That title is not on the list of a partner that shares with you."))
    if not isinstance(copies, int) or isinstance(copies, bool) or not 1 <= copies <= MAX_COPIES:
        raise MaterialError(
            _("Enter a number of copies from 1 to %(max)s.") % {"max": f"{MAX_COPIES:,}"},
            field="copies",
        )
    if _held(organization, source.match_key):
        raise MaterialError(_("Your organization already holds this title."))
    try:
        with transaction.atomic():
            order = TitleOrder.objects.create(
                organization=organization,
                match_key=source.match_key,
                source=source,
                title=source.title,
                author=source.author,
                isbn=source.isbn,
                copies=copies,
                state=OrderState.ORDERED,
                ordered_at=now or timezone.now(),
                ordered_by=by,
            )
            audit.record(
                "jobhelp.title_order.ordered",
                actor=by,
                organization=organization,
                obj=order,
                data={"title": source.pk, "copies": copies},
            )
    except IntegrityError:
        raise MaterialError(_("This title has already been ordered.")) from None
    return order


def mark_received(order: TitleOrder, *, by, now: datetime | None = None) -> TitleOrder:
    """Mark an ordered title received. It stays among the suggestions, marked "received",
    until the organization lists it (then it is held). Marking it again changes nothing.

    Side effects: audit ``jobhelp.title_order.received``.
    """
    if not rules.can_order_for(by, order.organization):
        raise MaterialError(_("Only staff of the organization that ordered it can mark it."))
    with transaction.atomic():
        updated = TitleOrder.objects.filter(pk=order.pk, state=OrderState.ORDERED).update(
            state=OrderState.RECEIVED, received_at=now or timezone.now(), received_by=by
        )
        if updated:
            audit.record(
                "jobhelp.title_order.received",
                actor=by,
                organization=order.organization,
                obj=order,
            )
    return TitleOrder.objects.get(pk=order.pk)


def cancel_order(order: TitleOrder, *, by) -> None:
    """Take back an order marked by mistake, while it is not received.

    Side effects: the order deleted; audit ``jobhelp.title_order.cancelled``.
    """
    if not rules.can_order_for(by, order.organization):
        raise MaterialError(_("Only staff of the organization that ordered it can mark it."))
    with transaction.atomic():
        current = TitleOrder.objects.select_for_update().filter(pk=order.pk).first()
        if current is None:
            return
        if current.state != OrderState.ORDERED:
            raise MaterialError(_("A received title cannot be cancelled."))
        audit.record(
            "jobhelp.title_order.cancelled",
            actor=by,
            organization=order.organization,
            obj=current,
        )
        current.delete()
