"""Changes to the directory: services, their places, hours and staff-only details, reviews, a
location's directory details and exceptions to its hours, taxonomy terms and the area's places;
and the reminders of entries due for review. One function per change, each checking
directory.rules, audited, raising the versions of the cached public data it feeds.

`by` is the staff member who acts. None means the installation itself (an HSDS import run by an
administrator, manage.py import_hsds), which is outside tenancy as the admin is.
"""

import hashlib
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.tenancy import above_and_self
from jobhelp.core import audit, versions
from jobhelp.core.enums import Language, Need
from jobhelp.directory import rules
from jobhelp.directory.enums import LISTED_STATUSES, AccessMethod, ServiceStatus
from jobhelp.directory.models import (
    HoursException,
    Place,
    Service,
    ServiceAtLocation,
    ServiceHours,
    ServiceStaffDetails,
    Taxonomy,
    TaxonomyTerm,
)
from jobhelp.notifications.outbox import queue_message
from jobhelp.organizations import domain as places
from jobhelp.organizations.models import Location, Organization

# An entry not reviewed for this long is flagged to its owner.
REVIEW_AFTER = timedelta(days=365)

SERVICE_FIELDS = frozenset(
    {
        "name",
        "alternate_name",
        "description",
        "status",
        "url",
        "email",
        "phone",
        "needs",
        "access",
        "languages",
        "terms",
        "application_process",
        "eligibility",
        "minimum_age",
        "maximum_age",
        "is_free",
        "fees_description",
        "required_documents",
        "alert",
        "reviewed_on",
    }
)
STAFF_DETAIL_FIELDS = ("direct_line", "referral_contact", "referral_email", "notes_for_referrers")


class DirectoryError(ValueError):
    """Input the directory refuses; the message says why, in the active language."""


def _deny(allowed: bool, by) -> None:
    if by is not None and not allowed:
        raise PermissionDenied(_("Only staff of the organization that offers it can change it."))


def _codes(values, allowed, message: str) -> list[str]:
    values = list(dict.fromkeys(values or []))
    if not all(isinstance(v, str) and v in allowed for v in values):
        raise DirectoryError(message)
    return values


def _check_service(fields: dict[str, Any]) -> dict[str, Any]:
    """Refuse unknown fields (a programming error) and values the directory does not keep, with
    a message; returns the fields with lists cleaned (no repeats, documents stripped)."""
    unknown = set(fields) - SERVICE_FIELDS
    if unknown:
        raise TypeError(f"not fields of a service: {sorted(unknown)}")
    fields = dict(fields)
    if "name" in fields:
        fields["name"] = str(fields["name"]).strip()
        if not fields["name"]:
            raise DirectoryError(_("Enter the service's name."))
    if "status" in fields and fields["status"] not in ServiceStatus.values:
        raise DirectoryError(_("Choose a status from the list."))
    if "needs" in fields:
        fields["needs"] = _codes(fields["needs"], Need.values, _("Choose needs from the list."))
    if "access" in fields:
        fields["access"] = _codes(
            fields["access"], AccessMethod.values, _("Choose how to get it from the list.")
        )
    if "languages" in fields:
        fields["languages"] = _codes(
            fields["languages"], Language.values, _("Choose languages from the list.")
        )
    if "required_documents" in fields:
        documents = [str(d).strip() for d in fields["required_documents"] or []]
        if any(not d or len(d) > 300 for d in documents):
            raise DirectoryError(_("Write each thing to bring on a line of its own."))
        fields["required_documents"] = list(dict.fromkeys(documents))
    if fields.get("email"):
        try:
            validate_email(fields["email"])
        except ValidationError:
            raise DirectoryError(_("Enter an email address like jobs@example.org.")) from None
    return fields


def _full_clean(service: Service) -> None:
    try:
        service.full_clean(exclude=["organization", "terms"], validate_constraints=False)
    except ValidationError as error:
        raise DirectoryError(" ".join(error.messages)) from None
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None and low > high:
        raise DirectoryError(_("The minimum age must not be above the maximum age."))


def _bump_directory(organization) -> None:
    versions.bump(versions.DIRECTORY, organization.root_id)


def create_service(
    organization: Organization, *, by, now: datetime | None = None, source_key: str = "", **fields
) -> Service:
    """A new directory entry offered by `organization`, with `fields` (SERVICE_FIELDS).

    Side effects: audit ``jobhelp.directory_service.created`` (data: `status`, `needs`,
    `access`); the directory version of the organization's library system or center.
    """
    _deny(rules.can_edit_for(by, organization), by)
    fields = _check_service(fields)
    terms = fields.pop("terms", None)
    now = now or timezone.now()
    service = Service(organization=organization, source_key=source_key, updated_at=now, **fields)
    _full_clean(service)
    with transaction.atomic():
        service.save()
        if terms:
            service.terms.set(terms)
        audit.record(
            "jobhelp.directory_service.created",
            actor=by,
            organization=organization,
            obj=service,
            data={"status": service.status, "needs": service.needs, "access": service.access},
        )
        _bump_directory(organization)
    return service


def update_service(
    service: Service, *, by, now: datetime | None = None, **fields
) -> tuple[Service, list[str]]:
    """Change an entry's fields; only those whose value differs are written, and nothing (not
    even an audit entry) when none does. Returns the service and the changed field names.

    Side effects: audit ``jobhelp.directory_service.updated`` (data: `fields`); the directory
    version.
    """
    _deny(rules.can_edit_service(by, service), by)
    fields = _check_service(fields)
    with transaction.atomic():
        current = Service.objects.select_for_update().get(pk=service.pk)
        changed = sorted(
            name
            for name, value in fields.items()
            if name != "terms" and getattr(current, name) != value
        )
        for name in changed:
            setattr(current, name, fields[name])
        if "terms" in fields:
            before = set(current.terms.values_list("pk", flat=True))
            if before != {t.pk for t in fields["terms"]}:
                changed.append("terms")
                current.terms.set(fields["terms"])
        if not changed:
            return current, []
        _full_clean(current)
        current.updated_at = now or timezone.now()
        current.save(update_fields=[n for n in changed if n != "terms"] + ["updated_at"])
        audit.record(
            "jobhelp.directory_service.updated",
            actor=by,
            organization=current.organization,
            obj=current,
            data={"fields": sorted(changed)},
        )
        _bump_directory(current.organization)
    return current, sorted(changed)


def _touch(service_ids, now: datetime) -> None:
    Service.objects.filter(pk__in=service_ids).update(updated_at=now)


def set_service_locations(
    service: Service, *, by, locations, now: datetime | None = None, ids: dict | None = None
) -> tuple[list[int], list[int]]:
    """Offer the service at exactly these locations (of any partner: a center's service may be
    held at a library). Returns the ids of the locations added and removed. `ids` gives the
    public ids (UUIDs) of new services at locations by location id, for an HSDS import.

    Side effects: audit ``jobhelp.directory_service.places_set`` (data: `added`, `removed`
    location ids), none when nothing changed; the directory version.
    """
    _deny(rules.can_edit_service(by, service), by)
    wanted = {location.pk: location for location in locations}
    with transaction.atomic():
        current = set(service.places.values_list("location_id", flat=True))
        added, removed = sorted(set(wanted) - current), sorted(current - set(wanted))
        if not added and not removed:
            return [], []
        service.places.filter(location_id__in=removed).delete()
        ServiceAtLocation.objects.bulk_create(
            ServiceAtLocation(service=service, location=wanted[pk], **_given_id(ids, pk))
            for pk in added
        )
        _touch([service.pk], now or timezone.now())
        audit.record(
            "jobhelp.directory_service.places_set",
            actor=by,
            organization=service.organization,
            obj=service,
            data={"added": added, "removed": removed},
        )
        _bump_directory(service.organization)
    return added, removed


def _given_id(ids, pk) -> dict:
    return {"uuid": ids[pk]} if ids and pk in ids else {}


def _check_hours(hours) -> list[tuple[int, time, time]]:
    wanted = sorted(set(hours))
    for weekday, opens, closes in wanted:
        if not 0 <= weekday <= 6 or not opens < closes:
            raise DirectoryError(_("Each interval needs a day and must start before it ends."))
    return wanted


def set_service_hours(at: ServiceAtLocation, *, by, hours, now: datetime | None = None) -> bool:
    """Replace the weekly hours of a service at one location ((weekday, from, until) on the
    location's clock); an empty list means "whenever the location is open". Returns whether
    they changed.

    Side effects: audit ``jobhelp.directory_service.hours_set`` (data: `location`,
    `intervals`), none when nothing changed; the directory version.
    """
    service = at.service
    _deny(rules.can_edit_service(by, service), by)
    wanted = _check_hours(hours)
    with transaction.atomic():
        if sorted(at.hours.values_list("weekday", "opens", "closes")) == wanted:
            return False
        at.hours.all().delete()
        ServiceHours.objects.bulk_create(
            ServiceHours(at=at, weekday=w, opens=o, closes=c) for w, o, c in wanted
        )
        _touch([service.pk], now or timezone.now())
        audit.record(
            "jobhelp.directory_service.hours_set",
            actor=by,
            organization=service.organization,
            obj=service,
            data={"location": at.location_id, "intervals": len(wanted)},
        )
        _bump_directory(service.organization)
    return True


def set_staff_details(service: Service, *, by, **fields) -> list[str]:
    """Set the staff-only details (direct line, who takes referrals, their email, notes for
    referrers). Returns the names of those that changed. Never published.

    Side effects: audit ``jobhelp.directory_service.staff_details_set`` (data: `fields`), none
    when nothing changed. No version: no public data changes.
    """
    _deny(rules.can_edit_service(by, service), by)
    unknown = set(fields) - set(STAFF_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"not staff-only details: {sorted(unknown)}")
    fields = {name: str(value).strip() for name, value in fields.items()}
    if fields.get("referral_email"):
        try:
            validate_email(fields["referral_email"])
        except ValidationError:
            raise DirectoryError(_("Enter an email address like jobs@example.org.")) from None
    if len(fields.get("direct_line", "")) > 20 or len(fields.get("referral_contact", "")) > 200:
        raise DirectoryError(_("That is too long for this field."))
    with transaction.atomic():
        details, _created = ServiceStaffDetails.objects.select_for_update().get_or_create(
            service=service
        )
        changed = sorted(n for n, v in fields.items() if getattr(details, n) != v)
        if not changed:
            return []
        for name in changed:
            setattr(details, name, fields[name])
        details.save(update_fields=changed)
        audit.record(
            "jobhelp.directory_service.staff_details_set",
            actor=by,
            organization=service.organization,
            obj=service,
            data={"fields": changed},
        )
    return changed


def mark_reviewed(service: Service, *, by, today: date | None = None) -> Service:
    """Record that staff checked the entry and it is right: the review date is today, and the
    next reminder comes a year from now.

    Side effects: audit ``jobhelp.directory_service.reviewed``; the directory version.
    """
    _deny(rules.can_edit_service(by, service), by)
    today = today or timezone.localdate()
    with transaction.atomic():
        Service.objects.filter(pk=service.pk).update(reviewed_on=today, review_reminded_at=None)
        audit.record(
            "jobhelp.directory_service.reviewed",
            actor=by,
            organization=service.organization,
            obj=service,
        )
        _bump_directory(service.organization)
    service.reviewed_on, service.review_reminded_at = today, None
    return service


def _bump_location(location: Location) -> None:
    root = location.organization.root_id
    versions.bump(versions.DIRECTORY, root)
    versions.bump(versions.COMPUTERS, root)


def set_location_details(
    location: Location,
    *,
    by,
    latitude: Decimal | None,
    longitude: Decimal | None,
    accessibility: str,
) -> list[str]:
    """A location's coordinates (for the nearest free computer) and accessibility notes.
    Returns the names of the fields that changed.

    Side effects: organizations.domain.update_location (audit ``jobhelp.location.updated``,
    the staff version); the directory and computers versions.
    """
    _deny(rules.can_edit_location(by, location), by)
    if (latitude is None) != (longitude is None):
        raise DirectoryError(_("Enter both the latitude and the longitude, or neither."))
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise DirectoryError(_("Those coordinates are not on the map."))
    with transaction.atomic():
        try:
            changed = places.update_location(
                location,
                by=by,
                latitude=latitude,
                longitude=longitude,
                accessibility=accessibility.strip(),
            )
        except places.PlaceError as error:
            raise DirectoryError(str(error)) from None
        if changed:
            _bump_location(location)
    return changed


def set_hours_exception(
    location: Location,
    *,
    by,
    on: date,
    opens: time | None = None,
    closes: time | None = None,
    note: str = "",
    now: datetime | None = None,
) -> HoursException:
    """Other hours at a location on one date, on its clock: closed all day (no times), or open
    only from `opens` to `closes`. Replaces that date's exception if there was one.

    Side effects: audit ``jobhelp.hours_exception.set`` (data: `on`, `closed`); the services
    there count as modified; the directory and computers versions.
    """
    _deny(rules.can_edit_location(by, location), by)
    if (opens is None) != (closes is None) or (opens is not None and not opens < closes):
        raise DirectoryError(_("Give both times, opening before closing, or none for closed."))
    with transaction.atomic():
        exception, _created = HoursException.objects.update_or_create(
            location=location,
            on=on,
            defaults={"opens": opens, "closes": closes, "note": note.strip()[:200]},
        )
        _touch(location.directory_services.values("service_id"), now or timezone.now())
        audit.record(
            "jobhelp.hours_exception.set",
            actor=by,
            organization=location.organization,
            obj=location,
            data={"on": on.isoformat(), "closed": opens is None},
        )
        _bump_location(location)
    return exception


def remove_hours_exception(
    location: Location, *, by, on: date, now: datetime | None = None
) -> bool:
    """Back to the weekly hours on that date. Returns whether there was an exception.

    Side effects: audit ``jobhelp.hours_exception.removed`` (data: `on`); the directory and
    computers versions.
    """
    _deny(rules.can_edit_location(by, location), by)
    with transaction.atomic():
        deleted, _rows = HoursException.objects.filter(location=location, on=on).delete()
        if not deleted:
            return False
        _touch(location.directory_services.values("service_id"), now or timezone.now())
        audit.record(
            "jobhelp.hours_exception.removed",
            actor=by,
            organization=location.organization,
            obj=location,
            data={"on": on.isoformat()},
        )
        _bump_location(location)
    return True


def create_term(
    *,
    by,
    name: str,
    description: str = "",
    code: str = "",
    taxonomy: Taxonomy | None = None,
    parent: TaxonomyTerm | None = None,
) -> TaxonomyTerm:
    """A category of the installation's own, for services the built-in needs do not describe.

    Side effects: audit ``jobhelp.taxonomy_term.created``; the installation's directory version.
    """
    if by is not None and not rules.can_manage_places(by):
        raise PermissionDenied(_("Only managers can add categories."))
    name = name.strip()
    if not name:
        raise DirectoryError(_("Enter the category's name."))
    with transaction.atomic():
        term = TaxonomyTerm.objects.create(
            name=name[:200],
            description=description.strip(),
            code=code[:100],
            taxonomy=taxonomy,
            parent=parent,
        )
        audit.record("jobhelp.taxonomy_term.created", actor=by, obj=term)
        versions.bump(versions.DIRECTORY, 0)
    return term


def remove_term(term: TaxonomyTerm, *, by) -> None:
    """Remove a category nobody uses. Refused with DirectoryError, nothing written, while an
    entry is filed under it (taking a category off entries changes what they publish: that is
    their owners' edit, on each entry's categories page) or while narrower categories sit under
    it (they would silently lose their place in the tree). A category an HSDS import brought
    comes back with the next import of that partner's data, as any new term would.

    Side effects: audit ``jobhelp.taxonomy_term.removed`` (data: `name`, `uuid`); the
    installation's directory version.
    """
    if by is not None and not rules.can_manage_places(by):
        raise PermissionDenied(_("Only managers can remove categories."))
    with transaction.atomic():
        term = TaxonomyTerm.objects.select_for_update().get(pk=term.pk)
        entries = term.services.count()
        if entries:
            raise DirectoryError(
                ngettext(
                    "“%(name)s” is still the category of %(count)s directory entry. Take it "
                    "off that entry first, on the entry's categories page.",
                    "“%(name)s” is still the category of %(count)s directory entries. Take it "
                    "off those entries first, on each entry's categories page.",
                    entries,
                )
                % {"name": term.name, "count": entries}
            )
        narrower = list(term.children.order_by("name", "pk").values_list("name", flat=True))
        if narrower:
            raise DirectoryError(
                _("“%(name)s” has narrower categories (%(names)s). Remove those first.")
                % {"name": term.name, "names": ", ".join(narrower)}
            )
        audit.record(
            "jobhelp.taxonomy_term.removed",
            actor=by,
            obj=term,
            data={"name": term.name, "uuid": str(term.uuid)},
        )
        term.delete()
        versions.bump(versions.DIRECTORY, 0)


def remove_place(place: Place, *, by) -> None:
    """Remove a town and ZIP code from the area's list (a mistake, or a town renamed and added
    anew). Refused with DirectoryError, nothing written, when it is the last entry for the ZIP
    code of a location open to the public: a visitor typing the library's own ZIP code on the
    public computers page would be told it is unknown. Add the ZIP code under its new town name
    first, then remove the old one.

    Side effects: audit ``jobhelp.place.removed`` (data: `name`, `postal_code`); the
    installation's computers version.
    """
    if by is not None and not rules.can_manage_places(by):
        raise PermissionDenied(_("Only managers can change the list of places."))
    with transaction.atomic():
        place = Place.objects.select_for_update().get(pk=place.pk)
        others = Place.objects.filter(postal_code=place.postal_code).exclude(pk=place.pk)
        if not others.exists():
            served = list(
                Location.objects.filter(is_active=True, postal_code__startswith=place.postal_code)
                .order_by("name", "pk")
                .values_list("name", flat=True)[:3]
            )
            if served:
                raise DirectoryError(
                    _(
                        "%(town)s %(zip)s is the only entry for the ZIP code of %(locations)s: "
                        "visitors there would be told their ZIP code is unknown. Add the ZIP "
                        "code under its new town name first, then remove this one."
                    )
                    % {
                        "town": place.name,
                        "zip": place.postal_code,
                        "locations": ", ".join(served),
                    }
                )
        audit.record(
            "jobhelp.place.removed",
            actor=by,
            obj=place,
            data={"name": place.name, "postal_code": place.postal_code},
        )
        place.delete()
        versions.bump(versions.COMPUTERS, 0)


def save_place(*, by, name: str, postal_code: str, latitude: Decimal, longitude: Decimal) -> Place:
    """A town and ZIP code of the area with the coordinates of its center (added, or moved).

    Side effects: audit ``jobhelp.place.saved``; the installation's computers version.
    """
    if by is not None and not rules.can_manage_places(by):
        raise PermissionDenied(_("Only managers can change the list of places."))
    name, postal_code = name.strip(), postal_code.strip()
    if not name or not postal_code.isdigit() or len(postal_code) != 5:
        raise DirectoryError(_("Enter a town and its five-digit ZIP code."))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise DirectoryError(_("Those coordinates are not on the map."))
    with transaction.atomic():
        place, _created = Place.objects.update_or_create(
            name=name,
            postal_code=postal_code,
            defaults={"latitude": latitude, "longitude": longitude},
        )
        audit.record("jobhelp.place.saved", actor=by, obj=place)
        versions.bump(versions.COMPUTERS, 0)
    return place


# --- Reviews ------------------------------------------------------------------------------------


def due_for_review(*, today: date):
    """Listed entries whose last review (or, never reviewed, whose creation) is at least a year
    before `today`."""
    cutoff = today - REVIEW_AFTER
    return Service.objects.filter(status__in=sorted(LISTED_STATUSES)).filter(
        Q(reviewed_on__lte=cutoff) | Q(reviewed_on__isnull=True, created_at__date__lte=cutoff)
    )


def _managers_of(organization_ids) -> dict[int, list]:
    """Active managers with an email address who act for each organization (its own and its
    library system's; accounts.tenancy.above_and_self), by organization id."""
    organizations = Organization.objects.filter(pk__in=organization_ids)
    reach = {o.pk: above_and_self(o) for o in organizations}
    people = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role__in=sorted(MANAGING_ROLES),
            memberships__organization_id__in={pk for ids in reach.values() for pk in ids},
        )
        .exclude(email="")
        .values_list("pk", "memberships__organization_id")
    )
    by_organization = defaultdict(set)
    for person, organization_id in people:
        by_organization[organization_id].add(person)
    return {pk: sorted({p for o in ids for p in by_organization[o]}) for pk, ids in reach.items()}


def _digest(services) -> str:
    # The entries and the reviews they are due after: the same entries due again a year later
    # make another key.
    keys = sorted(f"{s.pk}:{s.reviewed_on}" for s in services)
    return hashlib.sha256(",".join(keys).encode()).hexdigest()[:24]


def send_review_reminders(*, now: datetime) -> int:
    """Remind the owners of entries due for review, once per entry: each manager who acts for
    an organization with entries due and not yet reminded gets one message listing them all.
    Entries whose organization has no manager with an email address wait, unflagged, until it
    has one. Returns how many messages were queued.

    Safe to run twice: each entry is claimed with one conditional UPDATE
    (`review_reminded_at` still empty) before its message is queued, in one transaction, and
    the message's dedupe key is the manager and the entries it lists.

    Side effects: `review_reminded_at` of the entries reminded; one ``directory_review_due``
    email per manager through the outbox; audit ``jobhelp.directory_service.review_reminded``
    per entry (data: `to`, the managers' ids).
    """
    User = get_user_model()
    due = due_for_review(today=timezone.localdate(now)).filter(review_reminded_at__isnull=True)
    by_organization: dict[int, list[int]] = defaultdict(list)
    for pk, organization_id in due.values_list("pk", "organization_id"):
        by_organization[organization_id].append(pk)
    if not by_organization:
        return 0
    managers = _managers_of(by_organization)
    queued = 0
    with transaction.atomic():
        per_person: dict[int, list[int]] = defaultdict(list)
        for organization_id, service_ids in by_organization.items():
            recipients = managers.get(organization_id, [])
            if not recipients:
                continue
            claimed = list(
                Service.objects.filter(pk__in=service_ids, review_reminded_at__isnull=True)
                .select_for_update()
                .values_list("pk", flat=True)
            )
            Service.objects.filter(pk__in=claimed, review_reminded_at__isnull=True).update(
                review_reminded_at=now
            )
            for service in Service.objects.filter(pk__in=claimed).select_related("organization"):
                audit.record(
                    "jobhelp.directory_service.review_reminded",
                    organization=service.organization,
                    obj=service,
                    data={"to": recipients},
                )
            for person in recipients:
                per_person[person].extend(claimed)
        people = User.objects.in_bulk(list(per_person))
        for person_id, service_ids in sorted(per_person.items()):
            person = people[person_id]
            services = list(
                Service.objects.filter(pk__in=service_ids)
                .select_related("organization")
                .order_by("organization__name", "name", "pk")
            )
            message = queue_message(
                to=person.email,
                template="directory_review_due",
                context={"person": person, "services": services, "months": 12},
                language=person.preferred_language,
                dedupe_key=f"directory_review:{person_id}:{_digest(services)}",
            )
            queued += message is not None
    return queued
